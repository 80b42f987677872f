/*
 * store.c - the SQLite store: opening, migrations, and every query.
 *
 * Model: iSH fake-db.c (statements are named fields prepared from one
 * X-macro table, migrations indexed by PRAGMA user_version) and fossil db.c
 * (statements keep their SQL for error messages; bind, step, always reset;
 * BEGIN IMMEDIATE for writes). One connection per struct store, guarded
 * by its mutex; the keeper has a connection of its own (store_open_more),
 * so its long writes of link results never hold up the daemon's readers
 * (WAL: readers do not wait for a writer; writers wait for each other
 * through the busy timeout).
 *
 * Space: a store that fills its filesystem must still be able to delete,
 * checkpoint and collect, or it could never get out of ENOSPC (in WAL mode
 * even a DELETE appends frames, and a checkpoint grows the database by the
 * WAL's new pages). So every commit of new content first checks that
 * STORE_RESERVE bytes stay free after it, counting the content twice (WAL
 * now, database at the next checkpoint) plus the WAL already written. When
 * it would not fit, make_room() folds the WAL into the database and
 * truncates it, collects unreferenced blobs, and counts the database's free
 * pages as reusable (a fold that came back busy is tried again a few
 * times); only then does the commit fail with ENOSPC, and the daemon's
 * log says why in figures. Small transactions (create, remove, rename,
 * attributes) live off the reserve; if one still gets SQLITE_FULL, the
 * WAL is folded and it runs once more.
 * Leaves out: connection pools, incremental blob I/O, vacuuming (the file
 * never shrinks; its free pages are reused).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <xxhash.h>

#include "store.h"

extern const int schema_version;
extern const char *const schema_migrations[];

/* Bytes kept free on the store's filesystem for deletions, checkpoints
 * and collection (see the top of this file). */
#define STORE_RESERVE ((uint64_t)1 << 20)

#define NODE_COLS "id,parent,kind,mode,mtime_ns,ctime_ns,size,blob,complete,role"

#define STORE_STMTS(X) \
	X(begin, "BEGIN IMMEDIATE") \
	X(commit, "COMMIT") \
	X(rollback, "ROLLBACK") \
	X(node_get, "SELECT " NODE_COLS " FROM nodes WHERE id=?1") \
	X(node_lookup, "SELECT " NODE_COLS " FROM nodes WHERE parent=?1 AND name=?2") \
	X(node_insert, "INSERT INTO nodes(parent,name,kind,mode,mtime_ns," \
	  "ctime_ns,size,blob,complete,role) VALUES(?1,?2,?3,?4,?5,?5,0,NULL,?6,?7)") \
	X(node_content, "UPDATE nodes SET blob=?2,size=?3,mtime_ns=?4," \
	  "ctime_ns=?4,complete=1 WHERE id=?1") \
	X(node_mode, "UPDATE nodes SET mode=?2,ctime_ns=?3 WHERE id=?1") \
	X(node_mtime, "UPDATE nodes SET mtime_ns=?2,ctime_ns=?3 WHERE id=?1") \
	X(node_delete, "DELETE FROM nodes WHERE id=?1") \
	X(node_move, "UPDATE nodes SET parent=?2,name=?3,role=?4,ctime_ns=?5 WHERE id=?1") \
	X(dir_touch, "UPDATE nodes SET mtime_ns=?2,ctime_ns=?2 WHERE id=?1") \
	X(dir_any, "SELECT 1 FROM nodes WHERE parent=?1 LIMIT 1") \
	X(dir_list, "SELECT id,name,kind FROM nodes WHERE parent=?1 ORDER BY name") \
	X(blob_put, "INSERT OR IGNORE INTO blobs(hash,size,data) VALUES(?1,?2,?3)") \
	X(blob_get, "SELECT data FROM blobs WHERE hash=?1") \
	X(unit_any_obj, "SELECT 1 FROM nodes WHERE parent=?1 AND role=1 " \
	  "AND complete=1 AND kind=0 LIMIT 1") \
	X(unit_inputs, "SELECT name,blob,role FROM nodes INDEXED BY nodes_inputs " \
	  "WHERE parent=?1 AND role>0 AND complete=1 AND kind=0 ORDER BY name") \
	X(unit_touch, "INSERT INTO units(dir,input_ns) VALUES(?1,?2) " \
	  "ON CONFLICT(dir) DO UPDATE SET input_ns=max(input_ns,excluded.input_ns)") \
	X(unit_get, "SELECT input_ns,result_key FROM units WHERE dir=?1") \
	X(unit_result, "INSERT INTO units(dir,input_ns,result_key) VALUES(?1,0,?2) " \
	  "ON CONFLICT(dir) DO UPDATE SET result_key=excluded.result_key") \
	X(unit_delete, "DELETE FROM units WHERE dir=?1") \
	X(result_get, "SELECT ok,log,output_name FROM link_results WHERE key=?1") \
	X(result_put, "INSERT OR REPLACE INTO link_results(key,ok,log," \
	  "output_name,created_ns) VALUES(?1,?2,?3,?4,?5)") \
	X(result_files, "SELECT idx,blob FROM link_files WHERE key=?1") \
	X(result_file_put, "INSERT OR REPLACE INTO link_files(key,idx,blob) VALUES(?1,?2,?3)") \
	X(totals, "SELECT (SELECT count(*) FROM nodes)," \
	  "(SELECT coalesce(sum(size),0) FROM blobs)")

