/*
 * store_history.c - the generations of each unit (schema/006_history.sql):
 * adding one when a result is kept, dropping the oldest past the unit's
 * bound, and reading them for the .history directory. A generation only
 * names a kept result (link_results, link_files): its files are the
 * result's contents, stored once however many generations share them.
 * Leaves out: deleting results and contents nothing names any more
 * (store_gc, store_collect), and FUSE (ops_history.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

int sq_history_add_locked(struct store *st, uint64_t dir,
			  const uint8_t key[STORE_HASH_LEN], int ok, int keep,
			  int64_t now, uint64_t *gen)
{
	*gen = 0;
	int err = 0, rc;
	if (keep <= 0) {   /* history off: none is kept */
		sq_bind_i64(st, st->hist_drop_dir, 1, (int64_t)dir, &err);
		return sq_run(st, st->hist_drop_dir, err);
	}
	/* the same result kept again (a keep that was retried, or nothing
	 * the key covers changed) is not a new generation */
	sqlite3_stmt *s = st->hist_latest;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	rc = sq_step(st, s, err);
	if (rc == 1) {
		uint64_t latest = (uint64_t)sqlite3_column_int64(s, 0);
		int same = sqlite3_column_bytes(s, 1) == STORE_HASH_LEN &&
			   !memcmp(sqlite3_column_blob(s, 1), key, STORE_HASH_LEN);
		rc = sq_finish(st, s, 0);
		if (!rc && same) {
			*gen = latest;
			return 0;
		}
	}
	if (rc)
		return rc;
	s = st->hist_next;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	rc = sq_step(st, s, err);
	if (rc == 0)
		return -EIO;   /* unit_result made the row in this transaction */
	if (rc < 0)
		return rc;
	uint64_t g = (uint64_t)sqlite3_column_int64(s, 0);
	rc = sq_finish(st, s, 0);
	if (rc)
		return rc;
	s = st->hist_put;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	sq_bind_i64(st, s, 2, (int64_t)g, &err);
	sq_bind_hash(st, s, 3, key, &err);
	sq_bind_i64(st, s, 4, ok, &err);
	sq_bind_i64(st, s, 5, now, &err);
	rc = sq_run(st, s, err);
	if (!rc && g > (uint64_t)keep) {
		s = st->hist_trim;
		sq_bind_i64(st, s, 1, (int64_t)dir, &err);
		sq_bind_i64(st, s, 2, (int64_t)(g - (uint64_t)keep), &err);
		rc = sq_run(st, s, err);
	}
	if (!rc)
		*gen = g;
	return rc;
}

int store_history_latest(struct store *st, uint64_t dir, uint64_t *gen,
			 int64_t *created_ns)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->hist_latest;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		*gen = (uint64_t)sqlite3_column_int64(s, 0);
		*created_ns = sqlite3_column_int64(s, 2);
		rc = sq_finish(st, s, 0);
	} else if (rc == 0) {
		rc = -ENOENT;
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_history_list(struct store *st, uint64_t dir, store_gen_fn fn,
		       void *arg)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->hist_list;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	int rc = sq_step(st, s, err);
	while (rc == 1) {
		if (fn(arg, (uint64_t)sqlite3_column_int64(s, 0),
		       sqlite3_column_int(s, 1), sqlite3_column_int64(s, 2))) {
			rc = sq_finish(st, s, 0);
			break;
		}
		rc = sq_step(st, s, 0);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int get_locked(struct store *st, uint64_t dir, uint64_t gen,
		      uint64_t mask, struct store_gen *out)
{
	sqlite3_stmt *s = st->hist_get;
	int err = 0;
	sq_bind_i64(st, s, 1, (int64_t)dir, &err);
	sq_bind_i64(st, s, 2, (int64_t)gen, &err);
	sq_bind_i64(st, s, 3, (int64_t)mask, &err);
	int rc = sq_step(st, s, err);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	out->gen = (uint64_t)sqlite3_column_int64(s, 0);
	if (sqlite3_column_bytes(s, 1) == STORE_HASH_LEN)
		memcpy(out->key, sqlite3_column_blob(s, 1), STORE_HASH_LEN);
	else
		rc = -EIO;
	out->ok = sqlite3_column_int(s, 2);
	out->created_ns = sqlite3_column_int64(s, 3);
	const unsigned char *name = sqlite3_column_text(s, 4);
	size_t n = (size_t)sqlite3_column_bytes(s, 4);
	if (!name || !n || n >= sizeof out->output)
		name = (const unsigned char *)"a.out", n = 5;
	memcpy(out->output, name, n);
	out->output[n] = 0;
	out->log_len = (uint64_t)sqlite3_column_int64(s, 5);
	rc = sq_finish(st, s, rc == 1 ? 0 : rc);
	if (rc)
		return rc;
	s = st->hist_sizes;
	sq_bind_hash(st, s, 1, out->key, &err);
	rc = sq_step(st, s, err);
	while (rc == 1) {
		int idx = sqlite3_column_int(s, 0);
		if (idx >= 0 && idx < STORE_NFILES)
			out->size[idx] = (uint64_t)sqlite3_column_int64(s, 1);
		rc = sq_step(st, s, 0);
	}
	return rc;
}

int store_history_get(struct store *st, uint64_t dir, uint64_t gen,
		      uint64_t mask, struct store_gen *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	int rc = sq_read_begin(st);   /* the row and its sizes: one snapshot */
	if (!rc)
		rc = sq_read_end(st, get_locked(st, dir, gen, mask, out));
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int file_locked(struct store *st, const uint8_t key[STORE_HASH_LEN],
		       int idx, uint8_t **data, size_t *len)
{
	int err = 0;
	sqlite3_stmt *s = idx < 0 ? st->hist_log : st->hist_blob;
	sq_bind_hash(st, s, 1, key, &err);
	if (idx >= 0)
		sq_bind_i64(st, s, 2, idx, &err);
	int rc = sq_step(st, s, err);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	if (idx < 0) {   /* the log is a column of its own */
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		const void *p = sqlite3_column_blob(s, 0);
		int e = 0;
		*data = NULL;
		if (n && !(p && (*data = malloc(n))))
			e = -ENOMEM;
		else if (n)
			memcpy(*data, p, n);
		*len = e ? 0 : n;
		return sq_finish(st, s, e);
	}
	uint8_t id[STORE_HASH_LEN];
	if (sqlite3_column_bytes(s, 0) != STORE_HASH_LEN)
		return sq_finish(st, s, -EIO);
	memcpy(id, sqlite3_column_blob(s, 0), STORE_HASH_LEN);
	rc = sq_finish(st, s, 0);
	return rc ? rc : sq_content_read_locked(st, id, data, len);
}

int store_history_file(struct store *st, const uint8_t key[STORE_HASH_LEN],
		       int idx, uint8_t **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	pthread_mutex_lock(&st->lock);
	int rc = sq_read_begin(st);
	if (!rc)
		rc = sq_read_end(st, file_locked(st, key, idx, data, len));
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	return rc;
}
