/*
 * fh.c - file handle lifecycle and the registry of open handles.
 * Leaves out: committing (ops_file.c), contents (content.c) and the
 * writer list (inode.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fh.h"

struct fh_registry {
	pthread_mutex_t lock;   /* guards list and every handle's links */
	struct fh *list;
};

struct fh_registry *fh_registry_new(void)
{
	struct fh_registry *r = calloc(1, sizeof *r);
	if (r)
		pthread_mutex_init(&r->lock, NULL);
	return r;
}

void fh_registry_free(struct fh_registry *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static void unlink_open(struct fh_registry *r, struct fh *f)
{
	if (!f->is_open)
		return;
	if (f->open_prev)
		f->open_prev->open_next = f->open_next;
	else
		r->list = f->open_next;
	if (f->open_next)
		f->open_next->open_prev = f->open_prev;
	f->open_prev = f->open_next = NULL;
	f->is_open = 0;
}

void fh_opened(struct fh_registry *r, struct fh *f)
{
	pthread_mutex_lock(&r->lock);
	f->open_prev = NULL;
	f->open_next = r->list;
	if (r->list)
		r->list->open_prev = f;
	r->list = f;
	f->is_open = 1;
	pthread_mutex_unlock(&r->lock);
}

void fh_released(struct fh_registry *r, struct fh *f)
{
	pthread_mutex_lock(&r->lock);
	unlink_open(r, f);
	pthread_mutex_unlock(&r->lock);
}

struct fh *fh_take_open(struct fh_registry *r)
{
	pthread_mutex_lock(&r->lock);
	struct fh *f = r->list;
	if (f)
		unlink_open(r, f);
	pthread_mutex_unlock(&r->lock);
	return f;
}

struct fh *fh_new(int kind, uint64_t ino)
{
	struct fh *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	atomic_init(&f->refs, 1);
	f->kind = kind;
	f->ino = ino;
	pthread_mutex_init(&f->lock, NULL);
	return f;
}

void fh_ref(struct fh *f)
{
	atomic_fetch_add(&f->refs, 1);
}

void fh_unref(struct fh *f)
{
	if (!f || atomic_fetch_sub(&f->refs, 1) != 1)
		return;
	if (f->kind == FH_FILE && f->st)
		content_close(&f->x, f->st, f->pins);
	free(f->data);
	result_unref(f->res);
	for (size_t i = 0; i < f->nents; i++)
		free(f->ents[i].name);
	free(f->ents);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

int fh_add_dirent(struct fh *f, uint64_t ino, uint32_t type,
		  const char *name, size_t len)
{
	if (f->nents == f->capents) {
		size_t cap = f->capents ? f->capents * 2 : 32;
		struct dirent_snap *e = realloc(f->ents, cap * sizeof *e);
		if (!e)
			return -ENOMEM;
		f->ents = e;
		f->capents = cap;
	}
	char *n = malloc(len + 1);
	if (!n)
		return -ENOMEM;
	memcpy(n, name, len);
	n[len] = 0;
	f->ents[f->nents++] = (struct dirent_snap){ ino, type, len, n };
	return 0;
}