struct store {
	pthread_mutex_t lock;   /* guards db and every statement below */
	sqlite3 *db;
	char *dir;              /* the store's directory (statvfs) */
	char *wal;              /* the path of its -wal file */
	uint64_t page_size;
#define X(name, sql) sqlite3_stmt *name;
	STORE_STMTS(X)
#undef X
};

static const char *const stmt_sql[] = {
#define X(name, sql) sql,
	STORE_STMTS(X)
#undef X
};

void store_hash(const void *data, size_t len, uint8_t out[STORE_HASH_LEN])
{
	XXH128_hash_t h = XXH3_128bits(data, len);
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, h);
	memcpy(out, c.digest, STORE_HASH_LEN);
}

/* Maps an SQLite result to -errno, logging unexpected ones with the SQL. */
static int fail_sql(struct store *st, const char *sql, int rc)
{
	/* an I/O error whose cause was a full disk or quota is ENOSPC too
	 * (e.g. growing the -shm file) */
	int sys = sqlite3_system_errno(st->db);
	if ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT))
		return -sys;
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	default:
		fprintf(stderr, "linkfs: store error %d: %s (in '%s')\n", rc,
			sqlite3_errmsg(st->db), sql);
		return -EIO;
	}
}

static int fail(struct store *st, sqlite3_stmt *s, int rc)
{
	return fail_sql(st, s ? sqlite3_sql(s) : "?", rc);
}

/* Steps a statement that returns no rows, then resets it. */
static int run(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return fail(st, s, rc);
}

static void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int tx_begin(struct store *st) { return run(st, st->begin); }

static int tx_end(struct store *st, int err)
{
	if (err) {
		sqlite3_step(st->rollback);
		sqlite3_reset(st->rollback);
		return err;
	}
	int rc = run(st, st->commit);
	if (rc) {
		sqlite3_step(st->rollback);
		sqlite3_reset(st->rollback);
	}
	return rc;
}

static void bind_hash(sqlite3_stmt *s, int i, const uint8_t *h)
{
	sqlite3_bind_blob(s, i, h, STORE_HASH_LEN, SQLITE_STATIC);
}

static void read_node(sqlite3_stmt *s, struct store_node *n)
{
	memset(n, 0, sizeof *n);
	n->id = (uint64_t)sqlite3_column_int64(s, 0);
	n->parent = (uint64_t)sqlite3_column_int64(s, 1);
	n->kind = sqlite3_column_int(s, 2);
	n->mode = (uint32_t)sqlite3_column_int(s, 3);
	n->mtime_ns = sqlite3_column_int64(s, 4);
	n->ctime_ns = sqlite3_column_int64(s, 5);
	n->size = (uint64_t)sqlite3_column_int64(s, 6);
	if (sqlite3_column_bytes(s, 7) == STORE_HASH_LEN) {
		memcpy(n->hash, sqlite3_column_blob(s, 7), STORE_HASH_LEN);
		n->has_blob = 1;
	}
	n->complete = sqlite3_column_int(s, 8);
	n->role = sqlite3_column_int(s, 9);
}

static int exec(struct store *st, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	if (err)
		snprintf(err, errlen, "%s", msg ? msg : "unknown error");
	sqlite3_free(msg);
	return -1;
}

