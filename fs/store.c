/*
 * store.c - the SQLite store: opening, migrations, the tree, link results,
 * and the checked helpers every query goes through (store_impl.h).
 *
 * Model: iSH fake-db.c (statements are named fields prepared from one
 * X-macro table, migrations indexed by PRAGMA user_version) and fossil db.c
 * (statements keep their SQL for error messages; bind, step, always reset;
 * BEGIN IMMEDIATE for writes). One connection per struct store, guarded
 * by its mutex; the keeper and the collector have connections of their own (store_open_more),
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
 * it would not fit, sq_make_room() folds the WAL into the database and
 * truncates it, collects garbage (sq_relieve), and counts the database's free
 * pages as reusable (a fold that came back busy is tried again a few
 * times); only then does the commit fail with ENOSPC, and the daemon's
 * log says why in figures. Small transactions (create, remove, rename,
 * attributes) live off the reserve; if one still gets SQLITE_FULL, the
 * WAL is folded and it runs once more.
 * Leaves out: contents, chunks and the collector's batches
 * (store_content.c), connection pools.
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

#include "store_impl.h"

extern const int schema_version;
extern const char *const schema_migrations[];

/* Bytes kept free on the store's filesystem for deletions, checkpoints
 * and collection (see the top of this file). */
#define STORE_RESERVE ((uint64_t)1 << 20)


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

/*
 * Errors. Every SQLite call on a path that changes the store is checked,
 * binding included, and its failure becomes the errno of the operation
 * (docs/store.md lists each call and what its failure becomes). The
 * connection reports extended result codes; rc & 0xff is the primary one.
 */

/* Maps an SQLite result to -errno, logging unexpected ones with the SQL. */
int sq_fail_sql(struct store *st, const char *sql, int rc)
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
	case SQLITE_TOOBIG:   /* a blob or row over SQLITE_LIMIT_LENGTH */
		return -EFBIG;
	case SQLITE_CONSTRAINT:
		/* a name taken (UNIQUE(parent,name)); any other constraint
		 * (NOT NULL, a trigger) is a real failure */
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return -EEXIST;
		/* fall through */
	default:
		fprintf(stderr, "linkfs: store error %d: %s (in '%s')\n", rc,
			sqlite3_errmsg(st->db), sql);
		return -EIO;
	}
}

int sq_fail(struct store *st, sqlite3_stmt *s, int rc)
{
	return sq_fail_sql(st, s ? sqlite3_sql(s) : "?", rc);
}

/*
 * Binding. Each helper does nothing once *err holds an error, and records
 * the first failure (SQLITE_TOOBIG: -EFBIG; SQLITE_NOMEM: -ENOMEM;
 * SQLITE_RANGE, SQLITE_MISUSE: -EIO, logged). So a statement's binds are
 * written in a row and checked once, by sq_run() or sq_step(), which never step
 * a statement whose binding failed: a failed bind leaves NULL in its
 * place, and the row written would not be the one asked for.
 */
void sq_bind_i64(struct store *st, sqlite3_stmt *s, int i, int64_t v,
		     int *err)
{
	int rc;
	if (!*err && (rc = sqlite3_bind_int64(s, i, (sqlite3_int64)v)) != SQLITE_OK)
		*err = sq_fail(st, s, rc);
}

void sq_bind_blob(struct store *st, sqlite3_stmt *s, int i, const void *p,
		      uint64_t n, int *err)
{
	int rc;
	if (!*err && (rc = sqlite3_bind_blob64(s, i, n ? p : "", n,
					       SQLITE_STATIC)) != SQLITE_OK)
		*err = sq_fail(st, s, rc);
}

void sq_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *t,
		      int *err)
{
	int rc;
	if (!*err && (rc = sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC)) != SQLITE_OK)
		*err = sq_fail(st, s, rc);
}

void sq_bind_hash(struct store *st, sqlite3_stmt *s, int i,
		      const uint8_t *h, int *err)
{
	sq_bind_blob(st, s, i, h, STORE_HASH_LEN, err);
}

/* Resets a statement after its last step and clears its bindings; a
 * reset error (the last step's, again) becomes err when err is 0.
 * sqlite3_clear_bindings cannot fail (it returns SQLITE_OK always). */
int sq_finish(struct store *st, sqlite3_stmt *s, int err)
{
	int rc = sqlite3_reset(s);
	(void)sqlite3_clear_bindings(s);
	if (!err && rc != SQLITE_OK)
		err = sq_fail(st, s, rc);
	return err;
}

/* Steps a statement that returns no rows (or whose rows are not read),
 * unless binding it failed (err), then finishes it. 0 or -errno. */
