/*
 * inode.c - a hash table of the inodes the kernel holds, with their open
 * writers. An entry lives while nlookup > 0 or a writer is open.
 * Leaves out: generation numbers (ids are never reused, see schema).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "inode.h"

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
	int announcing;         /* the first of them is telling the kernel */
	struct stat attr;       /* stored: last attributes told the kernel */
	int has_attr;
	uint8_t hash[16];       /* and the content they described */
	int has_hash;
	struct inode *next;
};

struct inodes {
	pthread_mutex_t lock;   /* guards everything below */
	pthread_cond_t announced;   /* some inode's announcing went to 0 */
	struct inode *bucket[NBUCKETS];
};

struct inodes *inodes_new(void)
{
	struct inodes *t = calloc(1, sizeof *t);
	if (t) {
		pthread_mutex_init(&t->lock, NULL);
		pthread_cond_init(&t->announced, NULL);
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
	pthread_cond_destroy(&t->announced);
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

void inodes_remove_writer(struct inodes *t, uint64_t ino, struct fh *f)
{
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	if (x) {
		for (struct fh **p = &x->writers; *p; p = &(*p)->next_writer) {
			if (*p == f) {
				*p = f->next_writer;
				break;
			}
		}
		maybe_drop(t, ino);
	}
	pthread_mutex_unlock(&t->lock);
}

int inodes_live_size(struct inodes *t, uint64_t ino, uint64_t *size)
{
	int live = 0;
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	for (struct fh *f = x ? x->writers : NULL; f; f = f->next_writer) {
		pthread_mutex_lock(&f->lock);
		if (f->dirty && (!live || f->len > *size)) {
			*size = f->len;
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

int inodes_open_snapshot(struct inodes *t, uint64_t ino, const uint8_t key[16],
			 uint64_t size, int64_t mtime_ns, int *keep_cache,
			 int *announce)
{
	*keep_cache = 0;
	*announce = 0;
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 1);
	int cached = -ENOMEM;
	if (x) {
		int same = x->has_key && !memcmp(x->key, key, 16);
		cached = same || !x->cached_opens;
		if (cached) {
			*keep_cache = same;
			*announce = !x->cached_opens;
			x->announcing |= *announce;
			memcpy(x->key, key, 16);
			x->has_key = 1;
			x->key_size = size;
			x->key_mtime = mtime_ns;
			x->cached_opens++;
			/* x lives on: cached_opens > 0 */
			while (!*announce && x->announcing)
				pthread_cond_wait(&t->announced, &t->lock);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return cached;
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
	pthread_mutex_lock(&t->lock);
	struct inode *x = get(t, ino, 0);
	if (x && x->cached_opens) {
		x->cached_opens--;
		maybe_drop(t, ino);
	}
	pthread_mutex_unlock(&t->lock);
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
