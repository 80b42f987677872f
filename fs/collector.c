/*
 * collector.c - the background garbage collector (collector.h).
 * Leaves out: retrying after an error other than a busy store (logged;
 * the next poke or tick tries again).
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
#include "collector.h"

/* The pause between two batches (others take the write lock then), the
 * period of the unpoked pass, and the pages one vacuum step gives back. */
enum { PAUSE_MS = 2, TICK_MS = 1000, VACUUM_PAGES = 256 };

struct collector {
	struct store *st;
	struct pins *pins;
	pthread_t thread;
	pthread_mutex_t lock;     /* guards poked, stop, budget_ns */
	pthread_cond_t wake;
	int poked, stop;
	uint64_t deadline_ns;     /* when stopping: the last pass ends here */
};

static void pause_ms(unsigned ms)
{
	nanosleep(&(struct timespec){ 0, (long)ms * 1000000L }, NULL);
}

static void lock_pins(void *arg) { pins_lock(arg); }
static void unlock_pins(void *arg) { pins_unlock(arg); }

void collector_share_pins(struct store *st, struct pins *pins)
{
	struct store_pins p = { lock_pins, pins_has_locked, unlock_pins, pins };
	store_set_pins(st, &p);
}

/* Batches until nothing is left or deadline (CLOCK_MONOTONIC ns, 0: none)
 * passes; returns the rows deleted, or -errno. */
static int pass(struct store *st, uint64_t deadline)
{
	int total = 0, rc;
	do {
		rc = store_collect(st);
		if (rc > 0) {
			total += rc;
			pause_ms(PAUSE_MS);
		}
	} while (rc > 0 && (!deadline || mono_ns() < deadline));
	while (rc >= 0 && (!deadline || mono_ns() < deadline)) {
		int64_t left = store_vacuum_step(st, VACUUM_PAGES);
		if (left < 0)
			rc = (int)left;
		if (left <= 0)
			break;
		pause_ms(PAUSE_MS);
	}
	/* what the batches and the vacuum wrote went through the WAL, as
	 * did every commit that poked us: fold it back (store_checkpoint) */
	store_checkpoint(st, total > 0);
	if (rc < 0 && rc != -EIO)
		fprintf(stderr, "linkfs: collector: %s\n", strerror(-rc));
	return rc < 0 ? rc : total;
}

static void *run(void *arg)
{
	struct collector *c = arg;
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	pthread_mutex_lock(&c->lock);
	while (!c->stop) {
		if (!c->poked) {
			struct timespec t;
			clock_gettime(CLOCK_MONOTONIC, &t);
			t.tv_sec += TICK_MS / 1000;
			pthread_cond_timedwait(&c->wake, &c->lock, &t);
		}
		if (c->stop)
			break;
		c->poked = 0;
		pthread_mutex_unlock(&c->lock);
		pass(c->st, 0);
		pthread_mutex_lock(&c->lock);
	}
	uint64_t deadline = c->deadline_ns;
	pthread_mutex_unlock(&c->lock);
	pass(c->st, deadline);
	return NULL;
}

struct collector *collector_start(struct store *st, struct pins *pins)
{
	struct collector *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->st = st;
	c->pins = pins;
	collector_share_pins(st, pins);
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&c->thread, NULL, run, c)) {
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		free(c);
		return NULL;
	}
	return c;
}

void collector_poke(struct collector *c)
{
	pthread_mutex_lock(&c->lock);
	if (!c->poked) {
		c->poked = 1;
		pthread_cond_signal(&c->wake);
	}
	pthread_mutex_unlock(&c->lock);
}

void collector_stop(struct collector *c, unsigned budget_ms)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	c->deadline_ns = mono_ns() + (uint64_t)budget_ms * 1000000u;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
