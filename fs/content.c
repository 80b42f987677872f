/*
 * content.c - one handle's view of a chunked file content (content.h).
 * Leaves out: locking (the handle's), FUSE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

static size_t chunk_len(const struct content *x, size_t i)
{
	return store_chunk_len(x->c.size, i);
}

/* The chunk *i holding byte `at`, the offset *in there, and how many of
 * `left` bytes from `at` it holds. */
static size_t span(const struct content *x, uint64_t at, size_t left,
		   size_t *i, size_t *in)
{
	*i = (size_t)(at / STORE_CHUNK);
	*in = (size_t)(at - (uint64_t)*i * STORE_CHUNK);
	size_t take = chunk_len(x, *i) - *in;
	return take < left ? take : left;
}

/* Makes room for n chunks in the per-chunk arrays. */
static int reserve_slots(struct content *x, size_t n)
{
	if (n <= x->slots)
		return 0;
	size_t cap = x->slots ? x->slots : 1;
	while (cap < n)
		cap *= 2;
	uint8_t **d = realloc(x->data, cap * sizeof *d);
	if (!d)
		return -ENOMEM;
	x->data = d;
	uint32_t *c = realloc(x->cap, cap * sizeof *c);
	if (!c)
		return -ENOMEM;
	x->cap = c;
	uint8_t *y = realloc(x->dirty, cap);
	if (!y)
		return -ENOMEM;
	x->dirty = y;
	for (size_t i = x->slots; i < cap; i++) {
		x->data[i] = NULL;
		x->cap[i] = 0;
		x->dirty[i] = 0;
	}
	x->slots = cap;
	return 0;
}

static void drop_data(struct content *x, size_t i)
{
	if (!x->data[i])
		return;
	if (x->dirty[i])
		x->dirty_bytes -= chunk_len(x, i);
	else
		x->clean_loaded--;
	free(x->data[i]);
	x->data[i] = NULL;
	x->cap[i] = 0;
	x->dirty[i] = 0;
}

/* Frees the loaded unchanged chunks but keep. */
static void evict_clean(struct content *x, size_t keep)
{
	for (size_t i = 0; i < x->c.n && x->clean_loaded > 0; i++)
		if (i != keep && x->data[i] && !x->dirty[i])
			drop_data(x, i);
}

/* Loads chunk i (a stored chunk, or zeros for a hole) unless loaded. */
static int load(struct content *x, struct store *st, size_t i)
{
	if (x->data[i])
		return 0;
	size_t want = chunk_len(x, i);
	uint8_t *d;
	size_t len;
	if (x->c.has[i]) {
		int rc = store_chunk_get(st, x->c.hash[i], &d, &len);
		if (rc)
			return rc == -ENOENT ? -EIO : rc; /* pinned: must exist */
		if (len != want) {
			free(d);
			return -EIO;
		}
		if (!d && !(d = malloc(1)))
			return -ENOMEM;
	} else {
		if (!(d = calloc(1, want ? want : 1)))
			return -ENOMEM;
	}
	if (x->clean_loaded >= CONTENT_CLEAN)
		evict_clean(x, i);
	x->data[i] = d;
	x->cap[i] = (uint32_t)(want ? want : 1);
	x->dirty[i] = 0;
	x->clean_loaded++;
	return 0;
}

/* Marks chunk i (loaded) as changed. */
static void mark_dirty(struct content *x, size_t i)
{
	if (x->dirty[i])
		return;
	x->dirty[i] = 1;
	x->clean_loaded--;
	x->dirty_bytes += chunk_len(x, i);
}

/* Stages every changed chunk; they stay loaded but unchanged (free:
 * their memory is let go). */
static int stage_dirty(struct content *x, struct store *st, int free_them)
{
	for (size_t i = 0; i < x->c.n; i++) {
		if (!x->data[i] || !x->dirty[i])
			continue;
		size_t n = chunk_len(x, i);
		uint8_t h[STORE_HASH_LEN];
		store_hash(x->data[i], n, h);
		if (!x->token)
			x->token = store_new_token();
		int rc = store_chunk_stage(st, x->token, h, x->data[i], n);
		if (rc)
			return rc;
		memcpy(x->c.hash[i], h, STORE_HASH_LEN);
		x->c.has[i] = 1;
		x->dirty[i] = 0;
		x->dirty_bytes -= n;
		x->clean_loaded++;
		if (free_them)
			drop_data(x, i);
	}
	if (free_them)
		evict_clean(x, SIZE_MAX);
	return 0;
}

