/*
 * test_snapshot_open.c - the page-cache rule for opens of synthetic files
 * (fs/inode.c, inodes_open_snapshot), without a mount.
 *
 * Checks: the first cached open of a run announces (the daemon must tell
 * the kernel its size may be stale) and keeps the pages only when they hold
 * the same result; an open of another result while one is open gets the
 * open snapshot (result and mtime), so size and reads agree; a second open
 * of the same result waits until the first has announced, so it cannot
 * read with a size another result set; after the last close the next open
 * announces again and the inode drops its reference; a lookup picks the
 * inode version holding the current result, else the lowest with none
 * open. Leaves out: the kernel side (store-synth-fd, fs-snapshot and
 * fs-concurrency test that through a mount).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "inode.h"
#include "check.h"

enum { INO = 0x4000000000000010ull };

static const uint8_t key_a[16] = { 'a' };
static const uint8_t key_b[16] = { 'b' };

static const uint8_t key_c[16] = { 'c' };

struct second_open {
	struct inodes *t;
	struct result *r;
	atomic_int done;
	int cached, keep, announce;
};

static void *open_same(void *arg)
{
	struct second_open *s = arg;
	int64_t mtime = 1;
	s->cached = inodes_open_snapshot(s->t, INO, &s->r, 100, &mtime,
					 &s->keep, &s->announce);
	atomic_store(&s->done, 1);
	return NULL;
}

/* opens ino with a new reference to r; returns inodes_open_snapshot's */
static int open_r(struct inodes *t, uint64_t ino, struct result **r,
		  struct result *cur, uint64_t size, int64_t *mtime, int *keep,
		  int *announce)
{
	result_ref(cur);
	*r = cur;
	return inodes_open_snapshot(t, ino, r, size, mtime, keep, announce);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	nanosleep(&ts, NULL);
}

