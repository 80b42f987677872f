/*
 * blobcache.h - the bytes of recently written or linked inputs, by content
 * hash, so a link does not read back from SQLite what was just written.
 *
 * Content-addressed, so an entry is never stale: the same hash is the same
 * bytes. Bounded by a byte budget; the least recently used entries go
 * first. Entries are reference-counted: a link holds its inputs while it
 * runs, even if they are evicted meanwhile. Thread-safe.
 *
 * An entry may also hold the parse of its bytes as a Mach-O object
 * (blob_parse, when a write commits it), which a link then reads instead
 * of parsing the object again (link_input.parsed). It counts against the
 * budget with the bytes, and goes with them.
 * Leaves out: persistence (the store is the truth; this is only a cache).
 */
#ifndef LINKFS_BLOBCACHE_H
#define LINKFS_BLOBCACHE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "input/object.h"
#include "store.h"

struct blob {
	atomic_int refs;
	uint8_t hash[STORE_HASH_LEN];
	size_t len;
	_Atomic(struct obj_file *) parsed;  /* set once (blob_parse), or NULL */
	size_t charged;              /* bytes counted in the budget */
	struct blob *hnext;          /* blobcache.c's lists, under its lock */
	struct blob *prev, *next;
	int cached;
	uint8_t data[];
};

struct blobcache;

struct blobcache *blobcache_new(size_t budget_bytes);
void blobcache_free(struct blobcache *c);

/* The blob of hash with a new reference, or NULL if not cached. */
struct blob *blobcache_get(struct blobcache *c, const uint8_t hash[STORE_HASH_LEN]);
/* Caches a copy of data under hash (unless it is larger than the budget)
 * and returns it with a new reference; NULL when out of memory. */
struct blob *blobcache_put(struct blobcache *c, const uint8_t hash[STORE_HASH_LEN],
			   const uint8_t *data, size_t len);
void blob_unref(struct blob *b);

/* Parses b's bytes as a Mach-O object (64-bit: what the linker takes), if
 * they look like one and nobody did yet, and keeps the parse with b.
 * Bytes that do not parse keep none: the link parses them itself and
 * says why they fail. Returns -1 only when out of memory. */
int blob_parse(struct blobcache *c, struct blob *b);
/* b's parse (blob_parse), or NULL; valid while b is. */
const struct obj_file *blob_parsed(struct blob *b);

#endif
