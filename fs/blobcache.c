/*
 * blobcache.c - the input-bytes cache (blobcache.h): a hash table over an
 * LRU list, one lock. Leaves out: sharding the lock (a link takes it once
 * per input, far below the cost of linking that input).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/diag.h"
#include "base/macho.h"
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

static void parse_free(struct obj_file *o)
{
	if (o) {
		obj_release(o);
		free(o);
	}
}

void blob_unref(struct blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
		parse_free(atomic_load(&b->parsed));
		free(b);
	}
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
	c->bytes -= b->charged;
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
	b->charged = len;
	pthread_mutex_unlock(&c->lock);
	return b;
}

/* What a parse holds in memory, about. */
static size_t parse_bytes(const struct obj_file *o)
{
	return sizeof *o + o->nsections * sizeof *o->sections +
	       o->nsymbols * sizeof *o->symbols +
	       o->nrelocs * sizeof *o->relocs + o->ndice * sizeof *o->dice;
}

int blob_parse(struct blobcache *c, struct blob *b)
{
	if (atomic_load(&b->parsed) || b->len < 4 ||
	    rd32(b->data) != MH_MAGIC_64)
		return 0;
	struct obj_file *o = malloc(sizeof *o);
	if (!o)
		return -1;
	struct diag d;
	diag_init(&d);
	int bad = obj_parse(o, "", b->data, b->len, &d);
	diag_release(&d);
	if (bad) {
		free(o);
		return 0;
	}
	struct obj_file *none = NULL;
	if (!atomic_compare_exchange_strong(&b->parsed, &none, o)) {
		parse_free(o);   /* another commit of the same bytes won */
		return 0;
	}
	pthread_mutex_lock(&c->lock);
	if (b->cached) {
		size_t n = parse_bytes(o);
		c->bytes += n;
		b->charged += n;
		while (c->oldest && c->oldest != b && c->bytes > c->budget)
			evict(c, c->oldest);
	}
	pthread_mutex_unlock(&c->lock);
	return 0;
}

const struct obj_file *blob_parsed(struct blob *b)
{
	return atomic_load(&b->parsed);
}