/* Resizes to size: a partial last chunk that grows or shrinks becomes a
 * changed chunk of its new length; chunks past the end go. */
static int resize(struct content *x, struct store *st, uint64_t size)
{
	if (size > STORE_MAX_FILE)
		return -EFBIG;
	if (size == x->c.size)
		return 0;
	size_t old_n = x->c.n;
	size_t last = old_n ? old_n - 1 : 0;
	/* the old last chunk, when it will change length */
	int edge = old_n && chunk_len(x, last) < STORE_CHUNK &&
		   (x->c.has[last] || x->data[last]);
	if (size < x->c.size) {
		size_t n = (size_t)((size + STORE_CHUNK - 1) / STORE_CHUNK);
		last = n ? n - 1 : 0;
		edge = n && (x->c.has[last] || x->data[last]) &&
		       (uint64_t)n * STORE_CHUNK > size;
	}
	if (edge) {
		int rc = load(x, st, last);
		if (rc)
			return rc;
		mark_dirty(x, last);
	}
	size_t n = (size_t)((size + STORE_CHUNK - 1) / STORE_CHUNK);
	int rc = reserve_slots(x, n);
	if (rc)
		return rc;
	for (size_t i = n; i < old_n; i++)
		drop_data(x, i);
	/* the edge chunk's dirty bytes are counted at its old length */
	size_t before = edge ? chunk_len(x, last) : 0;
	rc = store_chunks_resize(&x->c, size);
	if (rc)
		return rc;
	if (edge && last < n) {
		size_t now = chunk_len(x, last);
		if (now > x->cap[last]) {
			uint8_t *d = realloc(x->data[last], now);
			if (!d)
				return -ENOMEM;
			x->data[last] = d;
			x->cap[last] = (uint32_t)now;
		}
		if (now > before)
			memset(x->data[last] + before, 0, now - before);
		x->dirty_bytes = x->dirty_bytes - before + now;
	} else if (edge) {
		x->dirty_bytes -= before;
	}
	return 0;
}

int content_open(struct content *x, struct store *st, struct pins *p,
		 const uint8_t id[STORE_HASH_LEN], int has_id)
{
	memset(x, 0, sizeof *x);
	if (!has_id)
		return 0;
	int rc = pins_add(p, id);
	if (rc)
		return rc;
	memcpy(x->pin, id, STORE_HASH_LEN);
	x->pinned = 1;
	rc = store_content_chunks(st, id, &x->c);
	if (!rc)
		rc = reserve_slots(x, x->c.n);
	if (rc)
		content_close(x, st, p);
	return rc;
}

void content_close(struct content *x, struct store *st, struct pins *p)
{
	if (x->token)
		(void)store_unstage(st, x->token); /* else: dropped at startup */
	if (x->pinned)
		pins_del(p, x->pin);
	for (size_t i = 0; i < x->slots; i++)
		free(x->data[i]);
	free(x->data);
	free(x->cap);
	free(x->dirty);
	store_chunks_free(&x->c);
	memset(x, 0, sizeof *x);
}

int content_read(struct content *x, struct store *st, uint64_t off,
		 size_t size, const uint8_t **out, uint8_t **tmp, size_t *n)
{
	*out = NULL;
	*tmp = NULL;
	*n = 0;
	if (off >= x->c.size || size == 0)
		return 0;
	if (size > x->c.size - off)
		size = (size_t)(x->c.size - off);
	size_t first = (size_t)(off / STORE_CHUNK);
	size_t lastc = (size_t)((off + size - 1) / STORE_CHUNK);
	if (first == lastc) {
		int rc = load(x, st, first);
		if (rc)
			return rc;
		*out = x->data[first] + (off - (uint64_t)first * STORE_CHUNK);
		*n = size;
		return 0;
	}
	uint8_t *buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	while (done < size) {
		size_t i, in;
		size_t take = span(x, off + done, size - done, &i, &in);
		if (!x->data[i] && !x->c.has[i]) {
			memset(buf + done, 0, take);   /* a hole */
		} else {
			int rc = load(x, st, i);
			if (rc) {
				free(buf);
				return rc;
			}
			memcpy(buf + done, x->data[i] + in, take);
		}
		done += take;
	}
	*out = *tmp = buf;
	*n = size;
	return 0;
}