static int migrate(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL)) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	int version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	if (version < 0) {
		snprintf(err, errlen, "cannot read the schema version");
		return -1;
	}
	if (version > schema_version) {
		snprintf(err, errlen, "the store has schema version %d, newer than "
			 "this linkfs (%d): use a newer linkfs", version,
			 schema_version);
		return -1;
	}
	if (version == schema_version)
		return 0;
	if (exec(st, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	for (int v = version; v < schema_version; v++) {
		char sql[64];
		if (exec(st, schema_migrations[v], err, errlen))
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (exec(st, sql, err, errlen))
			goto fail;
	}
	if (exec(st, "COMMIT", err, errlen))
		goto fail;
	return 0;
fail:
	exec(st, "ROLLBACK", NULL, 0);
	return -1;
}

/* Copies the WAL into the database and truncates it to zero bytes.
 * Returns the checkpoint's SQLite code: SQLITE_BUSY when another
 * connection's transaction kept it from finishing, SQLITE_FULL when the
 * database had no room to grow. Callers re-measure the space either way. */
static int fold_wal(struct store *st)
{
	return sqlite3_wal_checkpoint_v2(st->db, NULL,
					 SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

/* Sets st->dir and st->wal from the store's path; 0 or -1 (no memory). */
static int store_paths(struct store *st, const char *path)
{
	size_t n = strlen(path);
	const char *slash = strrchr(path, '/');
	st->wal = malloc(n + 5);
	st->dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
			: strdup(".");
	if (!st->wal || !st->dir)
		return -1;
	memcpy(st->wal, path, n);
	memcpy(st->wal + n, "-wal", 5);
	return 0;
}

/* -1 with a message if path+suffix exists and is a symbolic link. */
static int refuse_link(const char *path, const char *suffix, char *err,
		       size_t errlen)
{
	char p[4096];
	struct stat sb;
	if (snprintf(p, sizeof p, "%s%s", path, suffix) >= (int)sizeof p) {
		snprintf(err, errlen, "store path '%s' is too long", path);
		return -1;
	}
	if (lstat(p, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		snprintf(err, errlen, "store %s'%s' is a symbolic link: refusing "
			 "to open it through a link", *suffix ? "file " : "", p);
		return -1;
	}
	return 0;
}

/* Runs a one-row, one-column integer query; 0 or -1. */
static int pragma_u64(struct store *st, const char *sql, uint64_t *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* A connection to the store at path; the primary one also migrates the
 * schema and drops what a crash left uncommitted. */
static int open_conn(const char *path, int primary, struct store **out,
		     char *err, size_t errlen)
{
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&st->lock, NULL);
	if (store_paths(st, path)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* never through a symlink: one planted at the store path (or at its
	 * -wal or -shm file) would make us write wherever it points */
	if (refuse_link(path, "", err, errlen) ||
	    refuse_link(path, "-wal", err, errlen) ||
	    refuse_link(path, "-shm", err, errlen))
		goto fail;
	/* create the file ourselves so it is 0600 (SQLite's -wal and -shm
	 * files copy its mode). Only before the first connection: closing
	 * any descriptor of the file drops every POSIX lock this process
	 * holds on it, the open connection's too, and then another process
	 * closing the store would take the WAL away from under it. */
	struct stat sb;
	int regular;
	if (primary) {
		int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			if (errno == ELOOP)  /* lost a race with a planted symlink */
				snprintf(err, errlen, "store '%s' is a symbolic link: "
					 "refusing to open it through a link", path);
			else
				snprintf(err, errlen, "cannot open store '%s': %s",
					 path, strerror(errno));
			goto fail;
		}
		regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
		close(fd);
	} else {
		regular = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	}
	if (!regular) {
		snprintf(err, errlen, "store '%s' is not a regular file", path);
		goto fail;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open store '%s': %s", path,
			 st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	char e[256] = "";
	if (exec(st, "PRAGMA journal_mode=WAL", e, sizeof e) ||
	    exec(st, "PRAGMA synchronous=NORMAL", e, sizeof e) ||
	    /* Debian builds SQLite with secure_delete on: every freed page
	     * would be zeroed through the WAL, so deleting a file would cost
	     * its size again, and fail on a full disk. FAST zeroes only what
	     * costs no extra I/O; the store is private (0600) anyway. */
	    exec(st, "PRAGMA secure_delete=FAST", e, sizeof e) ||
	    exec(st, "PRAGMA foreign_keys=OFF", e, sizeof e)) {
		snprintf(err, errlen, "cannot configure store '%s': %s", path, e);
		goto fail;
	}
	if (pragma_u64(st, "PRAGMA page_size", &st->page_size)) {
		snprintf(err, errlen, "cannot read the page size of store '%s': %s",
			 path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (primary && migrate(st, e, sizeof e)) {
		snprintf(err, errlen, "cannot use store '%s': %s", path, e);
		goto fail;
	}
	size_t i = 0;
#define X(name, sql) \
	if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, \
			       SQLITE_PREPARE_PERSISTENT, &st->name, NULL)) { \
		snprintf(err, errlen, "cannot prepare '%s': %s", stmt_sql[i], \
			 sqlite3_errmsg(st->db)); \
		goto fail; \
	} \
	i++;
	STORE_STMTS(X)
#undef X
	/* nothing uncommitted survives a restart (on a full disk, the WAL
	 * is folded first to make room for the delete) */
	if (primary && exec(st, "DELETE FROM nodes WHERE complete=0", e, sizeof e) &&
	    (fold_wal(st),
	     exec(st, "DELETE FROM nodes WHERE complete=0", e, sizeof e))) {
		snprintf(err, errlen, "cannot clean store '%s': %s", path, e);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

int store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	return open_conn(path, 1, out, err, errlen);
}

int store_open_more(const char *path, struct store **out, char *err,
		    size_t errlen)
{
	return open_conn(path, 0, out, err, errlen);
}

void store_close(struct store *st)
{
	if (!st)
		return;
#define X(name, sql) sqlite3_finalize(st->name);
	STORE_STMTS(X)
#undef X
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	free(st->dir);
	free(st->wal);
	free(st);
}

/* Unlocked helpers: the caller holds st->lock. */

static int get_locked(struct store *st, uint64_t id, struct store_node *out)
{
	sqlite3_stmt *s = st->node_get;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_node(s, out);
	done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : fail(st, s, rc);
}

static int lookup_locked(struct store *st, uint64_t parent, const char *name,
			 size_t len, struct store_node *out)
{
	sqlite3_stmt *s = st->node_lookup;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)parent);
	sqlite3_bind_blob(s, 2, name, (int)len, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_node(s, out);
	done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : fail(st, s, rc);
}

static int touch_unit(struct store *st, uint64_t dir, int64_t now)
{
	sqlite3_bind_int64(st->unit_touch, 1, (sqlite3_int64)dir);
	sqlite3_bind_int64(st->unit_touch, 2, now);
	return run(st, st->unit_touch);
}

static int touch_dir(struct store *st, uint64_t dir, int64_t now)
{
	sqlite3_bind_int64(st->dir_touch, 1, (sqlite3_int64)dir);
	sqlite3_bind_int64(st->dir_touch, 2, now);
	return run(st, st->dir_touch);
}

static int delete_locked(struct store *st, uint64_t id)
{
	sqlite3_bind_int64(st->node_delete, 1, (sqlite3_int64)id);
	int rc = run(st, st->node_delete);
	if (!rc) {
		sqlite3_bind_int64(st->unit_delete, 1, (sqlite3_int64)id);
		rc = run(st, st->unit_delete);
	}
	return rc;
}

/* 1 if dir has children, 0 if not, or -errno. */
static int has_children(struct store *st, uint64_t dir)
{
	sqlite3_stmt *s = st->dir_any;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)dir);
	int rc = sqlite3_step(s);
	done(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : fail(st, s, rc);
}

/* Space (see the top of this file). The caller holds st->lock and has no
 * transaction open. */

/* Bytes the store may still use on its filesystem; UINT64_MAX if unknown. */
static uint64_t fs_free(struct store *st)
{
	struct statvfs sv;
	if (statvfs(st->dir, &sv))
		return UINT64_MAX;
	return (uint64_t)sv.f_bavail * sv.f_frsize;
}

static uint64_t wal_bytes(struct store *st)
{
	struct stat sb;
	return stat(st->wal, &sb) ? 0 : (uint64_t)sb.st_size;
}

/* An upper bound of what `bytes` of new content take in the WAL (pages,
 * frame headers, b-tree and index pages); the database takes as much
 * again at the next checkpoint. */
static uint64_t content_cost(uint64_t bytes)
{
	return bytes + bytes / 64 + ((uint64_t)64 << 10);
}

static int gc_locked(struct store *st);

/* Folds the WAL, collects unreferenced blobs and results, folds again.
 * Returns the last fold's SQLite code. */
static int relieve(struct store *st)
{
	fold_wal(st);
	gc_locked(st);
	return fold_wal(st);
}

/* Bytes that committing `cost` bytes of WAL needs free now, given the
 * database's free pages (they take the content at the checkpoint without
 * growing the file) and the WAL already written. */
static uint64_t room_needed(struct store *st, uint64_t cost, uint64_t *wal,
			    uint64_t *reuse)
{
	uint64_t freelist = 0;
	pragma_u64(st, "PRAGMA freelist_count", &freelist);
	*reuse = freelist * st->page_size;
	*wal = wal_bytes(st);
	return cost + (cost > *reuse ? cost - *reuse : 0) + STORE_RESERVE + *wal;
}

/* A fold that came back SQLITE_BUSY is tried again this often before a
 * commit fails: SQLite runs one checkpoint at a time and answers a second
 * one BUSY at once, without the busy timeout (the keeper's connection
 * folds too), and a transaction that outlasts the timeout ends it BUSY. */
enum { FOLD_TRIES = 4, FOLD_WAIT_MS = 50 };

/* 0 if committing `bytes` of new content keeps STORE_RESERVE free, after
 * folding the WAL and collecting if need be; else -ENOSPC, with a line
 * on stderr that gives the figures. */
static int make_room(struct store *st, uint64_t bytes)
{
	uint64_t cost = content_cost(bytes), avail = fs_free(st);
	if (avail == UINT64_MAX ||
	    avail >= 2 * cost + STORE_RESERVE + wal_bytes(st))
		return 0;
	int fold = relieve(st);
	uint64_t wal, reuse, need = room_needed(st, cost, &wal, &reuse);
	avail = fs_free(st);
	for (int i = 1; i < FOLD_TRIES && fold == SQLITE_BUSY &&
			avail != UINT64_MAX && avail < need; i++) {
		nanosleep(&(struct timespec){ 0, FOLD_WAIT_MS * 1000000L }, NULL);
		fold = fold_wal(st);
		need = room_needed(st, cost, &wal, &reuse);
		avail = fs_free(st);
	}
	if (avail == UINT64_MAX || avail >= need)
		return 0;
	fprintf(stderr, "linkfs: no room for %llu bytes of content: %llu bytes "
		"free in %s, %llu needed (WAL %llu bytes, free pages %llu "
		"bytes, reserve %llu bytes, last checkpoint: %s)\n",
		(unsigned long long)bytes, (unsigned long long)avail, st->dir,
		(unsigned long long)need, (unsigned long long)wal,
		(unsigned long long)reuse,
		(unsigned long long)STORE_RESERVE, sqlite3_errstr(fold));
	return -ENOSPC;
}

int store_get(struct store *st, uint64_t id, struct store_node *out)
{
	pthread_mutex_lock(&st->lock);
	int rc = get_locked(st, id, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_lookup(struct store *st, uint64_t parent, const char *name,
		 size_t len, struct store_node *out)
{
	pthread_mutex_lock(&st->lock);
	int rc = lookup_locked(st, parent, name, len, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int create_locked(struct store *st, uint64_t parent, const char *name,
			 size_t len, int kind, uint32_t mode, int role,
			 int complete, int64_t now, struct store_node *out)
{
	int rc = tx_begin(st);
	if (rc)
		return rc;
	struct store_node p;
	rc = get_locked(st, parent, &p);
	if (!rc && p.kind != NODE_DIR)
		rc = -ENOTDIR;
	if (!rc) {
		sqlite3_stmt *s = st->node_insert;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)parent);
		sqlite3_bind_blob(s, 2, name, (int)len, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, kind);
		sqlite3_bind_int(s, 4, (int)mode);
		sqlite3_bind_int64(s, 5, now);
		sqlite3_bind_int(s, 6, complete);
		sqlite3_bind_int(s, 7, role);
		rc = run(st, s);
	}
	if (!rc)
		rc = touch_dir(st, parent, now);
	if (!rc)
		rc = get_locked(st, (uint64_t)sqlite3_last_insert_rowid(st->db), out);
	return tx_end(st, rc);
}

int store_create(struct store *st, uint64_t parent, const char *name,
		 size_t len, int kind, uint32_t mode, int role, int complete,
		 int64_t now, struct store_node *out)
{
	pthread_mutex_lock(&st->lock);
	int rc = create_locked(st, parent, name, len, kind, mode, role,
			       complete, now, out);
	if (rc == -ENOSPC) {
		fold_wal(st);
		rc = create_locked(st, parent, name, len, kind, mode, role,
				   complete, now, out);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int write_locked(struct store *st, uint64_t id, const uint8_t *data,
			size_t len, const uint8_t hash[STORE_HASH_LEN],
			int64_t now, uint64_t *touched_unit)
{
	*touched_unit = 0;
	int rc = tx_begin(st);
	if (rc)
		return rc;
	struct store_node n;
	rc = get_locked(st, id, &n);
	if (rc == -ENOENT)             /* unlinked while open: nothing to keep */
		return tx_end(st, 0);
	if (!rc) {
		sqlite3_stmt *s = st->blob_put;
		bind_hash(s, 1, hash);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)len);
		sqlite3_bind_blob64(s, 3, len ? (const void *)data : "", len,
				    SQLITE_STATIC);
		rc = run(st, s);
	}
	if (!rc) {
		sqlite3_stmt *s = st->node_content;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)id);
		bind_hash(s, 2, hash);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)len);
		sqlite3_bind_int64(s, 4, now);
		rc = run(st, s);
	}
	if (!rc && n.role > 0) {
		rc = touch_unit(st, n.parent, now);
		*touched_unit = n.parent;
	}
	rc = tx_end(st, rc);
	if (rc)
		*touched_unit = 0;
	return rc;
}

int store_write_file(struct store *st, uint64_t id, const uint8_t *data,
		     size_t len, const uint8_t hash[STORE_HASH_LEN],
		     int64_t now, uint64_t *touched_unit)
{
	*touched_unit = 0;
	pthread_mutex_lock(&st->lock);
	/* emptying a file frees space: it may use the reserve */
	int rc = len ? make_room(st, len) : 0;
	if (!rc) {
		rc = write_locked(st, id, data, len, hash, now, touched_unit);
		if (rc == -ENOSPC) {   /* the disk filled behind our back */
			relieve(st);
			rc = write_locked(st, id, data, len, hash, now,
					  touched_unit);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_read_blob(struct store *st, const uint8_t hash[STORE_HASH_LEN],
		    uint8_t **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->blob_get;
	bind_hash(s, 1, hash);
	int rc = sqlite3_step(s);
	int err = 0;
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		if (n) {
			*data = malloc(n);
			if (!*data)
				err = -ENOMEM;
			else
				memcpy(*data, sqlite3_column_blob(s, 0), n);
		}
		if (!err)
			*len = n;
	} else {
		err = rc == SQLITE_DONE ? -ENOENT : fail(st, s, rc);
	}
	done(s);
	pthread_mutex_unlock(&st->lock);
	return err;
}

static int update_locked(struct store *st, sqlite3_stmt *s, uint64_t id,
			 int64_t a, int64_t b)
{
	sqlite3_bind_int64(s, 1, (sqlite3_int64)id);
	sqlite3_bind_int64(s, 2, a);
	sqlite3_bind_int64(s, 3, b);
	int rc = tx_begin(st);
	if (rc) {
		done(s);
		return rc;
	}
	rc = run(st, s);
	if (!rc && sqlite3_changes(st->db) == 0)
		rc = -ENOENT;
	return tx_end(st, rc);
}

static int update_one(struct store *st, sqlite3_stmt *s, uint64_t id,
		      int64_t a, int64_t b)
{
	pthread_mutex_lock(&st->lock);
	int rc = update_locked(st, s, id, a, b);
	if (rc == -ENOSPC) {
		fold_wal(st);
		rc = update_locked(st, s, id, a, b);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_set_mode(struct store *st, uint64_t id, uint32_t mode, int64_t now)
{
	return update_one(st, st->node_mode, id, mode, now);
}

int store_set_mtime(struct store *st, uint64_t id, int64_t mtime, int64_t now)
{
	return update_one(st, st->node_mtime, id, mtime, now);
}

static int remove_locked(struct store *st, uint64_t parent, const char *name,
			 size_t len, int dir, int64_t now, uint64_t *touched_unit)
{
	*touched_unit = 0;
	int rc = tx_begin(st);
	if (rc)
		return rc;
	struct store_node n;
	rc = lookup_locked(st, parent, name, len, &n);
	if (!rc && dir && n.kind != NODE_DIR)
		rc = -ENOTDIR;
	if (!rc && !dir && n.kind == NODE_DIR)
		rc = -EISDIR;
	if (!rc && dir) {
		rc = has_children(st, n.id);
		if (rc > 0)
			rc = -ENOTEMPTY;
	}
	if (!rc)
		rc = delete_locked(st, n.id);
	if (!rc)
		rc = touch_dir(st, parent, now);
	if (!rc && n.role > 0 && n.complete) {
		rc = touch_unit(st, parent, now);
		*touched_unit = parent;
	}
	rc = tx_end(st, rc);
	if (rc)
		*touched_unit = 0;
	return rc;
}

int store_remove(struct store *st, uint64_t parent, const char *name,
		 size_t len, int dir, int64_t now, uint64_t *touched_unit)
{
	pthread_mutex_lock(&st->lock);
	int rc = remove_locked(st, parent, name, len, dir, now, touched_unit);
	if (rc == -ENOSPC) {   /* a delete must work on a full disk */
		fold_wal(st);
		rc = remove_locked(st, parent, name, len, dir, now, touched_unit);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* 1 if `anc` is `id` or one of its ancestors. */
static int is_ancestor(struct store *st, uint64_t anc, uint64_t id)
{
	for (int depth = 0; id && depth < 4096; depth++) {
		if (id == anc)
			return 1;
		struct store_node n;
		if (get_locked(st, id, &n))
			return 0;
		id = n.parent;
	}
	return 0;
}

static int rename_locked(struct store *st, uint64_t parent, const char *name,
			 size_t len, uint64_t newparent, const char *newname,
			 size_t newlen, int new_role, int noreplace,
			 int64_t now, uint64_t touched[2])
{
	touched[0] = touched[1] = 0;
	int rc = tx_begin(st);
	if (rc)
		return rc;
	struct store_node src, dst, np;
	int have_dst = 0;
	rc = lookup_locked(st, parent, name, len, &src);
	if (!rc)
		rc = get_locked(st, newparent, &np);
	if (!rc && np.kind != NODE_DIR)
		rc = -ENOTDIR;
	if (!rc && src.kind == NODE_DIR && is_ancestor(st, src.id, newparent))
		rc = -EINVAL;
	if (!rc) {
		int r = lookup_locked(st, newparent, newname, newlen, &dst);
		if (r == 0)
			have_dst = 1;
		else if (r != -ENOENT)
			rc = r;
	}
	if (!rc && have_dst && dst.id == src.id)
		return tx_end(st, 0);   /* same file: nothing to do */
	if (!rc && have_dst) {
		if (noreplace)
			rc = -EEXIST;
		else if (src.kind == NODE_DIR && dst.kind != NODE_DIR)
			rc = -ENOTDIR;
		else if (src.kind != NODE_DIR && dst.kind == NODE_DIR)
			rc = -EISDIR;
		else if (dst.kind == NODE_DIR && (rc = has_children(st, dst.id)) > 0)
			rc = -ENOTEMPTY;
		if (!rc)
			rc = delete_locked(st, dst.id);
	}
	if (!rc) {
		sqlite3_stmt *s = st->node_move;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)src.id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)newparent);
		sqlite3_bind_blob(s, 3, newname, (int)newlen, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, src.kind == NODE_DIR ? 0 : new_role);
		sqlite3_bind_int64(s, 5, now);
		rc = run(st, s);
	}
	if (!rc)
		rc = touch_dir(st, parent, now);
	if (!rc && newparent != parent)
		rc = touch_dir(st, newparent, now);
	int src_in = src.kind == NODE_FILE && src.complete && src.role > 0;
	int dst_in = (src.kind == NODE_FILE && src.complete && new_role > 0) ||
		     (have_dst && dst.kind == NODE_FILE && dst.complete && dst.role > 0);
	if (!rc && src_in) {
		rc = touch_unit(st, parent, now);
		touched[0] = parent;
	}
	if (!rc && dst_in) {
		rc = touch_unit(st, newparent, now);
		touched[1] = newparent;
	}
	rc = tx_end(st, rc);
	if (rc)
		touched[0] = touched[1] = 0;
	return rc;
}

int store_rename(struct store *st, uint64_t parent, const char *name,
		 size_t len, uint64_t newparent, const char *newname,
		 size_t newlen, int new_role, int noreplace, int64_t now,
		 uint64_t touched[2])
{
	pthread_mutex_lock(&st->lock);
	int rc = rename_locked(st, parent, name, len, newparent, newname,
			       newlen, new_role, noreplace, now, touched);
	if (rc == -ENOSPC) {
		fold_wal(st);
		rc = rename_locked(st, parent, name, len, newparent, newname,
				   newlen, new_role, noreplace, now, touched);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_list(struct store *st, uint64_t dir, store_list_fn fn, void *arg)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->dir_list;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)dir);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (fn(arg, (uint64_t)sqlite3_column_int64(s, 0),
		       sqlite3_column_blob(s, 1),
		       (size_t)sqlite3_column_bytes(s, 1),
		       sqlite3_column_int(s, 2)))
			break;
	}
	int err = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, s, rc);
	done(s);
	pthread_mutex_unlock(&st->lock);
	return err;
}

int store_unit_has_object(struct store *st, uint64_t dir)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->unit_any_obj;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)dir);
	int rc = sqlite3_step(s);
	done(s);
	int r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(st, s, rc);
	pthread_mutex_unlock(&st->lock);
	return r;
}

