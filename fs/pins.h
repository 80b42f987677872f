/*
 * pins.h - the contents open handles still read, so the collector keeps
 * them while no file refers to them any more (a reader of a file that was
 * rewritten or removed reads its snapshot to the end, as on a local
 * filesystem). A multiset: each pin is undone by one unpin.
 *
 * The race this closes: a handle reads a node's content id, then pins it;
 * the collector may have deleted that content in between. So a pinner
 * loads the content after pinning and, when it is gone, reads the node
 * again. The collector holds pins_lock over a whole batch, so a content
 * it saw unpinned is not pinned before the batch commits.
 * Leaves out: the store (store_collect asks pins_has_locked).
 */
#ifndef LINKFS_PINS_H
#define LINKFS_PINS_H

#include <stdint.h>

struct pins;

struct pins *pins_new(void);
void pins_free(struct pins *p);
/* 0 or -ENOMEM. */
int pins_add(struct pins *p, const uint8_t id[16]);
void pins_del(struct pins *p, const uint8_t id[16]);

/* For the collector: lock, ask (a store_pinned_fn), unlock. */
void pins_lock(struct pins *p);
int pins_has_locked(void *p, const uint8_t id[16]);
void pins_unlock(struct pins *p);

#endif
