/*
 * latch.h - a one-time "finished" signal between threads, with an
 * outcome: the side that hands a piece of work to another thread arms
 * the latch first; that thread opens it when the work is done (or
 * failed); readers wait until it is open. An unarmed latch is open.
 * Used for a link's deferred records (image.h) and its deferred patch
 * state (core/patch.c).
 *
 * Leaves out: re-arming while waiters are blocked, and timeouts.
 */
#ifndef LINKFS_LATCH_H
#define LINKFS_LATCH_H

#include <pthread.h>

struct latch {
	pthread_mutex_t lock;
	pthread_cond_t opened;
	int pending;               /* under lock */
	int failed;                /* under lock: how the work ended */
};

void latch_init(struct latch *l);
void latch_destroy(struct latch *l);
/* Marks the work pending; before another thread can see the latch. */
void latch_arm(struct latch *l);
/* Undoes latch_arm when the work could not be handed over after all. */
void latch_disarm(struct latch *l);
/* The work is done (failed: 0) or failed (1): wakes every waiter. */
void latch_open(struct latch *l, int failed);
/* Waits until the latch is open; 0, or -1 when the work failed. */
int latch_wait(struct latch *l);

#endif
