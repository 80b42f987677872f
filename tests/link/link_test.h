/*
 * link_test.h - helpers of the C link tests: a whole file into a new
 * malloc'd buffer (and a link input of it), a records_done callback that
 * counts its calls, and the check that two images have the same
 * executable and render the same tables. Test code only (it trusts
 * ftell, and exits on a failed check).
 */
#ifndef LINKFS_TESTS_LINK_TEST_H
#define LINKFS_TESTS_LINK_TEST_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "dump/dump.h"
#include "image.h"
#include "link.h"

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

static inline void fail(const char *what, const char *log)
{
	fprintf(stderr, "FAIL: %s%s%s\n", what, log ? ": " : "", log ? log : "");
	exit(1);
}

/* in: the file at path, named by its last component (pointing into
 * path), its bytes malloc'd; fails when it cannot be read. */
static inline void read_input(struct link_input *in, const char *path)
{
	const char *b = strrchr(path, '/');
	in->name = b ? b + 1 : path;
	in->data = read_all(path, &in->size);
	if (!in->data)
		fail("cannot read", path);
}

/* memcmp, but an empty array may be NULL */
static inline int same_bytes(const void *a, const void *b, size_t n)
{
	return n == 0 || !memcmp(a, b, n);
}

static inline void same_image(const struct link_image *want,
		       const struct link_image *got, const char *what)
{
	if (!got || !got->ok)
		fail(what, got && got->log ? got->log : "no image");
	if (got->size != want->size || memcmp(got->bytes, want->bytes, want->size))
		fail(what, "the executable differs");
	for (int k = 0; k < DUMP_KIND_COUNT; k++) {
		struct buf a, b;
		buf_init(&a);
		buf_init(&b);
		if (dump_render(want, (enum dump_kind)k, &a) ||
		    dump_render(got, (enum dump_kind)k, &b))
			fail(what, "cannot render a table");
		if (a.len != b.len || !same_bytes(a.data, b.data, a.len)) {
			fprintf(stderr, "FAIL: %s: %s differs\n", what,
				dump_file_name((enum dump_kind)k));
			exit(1);
		}
		buf_release(&a);
		buf_release(&b);
	}
	printf("ok: %s: same executable and tables\n", what);
}

#endif
