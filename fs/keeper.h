/*
 * keeper.h - keeps link results in the store from a background thread, so
 * a read of a.out does not wait for the tables to be rendered and written.
 *
 * Jobs run in push order, one at a time, on a thread with nice 10, each
 * once 300 ms have passed since its latest push and since the latest
 * keeper_touch (a request for a unit), or 5 s after its first push at the
 * latest; a job for a directory that already waits replaces the waiting
 * one (only a unit's latest result is worth keeping). So a quick
 * edit-and-relink neither keeps the result it supersedes nor competes
 * with the keeping for the CPU. keeper_stop finishes every waiting job
 * first, so a clean unmount keeps everything. A result not yet kept when the daemon dies is
 * simply linked again after the remount: kept results are a cache, never
 * the only copy of anything. Leaves out: the store's transactions
 * (store.c).
 */
#ifndef LINKFS_KEEPER_H
#define LINKFS_KEEPER_H

#include <stdatomic.h>
#include <stdint.h>

#include "activity.h"
#include "result.h"
#include "store.h"

struct keeper;

/* Starts the thread; last_us (may be NULL) gets each job's duration, act
 * (may be NULL) each unit's keeping stage and kept generation. */
struct keeper *keeper_start(struct store *st, atomic_ulong *last_us,
			    struct activity *act);
/* Queues r (a reference is taken) to be kept as dir's current result
 * and, with r->history, its next generation. */
void keeper_push(struct keeper *k, uint64_t dir, struct result *r);
/* Notes that a unit was used just now (keeping waits for quiet). */
void keeper_touch(struct keeper *k);
/* Drains, then stops the thread and frees k. */
void keeper_stop(struct keeper *k);

#endif
