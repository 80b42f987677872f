/*
 * blobcache.c - the input-bytes cache (blobcache.h): a hash table over an
 * LRU list, one lock. Leaves out: sharding the lock (a link takes it once
 * per input, far below the cost of linking that input).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "blobcache.h"

#define NBUCKETS 16384

struct blobcache {
	pthread_mutex_t lock;        /* guards everything below */
	size_t budget, bytes;
	struct blob *bucket[NBUCKETS];
	struct blob *newest, *oldest;
};

static size_t bucket_of(const uint8_t hash[STORE_HASH_LEN])
{
	uint64_t h;
	memcpy(&h, hash, sizeof h);
	return (size_t)(h % NBUCKETS);
}

struct blobcache *blobcache_new(size_t budget_bytes)
{
	struct blobcache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	c->budget = budget_bytes;
	return c;
}

void blob_unref(struct blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

static void lru_unlink(struct blobcache *c, struct blob *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		c->newest = b->next;
	if (b->next)
		b->next->prev = b->prev;
	else
		c->oldest = b->prev;
	b->prev = b->next = NULL;
}

static void lru_push(struct blobcache *c, struct blob *b)
{
	b->prev = NULL;
	b->next = c->newest;
	if (c->newest)
		c->newest->prev = b;
	c->newest = b;
	if (!c->oldest)
		c->oldest = b;
}

/* Drops b from the table and the list; the cache's reference goes. */
static void evict(struct blobcache *c, struct blob *b)
{
	struct blob **p = &c->bucket[bucket_of(b->hash)];
	while (*p && *p != b)
		p = &(*p)->hnext;
	if (*p)
		*p = b->hnext;
	lru_unlink(c, b);
	c->bytes -= b->len;
	b->cached = 0;
	blob_unref(b);
}

void blobcache_free(struct blobcache *c)
{
	if (!c)
		return;
	while (c->oldest)
		evict(c, c->oldest);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static struct blob *find(struct blobcache *c, const uint8_t hash[STORE_HASH_LEN])
{
	struct blob *b = c->bucket[bucket_of(hash)];
	while (b && memcmp(b->hash, hash, STORE_HASH_LEN))
		b = b->hnext;
	return b;
}

struct blob *blobcache_get(struct blobcache *c, const uint8_t hash[STORE_HASH_LEN])
{
	pthread_mutex_lock(&c->lock);
	struct blob *b = find(c, hash);
	if (b) {
		atomic_fetch_add(&b->refs, 1);
		lru_unlink(c, b);
		lru_push(c, b);
	}
	pthread_mutex_unlock(&c->lock);
	return b;
}

struct blob *blobcache_put(struct blobcache *c, const uint8_t hash[STORE_HASH_LEN],
			   const uint8_t *data, size_t len)
{
	struct blob *hit = blobcache_get(c, hash);
	if (hit)
		return hit;
	struct blob *b = malloc(sizeof *b + (len ? len : 1));
	if (!b)
		return NULL;
	memset(b, 0, sizeof *b);
	atomic_init(&b->refs, 1);   /* the caller's */
	memcpy(b->hash, hash, STORE_HASH_LEN);
	b->len = len;
	if (len)
		memcpy(b->data, data, len);
	if (len > c->budget)
		return b;           /* too large to keep: the caller's only */
	pthread_mutex_lock(&c->lock);
	struct blob *raced = find(c, hash);
	if (raced) {                /* another thread put it meanwhile */
		atomic_fetch_add(&raced->refs, 1);
		pthread_mutex_unlock(&c->lock);
		free(b);
		return raced;
	}
	while (c->oldest && c->bytes + len > c->budget)
		evict(c, c->oldest);
	atomic_fetch_add(&b->refs, 1);   /* the cache's */
	b->cached = 1;
	size_t k = bucket_of(hash);
	b->hnext = c->bucket[k];
	c->bucket[k] = b;
	lru_push(c, b);
	c->bytes += len;
	pthread_mutex_unlock(&c->lock);
	return b;
}