int sq_run(struct store *st, sqlite3_stmt *s, int err)
{
	if (!err) {
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			err = sq_fail(st, s, rc);
	}
	return sq_finish(st, s, err);
}

/* Steps a query for one row: 1 (a row: read it, then sq_finish()), 0 (no
 * row, finished), or -errno (finished). err is the binding's. */
int sq_step(struct store *st, sqlite3_stmt *s, int err)
{
	if (err)
		return sq_finish(st, s, err);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return sq_finish(st, s, 0);
	return sq_finish(st, s, sq_fail(st, s, rc));
}

int sq_tx_begin(struct store *st) { return sq_run(st, st->begin, 0); }

/* Rolls back; a failure is logged (the next BEGIN would then fail too). */
static void sq_tx_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(st->db))
		return;   /* SQLite already rolled back (SQLITE_FULL, IOERR) */
	int rc = sq_run(st, st->rollback, 0);
	if (rc)
		fprintf(stderr, "linkfs: cannot roll back: %s\n", strerror(-rc));
}

int sq_tx_end(struct store *st, int err)
{
	if (err) {
		sq_tx_rollback(st);
		return err;
	}
	int rc = sq_run(st, st->commit, 0);
	if (rc)
		sq_tx_rollback(st);
	return rc;
}

int sq_read_begin(struct store *st) { return sq_run(st, st->begin_read, 0); }

/* Ends a read transaction: a rollback (nothing was written) or, when
 * SQLite already ended it, nothing. Returns err. */
int sq_read_end(struct store *st, int err)
{
	sq_tx_rollback(st);
	return err;
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
	if (sqlite3_column_bytes(s, 10) == STORE_HASH_LEN) {
		memcpy(n->input, sqlite3_column_blob(s, 10), STORE_HASH_LEN);
		n->has_input = 1;
	}
	n->subdirs = (uint64_t)sqlite3_column_int64(s, 11);
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
	/* a new store gives freed pages back to the filesystem bit by bit
	 * (store_vacuum_step); the mode must be set before the first table */
	if (version == 0 &&
	    exec(st, "PRAGMA auto_vacuum=INCREMENTAL", err, errlen))
		return -1;
	if (exec(st, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	for (int v = version; v < schema_version; v++) {
		char sql[64];
		if (exec(st, schema_migrations[v], err, errlen))
			goto fail;
		/* schema 4 made the chunk tables; its contents move there
		 * before schema 5 counts references and drops `blobs` */
		if (v + 1 == 4 && sq_migrate_blobs(st, err, errlen))
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
int sq_fold_wal(struct store *st)
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

/*
 * Ownership. Whoever can write the store, its -wal or -shm file, or the
 * directory that holds them (and so replace them) decides what the daemon
 * serves and links. So each must belong to the daemon's user (the
 * directory may also be root's), be writable by no group and no other
 * user (a sticky bit is no excuse: another user could still plant a -wal
 * or -shm file before us), and the files must be regular files, never
 * symlinks. The directory is checked first: once it is ours alone, nobody
 * else can swap the files between these checks and SQLite's opens.
 */

static const char *kind_name(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device" :
	       S_ISSOCK(m) ? "a socket" : S_ISLNK(m) ? "a symbolic link" :
	       "not a regular file";
}

/* -1 with a message unless sb (of p, a "file" or "directory") belongs to
 * the daemon's user (or, for a directory, root) and no one else can
 * write it. */
static int check_owner(const char *what, const char *p, const struct stat *sb,
		       int root_ok, char *err, size_t errlen)
{
	uid_t me = geteuid();
	if (sb->st_uid != me && !(root_ok && sb->st_uid == 0)) {
		snprintf(err, errlen, "store %s '%s' belongs to uid %u, not to the "
			 "mounting user (uid %u): refusing it", what, p,
			 (unsigned)sb->st_uid, (unsigned)me);
		return -1;
	}
	if (sb->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "store %s '%s' is writable by %s (mode %04o): "
			 "refusing it (chmod go-w)", what, p,
			 (sb->st_mode & S_IWOTH) ? "other users" : "its group",
			 (unsigned)(sb->st_mode & 07777));
		return -1;
	}
	return 0;
}

/* The store's directory: a directory, ours (or root's), not writable by
 * others. */
static int check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat sb;
	if (stat(dir, &sb)) {
		snprintf(err, errlen, "cannot use store directory '%s': %s", dir,
			 strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "store directory '%s' is not a directory", dir);
		return -1;
	}
	return check_owner("directory", dir, &sb, 1, err, errlen);
}

/* path+suffix (the store, its -wal or -shm): absent, or a regular file of
 * ours that no one else can write. -1 with a message otherwise. */
static int check_file(const char *path, const char *suffix, char *err,
		      size_t errlen)
{
	char p[4096];
	struct stat sb;
	if (snprintf(p, sizeof p, "%s%s", path, suffix) >= (int)sizeof p) {
		snprintf(err, errlen, "store path '%s' is too long", path);
		return -1;
	}
	if (lstat(p, &sb)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot use store file '%s': %s", p,
			 strerror(errno));
		return -1;
	}
	if (S_ISLNK(sb.st_mode)) {
		/* one planted there would make us write wherever it points */
		snprintf(err, errlen, "store %s'%s' is a symbolic link: refusing "
			 "to open it through a link", *suffix ? "file " : "", p);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "store %s'%s' is not a regular file (%s): "
			 "refusing it", *suffix ? "file " : "", p,
			 kind_name(sb.st_mode));
		return -1;
	}
	return check_owner("file", p, &sb, 0, err, errlen);
}