int store_unit_inputs(struct store *st, uint64_t dir, store_input_fn fn,
		      void *arg)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->unit_inputs;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)dir);
	int rc, err = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(s, 1) != STORE_HASH_LEN)
			continue;
		err = fn(arg, sqlite3_column_blob(s, 0),
			 (size_t)sqlite3_column_bytes(s, 0),
			 sqlite3_column_blob(s, 1), sqlite3_column_int(s, 2));
		if (err)
			break;
	}
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = fail(st, s, rc);
	done(s);
	pthread_mutex_unlock(&st->lock);
	return err;
}

int store_unit_get(struct store *st, uint64_t dir, int64_t *input_ns,
		   uint8_t key[STORE_HASH_LEN], int *has_key)
{
	*input_ns = 0;
	*has_key = 0;
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->unit_get;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)dir);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*input_ns = sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) == STORE_HASH_LEN) {
			memcpy(key, sqlite3_column_blob(s, 1), STORE_HASH_LEN);
			*has_key = 1;
		}
	}
	done(s);
	int err = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, s, rc);
	pthread_mutex_unlock(&st->lock);
	return err;
}

void stored_result_release(struct stored_result *r)
{
	free(r->log);
	free(r->output_name);
	for (int i = 0; i < STORE_NFILES; i++)
		free(r->files[i].data);
	memset(r, 0, sizeof *r);
}

