/*
 * test_store_chunks.c - the store's chunked contents without a mount
 * (issue 20, items 2, 3 and 4): commits of every size class read back,
 * identical contents stored once, the collector's work and its pins,
 * staged chunks, the reference counts the triggers keep, incremental
 * vacuum, and the migration of a schema-3 store (one blob row per file)
 * into chunks.
 * Run with the schema directory as argv[1] (the migration part reads
 * 001-003 from there to build an old store). Leaves out: FUSE (the
 * store-* and fs-* mount tests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "store.h"

/* One integer `sql` gives on the store at path (-1 on error). */
static long long q(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

/* Every reference count equals what refers to it (0 when so). */
static long long bad_refs(const char *path)
{
	return q(path, "SELECT (SELECT count(*) FROM contents c WHERE refs != "
		 "(SELECT count(*) FROM nodes WHERE blob=c.hash)+"
		 "(SELECT count(*) FROM nodes WHERE input=c.hash)+"
		 "(SELECT count(*) FROM link_files WHERE blob=c.hash))+"
		 "(SELECT count(*) FROM chunks k WHERE refs != "
		 "(SELECT count(*) FROM content_chunks WHERE chunk=k.hash)+"
		 "(SELECT count(*) FROM staged WHERE chunk=k.hash))");
}

/* n bytes that repeat nowhere (xorshift), so no two chunks are alike. */
static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *p = malloc(n ? n : 1);
	uint64_t x = 0x9e3779b97f4a7c15ull ^ seed;
	for (size_t i = 0; p && i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
	return p;
}

/* 1 if file id holds exactly data[0..len), as its content and input. */
static int holds(struct store *st, uint64_t id, const uint8_t *data, size_t len)
{
	struct store_node n;
	uint8_t *got;
	size_t glen;
	if (store_get(st, id, &n) || !n.has_blob || n.size != len ||
	    store_read_blob(st, n.hash, &got, &glen))
		return 0;
	int same = glen == len && (!len || !memcmp(got, data, len));
	free(got);
	return same;
}

static const uint8_t *pinned_id;
static void nolock(void *arg) { (void)arg; }
static int is_pinned(void *arg, const uint8_t id[STORE_HASH_LEN])
{
	(void)arg;
	return pinned_id && !memcmp(pinned_id, id, STORE_HASH_LEN);
}

/* Collects until nothing is left; returns the rows deleted. */
static int collect_all(struct store *st)
{
	int total = 0, n;
	while ((n = store_collect(st)) > 0)
		total += n;
	return n < 0 ? n : total;
}

static int run_sql_file(sqlite3 *db, const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	return sqlite3_exec(db, buf, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* A store as schema 3 left it: files as blob rows. */
static void migration(const char *dir, const char *schema)
{
	char path[512], err[512];
	snprintf(path, sizeof path, "%s/old.db", dir);
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK, "open the old store");
	CHECK(run_sql_file(db, schema, "001_init.sql") == 0 &&
	      run_sql_file(db, schema, "002_inputs_index.sql") == 0 &&
	      run_sql_file(db, schema, "003_subdirs_index.sql") == 0,
	      "schema 1-3 from %s", schema);
	/* two chunks, and under the lowered row limit, which SQLite
	 * applies to reading the old row too */
	size_t big = STORE_CHUNK + 12345;
	uint8_t *data = pattern(big, 7), h[STORE_HASH_LEN], h2[STORE_HASH_LEN];
	store_hash(data, big, h);
	store_hash("tiny", 4, h2);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "INSERT INTO blobs(hash,size,data) VALUES(?1,?2,?3)",
			   -1, &s, NULL);
	sqlite3_bind_blob(s, 1, h, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)big);
	sqlite3_bind_blob(s, 3, data, (int)big, SQLITE_STATIC);
	CHECK(sqlite3_step(s) == SQLITE_DONE, "old blob");
	sqlite3_reset(s);
	sqlite3_bind_blob(s, 1, h2, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, 4);
	sqlite3_bind_blob(s, 3, "tiny", 4, SQLITE_STATIC);
	CHECK(sqlite3_step(s) == SQLITE_DONE, "old small blob");
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db, "INSERT INTO nodes(parent,name,kind,mode,mtime_ns,"
			   "ctime_ns,size,blob,complete,role) "
			   "VALUES(1,?1,0,420,1,1,?2,?3,1,1)", -1, &s, NULL);
	sqlite3_bind_blob(s, 1, "x.o", 3, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)big);
	sqlite3_bind_blob(s, 3, h, STORE_HASH_LEN, SQLITE_STATIC);
	CHECK(sqlite3_step(s) == SQLITE_DONE, "old node");
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db, "INSERT INTO link_files(key,idx,blob) "
			   "VALUES(x'00',0,?1)", -1, &s, NULL);
	sqlite3_bind_blob(s, 1, h2, STORE_HASH_LEN, SQLITE_STATIC);
	CHECK(sqlite3_step(s) == SQLITE_DONE, "old link file");
	sqlite3_finalize(s);
	sqlite3_exec(db, "PRAGMA user_version = 3", NULL, NULL, NULL);
	sqlite3_close(db);

	struct store *st;
	CHECK(store_open(path, &st, err, sizeof err) == 0, "migrate: %s", err);
	if (failures) {
		free(data);
		return;
	}
	struct store_node n;
	CHECK(store_lookup(st, 1, "x.o", 3, &n) == 0, "x.o after the migration");
	CHECK(n.has_input && !memcmp(n.input, h, STORE_HASH_LEN),
	      "x.o's link input is its old content");
	CHECK(holds(st, n.id, data, big), "x.o reads back after the migration");
	uint64_t touched;
	CHECK(store_remove(st, 1, "x.o", 3, 0, 5, &touched) == 0, "remove x.o");
	CHECK(collect_all(st) > 0, "the removed file's content is collected");
	store_close(st);
	CHECK(q(path, "SELECT count(*) FROM sqlite_master WHERE name='blobs'") == 0,
	      "the blobs table is gone");
	CHECK(q(path, "SELECT count(*) FROM contents") == 1,
	      "the link file's content is kept, x.o's went: %lld contents",
	      q(path, "SELECT count(*) FROM contents"));
	CHECK(q(path, "SELECT count(*) FROM chunks") == 1, "%lld chunks left",
	      q(path, "SELECT count(*) FROM chunks"));
	CHECK(bad_refs(path) == 0, "reference counts after the migration");
	CHECK(q(path, "PRAGMA auto_vacuum") == 2, "incremental vacuum is on");
	free(data);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: test_store_chunks SCHEMA_DIR\n");
		return 2;
	}
	char dir[] = "/tmp/linkfs-store-chunks.XXXXXX", path[256], err[512];
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/* SQLite's row limit lowered to 2 MiB: every content below is
	 * bigger than one row could be and still commits (chunks) */
	setenv("LINKFS_TEST_LIMIT_LENGTH", "2097152", 1);
	snprintf(path, sizeof path, "%s/s.db", dir);
	struct store *st;
	if (store_open(path, &st, err, sizeof err)) {
		printf("store_open: %s\n", err);
		return 1;
	}
	CHECK(q(path, "PRAGMA auto_vacuum") == 2, "a new store vacuums incrementally");
	struct store_pins pins = { nolock, is_pinned, nolock, NULL };
	store_set_pins(st, &pins);

	struct store_node f, g;
	CHECK(store_create(st, 1, "f", 1, NODE_FILE, 0644, 1, 0, 1, &f) == 0, "create f");
	CHECK(store_create(st, 1, "g", 1, NODE_FILE, 0644, 0, 0, 1, &g) == 0, "create g");
	static const size_t sizes[] = { 0, 1, STORE_CHUNK - 1, STORE_CHUNK,
					STORE_CHUNK + 1, 3 * STORE_CHUNK + 5 };
	uint8_t id[STORE_HASH_LEN], id2[STORE_HASH_LEN];
	uint64_t touched;
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		uint8_t *d = pattern(sizes[k], (unsigned)k);
		int rc = store_write_file(st, f.id, d, sizes[k], 1, 2, id, &touched);
		CHECK(rc == 0, "commit %zu bytes: %s", sizes[k], strerror(-rc));
		CHECK(holds(st, f.id, d, sizes[k]), "%zu bytes read back", sizes[k]);
		CHECK(touched == 1, "an input's commit touches its unit");
		struct store_chunks c;
		CHECK(store_content_chunks(st, id, &c) == 0 && c.size == sizes[k] &&
		      c.n == (sizes[k] + STORE_CHUNK - 1) / STORE_CHUNK,
		      "the chunk list of %zu bytes", sizes[k]);
		store_chunks_free(&c);
		free(d);
	}
	CHECK(q(path, "SELECT max(length(data)) FROM bodies") <= (long long)STORE_CHUNK,
	      "a chunk over 1 MiB");

	/* the same content twice: one content, shared chunks */
	size_t n = 2 * STORE_CHUNK + 77;
	uint8_t *d = pattern(n, 99);
	CHECK(store_write_file(st, f.id, d, n, 1, 3, id, &touched) == 0, "f");
	CHECK(store_write_file(st, g.id, d, n, 0, 3, id2, &touched) == 0, "g");
	CHECK(!memcmp(id, id2, STORE_HASH_LEN), "one content id for the same bytes");
	CHECK(touched == 0, "a file that is not an input touches no unit");
	CHECK(collect_all(st) > 0, "the earlier versions are collected");
	CHECK(q(path, "SELECT count(*) FROM contents") == 1,
	      "%lld contents for two files of the same bytes",
	      q(path, "SELECT count(*) FROM contents"));
	CHECK(q(path, "SELECT count(*) FROM chunks") == 3, "%lld chunks, want 3",
	      q(path, "SELECT count(*) FROM chunks"));
	CHECK(bad_refs(path) == 0, "reference counts");

	/* a flush that does not promote: the input stays */
	uint8_t *e = pattern(100, 5), eid[STORE_HASH_LEN];
	CHECK(store_write_file(st, f.id, e, 100, 0, 4, eid, &touched) == 0, "f again");
	struct store_node fn;
	CHECK(store_get(st, f.id, &fn) == 0 && fn.has_input &&
	      !memcmp(fn.input, id, STORE_HASH_LEN) &&
	      !memcmp(fn.hash, eid, STORE_HASH_LEN),
	      "a commit without promote keeps the link input");
	CHECK(store_promote(st, f.id, 5, &touched) == 0 && touched == 1,
	      "promote touches the unit");
	CHECK(store_get(st, f.id, &fn) == 0 && !memcmp(fn.input, eid, STORE_HASH_LEN),
	      "promote makes the content the input");

	/* a pinned content survives its last reference; unpinned, it goes */
	pinned_id = id;
	uint64_t t2;
	CHECK(store_remove(st, 1, "g", 1, 0, 6, &t2) == 0, "remove g");
	collect_all(st);
	uint8_t *got;
	size_t glen;
	CHECK(store_read_blob(st, id, &got, &glen) == 0 && glen == n &&
	      !memcmp(got, d, n), "a pinned content stays readable");
	free(got);
	pinned_id = NULL;
	CHECK(collect_all(st) > 0, "unpinned, it is collected");
	CHECK(store_read_blob(st, id, &got, &glen) == -ENOENT,
	      "a collected content is ENOENT");
	CHECK(bad_refs(path) == 0, "reference counts after the collection");

	/* staged chunks live until unstaged; then they go */
	uint64_t tok = store_new_token();
	uint8_t ch[STORE_HASH_LEN];
	store_hash(d, STORE_CHUNK, ch);
	CHECK(store_chunk_stage(st, tok, ch, d, STORE_CHUNK) == 0, "stage");
	CHECK(collect_all(st) == 0 && q(path, "SELECT count(*) FROM chunks "
					"WHERE refs > 0") >= 1, "a staged chunk stays");
	CHECK(store_unstage(st, tok) == 0, "unstage");
	CHECK(collect_all(st) == 1, "the unstaged chunk is collected");

	/* vacuum: 24 MiB written and removed, the file shrinks */
	struct store_node h;
	CHECK(store_create(st, 1, "h", 1, NODE_FILE, 0644, 0, 0, 7, &h) == 0, "h");
	size_t hn = 24 * STORE_CHUNK;
	uint8_t *hd = pattern(hn, 3);
	CHECK(store_write_file(st, h.id, hd, hn, 1, 7, id, &touched) == 0, "24 MiB");
	free(hd);
	long long before = q(path, "PRAGMA page_count");
	CHECK(store_remove(st, 1, "h", 1, 0, 8, &t2) == 0, "remove h");
	collect_all(st);
	int64_t left;
	while ((left = store_vacuum_step(st, 1024)) > 0)
		;
	CHECK(left == 0, "vacuum: %lld", (long long)left);
	long long after = q(path, "PRAGMA page_count");
	CHECK(after > 0 && after * 4 < before, "pages %lld -> %lld: not given back",
	      before, after);
	store_close(st);
	CHECK(q(path, "PRAGMA integrity_check") == -1 ||
	      bad_refs(path) == 0, "reference counts at the end");

	migration(dir, argv[1]);
	free(d);
	free(e);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
