/*
 * inode.c - a hash table of the inodes the kernel holds, with their open
 * writers, and the count of open writers of each unit's inputs. An entry
 * lives while nlookup > 0 or a writer is open.
 * Leaves out: generation numbers (ids are never reused, see schema).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inode.h"
#include "result.h"

#define NBUCKETS 4096

struct inode {
	uint64_t ino;
	uint64_t nlookup;
	struct fh *writers;
	uint8_t key[16];        /* synthetic: result the page cache holds */
	int has_key;
	uint64_t key_size;      /* its size and mtime */
	int64_t key_mtime;
	uint64_t cached_opens;  /* opens served through the page cache */
	struct result *res;     /* their result (a reference) while any */
	int announcing;         /* the first of them is telling the kernel */
	struct stat attr;       /* stored: last attributes told the kernel */
	int has_attr;
	uint8_t hash[16];       /* and the content they described */
	int has_hash;
	struct inode *next;
};

/* A unit with writable handles open on its inputs. */
struct unit_writers {
	uint64_t dir;
	uint64_t count;
	int gave_up;     /* a link waited the whole bound for these writers */
	struct unit_writers *next;
};

struct inodes {
	pthread_mutex_t lock;   /* guards everything below */
	pthread_cond_t announced;   /* some inode's announcing went to 0 */
	pthread_cond_t released;    /* some unit's writer count went down */
	struct inode *bucket[NBUCKETS];
	struct unit_writers *units;
};

struct inodes *inodes_new(void)
{
	struct inodes *t = calloc(1, sizeof *t);
	if (t) {
		pthread_mutex_init(&t->lock, NULL);
		pthread_cond_init(&t->announced, NULL);
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&t->released, &ca);
		pthread_condattr_destroy(&ca);
	}
	return t;
}

void inodes_free(struct inodes *t)
{
	if (!t)
		return;
	for (int i = 0; i < NBUCKETS; i++) {
		struct inode *n, *x = t->bucket[i];
		for (; x; x = n) {
			n = x->next;
			free(x);
		}
	}
	while (t->units) {
		struct unit_writers *u = t->units;
		t->units = u->next;
		free(u);
	}
	pthread_cond_destroy(&t->announced);
	pthread_cond_destroy(&t->released);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static struct inode **slot(struct inodes *t, uint64_t ino)
{
	struct inode **p = &t->bucket[(ino ^ ino >> 32) % NBUCKETS];
	while (*p && (*p)->ino != ino)
		p = &(*p)->next;
	return p;
}

static struct inode *get(struct inodes *t, uint64_t ino, int create)
{
	struct inode **p = slot(t, ino);
	if (*p || !create)
		return *p;
	struct inode *x = calloc(1, sizeof *x);
	if (x) {
		x->ino = ino;
		*p = x;
	}
	return x;
}

static void maybe_drop(struct inodes *t, uint64_t ino)
{
	struct inode **p = slot(t, ino), *x = *p;
	if (x && x->nlookup == 0 && !x->writers && !x->cached_opens) {
		*p = x->next;
		free(x);
	}
}

void inodes_ref(struct inodes *t, uint64_t ino)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 1);
	if (x)
		x->nlookup++;
	pthread_mutex_unlock(&t->lock);
}

void inodes_forget(struct inodes *t, uint64_t ino, uint64_t n)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	if (x) {
		x->nlookup = x->nlookup > n ? x->nlookup - n : 0;
		maybe_drop(t, ino);
	}
	pthread_mutex_unlock(&t->lock);
}

int inodes_add_writer(struct inodes *t, uint64_t ino, struct fh *f)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 1);
	if (x) {
		f->next_writer = x->writers;
		x->writers = f;
	}
	pthread_mutex_unlock(&t->lock);
	return x ? 0 : -ENOMEM;
}

int inodes_remove_writer(struct inodes *t, uint64_t ino, struct fh *f)
{
	int left = 0;
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	if (x) {
		for (struct fh **p = &x->writers; *p; p = &(*p)->next_writer) {
			if (*p == f) {
				*p = f->next_writer;
				break;
			}
		}
		for (struct fh *w = x->writers; w; w = w->next_writer)
			left++;
		maybe_drop(t, ino);
	}
	pthread_mutex_unlock(&t->lock);
	return left;
}

/* Under t->lock: one writer more (dir != 0) or less for dir. */
static int unit_count(struct inodes *t, uint64_t dir, int up)
{
	struct unit_writers **p = &t->units;
	while (*p && (*p)->dir != dir)
		p = &(*p)->next;
	if (up) {
		if (!*p && (*p = calloc(1, sizeof **p)))
			(*p)->dir = dir;
		if (!*p)
			return -ENOMEM;
		(*p)->count++;
		(*p)->gave_up = 0;   /* new writers: worth waiting for again */
	} else if (*p && --(*p)->count == 0) {
		struct unit_writers *u = *p;
		*p = u->next;
		free(u);
		pthread_cond_broadcast(&t->released);
	}
	return 0;
}