static char *dup_col(sqlite3_stmt *s, int col, size_t *len)
{
	size_t n = (size_t)sqlite3_column_bytes(s, col);
	const void *p = sqlite3_column_blob(s, col);
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, p, n);
	d[n] = 0;
	if (len)
		*len = n;
	return d;
}

static int blob_locked(struct store *st, const void *hash, struct stored_file *f)
{
	sqlite3_stmt *s = st->blob_get;
	sqlite3_bind_blob(s, 1, hash, STORE_HASH_LEN, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s), err = 0;
	if (rc == SQLITE_ROW) {
		f->data = (uint8_t *)dup_col(s, 0, &f->len);
		if (!f->data)
			err = -ENOMEM;
	} else {
		err = rc == SQLITE_DONE ? -ENOENT : fail(st, s, rc);
	}
	done(s);
	return err;
}

int store_result_get(struct store *st, const uint8_t key[STORE_HASH_LEN],
		     struct stored_result *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	int err = tx_begin(st); /* one consistent snapshot of all rows */
	if (err)
		goto unlock;
	sqlite3_stmt *s = st->result_get;
	bind_hash(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->ok = sqlite3_column_int(s, 0);
		out->log = dup_col(s, 1, &out->log_len);
		out->output_name = dup_col(s, 2, NULL);
		if (!out->log || !out->output_name)
			err = -ENOMEM;
	} else {
		err = rc == SQLITE_DONE ? -ENOENT : fail(st, s, rc);
	}
	done(s);
	/* collect (idx, hash) first: blob_locked resets other statements */
	uint8_t hashes[STORE_NFILES][STORE_HASH_LEN];
	int have[STORE_NFILES] = { 0 };
	s = st->result_files;
	bind_hash(s, 1, key);
	while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int idx = sqlite3_column_int(s, 0);
		if (idx < 0 || idx >= STORE_NFILES ||
		    sqlite3_column_bytes(s, 1) != STORE_HASH_LEN)
			continue;
		memcpy(hashes[idx], sqlite3_column_blob(s, 1), STORE_HASH_LEN);
		have[idx] = 1;
	}
	done(s);
	for (int i = 0; !err && i < STORE_NFILES; i++)
		if (have[i])
			err = blob_locked(st, hashes[i], &out->files[i]);
	tx_end(st, -1); /* read only: roll back */
