/*
 * latch.c - the one-time signal of latch.h: a mutex, a condition
 * variable and two flags.
 */
#include "latch.h"

void latch_init(struct latch *l)
{
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->opened, NULL);
	l->pending = 0;
	l->failed = 0;
}

void latch_destroy(struct latch *l)
{
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->opened);
}

void latch_arm(struct latch *l)
{
	l->pending = 1;
}

void latch_disarm(struct latch *l)
{
	l->pending = 0;
}

void latch_open(struct latch *l, int failed)
{
	pthread_mutex_lock(&l->lock);
	l->pending = 0;
	l->failed = failed;
	pthread_cond_broadcast(&l->opened);
	pthread_mutex_unlock(&l->lock);
}

int latch_wait(struct latch *l)
{
	pthread_mutex_lock(&l->lock);
	while (l->pending)
		pthread_cond_wait(&l->opened, &l->lock);
	int failed = l->failed;
	pthread_mutex_unlock(&l->lock);
	return failed ? -1 : 0;
}
