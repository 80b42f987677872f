/*
 * store_content.c - file contents in the store: chunks, contents, staging,
 * commits, whole-content reads, and the collector.
 *
 * A commit of one chunk is one transaction. A bigger content is staged a
 * chunk per transaction (the connection's lock is let go between them)
 * and committed by a transaction that writes only its chunk list, so no
 * transaction writes more than STORE_CHUNK bytes of content and a big
 * file never holds up another file's close(). Reference counts are kept
 * by the schema's triggers (schema/005_refs.sql); store_collect deletes
 * a batch of what they left at zero. Leaves out: pinning (the daemon's
 * pins.c tells the collector which contents handles still read), when to
 * collect (collector.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <xxhash.h>

#include "store_impl.h"

int store_content_id(const struct store_chunks *c, uint8_t id[STORE_HASH_LEN])
{
	/* the list is hashed as one buffer: no streaming state to allocate */
	size_t used = 0;
	for (size_t i = 0; i < c->n; i++)
		used += c->has[i];
	uint8_t small[24 + 24 * 8], *buf = small;
	size_t len = 24 + 24 * used;
	if (len > sizeof small && !(buf = malloc(len)))
		return -ENOMEM;
	memcpy(buf, "linkfs-content-1", 16);
	for (int i = 0; i < 8; i++)
		buf[16 + i] = (uint8_t)(c->size >> (8 * i));
	uint8_t *p = buf + 24;
	for (size_t i = 0; i < c->n; i++) {
		if (!c->has[i])
			continue;
		for (int b = 0; b < 8; b++)
			*p++ = (uint8_t)((uint64_t)i >> (8 * b));
		memcpy(p, c->hash[i], STORE_HASH_LEN);
		p += STORE_HASH_LEN;
	}
	XXH128_canonical_t out;
	XXH128_canonicalFromHash(&out, XXH3_128bits(buf, len));
	memcpy(id, out.digest, STORE_HASH_LEN);
	if (buf != small)
		free(buf);
	return 0;
}

void store_chunks_free(struct store_chunks *c)
{
	free(c->hash);
	free(c->has);
	memset(c, 0, sizeof *c);
}

int store_chunks_resize(struct store_chunks *c, uint64_t size)
{
	size_t n = (size_t)((size + STORE_CHUNK - 1) / STORE_CHUNK);
	if (n > c->n) {
		uint8_t (*h)[STORE_HASH_LEN] = realloc(c->hash, n * sizeof *h);
		if (!h)
			return -ENOMEM;
		c->hash = h;
		uint8_t *has = realloc(c->has, n);
		if (!has)
			return -ENOMEM;
		c->has = has;
		memset(c->has + c->n, 0, n - c->n);
	}
	c->n = n;
	c->size = size;
	return 0;
}

int store_chunks_of(struct store_chunks *c, const uint8_t *data, size_t len)
{
	int rc = store_chunks_resize(c, len);
	for (size_t i = 0; !rc && i < c->n; i++) {
		store_hash(data + i * STORE_CHUNK, store_chunk_len(len, i),
			   c->hash[i]);
		c->has[i] = 1;
	}
	return rc;
}

uint64_t store_new_token(void)
{
	uint64_t t = 0;
	while (t == 0 || t > INT64_MAX)
		if (getrandom(&t, sizeof t, 0) != sizeof t)
			t = 0x5eed0000u ^ (uint64_t)(uintptr_t)&t;
	return t;
}

/* In the caller's transaction. */
int sq_chunk_put_locked(struct store *st, const uint8_t hash[STORE_HASH_LEN],
			const void *data, size_t len)
{
	int err = 0;
	sq_bind_hash(st, st->chunk_has, 1, hash, &err);
	int rc = sq_step(st, st->chunk_has, err);
	if (rc == 1)
		return sq_finish(st, st->chunk_has, 0);   /* stored already */
	if (rc)
		return rc;
	sq_bind_blob(st, st->body_put, 1, data, len, &err);
	rc = sq_run(st, st->body_put, err);
	if (rc)
		return rc;
	sqlite3_int64 body = sqlite3_last_insert_rowid(st->db);
	sq_bind_hash(st, st->chunk_put, 1, hash, &err);
	sq_bind_i64(st, st->chunk_put, 2, (int64_t)len, &err);
	sq_bind_i64(st, st->chunk_put, 3, body, &err);
	return sq_run(st, st->chunk_put, err);
}