unlock:
	pthread_mutex_unlock(&st->lock);
	if (err)
		stored_result_release(out);
	return err;
}

static int result_put_locked(struct store *st, uint64_t dir,
			     const uint8_t key[STORE_HASH_LEN],
			     const struct stored_result *r,
			     uint8_t hashes[][STORE_HASH_LEN], int64_t now)
{
	int rc = tx_begin(st);
	if (rc)
		return rc;
	sqlite3_stmt *s = st->result_put;
	bind_hash(s, 1, key);
	sqlite3_bind_int(s, 2, r->ok);
	sqlite3_bind_blob64(s, 3, r->log ? r->log : "", r->log_len, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->output_name ? r->output_name : "a.out", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now);
	rc = run(st, s);
	for (int i = 0; !rc && i < STORE_NFILES; i++) {
		if (!r->ok)
			break;
		const uint8_t *h = hashes[i];
		const struct stored_file *f = &r->files[i];
		s = st->blob_put;
		bind_hash(s, 1, h);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)f->len);
		sqlite3_bind_blob64(s, 3, f->len ? (const void *)f->data : "",
				    f->len, SQLITE_STATIC);
		rc = run(st, s);
		if (rc)
			break;
		s = st->result_file_put;
		bind_hash(s, 1, key);
		sqlite3_bind_int(s, 2, i);
		bind_hash(s, 3, h);
		rc = run(st, s);
	}
	if (!rc) {
		s = st->unit_result;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)dir);
		bind_hash(s, 2, key);
		rc = run(st, s);
	}
	return tx_end(st, rc);
}