/* Removes a store this open created and could not use (and the -wal and
 * -shm files SQLite may have made for it), so a failed mount leaves
 * nothing behind. */
static void remove_created(const char *path)
{
	char p[4200];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* The store's largest blob or row: SQLITE_LIMIT_LENGTH (1,000,000,000 by
 * default). LINKFS_TEST_LIMIT_LENGTH lowers it (tests only: a few MiB
 * prove what a 1 GB file would). */
static int set_limit(struct store *st, char *err, size_t errlen)
{
	const char *v = getenv("LINKFS_TEST_LIMIT_LENGTH");
	if (v && *v) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end || n <= 0 || n > 0x7fffffff) {
			snprintf(err, errlen, "bad LINKFS_TEST_LIMIT_LENGTH '%s'", v);
			return -1;
		}
		sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, (int)n);
	}
	return 0;
}

/* Runs a one-row, one-column integer query; 0 or -1. */
int sq_pragma_u64(struct store *st, const char *sql, uint64_t *out)
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
	int created = 0;   /* this open made the file: remove it on failure */
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&st->lock, NULL);
	if (store_paths(st, path)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* the directory first, then the files (see check_dir) */
	if (check_dir(st->dir, err, errlen) ||
	    check_file(path, "", err, errlen) ||
	    check_file(path, "-wal", err, errlen) ||
	    check_file(path, "-shm", err, errlen))
		goto fail;
	/* create the file ourselves so it is 0600 (SQLite's -wal and -shm
	 * files copy its mode). Only before the first connection: closing
	 * any descriptor of the file drops every POSIX lock this process
	 * holds on it, the open connection's too, and then another process
	 * closing the store would take the WAL away from under it. */
	if (primary) {
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
			      O_CLOEXEC, 0600);
		created = fd >= 0;
		if (fd < 0 && errno == EEXIST)
			fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ELOOP)  /* lost a race with a planted symlink */
				snprintf(err, errlen, "store '%s' is a symbolic link: "
					 "refusing to open it through a link", path);
			else
				snprintf(err, errlen, "cannot open store '%s': %s",
					 path, strerror(errno));
			goto fail;
		}
		/* what was opened is what counts */
		struct stat sb;
		int bad = fstat(fd, &sb);
		if (bad)
			snprintf(err, errlen, "cannot use store '%s': %s", path,
				 strerror(errno));
		else if ((bad = !S_ISREG(sb.st_mode)))
			snprintf(err, errlen, "store '%s' is not a regular file "
				 "(%s): refusing it", path, kind_name(sb.st_mode));
		else
			bad = check_owner("file", path, &sb, 0, err, errlen);
		close(fd);
		if (bad)
			goto fail;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
		    SQLITE_OPEN_FULLMUTEX;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open store '%s': %s", path,
			 st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	if (sqlite3_extended_result_codes(st->db, 1) != SQLITE_OK ||
	    sqlite3_busy_timeout(st->db, 5000) != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure store '%s': %s", path,
			 sqlite3_errmsg(st->db));
		goto fail;
	}
	if (set_limit(st, err, errlen))
		goto fail;
	char e[256] = "";
	if (exec(st, "PRAGMA journal_mode=WAL", e, sizeof e) ||
	    exec(st, "PRAGMA synchronous=NORMAL", e, sizeof e) ||
	    /* Debian builds SQLite with secure_delete on: every freed page
	     * would be zeroed through the WAL, so deleting a file would cost
	     * its size again, and fail on a full disk. FAST zeroes only what
	     * costs no extra I/O; the store is private (0600) anyway. */
	    exec(st, "PRAGMA secure_delete=FAST", e, sizeof e) ||
	    exec(st, "PRAGMA foreign_keys=OFF", e, sizeof e) ||
	    /* a checkpoint leaves the WAL at most this long: without it a
	     * WAL keeps the size of the biggest burst between checkpoints */
	    exec(st, "PRAGMA journal_size_limit=4194304", e, sizeof e)) {
		snprintf(err, errlen, "cannot configure store '%s': %s", path, e);
		goto fail;
	}
	if (sq_pragma_u64(st, "PRAGMA page_size", &st->page_size)) {
		snprintf(err, errlen, "cannot read the page size of store '%s': %s",
			 path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (primary && migrate(st, e, sizeof e)) {
		snprintf(err, errlen, "cannot use store '%s': %s", path, e);
		goto fail;
	}
	/* a store made before schema 5 gives freed pages back too, after
	 * one VACUUM that rewrites it (once, at this open) */
	uint64_t av = 0;
	if (primary && !sq_pragma_u64(st, "PRAGMA auto_vacuum", &av) && av != 2 &&
	    (exec(st, "PRAGMA auto_vacuum=INCREMENTAL", e, sizeof e) ||
	     exec(st, "VACUUM", e, sizeof e))) {
		snprintf(err, errlen, "cannot convert store '%s' to incremental "
			 "vacuum: %s", path, e);
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
	static const char clean[] = "DELETE FROM nodes WHERE complete=0; "
		"DELETE FROM staged";
	if (primary && exec(st, clean, e, sizeof e) &&
	    (sq_fold_wal(st), exec(st, clean, e, sizeof e))) {
		snprintf(err, errlen, "cannot clean store '%s': %s", path, e);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	if (created)
		remove_created(path);
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

int sq_get_locked(struct store *st, uint64_t id, struct store_node *out)
{
	sqlite3_stmt *s = st->node_get;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)id, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		read_node(s, out);
		return sq_finish(st, s, 0);
	}
	return rc ? rc : -ENOENT;
}

static int lookup_locked(struct store *st, uint64_t parent, const char *name,
			 size_t len, struct store_node *out)
{
	sqlite3_stmt *s = st->node_lookup;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)parent, &err);
	sq_bind_blob(st, s, 2, name, len, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		read_node(s, out);
		return sq_finish(st, s, 0);
	}
	return rc ? rc : -ENOENT;
}

