/*
 * test_snapshot_open.c - the page-cache rule for opens of synthetic files
 * (fs/inode.c, inodes_open_snapshot), without a mount.
 *
 * Checks: the first cached open of a run announces (the daemon must tell
 * the kernel its size may be stale) and keeps the pages only when they hold
 * the same result; an open of another result while one is open is served
 * with direct I/O; a second open of the same result waits until the first
 * has announced, so it cannot read with a size another result set; after
 * the last close the next open announces again. Leaves out: the kernel
 * side (fs-snapshot and fs-concurrency test that through a mount).
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

struct second_open {
	struct inodes *t;
	atomic_int done;
	int cached, keep, announce;
};

static void *open_same(void *arg)
{
	struct second_open *s = arg;
	s->cached = inodes_open_snapshot(s->t, INO, key_a, 100, 1, &s->keep,
					 &s->announce);
	atomic_store(&s->done, 1);
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	nanosleep(&ts, NULL);
}

int main(void)
{
	struct inodes *t = inodes_new();
	if (!t) {
		printf("FAIL: out of memory\n");
		return 1;
	}
	uint64_t size;
	int64_t mtime;
	int keep, announce;

	/* first open of result a: cached, announces, nothing to keep */
	int c = inodes_open_snapshot(t, INO, key_a, 100, 1, &keep, &announce);
	CHECK(c == 1 && keep == 0 && announce == 1,
	      "first open: cached %d keep %d announce %d, want 1 0 1", c, keep,
	      announce);
	CHECK(inodes_snapshot_attr(t, INO, &size, &mtime) && size == 100,
	      "the open snapshot's size is what getattr reports");

	/* a second open of a waits while the first has not announced */
	struct second_open s = { .t = t };
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

	/* result b while a is open: direct I/O, no announcement, and getattr
	 * still reports a's size */
	c = inodes_open_snapshot(t, INO, key_b, 200, 2, &keep, &announce);
	CHECK(c == 0 && announce == 0,
	      "open of another result while one is open: cached %d announce "
	      "%d, want 0 0", c, announce);
	CHECK(inodes_snapshot_attr(t, INO, &size, &mtime) && size == 100,
	      "getattr while a is open: size %llu, want 100",
	      (unsigned long long)size);

	/* a third open of a does not wait: the run has announced */
	c = inodes_open_snapshot(t, INO, key_a, 100, 1, &keep, &announce);
	CHECK(c == 1 && keep == 1 && announce == 0,
	      "third open: cached %d keep %d announce %d, want 1 1 0", c, keep,
	      announce);

	for (int i = 0; i < 3; i++)
		inodes_close_snapshot(t, INO);
	CHECK(!inodes_snapshot_attr(t, INO, &size, &mtime),
	      "no cached open is left after three closes");

	/* the kernel still holds the inode (a lookup): after the run, b is
	 * cached, announces, and may not keep a's pages */
	inodes_ref(t, INO);
	c = inodes_open_snapshot(t, INO, key_b, 200, 2, &keep, &announce);
	CHECK(c == 1 && keep == 0 && announce == 1,
	      "open of b after a's run: cached %d keep %d announce %d, want "
	      "1 0 1", c, keep, announce);
	inodes_announced(t, INO);
	inodes_close_snapshot(t, INO);

	/* b again after its run ended: the pages hold it, but the size the
	 * kernel has may be another's, so it announces again */
	c = inodes_open_snapshot(t, INO, key_b, 200, 2, &keep, &announce);
	CHECK(c == 1 && keep == 1 && announce == 1,
	      "reopen of b: cached %d keep %d announce %d, want 1 1 1", c, keep,
	      announce);
	inodes_announced(t, INO);
	inodes_close_snapshot(t, INO);
	inodes_forget(t, INO, 1);

	inodes_free(t);
	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	printf("ok: snapshot opens\n");
	return 0;
}