int store_result_put(struct store *st, uint64_t dir,
		     const uint8_t key[STORE_HASH_LEN],
		     const struct stored_result *r, int64_t now)
{
	uint64_t bytes = r->log_len;
	uint8_t hashes[STORE_NFILES][STORE_HASH_LEN];
	for (int i = 0; r->ok && i < STORE_NFILES; i++) {
		bytes += r->files[i].len;
		store_hash(r->files[i].data, r->files[i].len, hashes[i]);
	}
	pthread_mutex_lock(&st->lock);
	int rc = make_room(st, bytes);
	if (!rc) {
		rc = result_put_locked(st, dir, key, r, hashes, now);
		if (rc == -ENOSPC) {
			relieve(st);
			rc = result_put_locked(st, dir, key, r, hashes, now);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int set_result_locked(struct store *st, uint64_t dir,
			     const uint8_t key[STORE_HASH_LEN])
{
	sqlite3_stmt *s = st->unit_result;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)dir);
	bind_hash(s, 2, key);
	int rc = tx_begin(st);
	if (rc) {
		done(s);
		return rc;
	}
	return tx_end(st, run(st, s));
}

int store_unit_set_result(struct store *st, uint64_t dir,
			  const uint8_t key[STORE_HASH_LEN])
{
	pthread_mutex_lock(&st->lock);
	int rc = set_result_locked(st, dir, key);
	if (rc == -ENOSPC) {
		fold_wal(st);
		rc = set_result_locked(st, dir, key);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int gc_locked(struct store *st)
{
	static const char *const sql[] = {
		"DELETE FROM units WHERE dir NOT IN (SELECT id FROM nodes)",
		"DELETE FROM link_results WHERE key NOT IN "
		"(SELECT result_key FROM units WHERE result_key IS NOT NULL)",
		"DELETE FROM link_files WHERE key NOT IN (SELECT key FROM link_results)",
		"DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM nodes WHERE "
		"nodes.blob=blobs.hash) AND NOT EXISTS (SELECT 1 FROM link_files "
		"WHERE link_files.blob=blobs.hash)",
	};
	int rc = tx_begin(st), deleted = 0;
	for (size_t i = 0; !rc && i < sizeof sql / sizeof *sql; i++) {
		int r = sqlite3_exec(st->db, sql[i], NULL, NULL, NULL);
		if (r != SQLITE_OK)
			rc = fail_sql(st, sql[i], r);
		deleted = sqlite3_changes(st->db);
	}
	rc = tx_end(st, rc);
	return rc ? rc : deleted;
}

int store_gc(struct store *st)
{
	pthread_mutex_lock(&st->lock);
	int rc = gc_locked(st);
	if (rc == -ENOSPC) {
		fold_wal(st);
		rc = gc_locked(st);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_totals(struct store *st, uint64_t *nodes, uint64_t *bytes)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->totals;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*nodes = (uint64_t)sqlite3_column_int64(s, 0);
		*bytes = (uint64_t)sqlite3_column_int64(s, 1);
	}
	done(s);
	int err = rc == SQLITE_ROW ? 0 : fail(st, s, rc);
	pthread_mutex_unlock(&st->lock);
	return err;
}

int store_set_sync(struct store *st, int full)
{
	pthread_mutex_lock(&st->lock);
	int rc = exec(st, full ? "PRAGMA synchronous=FULL"
			       : "PRAGMA synchronous=NORMAL", NULL, 0);
	pthread_mutex_unlock(&st->lock);
	return rc ? -EIO : 0;
}

/* Syncs one of the connection's files (op: an SQLITE_FCNTL_*_POINTER). */
static int sync_file(struct store *st, int op)
{
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(st->db, "main", op, &f) != SQLITE_OK ||
	    !f || !f->pMethods)
		return SQLITE_OK;   /* not open yet: nothing written to sync */
	return f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
}

int store_sync(struct store *st)
{
	pthread_mutex_lock(&st->lock);
	int rc = sync_file(st, SQLITE_FCNTL_JOURNAL_POINTER);   /* the WAL */
	if (rc == SQLITE_OK)
		rc = sync_file(st, SQLITE_FCNTL_FILE_POINTER);
	pthread_mutex_unlock(&st->lock);
	return rc == SQLITE_OK ? 0 : rc == SQLITE_FULL ? -ENOSPC : -EIO;
}
