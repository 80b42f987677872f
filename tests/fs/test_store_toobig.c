/*
 * test_store_toobig.c - the store's commit path refuses content over its
 * limit with -EFBIG and loses nothing (issue 20, item 2), without a mount
 * and without the handlers' earlier refusal at write().
 *
 * With LINKFS_TEST_LIMIT_LENGTH = 65536 (SQLITE_LIMIT_LENGTH):
 *   - limit + 1 bytes: sqlite3_bind_blob64 fails with SQLITE_TOOBIG; the
 *     commit returns -EFBIG (before issue 20 the failed bind left NULL,
 *     INSERT OR IGNORE dropped the row, and the commit returned 0 with the
 *     node pointing at a blob that did not exist);
 *   - exactly the limit: the bind passes, the row does not fit
 *     (SQLITE_TOOBIG from the step): -EFBIG;
 *   - after each, the file keeps its old content, no blob row lacks its
 *     data and no node points at a missing blob;
 *   - store_max_file bytes commit and read back;
 *   - a link result whose executable is over the limit is refused with
 *     -EFBIG (the keeper logs it and serves it from memory).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "store.h"

enum { LIMIT = 65536 };

/* The number of rows `sql` counts in the store at path. */
static long count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

static int commit(struct store *st, uint64_t id, const uint8_t *data, size_t len)
{
	uint8_t h[STORE_HASH_LEN];
	uint64_t touched;
	store_hash(data, len, h);
	return store_write_file(st, id, data, len, h, 1, &touched);
}

/* 1 if file id holds exactly data[0..len). */
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

int main(void)
{
	char dir[] = "/tmp/linkfs-store-toobig.XXXXXX", path[256], err[512];
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/s.db", dir);
	setenv("LINKFS_TEST_LIMIT_LENGTH", "65536", 1);
	struct store *st;
	if (store_open(path, &st, err, sizeof err)) {
		printf("store_open: %s\n", err);
		return 1;
	}
	CHECK(store_max_file(st) == LIMIT - 64, "store_max_file %llu, want %d",
	      (unsigned long long)store_max_file(st), LIMIT - 64);

	struct store_node f;
	CHECK(store_create(st, 1, "f", 1, NODE_FILE, 0644, 0, 0, 1, &f) == 0,
	      "create");
	const uint8_t old[] = "old content";
	CHECK(commit(st, f.id, old, sizeof old) == 0, "commit the old content");

	uint8_t *big = malloc(LIMIT + 1);
	if (!big)
		return 1;
	for (size_t i = 0; i < LIMIT + 1; i++)
		big[i] = (uint8_t)(i * 131 + 7);
	static const size_t sizes[] = { LIMIT + 1, LIMIT };
	for (size_t k = 0; k < 2; k++) {
		int rc = commit(st, f.id, big, sizes[k]);
		CHECK(rc == -EFBIG, "committing %zu bytes (limit %d): %d (%s), "
		      "want -EFBIG", sizes[k], LIMIT, rc, strerror(-rc));
		CHECK(holds(st, f.id, old, sizeof old),
		      "after the refused %zu bytes the file lost its old content",
		      sizes[k]);
	}
	CHECK(count(path, "SELECT count(*) FROM blobs WHERE data IS NULL "
		    "OR length(data) != size") == 0, "a blob row without its data");
	CHECK(count(path, "SELECT count(*) FROM nodes WHERE blob IS NOT NULL "
		    "AND blob NOT IN (SELECT hash FROM blobs)") == 0,
	      "a node points at a missing blob");

	size_t top = (size_t)store_max_file(st);
	CHECK(commit(st, f.id, big, top) == 0, "committing the maximum, %zu bytes", top);
	CHECK(holds(st, f.id, big, top), "the maximum does not read back");

	/* a link result over the limit */
	struct stored_result r = { .ok = 1, .log = "", .output_name = "a.out" };
	r.files[0].data = big;
	r.files[0].len = LIMIT + 1;
	uint8_t key[STORE_HASH_LEN] = { 1 };
	int rc = store_result_put(st, 1, key, &r, 1);
	CHECK(rc == -EFBIG, "keeping a result of %d bytes: %d, want -EFBIG",
	      LIMIT + 1, rc);
	struct stored_result got;
	CHECK(store_result_get(st, key, &got) == -ENOENT,
	      "a refused result was kept");

	store_close(st);
	char p[300];
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	unlink(path);
	rmdir(dir);
	free(big);
	if (!failures)
		printf("ok: commits over the limit fail with EFBIG and lose nothing\n");
	return failures != 0;
}
