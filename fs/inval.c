/*
 * inval.c - the invalidation thread (see inval.h). A fixed ring of dirs;
 * a push to a full ring is dropped, since invalidation is only a refresh
 * here (see inval.h). Leaves out: batching per inode.
 */
#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdlib.h>

#include "inode.h"
#include "inval.h"
#include "names.h"

#define RING 1024

struct inval {
	struct fuse_session *se;
	struct inodes *inodes;
	pthread_t thread;
	pthread_mutex_t lock;   /* guards ring, head, n, stop */
	pthread_cond_t cond;
	uint64_t ring[RING];
	size_t head, n;
	int stop;
};

static void *run(void *arg)
{
	struct inval *v = arg;
	pthread_mutex_lock(&v->lock);
	for (;;) {
		while (!v->n && !v->stop)
			pthread_cond_wait(&v->cond, &v->lock);
		if (v->stop)
			break;
		uint64_t dir = v->ring[v->head];
		v->head = (v->head + 1) % RING;
		v->n--;
		pthread_mutex_unlock(&v->lock);
		for (int k = 0; k < SYNTH_COUNT; k++) {
			uint64_t ino = synth_ino(dir, k);
			if (inodes_known(v->inodes, ino))
				fuse_lowlevel_notify_inval_inode(v->se, ino, 0, 0);
		}
		pthread_mutex_lock(&v->lock);
	}
	pthread_mutex_unlock(&v->lock);
	return NULL;
}

struct inval *inval_start(struct fuse_session *se, struct inodes *t)
{
	struct inval *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->se = se;
	v->inodes = t;
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->cond, NULL);
	if (pthread_create(&v->thread, NULL, run, v)) {
		free(v);
		return NULL;
	}
	return v;
}

void inval_push(struct inval *v, uint64_t dir)
{
	if (!v)
		return;
	pthread_mutex_lock(&v->lock);
	int dup = 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->ring[(v->head + i) % RING] == dir)
			dup = 1;
	if (!dup && v->n < RING) {
		v->ring[(v->head + v->n) % RING] = dir;
		v->n++;
		pthread_cond_signal(&v->cond);
	}
	pthread_mutex_unlock(&v->lock);
}

void inval_stop(struct inval *v)
{
	if (!v)
		return;
	pthread_mutex_lock(&v->lock);
	v->stop = 1;
	pthread_cond_signal(&v->cond);
	pthread_mutex_unlock(&v->lock);
	pthread_join(v->thread, NULL);
	pthread_cond_destroy(&v->cond);
	pthread_mutex_destroy(&v->lock);
	free(v);
}