int sq_touch_unit(struct store *st, uint64_t dir, int64_t now)
{
	int err = 0;
	sq_bind_i64(st, st->unit_touch, 1, (int64_t)dir, &err);
	sq_bind_i64(st, st->unit_touch, 2, now, &err);
	return sq_run(st, st->unit_touch, err);
}

static int touch_dir(struct store *st, uint64_t dir, int64_t now)
{
	int err = 0;
	sq_bind_i64(st, st->dir_touch, 1, (int64_t)dir, &err);
	sq_bind_i64(st, st->dir_touch, 2, now, &err);
	return sq_run(st, st->dir_touch, err);
}

static int delete_locked(struct store *st, uint64_t id)
{
	int err = 0;
	sq_bind_i64(st, st->node_delete, 1, (int64_t)id, &err);
	int rc = sq_run(st, st->node_delete, err);
	if (!rc) {
		sq_bind_i64(st, st->unit_delete, 1, (int64_t)id, &err);
		rc = sq_run(st, st->unit_delete, err);
	}
	if (!rc) {   /* a directory's generations go with it */
		sq_bind_i64(st, st->hist_drop_dir, 1, (int64_t)id, &err);
		rc = sq_run(st, st->hist_drop_dir, err);
	}
	return rc;
}

/* 1 if dir has children, 0 if not, or -errno. */
static int has_children(struct store *st, uint64_t dir)
{
	sqlite3_stmt *s = st->dir_any;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		int e = sq_finish(st, s, 0);
		rc = e ? e : 1;
	}
	return rc;
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

static int sq_gc_locked(struct store *st);

/* The collector's batches a commit short of room runs itself (each frees
 * up to 32 chunks of up to 1 MiB). */
enum { RELIEVE_BATCHES = 64 };

/* Folds the WAL, collects unreferenced blobs and results, folds again.
 * Returns the last fold's SQLite code. */
int sq_relieve(struct store *st)
{
	sq_fold_wal(st);
	sq_gc_locked(st);
	/* only with the pins known: a content a handle reads must stay */
	if (st->pins.has)
		sq_collect_locked(st, RELIEVE_BATCHES);
	return sq_fold_wal(st);
}

/* Bytes that committing `cost` bytes of WAL needs free now, given the
 * database's free pages (they take the content at the checkpoint without
 * growing the file) and the WAL already written. */
