/*
 * link_test.h - helpers of the C link tests: a whole file into a new
 * malloc'd buffer, and a records_done callback that counts its calls.
 * Test code only (it trusts ftell, and exits on a failed check).
 */
#ifndef LINKFS_TESTS_LINK_TEST_H
#define LINKFS_TESTS_LINK_TEST_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The bytes of path (malloc'd) and their count, or NULL. */
static inline uint8_t *read_all(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
	if (p && fread(p, 1, (size_t)n, fp) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	*size = (size_t)n;
	return p;
}

struct done {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int calls;
};

static inline void records_done(void *arg)
{
	struct done *d = arg;
	pthread_mutex_lock(&d->lock);
	d->calls++;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

/* Waits for `want` calls in all; fails on more. */
static inline void wait_calls(struct done *d, int want, const char *what)
{
	pthread_mutex_lock(&d->lock);
	while (d->calls < want)
		pthread_cond_wait(&d->cond, &d->lock);
	int calls = d->calls;
	pthread_mutex_unlock(&d->lock);
	if (calls != want) {
		fprintf(stderr, "FAIL: %s: records_done called %d times, not %d\n",
			what, calls, want);
		exit(1);
	}
}

#endif
