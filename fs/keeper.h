/*
 * keeper.h - keeps link results in the store from a background thread, so
 * a read of a.out does not wait for the tables to be rendered and written.
 *
 * Jobs run in push order, one at a time, each at least 300 ms after its
 * latest push, on a thread with nice 10; a job for a directory that
 * already waits replaces the waiting one (only a unit's latest result is
 * worth keeping) and waits again. So a quick edit-and-relink does not
 * compete with the keeping of the result it supersedes. keeper_stop finishes every waiting job first, so a clean
 * unmount keeps everything. A result not yet kept when the daemon dies is
 * simply linked again after the remount: kept results are a cache, never
 * the only copy of anything. Leaves out: the store's transactions
 * (store.c).
 */
#ifndef LINKFS_KEEPER_H
#define LINKFS_KEEPER_H

#include <stdatomic.h>
#include <stdint.h>

#include "result.h"
#include "store.h"

struct keeper;

/* Starts the thread; last_us (may be NULL) gets each job's duration. */
struct keeper *keeper_start(struct store *st, atomic_ulong *last_us);
/* Queues r (a reference is taken) to be kept as dir's current result. */
void keeper_push(struct keeper *k, uint64_t dir, struct result *r);
/* Waits until every queued job is done. */
void keeper_drain(struct keeper *k);
/* Drains, then stops the thread and frees k. */
void keeper_stop(struct keeper *k);

#endif
