/*
 * libs.h - link.conf's `libs`: the files a unit links after its own
 * inputs, fetched before the unit's link begins.
 *
 * A `libs` path is relative to the unit's directory and names a stored
 * file (a .dylib or .tbd copied in) or, more often, another unit's
 * output, whose current result the fetch asks for (linking that unit if
 * it is stale). The fetch holds no unit's lock while it asks, so two
 * units that need each other cannot deadlock: a chain of the units being
 * fetched for on this thread finds a cycle, which fails each unit in it
 * with a link.log line. Leaves out: the link itself and the key (unit.c).
 */
#ifndef LINKFS_LIBS_H
#define LINKFS_LIBS_H

#include <stdint.h>

#include "blobcache.h"
#include "store.h"

struct units;
struct result;

/* The units this thread fetches `libs` for, innermost first. */
struct unit_chain {
	uint64_t dir;
	int cycle;                  /* set by a fetch below that came back
				       to a unit of the chain at or above
				       this one */
	struct unit_chain *up;
};

struct lib_in {
	char *path;                 /* as link.conf writes it */
	uint8_t id[STORE_HASH_LEN]; /* its bytes' identity (content hash) */
	struct blob *bytes;
};

struct libs {
	char text[1024];            /* link.conf's `libs` they are for */
	struct lib_in *v;
	size_t n;
	int64_t mtime_ns;           /* the latest change among them */
	/* when one could not be had: link.log's "error: ..." lines, and
	 * what the key takes of the state that made them (NULL: none) */
	char *error;
	uint8_t error_id[STORE_HASH_LEN];
};

/* Fetches dir's `libs` (chain: dir's own entry, whose up is the unit
 * that asked, or NULL). 0 (a lib that could not be had is out->error,
 * not an error) or -errno. Release with libs_release. */
int libs_fetch(struct units *u, uint64_t dir, struct unit_chain *chain,
	       struct libs *out);
void libs_release(struct libs *l);
/* The `libs` of link.conf's bytes into out (cap bytes; "" without the
 * key; a bad link.conf is the link's to report). 0 or -ENOMEM. */
int libs_of_conf(const uint8_t *conf, size_t len, char *out, size_t cap);

/* unit.c's, for libs.c: units_result for a unit fetched on behalf of
 * chain; the store, the blob cache; waiting for dir's writers. */
int units_result_chain(struct units *u, uint64_t dir, struct result **out,
		       int64_t *mtime_ns, struct unit_chain *chain);
struct store *units_store(struct units *u);
struct blobcache *units_blobs(struct units *u);
void units_wait_dir(struct units *u, uint64_t dir);

#endif
