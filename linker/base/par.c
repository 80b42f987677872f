/*
 * par.c - the parallel for of par.h (one atomic counter hands out chunks
 * of items to the calling thread and up to threads-1 helpers) and its
 * task (one function on a thread of its own, joined later).
 */
#include "par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

struct par_job {
	void (*fn)(void *arg, size_t i, int worker);
	void *arg;
	size_t n, chunk;
	atomic_size_t next;
};

struct par_worker {
	struct par_job *job;
	int id;
};

int par_threads(int requested)
{
	if (requested > 0)
		return requested < PAR_MAX_THREADS ? requested : PAR_MAX_THREADS;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n < PAR_MAX_THREADS ? (int)n : PAR_MAX_THREADS;
}

static void run_chunks(struct par_job *j, int worker)
{
	for (;;) {
		size_t b = atomic_fetch_add_explicit(&j->next, j->chunk,
						     memory_order_relaxed);
		if (b >= j->n)
			return;
		size_t e = j->n - b < j->chunk ? j->n : b + j->chunk;
		for (size_t i = b; i < e; i++)
			j->fn(j->arg, i, worker);
	}
}

static void *worker_main(void *p)
{
	struct par_worker *w = p;
	run_chunks(w->job, w->id);
	return NULL;
}

void par_for(int threads, size_t n, size_t chunk,
	     void (*fn)(void *arg, size_t i, int worker), void *arg)
{
	if (threads < 1)
		threads = 1;
	if (threads > PAR_MAX_THREADS)
		threads = PAR_MAX_THREADS;
	if ((size_t)threads > n)
		threads = n ? (int)n : 1;
	if (chunk == 0) {
		/* about 16 chunks per thread: balance without much contention */
		chunk = n / ((size_t)threads * 16);
		if (chunk == 0)
			chunk = 1;
	}
	struct par_job job = { .fn = fn, .arg = arg, .n = n, .chunk = chunk };
	atomic_init(&job.next, 0);
	pthread_t tid[PAR_MAX_THREADS];
	struct par_worker w[PAR_MAX_THREADS];
	int started = 0;
	for (int t = 1; t < threads; t++) {
		w[t].job = &job;
		w[t].id = t;
		if (pthread_create(&tid[t], NULL, worker_main, &w[t]) != 0)
			break; /* the others do its share */
		started = t;
	}
	run_chunks(&job, 0);
	for (int t = 1; t <= started; t++)
		pthread_join(tid[t], NULL);
}

static void *task_main(void *p)
{
	struct par_task *t = p;
	t->fn(t->arg);
	return NULL;
}

void par_task_start(struct par_task *t, void (*fn)(void *arg), void *arg)
{
	t->fn = fn;
	t->arg = arg;
	t->running = pthread_create(&t->thread, NULL, task_main, t) == 0;
	if (!t->running)
		fn(arg);
}

void par_task_join(struct par_task *t)
{
	if (t->running)
		pthread_join(t->thread, NULL);
	t->running = 0;
}
