/*
 * keeper.c - the background thread that keeps link results (keeper.h).
 * Leaves out: retrying a failed keep (the result is linked again later).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "keeper.h"

/* A job is kept once KEEP_DELAY_MS have passed since its latest push and
 * the units have been left alone for KEEP_QUIET_MS (keeper_touch), or at
 * the latest KEEP_MAX_WAIT_MS after its first push. A build that relinks
 * again soon (edit, cat, edit, cat) does not pay for keeping results that
 * are superseded at once, and the keeping (hundreds of milliseconds of
 * rendering and writing for 10,000 objects) does not compete with the
 * requests of a busy build for the CPU. */
enum { KEEP_DELAY_MS = 300, KEEP_QUIET_MS = 300, KEEP_MAX_WAIT_MS = 5000 };

struct job {
	uint64_t dir;
	struct result *r;
	uint64_t first_ns, pushed_ns; /* CLOCK_MONOTONIC */
	struct job *next;
};

struct keeper {
	struct store *st;
	atomic_ulong *last_us;
	struct activity *act;      /* may be NULL */
	pthread_t thread;
	pthread_mutex_t lock;      /* guards head, tail, stop */
	pthread_cond_t work;
	struct job *head, *tail;
	int stop;
	atomic_uint_least64_t busy_ns; /* latest keeper_touch */
};

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* When job j may be kept (CLOCK_MONOTONIC ns), given the latest touch. */
static uint64_t due_ns(const struct job *j, uint64_t busy)
{
	uint64_t ms = 1000000u;
	uint64_t settled = j->pushed_ns + KEEP_DELAY_MS * ms;
	uint64_t quiet = max_u64(settled, busy + KEEP_QUIET_MS * ms);
	uint64_t latest = max_u64(settled, j->first_ns + KEEP_MAX_WAIT_MS * ms);
	return quiet < latest ? quiet : latest;
}

static void keep(struct keeper *k, uint64_t dir, struct result *r)
{
	uint64_t t0 = mono_ns(), gen = 0;
	if (k->act)
		activity_keep(k->act, dir, KEEP_KEEPING);
	int rc = result_render(r);
	if (!rc) {
		struct stored_result put = { .ok = r->ok, .log = r->log,
					     .log_len = r->log_len,
					     .output_name = r->output,
					     .history = r->history };
		memcpy(put.files, r->files, sizeof put.files);
		rc = store_result_put(k->st, dir, r->key, &put, wall_ns(), &gen);
	}
	if (k->act) {
		activity_kept(k->act, dir, r->key, gen);
		activity_keep(k->act, dir, KEEP_IDLE);
	}
	if (rc)
		fprintf(stderr, "linkfs: cannot keep the link result of unit "
			"%llu: %s\n", (unsigned long long)dir, strerror(-rc));
	else
		store_gc(k->st);
	if (k->last_us)
		atomic_store(k->last_us, (unsigned long)((mono_ns() - t0) / 1000));
}

static void *run(void *arg)
{
	struct keeper *k = arg;
	/* background work: requests come first (Linux nice is per thread) */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	pthread_mutex_lock(&k->lock);
	for (;;) {
		while (!k->head && !k->stop)
			pthread_cond_wait(&k->work, &k->lock);
		if (!k->head)
			break;   /* stopping, and nothing is left */
		uint64_t due = due_ns(k->head, atomic_load(&k->busy_ns));
		if (!k->stop && mono_ns() < due) {
			/* the clock is CLOCK_MONOTONIC (keeper_start) */
			struct timespec t = { (time_t)(due / 1000000000u),
					      (long)(due % 1000000000u) };
			pthread_cond_timedwait(&k->work, &k->lock, &t);
			continue;
		}
		struct job *j = k->head;
		k->head = j->next;
		if (!k->head)
			k->tail = NULL;
		pthread_mutex_unlock(&k->lock);
		keep(k, j->dir, j->r);
		result_unref(j->r);
		pthread_mutex_lock(&k->lock);
		/* a newer result of the unit came while this one was kept */
		for (struct job *q = k->head; k->act && q; q = q->next)
			if (q->dir == j->dir)
				activity_keep(k->act, j->dir, KEEP_QUEUED);
		free(j);
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

struct keeper *keeper_start(struct store *st, atomic_ulong *last_us,
			    struct activity *act)
{
	struct keeper *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->st = st;
	k->last_us = last_us;
	k->act = act;
	pthread_mutex_init(&k->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&k->work, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&k->thread, NULL, run, k)) {
		pthread_cond_destroy(&k->work);
		pthread_mutex_destroy(&k->lock);
		free(k);
		return NULL;
	}
	return k;
}

void keeper_push(struct keeper *k, uint64_t dir, struct result *r)
{
	if (k->act)
		activity_keep(k->act, dir, KEEP_QUEUED);
	pthread_mutex_lock(&k->lock);
	for (struct job *j = k->head; j; j = j->next) {
		if (j->dir == dir) {   /* a newer result supersedes it */
			result_ref(r);
			result_unref(j->r);
			j->r = r;
			j->pushed_ns = mono_ns();
			pthread_mutex_unlock(&k->lock);
			return;
		}
	}
	struct job *j = malloc(sizeof *j);
	if (j) {
		result_ref(r);
		uint64_t t = mono_ns();
		*j = (struct job){ dir, r, t, t, NULL };
		if (k->tail)
			k->tail->next = j;
		else
			k->head = j;
		k->tail = j;
		pthread_cond_signal(&k->work);
	}
	pthread_mutex_unlock(&k->lock);
	if (!j)   /* no memory for the job: keep it now, in this thread */
		keep(k, dir, r);
}

void keeper_touch(struct keeper *k)
{
	atomic_store(&k->busy_ns, mono_ns());
}

void keeper_stop(struct keeper *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	pthread_cond_signal(&k->work);
	pthread_mutex_unlock(&k->lock);
	pthread_join(k->thread, NULL);
	pthread_cond_destroy(&k->work);
	pthread_mutex_destroy(&k->lock);
	free(k);
}
