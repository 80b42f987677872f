/*
 * unit.h - link units: the current link result of each directory, linked on
 * demand and kept in the store.
 *
 * Results (result.h) are kept in the store by the keeper thread
 * (keeper.h). Each unit has a
 * generation, bumped by units_changed whenever a committed input changes; a
 * result is installed only if the generation did not move while it was
 * being computed (the sshfs cache.c write-counter pattern).
 *
 * The key of a result is XXH3-128 over a version tag, the linker build (a
 * hash of the linkfs executable), and each committed input in name (byte)
 * order: its role, name and content hash. link.conf is one of the inputs.
 * When link.conf names `inputs`, the inputs are the files its patterns
 * collect under the directory (collect.h), named by their relative path.
 * Leaves out: FUSE, kernel cache invalidation (ops_file.c's open does that).
 */
#ifndef LINKFS_UNIT_H
#define LINKFS_UNIT_H

#include <stdatomic.h>
#include <stdint.h>

#include "names.h"
#include "result.h"
#include "store.h"


struct unit_counters {
	atomic_ulong links;        /* links, full or patched */
	atomic_ulong patches;      /* of them, relinks by patching (link_patch) */
	atomic_ulong kept_hits;    /* results loaded from the store, no link */
	atomic_ulong cache_hits;   /* results served from memory */
	/* the phases of the latest link, in microseconds: reading the inputs
	 * from the store, the linker, and (in the background) rendering the
	 * tables and keeping the result in the store */
	atomic_ulong last_read_us, last_link_us, last_keep_us;
	/* the inputs of the latest link, and how many of them it took
	 * already parsed (objects parsed when a write committed them; 0 for
	 * a patch, which parses only the changed objects) */
	atomic_ulong last_inputs, last_inputs_parsed;
};

struct units;

struct blobcache;

/* Returns a new table (free with units_free), or NULL. Links read their
 * inputs through blobs; results are kept through keep_st, a connection
 * of the keeper's own (both must outlive the table). */
struct units *units_new(struct store *st, struct store *keep_st,
			struct blobcache *blobs);
void units_free(struct units *u);
/* Called at the start of every units_result, before the unit's inputs
 * are looked at: the daemon waits there (bounded) for writable handles
 * on the unit's inputs to be released (inode.h). */
typedef void (*units_wait_fn)(void *arg, uint64_t dir);
/* started_ns: the daemon's start. An input committed before it whose
 * last descriptor was never released (the daemon stopped) is named in
 * link.log; one committed since is being written, and is not. */
void units_set_wait(struct units *u, units_wait_fn wait, void *arg,
		    int64_t started_ns);
struct unit_counters *units_counters(struct units *u);
/* The stages and last links of the units (activity.h). */
struct activity *units_activity(struct units *u);
/* Generations a unit keeps when its link.conf says no `history`. */
#define UNITS_HISTORY_DEFAULT 5

/*
 * The current result of dir, linking only when its inputs changed since
 * the kept result. On success *out holds a new reference (caller unrefs)
 * and *mtime_ns the time of the latest input change. Returns 0 or -errno
 * (a failed link is a result with ok == 0, not an error).
 */
int units_result(struct units *u, uint64_t dir, struct result **out,
		 int64_t *mtime_ns);

/* The output name of dir per its link.conf ("a.out" by default). */
void units_output_name(struct units *u, uint64_t dir,
		       char out[LINKFS_NAME_MAX + 1]);

/* Marks dir's inputs as changed. */
void units_changed(struct units *u, uint64_t dir);
/* Marks the tree as changed (a rename; a plain file written or removed):
 * the units that collect their inputs from subdirectories (link.conf
 * `inputs`) or link `libs` look again. */
void units_tree_changed(struct units *u);

/*
 * 1 if dir is a link unit, 0 if not, or -errno. A unit: a directory with
 * a committed link.conf, or with committed *.o of which one defines
 * `_main` (or one does not parse as an object: the link says why). So a
 * directory of a library's objects shows no failing a.out
 * (docs/usage.md, "Use"). The objects are read only when the store
 * cannot tell; that answer is kept per generation of dir's inputs.
 */
int units_is_unit(struct units *u, uint64_t dir);

#endif