int main(void)
{
	struct inodes *t = inodes_new();
	struct result *ra = result_new(key_a), *rb = result_new(key_b);
	if (!t || !ra || !rb) {
		printf("FAIL: out of memory\n");
		return 1;
	}
	uint64_t size;
	int64_t mtime;
	int keep, announce;
	struct result *r1, *r3, *r4, *r5;

	/* first open of result a: cached, announces, nothing to keep */
	mtime = 1;
	int c = open_r(t, INO, &r1, ra, 100, &mtime, &keep, &announce);
	CHECK(c == 1 && keep == 0 && announce == 1 && r1 == ra,
	      "first open: cached %d keep %d announce %d, want 1 0 1", c, keep,
	      announce);
	CHECK(inodes_snapshot_attr(t, INO, &size, &mtime) && size == 100,
	      "the open snapshot's size is what getattr reports");

	/* a second open of a waits while the first has not announced */
	struct second_open s = { .t = t, .r = ra };
	result_ref(ra);
	pthread_t th;
	if (pthread_create(&th, NULL, open_same, &s)) {
		printf("FAIL: pthread_create\n");
		return 1;
	}
	sleep_ms(50);   /* not a timing check: it must still be waiting */
	CHECK(!atomic_load(&s.done),
	      "a second open of the same result returned before the first "
	      "announced");
	inodes_announced(t, INO);
	pthread_join(th, NULL);
	CHECK(s.cached == 1 && s.keep == 1 && s.announce == 0,
	      "second open: cached %d keep %d announce %d, want 1 1 0",
	      s.cached, s.keep, s.announce);

	/* result b while a is open on the inode (an open that raced with a
	 * relink): it gets a's snapshot, mtime too, no announcement, and
	 * getattr still reports a's size */
	mtime = 2;
	c = open_r(t, INO, &r3, rb, 200, &mtime, &keep, &announce);
	CHECK(c == 1 && keep == 1 && announce == 0 && r3 == ra && mtime == 1,
	      "open of another result while one is open: cached %d keep %d "
	      "announce %d, result %s, mtime %lld, want 1 1 0 a 1", c, keep,
	      announce, r3 == ra ? "a" : "b", (long long)mtime);
	CHECK(atomic_load(&rb->refs) == 1,
	      "b's reference was not given back (%d refs)",
	      atomic_load(&rb->refs));
	CHECK(inodes_snapshot_attr(t, INO, &size, &mtime) && size == 100,
	      "getattr while a is open: size %llu, want 100",
	      (unsigned long long)size);

	/* a lookup while a is open: b gets version 1, a stays on version 0 */
	uint64_t v1 = INO | 1ull << SYNTH_VERSION_SHIFT;
	uint64_t v2 = INO | 2ull << SYNTH_VERSION_SHIFT;
	CHECK(inodes_synth_ino(t, INO, key_a) == INO,
	      "lookup of a while a is open: not version 0");
	CHECK(inodes_synth_ino(t, INO, key_b) == v1,
	      "lookup of b while a is open: not version 1");
	inodes_ref(t, v1);
	mtime = 2;
	c = open_r(t, v1, &r5, rb, 200, &mtime, &keep, &announce);
	CHECK(c == 1 && keep == 0 && announce == 1 && r5 == rb,
	      "open of b on version 1: cached %d keep %d announce %d, want 1 0 1",
	      c, keep, announce);
	inodes_announced(t, v1);
	CHECK(inodes_snapshot_attr(t, v1, &size, &mtime) && size == 200 &&
	      inodes_snapshot_attr(t, INO, &size, &mtime) && size == 100,
	      "each version reports its own snapshot's size");
	CHECK(inodes_synth_ino(t, INO, key_b) == v1 &&
	      inodes_synth_ino(t, INO, key_c) == v2,
	      "lookups with a and b open: b not on version 1, or c not on 2");

	/* a third open of a does not wait: the run has announced */
	mtime = 1;
	c = open_r(t, INO, &r4, ra, 100, &mtime, &keep, &announce);
	CHECK(c == 1 && keep == 1 && announce == 0,
	      "third open: cached %d keep %d announce %d, want 1 1 0", c, keep,
	      announce);

	for (int i = 0; i < 4; i++)
		inodes_close_snapshot(t, INO);
	result_unref(r1);
	result_unref(s.r);
	result_unref(r3);
	result_unref(r4);
	CHECK(!inodes_snapshot_attr(t, INO, &size, &mtime),
	      "no cached open is left after four closes");
	CHECK(atomic_load(&ra->refs) == 1,
	      "the inode still holds a (%d refs)", atomic_load(&ra->refs));
	CHECK(inodes_synth_ino(t, INO, key_c) == INO,
	      "lookup of c after a's closes: not version 0");
	inodes_close_snapshot(t, v1);
	result_unref(r5);
	inodes_forget(t, v1, 1);
	CHECK(atomic_load(&rb->refs) == 1,
	      "version 1 still holds b (%d refs)", atomic_load(&rb->refs));

	/* the kernel still holds the inode (a lookup): after the run, b is
	 * cached, announces, and may not keep a's pages */
	inodes_ref(t, INO);
	mtime = 2;
	c = open_r(t, INO, &r1, rb, 200, &mtime, &keep, &announce);
	CHECK(c == 1 && keep == 0 && announce == 1,
	      "open of b after a's run: cached %d keep %d announce %d, want "
	      "1 0 1", c, keep, announce);
	inodes_announced(t, INO);
	inodes_close_snapshot(t, INO);
	result_unref(r1);
	CHECK(inodes_synth_ino(t, INO, key_b) == INO,
	      "lookup of b, whose pages version 0 holds: not version 0");

	/* b again after its run ended: the pages hold it, but the size the
	 * kernel has may be another's, so it announces again */
	c = open_r(t, INO, &r1, rb, 200, &mtime, &keep, &announce);
	CHECK(c == 1 && keep == 1 && announce == 1,
	      "reopen of b: cached %d keep %d announce %d, want 1 1 1", c, keep,
	      announce);
	inodes_announced(t, INO);
	inodes_close_snapshot(t, INO);
	result_unref(r1);
	inodes_forget(t, INO, 1);

	result_unref(ra);
	result_unref(rb);
	inodes_free(t);
	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	printf("ok: snapshot opens\n");
	return 0;
}