static uint64_t room_needed(struct store *st, uint64_t cost, uint64_t *wal,
			    uint64_t *reuse)
{
	uint64_t freelist = 0;
	sq_pragma_u64(st, "PRAGMA freelist_count", &freelist);
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
int sq_make_room(struct store *st, uint64_t bytes)
{
	uint64_t cost = content_cost(bytes), avail = fs_free(st);
	if (avail == UINT64_MAX ||
	    avail >= 2 * cost + STORE_RESERVE + wal_bytes(st))
		return 0;
	int fold = sq_relieve(st);
	uint64_t wal, reuse, need = room_needed(st, cost, &wal, &reuse);
	avail = fs_free(st);
	for (int i = 1; i < FOLD_TRIES && (fold & 0xff) == SQLITE_BUSY &&
			avail != UINT64_MAX && avail < need; i++) {
		nanosleep(&(struct timespec){ 0, FOLD_WAIT_MS * 1000000L }, NULL);
		fold = sq_fold_wal(st);
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
	int rc = sq_get_locked(st, id, out);
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
	int rc = sq_tx_begin(st);
	if (rc)
		return rc;
	struct store_node p;
	rc = sq_get_locked(st, parent, &p);
	if (!rc && p.kind != NODE_DIR)
		rc = -ENOTDIR;
	if (!rc) {
		sqlite3_stmt *s = st->node_insert;
		int err = 0;
		sq_bind_i64(st, s, 1, (int64_t)parent, &err);
		sq_bind_blob(st, s, 2, name, len, &err);
		sq_bind_i64(st, s, 3, kind, &err);
		sq_bind_i64(st, s, 4, mode, &err);
		sq_bind_i64(st, s, 5, now, &err);
		sq_bind_i64(st, s, 6, complete, &err);
		sq_bind_i64(st, s, 7, role, &err);
		rc = sq_run(st, s, err);
	}
	if (!rc)
		rc = touch_dir(st, parent, now);
	if (!rc)
		rc = sq_get_locked(st, (uint64_t)sqlite3_last_insert_rowid(st->db), out);
	return sq_tx_end(st, rc);
}

int store_create(struct store *st, uint64_t parent, const char *name,
		 size_t len, int kind, uint32_t mode, int role, int complete,
		 int64_t now, struct store_node *out)
{
	pthread_mutex_lock(&st->lock);
	int rc = create_locked(st, parent, name, len, kind, mode, role,
			       complete, now, out);
	if (rc == -ENOSPC) {
		sq_fold_wal(st);
		rc = create_locked(st, parent, name, len, kind, mode, role,
				   complete, now, out);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int update_locked(struct store *st, sqlite3_stmt *s, uint64_t id,
			 int64_t a, int64_t b)
{
	int rc = sq_tx_begin(st);
	if (rc)
		return rc;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)id, &err);
	sq_bind_i64(st, s, 2, a, &err);
	sq_bind_i64(st, s, 3, b, &err);
	rc = sq_run(st, s, err);
	if (!rc && sqlite3_changes(st->db) == 0)
		rc = -ENOENT;
	return sq_tx_end(st, rc);
}

static int update_one(struct store *st, sqlite3_stmt *s, uint64_t id,
		      int64_t a, int64_t b)
{
	pthread_mutex_lock(&st->lock);
	int rc = update_locked(st, s, id, a, b);
	if (rc == -ENOSPC) {
		sq_fold_wal(st);
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
	int rc = sq_tx_begin(st);
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
		rc = sq_touch_unit(st, parent, now);
		*touched_unit = parent;
	}
	rc = sq_tx_end(st, rc);
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
		sq_fold_wal(st);
		rc = remove_locked(st, parent, name, len, dir, now, touched_unit);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* 1 if `anc` is `id` or one of its ancestors, 0 if not, or -errno (a
 * failed read, or a chain deeper than any tree here: -ELOOP), so that a
 * failure never lets a directory move under itself. */
static int is_ancestor(struct store *st, uint64_t anc, uint64_t id)
{
	for (int depth = 0; id && depth < 65536; depth++) {
		if (id == anc)
			return 1;
		struct store_node n;
		int rc = sq_get_locked(st, id, &n);
		if (rc)
			return rc == -ENOENT ? 0 : rc;
		id = n.parent;
	}
	return id ? -ELOOP : 0;
}

static int rename_locked(struct store *st, uint64_t parent, const char *name,
			 size_t len, uint64_t newparent, const char *newname,
			 size_t newlen, int new_role, int noreplace,
			 int64_t now, uint64_t touched[2])
{
	touched[0] = touched[1] = 0;
	int rc = sq_tx_begin(st);
	if (rc)
		return rc;
	struct store_node src, dst, np;
	int have_dst = 0;
	rc = lookup_locked(st, parent, name, len, &src);
	if (!rc)
		rc = sq_get_locked(st, newparent, &np);
	if (!rc && np.kind != NODE_DIR)
		rc = -ENOTDIR;
	if (!rc && src.kind == NODE_DIR) {
		rc = is_ancestor(st, src.id, newparent);
		if (rc > 0)
			rc = -EINVAL;
	}
	if (!rc) {
		int r = lookup_locked(st, newparent, newname, newlen, &dst);
		if (r == 0)
			have_dst = 1;
		else if (r != -ENOENT)
			rc = r;
	}
	if (!rc && have_dst && dst.id == src.id)
		return sq_tx_end(st, 0);   /* same file: nothing to do */
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
		int err = 0;
		sq_bind_i64(st, s, 1, (int64_t)src.id, &err);
		sq_bind_i64(st, s, 2, (int64_t)newparent, &err);
		sq_bind_blob(st, s, 3, newname, newlen, &err);
		sq_bind_i64(st, s, 4, src.kind == NODE_DIR ? 0 : new_role, &err);
		sq_bind_i64(st, s, 5, now, &err);
		rc = sq_run(st, s, err);
	}
	if (!rc)
		rc = touch_dir(st, parent, now);
	if (!rc && newparent != parent)
		rc = touch_dir(st, newparent, now);
	int src_in = src.kind == NODE_FILE && src.complete && src.role > 0;
	int dst_in = (src.kind == NODE_FILE && src.complete && new_role > 0) ||
		     (have_dst && dst.kind == NODE_FILE && dst.complete && dst.role > 0);
	if (!rc && src_in) {
		rc = sq_touch_unit(st, parent, now);
		touched[0] = parent;
	}
	if (!rc && dst_in) {
		rc = sq_touch_unit(st, newparent, now);
		touched[1] = newparent;
	}
	rc = sq_tx_end(st, rc);
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
		sq_fold_wal(st);
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
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	while (rc == 1) {
		if (fn(arg, (uint64_t)sqlite3_column_int64(s, 0),
		       sqlite3_column_blob(s, 1),
		       (size_t)sqlite3_column_bytes(s, 1),
		       sqlite3_column_int(s, 2))) {
			rc = sq_finish(st, s, 0);
			break;
		}
		rc = sq_step(st, s, 0);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_name(struct store *st, uint64_t id, uint64_t *parent, char *name,
	       size_t cap, size_t *len)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->node_name;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)id, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		*parent = (uint64_t)sqlite3_column_int64(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 1);
		const void *p = sqlite3_column_blob(s, 1);
		if (n >= cap)
			n = cap - 1;
		if (n && p)
			memcpy(name, p, n);
		name[n] = 0;
		*len = n;
		rc = sq_finish(st, s, 0);
	} else if (rc == 0) {
		rc = -ENOENT;
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_unit_has_object(struct store *st, uint64_t dir)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->unit_any_obj;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		int e = sq_finish(st, s, 0);
		rc = e ? e : 1;
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_unit_inputs(struct store *st, uint64_t dir, store_input_fn fn,
		      void *arg)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->unit_inputs;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	while (rc == 1) {
		if (sqlite3_column_bytes(s, 1) == STORE_HASH_LEN) {
			int e = fn(arg, sqlite3_column_blob(s, 0),
				   (size_t)sqlite3_column_bytes(s, 0),
				   sqlite3_column_blob(s, 1),
				   sqlite3_column_int(s, 2));
			if (e) {
				sq_finish(st, s, 0);
				rc = e;
				break;
			}
		}
		rc = sq_step(st, s, 0);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_unit_pending(struct store *st, uint64_t dir, store_pending_fn fn,
		       void *arg)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->unit_pending;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	while (rc == 1) {
		int e = fn(arg, sqlite3_column_blob(s, 0),
			   (size_t)sqlite3_column_bytes(s, 0),
			   (uint64_t)sqlite3_column_int64(s, 1),
			   sqlite3_column_int(s, 2),
			   sqlite3_column_int64(s, 3));
		if (e) {
			sq_finish(st, s, 0);
			rc = e;
			break;
		}
		rc = sq_step(st, s, 0);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_unit_get(struct store *st, uint64_t dir, int64_t *input_ns,
		   uint8_t key[STORE_HASH_LEN], int *has_key)
{
	*input_ns = 0;
	*has_key = 0;
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->unit_get;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		*input_ns = sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) == STORE_HASH_LEN) {
			memcpy(key, sqlite3_column_blob(s, 1), STORE_HASH_LEN);
			*has_key = 1;
		}
		rc = sq_finish(st, s, 0);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void stored_result_release(struct stored_result *r)
{
	free(r->log);
	free(r->output_name);
	for (int i = 0; i < STORE_NFILES; i++)
		free(r->files[i].data);
	memset(r, 0, sizeof *r);
}

/* A malloc'd, NUL-terminated copy of a column; NULL when out of memory
 * (here or in SQLite). */
static char *dup_col(sqlite3_stmt *s, int col, size_t *len)
{
	size_t n = (size_t)sqlite3_column_bytes(s, col);
	const void *p = sqlite3_column_blob(s, col);
	if (n && !p)
		return NULL;
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

int store_result_get(struct store *st, const uint8_t key[STORE_HASH_LEN],
		     struct stored_result *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	int err = sq_tx_begin(st); /* one consistent snapshot of all rows */
	if (err)
		goto unlock;
	sqlite3_stmt *s = st->result_get;
	sq_bind_hash(st, s, 1, key, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		out->ok = sqlite3_column_int(s, 0);
		out->log = dup_col(s, 1, &out->log_len);
		out->output_name = dup_col(s, 2, NULL);
		err = sq_finish(st, s, !out->log || !out->output_name ? -ENOMEM : 0);
	} else {
		err = rc ? rc : -ENOENT;
	}
	/* collect (idx, hash) first: reading a content resets other
	 * statements */
	uint8_t hashes[STORE_NFILES][STORE_HASH_LEN];
	int have[STORE_NFILES] = { 0 };
	if (!err) {
		s = st->result_files;
		sq_bind_hash(st, s, 1, key, &err);
		rc = sq_step(st, s, err);
		while (rc == 1) {
			int idx = sqlite3_column_int(s, 0);
			if (idx >= 0 && idx < STORE_NFILES &&
			    sqlite3_column_bytes(s, 1) == STORE_HASH_LEN) {
				memcpy(hashes[idx], sqlite3_column_blob(s, 1),
				       STORE_HASH_LEN);
				have[idx] = 1;
			}
			rc = sq_step(st, s, 0);
		}
		err = rc;
	}
	for (int i = 0; !err && i < STORE_NFILES; i++)
		if (have[i])
			err = sq_content_read_locked(st, hashes[i],
						     &out->files[i].data,
						     &out->files[i].len);
	sq_tx_end(st, -1); /* read only: roll back */
unlock:
	pthread_mutex_unlock(&st->lock);
	if (err)
		stored_result_release(out);
	return err;
}

/* A kept link's files as contents: each file's chunk list and id. */
struct result_contents {
	struct store_chunks c[STORE_NFILES];
	uint8_t id[STORE_NFILES][STORE_HASH_LEN];
	uint64_t token;   /* the chunks of files over one chunk are staged */
};

static int result_put_locked(struct store *st, uint64_t dir,
			     const uint8_t key[STORE_HASH_LEN],
			     const struct stored_result *r,
			     const struct result_contents *rc_, int64_t now,
			     uint64_t *gen)
{
	*gen = 0;
	int rc = sq_tx_begin(st);
	if (rc)
		return rc;
	sqlite3_stmt *s = st->result_put;
	int err = 0;
	sq_bind_hash(st, s, 1, key, &err);
	sq_bind_i64(st, s, 2, r->ok, &err);
	sq_bind_blob(st, s, 3, r->log, r->log_len, &err);
	sq_bind_text(st, s, 4, r->output_name ? r->output_name : "a.out", &err);
	sq_bind_i64(st, s, 5, now, &err);
	rc = sq_run(st, s, err);
	for (int i = 0; !rc && r->ok && i < STORE_NFILES; i++) {
		const struct stored_file *f = &r->files[i];
		const struct store_chunks *c = &rc_->c[i];
		if (c->n == 1)
			rc = sq_chunk_put_locked(st, c->hash[0], f->data, f->len);
		if (!rc)
			rc = sq_content_put_locked(st, rc_->id[i], c);
		if (rc)
			break;
		s = st->result_file_put;
		sq_bind_hash(st, s, 1, key, &err);
		sq_bind_i64(st, s, 2, i, &err);
		sq_bind_hash(st, s, 3, rc_->id[i], &err);
		rc = sq_run(st, s, err);
	}
	if (!rc) {
		s = st->unit_result;
		sq_bind_i64(st, s, 1, (int64_t)dir, &err);
		sq_bind_hash(st, s, 2, key, &err);
		rc = sq_run(st, s, err);
	}
	if (!rc)
		rc = sq_history_add_locked(st, dir, key, r->ok, r->history, now,
					   gen);
	if (!rc) {
		sq_bind_i64(st, st->stage_drop, 1, (int64_t)rc_->token, &err);
		rc = sq_run(st, st->stage_drop, err);
	}
	rc = sq_tx_end(st, rc);
	if (rc)
		*gen = 0;
	return rc;
}

int store_result_put(struct store *st, uint64_t dir,
		     const uint8_t key[STORE_HASH_LEN],
		     const struct stored_result *r, int64_t now, uint64_t *gen)
{
	*gen = 0;
	struct result_contents *x = calloc(1, sizeof *x);
	if (!x)
		return -ENOMEM;
	x->token = store_new_token();
	uint64_t bytes = r->log_len;
	int rc = 0;
	for (int i = 0; !rc && r->ok && i < STORE_NFILES; i++) {
		const struct stored_file *f = &r->files[i];
		struct store_chunks *c = &x->c[i];
		rc = store_chunks_of(c, f->data, f->len);
		/* a file of one chunk goes in the final transaction */
		for (size_t k = 0; !rc && c->n > 1 && k < c->n; k++)
			rc = store_chunk_stage(st, x->token, c->hash[k],
					       f->data + k * STORE_CHUNK,
					       store_chunk_len(f->len, k));
		if (!rc)
			rc = store_content_id(c, x->id[i]);
		if (c->n == 1)
			bytes += f->len;
	}
	if (!rc) {
		pthread_mutex_lock(&st->lock);
		rc = sq_make_room(st, bytes);
		if (!rc) {
			rc = result_put_locked(st, dir, key, r, x, now, gen);
			if (rc == -ENOSPC) {
				sq_relieve(st);
				rc = result_put_locked(st, dir, key, r, x, now, gen);
			}
		}
		pthread_mutex_unlock(&st->lock);
	}
	if (rc)
		(void)store_unstage(st, x->token);
	for (int i = 0; i < STORE_NFILES; i++)
		store_chunks_free(&x->c[i]);
	free(x);
	return rc;
}

static int set_result_locked(struct store *st, uint64_t dir,
			     const uint8_t key[STORE_HASH_LEN])
{
	int rc = sq_tx_begin(st);
	if (rc)
		return rc;
	sqlite3_stmt *s = st->unit_result;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	sq_bind_hash(st, s, 2, key, &err);
	return sq_tx_end(st, sq_run(st, s, err));
}

int store_unit_set_result(struct store *st, uint64_t dir,
			  const uint8_t key[STORE_HASH_LEN])
{
	pthread_mutex_lock(&st->lock);
	int rc = set_result_locked(st, dir, key);
	if (rc == -ENOSPC) {
		sq_fold_wal(st);
		rc = set_result_locked(st, dir, key);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int sq_gc_locked(struct store *st)
{
	static const char *const sql[] = {
		"DELETE FROM units WHERE dir NOT IN (SELECT id FROM nodes)",
		"DELETE FROM history WHERE dir NOT IN (SELECT id FROM nodes)",
		"DELETE FROM link_results WHERE key NOT IN "
		"(SELECT result_key FROM units WHERE result_key IS NOT NULL) "
		"AND key NOT IN (SELECT key FROM history)",
		"DELETE FROM link_files WHERE key NOT IN (SELECT key FROM link_results)",
	};
	int rc = sq_tx_begin(st), deleted = 0;
	for (size_t i = 0; !rc && i < sizeof sql / sizeof *sql; i++) {
		int r = sqlite3_exec(st->db, sql[i], NULL, NULL, NULL);
		if (r != SQLITE_OK)
			rc = sq_fail_sql(st, sql[i], r);
		deleted = sqlite3_changes(st->db);
	}
	rc = sq_tx_end(st, rc);
	return rc ? rc : deleted;
}

int store_gc(struct store *st)
{
	pthread_mutex_lock(&st->lock);
	int rc = sq_gc_locked(st);
	if (rc == -ENOSPC) {
		sq_fold_wal(st);
		rc = sq_gc_locked(st);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_totals(struct store *st, uint64_t *nodes, uint64_t *bytes)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->totals;
	int rc = sq_step(st, s, 0);
	if (rc == 1) {
		*nodes = (uint64_t)sqlite3_column_int64(s, 0);
		*bytes = (uint64_t)sqlite3_column_int64(s, 1);
		rc = sq_finish(st, s, 0);
	} else if (rc == 0) {
		rc = -EIO;   /* an aggregate always has a row */
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
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
	return rc == SQLITE_OK ? 0 : (rc & 0xff) == SQLITE_FULL ? -ENOSPC : -EIO;
}