int sq_content_put_locked(struct store *st, const uint8_t id[STORE_HASH_LEN],
			  const struct store_chunks *c)
{
	int err = 0;
	sq_bind_hash(st, st->content_has, 1, id, &err);
	int rc = sq_step(st, st->content_has, err);
	if (rc == 1)
		return sq_finish(st, st->content_has, 0);
	if (rc)
		return rc;
	sq_bind_hash(st, st->content_put, 1, id, &err);
	sq_bind_i64(st, st->content_put, 2, (int64_t)c->size, &err);
	rc = sq_run(st, st->content_put, err);
	for (size_t i = 0; !rc && i < c->n; i++) {
		if (!c->has[i])
			continue;
		sqlite3_stmt *s = st->content_chunk_put;
		sq_bind_hash(st, s, 1, id, &err);
		sq_bind_i64(st, s, 2, (int64_t)i, &err);
		sq_bind_hash(st, s, 3, c->hash[i], &err);
		rc = sq_run(st, s, err);
		/* a chunk the list names must exist: the triggers count it */
		if (!rc && sqlite3_changes(st->db) != 1)
			rc = sq_fail_sql(st, sqlite3_sql(s), SQLITE_INTERNAL);
	}
	return rc;
}

int sq_content_read_locked(struct store *st, const uint8_t id[STORE_HASH_LEN],
			   uint8_t **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	int err = 0;
	sq_bind_hash(st, st->content_has, 1, id, &err);
	int rc = sq_step(st, st->content_has, err);
	if (rc != 1)
		return rc ? rc : -ENOENT;
	uint64_t size = (uint64_t)sqlite3_column_int64(st->content_has, 0);
	rc = sq_finish(st, st->content_has, 0);
	if (rc)
		return rc;
	if (size > SIZE_MAX - 1)
		return -EFBIG;
	uint8_t *buf = size ? calloc(1, (size_t)size) : NULL;
	if (size && !buf)
		return -ENOMEM;
	sqlite3_stmt *s = st->content_data;
	sq_bind_hash(st, s, 1, id, &err);
	rc = sq_step(st, s, err);
	while (rc == 1) {
		uint64_t idx = (uint64_t)sqlite3_column_int64(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 1);
		const void *p = sqlite3_column_blob(s, 1);
		uint64_t off = idx * STORE_CHUNK;
		if (n && !p) {
			rc = sq_finish(st, s, -ENOMEM);
			break;
		}
		if (idx >= (size + STORE_CHUNK - 1) / STORE_CHUNK ||
		    n > STORE_CHUNK || n > size - off) {
			fprintf(stderr, "linkfs: store error: chunk %llu of a "
				"content of %llu bytes holds %zu bytes\n",
				(unsigned long long)idx,
				(unsigned long long)size, n);
			rc = sq_finish(st, s, -EIO);
			break;
		}
		memcpy(buf + off, p, n);
		rc = sq_step(st, s, 0);
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*data = buf;
	*len = (size_t)size;
	return 0;
}

int store_read_blob(struct store *st, const uint8_t hash[STORE_HASH_LEN],
		    uint8_t **data, size_t *len)
{
	pthread_mutex_lock(&st->lock);
	int rc = sq_read_begin(st);
	if (!rc)
		rc = sq_read_end(st, sq_content_read_locked(st, hash, data, len));
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	return rc;
}

int store_content_chunks(struct store *st, const uint8_t id[STORE_HASH_LEN],
			 struct store_chunks *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	int rc = sq_read_begin(st), err = 0;
	if (rc)
		goto unlock;
	sq_bind_hash(st, st->content_has, 1, id, &err);
	rc = sq_step(st, st->content_has, err);
	if (rc != 1) {
		rc = sq_read_end(st, rc ? rc : -ENOENT);
		goto unlock;
	}
	uint64_t size = (uint64_t)sqlite3_column_int64(st->content_has, 0);
	rc = sq_finish(st, st->content_has, 0);
	if (!rc && size > STORE_MAX_FILE)
		rc = -EFBIG;
	if (!rc)
		rc = store_chunks_resize(out, size);
	sqlite3_stmt *s = st->content_list;
	if (!rc) {
		sq_bind_hash(st, s, 1, id, &err);
		rc = sq_step(st, s, err);
	}
	while (rc == 1) {
		uint64_t idx = (uint64_t)sqlite3_column_int64(s, 0);
		if (idx >= out->n || sqlite3_column_bytes(s, 1) != STORE_HASH_LEN) {
			rc = sq_finish(st, s, sq_fail_sql(st, sqlite3_sql(s),
							  SQLITE_CORRUPT));
			break;
		}
		memcpy(out->hash[idx], sqlite3_column_blob(s, 1), STORE_HASH_LEN);
		out->has[idx] = 1;
		rc = sq_step(st, s, 0);
	}
	rc = sq_read_end(st, rc);
unlock:
	pthread_mutex_unlock(&st->lock);
	if (rc)
		store_chunks_free(out);
	return rc;
}

int store_chunk_get(struct store *st, const uint8_t hash[STORE_HASH_LEN],
		    uint8_t **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = st->chunk_get;
	int err = 0;
	sq_bind_hash(st, s, 1, hash, &err);
	int rc = sq_step(st, s, err);
	if (rc == 1) {
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		const void *p = sqlite3_column_blob(s, 0);
		rc = n && !p ? -ENOMEM : 0;
		if (!rc && n > STORE_CHUNK)
			rc = -EIO;
		if (!rc && n) {
			*data = malloc(n);
			if (*data)
				memcpy(*data, p, n);
			else
				rc = -ENOMEM;
		}
		if (!rc)
			*len = n;
		rc = sq_finish(st, s, rc);
	} else if (rc == 0) {
		rc = -ENOENT;
	}
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	return rc;
}

static int stage_locked(struct store *st, uint64_t token,
			const uint8_t hash[STORE_HASH_LEN], const void *data,
			size_t len)
{
	int rc = sq_tx_begin(st);
	if (rc)
		return rc;
	rc = sq_chunk_put_locked(st, hash, data, len);
	if (!rc) {
		int err = 0;
		sq_bind_i64(st, st->stage_put, 1, (int64_t)token, &err);
		sq_bind_hash(st, st->stage_put, 2, hash, &err);
		rc = sq_run(st, st->stage_put, err);
	}
	return sq_tx_end(st, rc);
}

int store_chunk_stage(struct store *st, uint64_t token,
		      const uint8_t hash[STORE_HASH_LEN], const void *data,
		      size_t len)
{
	if (len > STORE_CHUNK)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	int rc = sq_make_room(st, len);
	if (!rc) {
		rc = stage_locked(st, token, hash, data, len);
		if (rc == -ENOSPC) {
			sq_relieve(st);
			rc = stage_locked(st, token, hash, data, len);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int unstage_locked(struct store *st, uint64_t token)
{
	int rc = sq_tx_begin(st), err = 0;
	if (rc)
		return rc;
	sq_bind_i64(st, st->stage_drop, 1, (int64_t)token, &err);
	return sq_tx_end(st, sq_run(st, st->stage_drop, err));
}

int store_unstage(struct store *st, uint64_t token)
{
	pthread_mutex_lock(&st->lock);
	int rc = unstage_locked(st, token);
	if (rc == -ENOSPC) {
		sq_fold_wal(st);
		rc = unstage_locked(st, token);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* The commit transaction; `one` (may be NULL) is the bytes of a content's
 * single chunk, stored here rather than staged. */
static int commit_locked(struct store *st, uint64_t id, uint64_t token,
			 const struct store_chunks *c, const void *one,
			 size_t one_len, int promote, int64_t now,
			 const uint8_t content[STORE_HASH_LEN],
			 uint64_t *touched_unit)
{
	*touched_unit = 0;
	int rc = sq_tx_begin(st), err = 0;
	if (rc)
		return rc;
	struct store_node n;
	rc = sq_get_locked(st, id, &n);
	if (rc == -ENOENT) {           /* unlinked while open: nothing to keep */
		rc = 0;
		if (token) {
			sq_bind_i64(st, st->stage_drop, 1, (int64_t)token, &err);
			rc = sq_run(st, st->stage_drop, err);
		}
		return sq_tx_end(st, rc);
	}
	if (!rc && one)
		rc = sq_chunk_put_locked(st, c->hash[0], one, one_len);
	if (!rc)
		rc = sq_content_put_locked(st, content, c);
	if (!rc) {
		sqlite3_stmt *s = st->node_content;
		sq_bind_i64(st, s, 1, (int64_t)id, &err);
		sq_bind_hash(st, s, 2, content, &err);
		sq_bind_i64(st, s, 3, (int64_t)c->size, &err);
		sq_bind_i64(st, s, 4, now, &err);
		sq_bind_i64(st, s, 5, promote, &err);
		rc = sq_run(st, s, err);
		/* the row was there a moment ago, in this transaction */
		if (!rc && sqlite3_changes(st->db) != 1)
			rc = sq_fail_sql(st, sqlite3_sql(s), SQLITE_INTERNAL);
	}
	if (!rc && token) {
		sq_bind_i64(st, st->stage_drop, 1, (int64_t)token, &err);
		rc = sq_run(st, st->stage_drop, err);
	}
	if (!rc && promote && n.role > 0) {
		rc = sq_touch_unit(st, n.parent, now);
		*touched_unit = n.parent;
	}
	rc = sq_tx_end(st, rc);
	if (rc)
		*touched_unit = 0;
	return rc;
}

static int commit(struct store *st, uint64_t id, uint64_t token,
		  const struct store_chunks *c, const void *one, size_t one_len,
		  int promote, int64_t now, uint8_t content[STORE_HASH_LEN],
		  uint64_t *touched_unit)
{
	int rc = store_content_id(c, content);
	if (rc)
		return rc;
	pthread_mutex_lock(&st->lock);
	/* emptying a file frees space: it may use the reserve */
	uint64_t bytes = one ? one_len : 64 * (uint64_t)c->n;
	rc = c->size ? sq_make_room(st, bytes) : 0;
	if (!rc) {
		rc = commit_locked(st, id, token, c, one, one_len, promote, now,
				   content, touched_unit);
		if (rc == -ENOSPC) {   /* the disk filled behind our back */
			sq_relieve(st);
			rc = commit_locked(st, id, token, c, one, one_len,
					   promote, now, content, touched_unit);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int store_commit_chunks(struct store *st, uint64_t id, uint64_t token,
			const struct store_chunks *c, int promote, int64_t now,
			uint8_t content[STORE_HASH_LEN], uint64_t *touched_unit)
{
	return commit(st, id, token, c, NULL, 0, promote, now, content,
		      touched_unit);
}

int store_write_file(struct store *st, uint64_t id, const uint8_t *data,
		     size_t len, int promote, int64_t now,
		     uint8_t content[STORE_HASH_LEN], uint64_t *touched_unit)
{
	*touched_unit = 0;
	struct store_chunks c = { 0 };
	int rc = store_chunks_of(&c, data, len);
	if (!rc && c.n <= 1) {
		rc = commit(st, id, 0, &c, c.n ? data : NULL, len, promote, now,
			    content, touched_unit);
	} else if (!rc) {
		uint64_t token = store_new_token();
		for (size_t i = 0; !rc && i < c.n; i++)
			rc = store_chunk_stage(st, token, c.hash[i],
					       data + i * STORE_CHUNK,
					       store_chunk_len(len, i));
		if (!rc)
			rc = commit(st, id, token, &c, NULL, 0, promote, now,
				    content, touched_unit);
		if (rc)
			(void)store_unstage(st, token);
	}
	store_chunks_free(&c);
	return rc;
}

static int promote_locked(struct store *st, uint64_t id, int64_t now,
			  uint64_t *touched_unit)
{
	*touched_unit = 0;
	int rc = sq_tx_begin(st), err = 0;
	if (rc)
		return rc;
	sq_bind_i64(st, st->node_promote, 1, (int64_t)id, &err);
	rc = sq_run(st, st->node_promote, err);
	if (!rc && sqlite3_changes(st->db) == 1) {
		struct store_node n;
		rc = sq_get_locked(st, id, &n);
		if (!rc && n.role > 0) {
			rc = sq_touch_unit(st, n.parent, now);
			*touched_unit = n.parent;
		}
	}
	rc = sq_tx_end(st, rc);
	if (rc)
		*touched_unit = 0;
	return rc;
}

int store_promote(struct store *st, uint64_t id, int64_t now,
		  uint64_t *touched_unit)
{
	pthread_mutex_lock(&st->lock);
	int rc = promote_locked(st, id, now, touched_unit);
	if (rc == -ENOSPC) {
		sq_fold_wal(st);
		rc = promote_locked(st, id, now, touched_unit);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int migrate_blobs(struct store *st, char *err, size_t errlen);

/* A WAL past this is folded and truncated (store_checkpoint): SQLite's own
 * checkpoints after a commit never wait, and while some connection reads
 * an older snapshot they cannot reset the WAL, which then grows by every
 * commit (32 MiB seen under 1 MiB rewrites). */
#define WAL_FOLD_BYTES ((uint64_t)8 << 20)
/* ... and one up to journal_size_limit is left to SQLite: a checkpoint
 * (with its fsync) per close() would cost the writers. */
#define WAL_KEEP_BYTES ((uint64_t)4 << 20)

/* The collector's batch: at most this many contents and chunks per
 * transaction (a chunk is at most 1 MiB of pages to free). */
enum { COLLECT_CONTENTS = 64, COLLECT_CHUNKS = 32 };

/* Deletes the rows of the ids a query listed; returns the count deleted
 * or -errno. The ids are read first: a delete may not run while the
 * query over the same index is open. */
static int delete_listed(struct store *st, sqlite3_stmt *list, int limit,
			 sqlite3_stmt *del,
			 int (*pinned)(void *, const uint8_t *), void *arg)
{
	uint8_t ids[COLLECT_CONTENTS][STORE_HASH_LEN];
	int n = 0, err = 0;
	sq_bind_i64(st, list, 1, limit, &err);
	int rc = sq_step(st, list, err);
	while (rc == 1) {
		if (sqlite3_column_bytes(list, 0) == STORE_HASH_LEN && n < limit)
			memcpy(ids[n++], sqlite3_column_blob(list, 0),
			       STORE_HASH_LEN);
		rc = sq_step(st, list, 0);
	}
	if (rc)
		return rc;
	int deleted = 0;
	for (int i = 0; i < n; i++) {
		if (pinned && pinned(arg, ids[i]))
			continue;
		sq_bind_hash(st, del, 1, ids[i], &err);
		rc = sq_run(st, del, err);
		if (rc)
			return rc;
		deleted += sqlite3_changes(st->db);
	}
	return deleted;
}

/* 1 when a row of `query` (a partial index of refs = 0) exists. */
static int any_dead(struct store *st, sqlite3_stmt *query)
{
	int err = 0;
	sq_bind_i64(st, query, 1, 1, &err);
	int rc = sq_step(st, query, err);
	if (rc == 1)
		sq_finish(st, query, 0);
	return rc != 0;   /* a row, or an error: let the batch find out */
}

static int collect_locked(struct store *st)
{
	/* nothing dead: no write transaction (the collector is poked at
	 * every commit, and a write lock per close() costs the writers) */
	if (!any_dead(st, st->dead_contents) && !any_dead(st, st->dead_chunks))
		return 0;
	struct store_pins *p = &st->pins;
	if (p->has)
		p->lock(p->arg);
	int rc = sq_tx_begin(st);
	int a = rc ? rc : delete_listed(st, st->dead_contents, COLLECT_CONTENTS,
					st->content_delete, p->has, p->arg);
	int b = a < 0 ? a : delete_listed(st, st->dead_chunks, COLLECT_CHUNKS,
					  st->chunk_delete, NULL, NULL);
	if (!rc)
		rc = sq_tx_end(st, b < 0 ? b : 0);
	if (p->has)
		p->unlock(p->arg);
	return rc ? rc : a + b;
}

void store_set_pins(struct store *st, const struct store_pins *pins)
{
	pthread_mutex_lock(&st->lock);
	st->pins = *pins;
	pthread_mutex_unlock(&st->lock);
}

int store_collect(struct store *st)
{
	pthread_mutex_lock(&st->lock);
	int rc = collect_locked(st);
	if (rc == -ENOSPC) {
		sq_fold_wal(st);
		rc = collect_locked(st);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void sq_collect_locked(struct store *st, int batches)
{
	for (int i = 0; i < batches && collect_locked(st) > 0; i++)
		;
}

int64_t store_vacuum_step(struct store *st, uint64_t max_pages)
{
	pthread_mutex_lock(&st->lock);
	uint64_t free_pages, pages;
	int unread = sq_pragma_u64(st, "PRAGMA freelist_count", &free_pages) ||
		     sq_pragma_u64(st, "PRAGMA page_count", &pages);
	int64_t rc = 0;
	uint64_t floor = ((uint64_t)1 << 20) / (st->page_size ? st->page_size
								: 4096);
	if (unread) {
		rc = -EIO;
	} else if (free_pages > floor && free_pages * 4 > pages) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA incremental_vacuum(%llu)",
			 (unsigned long long)max_pages);
		/* incremental_vacuum returns a row per page freed: step it
		 * to the end, in one write transaction */
		int r = sq_tx_begin(st);
		sqlite3_stmt *s = NULL;
		if (!r && (r = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL)))
			r = sq_fail_sql(st, sql, r);
		int step = SQLITE_ROW;
		while (!r && (step = sqlite3_step(s)) == SQLITE_ROW)
			;
		if (!r && step != SQLITE_DONE)
			r = sq_fail_sql(st, sql, step);
		sqlite3_finalize(s);
		r = sq_tx_end(st, r);
		if (r)
			rc = r;
		else if (sq_pragma_u64(st, "PRAGMA freelist_count", &free_pages))
			rc = -EIO;
		else
			rc = free_pages > floor ? (int64_t)free_pages : 0;
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

unsigned store_dead_contents(struct store *st, unsigned limit)
{
	pthread_mutex_lock(&st->lock);
	int err = 0;
	unsigned n = 0;
	sq_bind_i64(st, st->dead_count, 1, limit, &err);
	if (sq_step(st, st->dead_count, err) == 1) {
		n = (unsigned)sqlite3_column_int64(st->dead_count, 0);
		sq_finish(st, st->dead_count, 0);
	}
	pthread_mutex_unlock(&st->lock);
	return n;
}

void store_checkpoint(struct store *st, int deleted)
{
	struct stat sb;
	if (stat(st->wal, &sb))
		return;
	if (!deleted && (uint64_t)sb.st_size <= WAL_KEEP_BYTES)
		return;   /* SQLite's own checkpoints keep a WAL this small */
	int big = (uint64_t)sb.st_size > WAL_FOLD_BYTES;
	pthread_mutex_lock(&st->lock);
	/* its result is only advice: a busy or partial checkpoint is fine */
	(void)sqlite3_wal_checkpoint_v2(st->db, NULL,
					big ? SQLITE_CHECKPOINT_TRUNCATE
					    : SQLITE_CHECKPOINT_PASSIVE,
					NULL, NULL);
	pthread_mutex_unlock(&st->lock);
}

int sq_migrate_blobs(struct store *st, char *err, size_t errlen)
{
	/* the migration runs before the store's statements are prepared
	 * (they name tables that only now exist): prepare what it uses */
	struct { sqlite3_stmt **at; const char *sql; } use[] = {
		{ &st->chunk_has, "SELECT 1 FROM chunks WHERE hash=?1" },
		{ &st->body_put, "INSERT INTO bodies(data) VALUES(?1)" },
		{ &st->chunk_put, "INSERT INTO chunks(hash,size,body) VALUES(?1,?2,?3)" },
		{ &st->content_has, "SELECT size FROM contents WHERE hash=?1" },
		{ &st->content_put, "INSERT INTO contents(hash,size) VALUES(?1,?2)" },
		{ &st->content_chunk_put, "INSERT INTO content_chunks(content,idx,"
		  "chunk) VALUES(?1,?2,?3)" },
	};
	size_t nuse = sizeof use / sizeof *use;
	for (size_t i = 0; i < nuse; i++)
		if (sqlite3_prepare_v2(st->db, use[i].sql, -1, use[i].at, NULL)) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
			for (size_t k = 0; k <= i; k++) {
				sqlite3_finalize(*use[k].at);
				*use[k].at = NULL;
			}
			return -1;
		}
	int rc = migrate_blobs(st, err, errlen);
	for (size_t i = 0; i < nuse; i++) {
		sqlite3_finalize(*use[i].at);
		*use[i].at = NULL;
	}
	return rc;
}

static int migrate_blobs(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT hash,size,data FROM blobs", -1,
			       &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const uint8_t *id = sqlite3_column_blob(s, 0);
		size_t len = (size_t)sqlite3_column_bytes(s, 2);
		const uint8_t *data = sqlite3_column_blob(s, 2);
		if (sqlite3_column_bytes(s, 0) != STORE_HASH_LEN ||
		    (len && !data)) {
			snprintf(err, errlen, "a blob row that cannot be read");
			rc = -1;
			break;
		}
		struct store_chunks c = { 0 };
		rc = store_chunks_of(&c, data, len);
		for (size_t i = 0; !rc && i < c.n; i++)
			rc = sq_chunk_put_locked(st, c.hash[i],
						 data + i * STORE_CHUNK,
						 store_chunk_len(len, i));
		/* the content keeps its old id: rows refer to it */
		if (!rc)
			rc = sq_content_put_locked(st, id, &c);
		store_chunks_free(&c);
		if (rc)
			snprintf(err, errlen, "cannot move a blob into chunks: %s",
				 strerror(-rc));
	}
	if (!rc && step != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(st->db));
		rc = -1;
	}
	sqlite3_finalize(s);
	return rc ? -1 : 0;
}