int content_write(struct content *x, struct store *st, const void *buf,
		  size_t size, uint64_t off)
{
	if (off > STORE_MAX_FILE || size > STORE_MAX_FILE - off)
		return -EFBIG;
	if (size == 0)
		return 0;
	if (off + size > x->c.size) {
		int rc = resize(x, st, off + size);
		if (rc)
			return rc;
	}
	size_t done = 0;
	while (done < size) {
		size_t i, in;
		size_t take = span(x, off + done, size - done, &i, &in);
		if (!x->data[i] && in == 0 && take == chunk_len(x, i)) {
			/* the whole chunk: no need to load what it was */
			uint8_t *d = malloc(take);
			if (!d)
				return -ENOMEM;
			x->data[i] = d;
			x->cap[i] = (uint32_t)take;
			x->clean_loaded++;
		} else {
			int rc = load(x, st, i);
			if (rc)
				return rc;
		}
		memcpy(x->data[i] + in, (const uint8_t *)buf + done, take);
		mark_dirty(x, i);
		done += take;
	}
	if (x->dirty_bytes > CONTENT_DIRTY_MAX)
		return stage_dirty(x, st, 1);
	return 0;
}

int content_truncate(struct content *x, struct store *st, uint64_t size)
{
	return resize(x, st, size);
}

int content_commit(struct content *x, struct store *st, struct pins *p,
		   uint64_t ino, int promote, int64_t now,
		   uint8_t id[STORE_HASH_LEN], uint64_t *touched_unit,
		   const uint8_t **whole, size_t *whole_len)
{
	*whole = NULL;
	*whole_len = (size_t)x->c.size;   /* the size even when not whole */
	*touched_unit = 0;
	int rc;
	if (x->c.n <= 1) {
		/* one chunk: one transaction, from memory */
		if (x->c.n && (rc = load(x, st, 0)))
			return rc;
		const uint8_t *d = x->c.n ? x->data[0] : NULL;
		rc = store_write_file(st, ino, d, (size_t)x->c.size, promote,
				      now, id, touched_unit);
		if (rc)
			return rc;
		if (x->c.n) {
			store_hash(d, (size_t)x->c.size, x->c.hash[0]);
			x->c.has[0] = 1;
			if (x->dirty[0]) {
				x->dirty[0] = 0;
				x->dirty_bytes -= chunk_len(x, 0);
				x->clean_loaded++;
			}
		}
		if (x->token) {
			(void)store_unstage(st, x->token);
			x->token = 0;
		}
		*whole = d;
		*whole_len = (size_t)x->c.size;
	} else {
		rc = stage_dirty(x, st, 0);
		if (rc)
			return rc;
		/* pinned before it is committed: another writer's commit and
		 * the collector must not take it before this handle has it */
		uint8_t next[STORE_HASH_LEN];
		if ((rc = store_content_id(&x->c, next)) ||
		    (rc = pins_add(p, next)))
			return rc;
		rc = store_commit_chunks(st, ino, x->token, &x->c, promote, now,
					 id, touched_unit);
		if (rc) {
			pins_del(p, next);
			return rc;
		}
		x->token = 0;   /* the commit released its staged chunks */
		if (x->pinned)
			pins_del(p, x->pin);
		memcpy(x->pin, next, STORE_HASH_LEN);
		x->pinned = 1;
		return 0;
	}
	/* the handle now reads the content it committed */
	if (!x->pinned || memcmp(x->pin, id, STORE_HASH_LEN)) {
		if (pins_add(p, id) == 0) {
			if (x->pinned)
				pins_del(p, x->pin);
			memcpy(x->pin, id, STORE_HASH_LEN);
			x->pinned = 1;
		}
	}
	return 0;
}