int inodes_unit_writer_set(struct inodes *t, struct fh *f, uint64_t dir)
{
	int rc = 0;
	pthread_mutex_lock(&t->lock);
	if (f->unit_dir != dir && (!dir || !(rc = unit_count(t, dir, 1)))) {
		if (f->unit_dir)
			unit_count(t, f->unit_dir, 0);
		f->unit_dir = dir;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

uint64_t inodes_unit_of(struct inodes *t, const struct fh *f)
{
	pthread_mutex_lock(&t->lock);
	uint64_t dir = f->unit_dir;
	pthread_mutex_unlock(&t->lock);
	return dir;
}

void inodes_unit_flushed(struct inodes *t, const struct fh *f)
{
	pthread_mutex_lock(&t->lock);
	for (struct unit_writers *u = t->units; f->unit_dir && u; u = u->next)
		if (u->dir == f->unit_dir)
			u->gave_up = 0;
	pthread_mutex_unlock(&t->lock);
}

int inodes_unit_wait(struct inodes *t, uint64_t dir, unsigned timeout_ms)
{
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	int timed_out = 0;
	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct unit_writers *u = t->units;
		while (u && u->dir != dir)
			u = u->next;
		if (!u)
			break;
		/* the same writers outlasted a wait before: a link each time
		 * would wait the bound again (a lookup and an open each ask) */
		if (u->gave_up ||
		    pthread_cond_timedwait(&t->released, &t->lock, &end)) {
			u->gave_up = 1;
			timed_out = 1;
			break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return timed_out;
}

int inodes_live_size(struct inodes *t, uint64_t ino, uint64_t *size)
{
	int live = 0;
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	for (struct fh *f = x ? x->writers : NULL; f; f = f->next_writer) {
		pthread_mutex_lock(&f->lock);
		if (f->dirty && (!live || f->x.c.size > *size)) {
			*size = f->x.c.size;
			live = 1;
		}
		pthread_mutex_unlock(&f->lock);
	}
	pthread_mutex_unlock(&t->lock);
	return live;
}

int inodes_writers(struct inodes *t, uint64_t ino, struct fh ***out)
{
	*out = NULL;
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	size_t n = 0;
	for (struct fh *f = x ? x->writers : NULL; f; f = f->next_writer)
		n++;
	struct fh **v = n ? malloc(n * sizeof *v) : NULL;
	if (n && !v) {
		pthread_mutex_unlock(&t->lock);
		return -ENOMEM;
	}
	n = 0;
	for (struct fh *f = x ? x->writers : NULL; f; f = f->next_writer) {
		fh_ref(f);
		v[n++] = f;
	}
	pthread_mutex_unlock(&t->lock);
	*out = v;
	return (int)n;
}

int inodes_open_snapshot(struct inodes *t, uint64_t ino, struct result **r,
			 uint64_t size, int64_t *mtime_ns, int *keep_cache,
			 int *announce)
{
	struct result *drop = NULL;
	*keep_cache = 0;
	*announce = 0;
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 1);
	if (x) {
		if (x->cached_opens) {
			/* the inode's snapshot, whatever the current result */
			if (*r != x->res) {
				drop = *r;
				result_ref(x->res);
				*r = x->res;
			}
			*mtime_ns = x->key_mtime;
			*keep_cache = 1;
		} else {
			*keep_cache = x->has_key && !memcmp(x->key, (*r)->key, 16);
			*announce = 1;
			x->announcing = 1;
			memcpy(x->key, (*r)->key, 16);
			x->has_key = 1;
			x->key_size = size;
			x->key_mtime = *mtime_ns;
			result_ref(*r);
			x->res = *r;
		}
		x->cached_opens++;
		/* x lives on: cached_opens > 0 */
		while (!*announce && x->announcing)
			pthread_cond_wait(&t->announced, &t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	result_unref(drop);
	return x ? 1 : -ENOMEM;
}

uint64_t inodes_synth_ino(struct inodes *t, uint64_t ino,
			  const uint8_t key[16])
{
	uint64_t pick = 0;
	pthread_mutex_lock(&t->lock);
	for (uint64_t v = 0; v < SYNTH_VERSIONS; v++) {
		uint64_t i = ino | v << SYNTH_VERSION_SHIFT;
		struct inode *x = get(t, i, 0);
		if (x && x->has_key && !memcmp(x->key, key, 16)) {
			pick = i;       /* holds this result: its pages may too */
			break;
		}
		if (!pick && (!x || !x->cached_opens))
			pick = i;       /* the first with no snapshot open */
		if (!x)
			break;          /* the first version nobody holds */
	}
	pthread_mutex_unlock(&t->lock);
	return pick ? pick : ino;
}

void inodes_announced(struct inodes *t, uint64_t ino)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	if (x)
		x->announcing = 0;
	pthread_cond_broadcast(&t->announced);
	pthread_mutex_unlock(&t->lock);
}

void inodes_close_snapshot(struct inodes *t, uint64_t ino)
{
	struct result *drop = NULL;
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	if (x && x->cached_opens) {
		if (!--x->cached_opens) {
			drop = x->res;
			x->res = NULL;
		}
		maybe_drop(t, ino);
	}
	pthread_mutex_unlock(&t->lock);
	result_unref(drop);
}

int inodes_snapshot_attr(struct inodes *t, uint64_t ino, uint64_t *size,
			 int64_t *mtime_ns)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	int open = x && x->cached_opens;
	if (open) {
		*size = x->key_size;
		*mtime_ns = x->key_mtime;
	}
	pthread_mutex_unlock(&t->lock);
	return open;
}

void inodes_set_attr(struct inodes *t, uint64_t ino, const struct stat *st,
		     const uint8_t *hash16)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	if (x) {
		x->attr = *st;
		x->has_attr = 1;
		x->has_hash = hash16 != NULL;
		if (hash16)
			memcpy(x->hash, hash16, 16);
	}
	pthread_mutex_unlock(&t->lock);
}

int inodes_last_attr(struct inodes *t, uint64_t ino, struct stat *st,
		     uint8_t *hash16, int *has_hash)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	int rc = x && x->has_attr ? 0 : -ENOENT;
	if (!rc) {
		*st = x->attr;
		st->st_nlink = 0;
		if (hash16) {
			*has_hash = x->has_hash;
			memcpy(hash16, x->hash, 16);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}
