/*
 * par.h - a parallel for over [0, n) with pthreads, for the stages of a
 * link that work on independent items (objects, output sections).
 *
 * Items are handed out in chunks from an atomic counter, so any worker
 * may run any item: callers keep results per item (or per chunk, merged
 * in item order afterwards), never per worker, and so get the same output
 * for any number of threads. The calling thread is worker 0; the others
 * are started for the call and joined before it returns. If a thread
 * cannot be started, the items run on the threads that did start: the
 * result is the same, only slower.
 *
 * Invariant: fn(arg, i, worker) runs exactly once for every i in [0, n),
 * with 0 <= worker < threads; par_for returns after all of them.
 */
#ifndef LINKFS_PAR_H
#define LINKFS_PAR_H

#include <pthread.h>
#include <stddef.h>

/* The number of threads to use for `requested` (0: one per online CPU,
 * at most PAR_MAX_THREADS). */
enum { PAR_MAX_THREADS = 64 };
int par_threads(int requested);

/*
 * Runs fn for every item in [0, n) on up to `threads` threads, `chunk`
 * items at a time (0: a size picked from n and threads).
 */
void par_for(int threads, size_t n, size_t chunk,
	     void (*fn)(void *arg, size_t i, int worker), void *arg);

/*
 * One function run beside the caller's own work, on a thread of its own,
 * for a serial stage that leaves a core idle. par_task_start runs fn(arg)
 * on a new thread, or there and then when no thread can be started;
 * par_task_join returns once fn has returned. Every started task is
 * joined exactly once; joining a task that was never started (zeroed)
 * returns at once.
 */
struct par_task {
	pthread_t thread;
	int running;             /* on its thread, not yet joined */
	void (*fn)(void *arg);
	void *arg;
};

void par_task_start(struct par_task *t, void (*fn)(void *arg), void *arg);
void par_task_join(struct par_task *t);

#endif
