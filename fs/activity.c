/*
 * activity.c - the per-unit stages and last links of activity.h, in one
 * array under one mutex (a daemon serves tens of units, not thousands
 * at once; a row stays once made, as the units of unit.c do: the status
 * file leaves out those whose directory is gone). Leaves out: deleting
 * rows.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "clock.h"
#include "names.h"

struct row {
	struct activity_row r;
	uint64_t link_since, keep_since;   /* mono_ns */
	uint8_t last_key[STORE_HASH_LEN];
};

struct activity {
	struct store *st;
	pthread_mutex_t lock;   /* guards v, n, cap */
	struct row *v;
	size_t n, cap;
};

static const char *const link_names[] = { "idle", "reading", "linking" };
static const char *const keep_names[] = { "idle", "queued", "keeping" };

const char *activity_link_name(int stage)
{
	return stage >= 0 && stage <= LINK_LINKING ? link_names[stage] : "?";
}

const char *activity_keep_name(int stage)
{
	return stage >= 0 && stage <= KEEP_KEEPING ? keep_names[stage] : "?";
}

struct activity *activity_new(struct store *st)
{
	struct activity *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->st = st;
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void activity_free(struct activity *a)
{
	if (!a)
		return;
	pthread_mutex_destroy(&a->lock);
	free(a->v);
	free(a);
}

/* dir's row, made if need be; caller holds the lock. NULL: no memory. */
static struct row *row_of(struct activity *a, uint64_t dir)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].r.dir == dir)
			return &a->v[i];
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		struct row *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	struct row *x = &a->v[a->n++];
	memset(x, 0, sizeof *x);
	x->r.dir = dir;
	return x;
}

int activity_path(struct store *st, uint64_t dir, char *buf, size_t cap)
{
	/* the names from dir up to the root, then written root first */
	char tmp[4096];
	size_t end = sizeof tmp, depth = 0;
	tmp[--end] = 0;
	while (dir > 1 && depth++ < 256) {
		char name[LINKFS_NAME_MAX + 1];
		size_t len = 0;
		uint64_t parent;
		int rc = store_name(st, dir, &parent, name, sizeof name, &len);
		if (rc) {
			snprintf(buf, cap, "(gone:%llu)", (unsigned long long)dir);
			return rc;
		}
		char esc[4 * LINKFS_NAME_MAX + 2];
		size_t k = 0;
		esc[k++] = '/';
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)name[i];
			if (c > ' ' && c < 0x7f && c != '\\')
				esc[k++] = (char)c;
			else
				k += (size_t)sprintf(esc + k, "\\x%02x", c);
		}
		if (k > end)
			break;   /* deeper than shown: the tail is kept */
		end -= k;
		memcpy(tmp + end, esc, k);
		dir = parent;
	}
	snprintf(buf, cap, "%s", tmp[end] ? tmp + end : "/");
	return 0;
}

/* Logs a stage that took long; called without the lock. */
static void log_stage(struct activity *a, uint64_t dir, const char *what,
		      const char *stage, uint64_t ms, const char *next)
{
	char path[1024];
	activity_path(a->st, dir, path, sizeof path);
	fprintf(stderr, "linkfs: unit %s: %s %s took %llu ms, now %s\n", path,
		what, stage, (unsigned long long)ms, next);
}

void activity_link(struct activity *a, uint64_t dir, enum link_stage stage)
{
	uint64_t now = mono_ns(), ms = 0;
	int was = LINK_IDLE;
	pthread_mutex_lock(&a->lock);
	struct row *x = row_of(a, dir);
	if (x) {
		was = x->r.link_stage;
		ms = (now - x->link_since) / 1000000u;
		x->r.link_stage = stage;
		x->link_since = now;
	}
	pthread_mutex_unlock(&a->lock);
	if (x && was != LINK_IDLE && ms >= ACTIVITY_LOG_MS)
		log_stage(a, dir, "link:", activity_link_name(was), ms,
			  activity_link_name(stage));
}

void activity_keep(struct activity *a, uint64_t dir, enum keep_stage stage)
{
	uint64_t now = mono_ns(), ms = 0;
	int was = KEEP_IDLE;
	pthread_mutex_lock(&a->lock);
	struct row *x = row_of(a, dir);
	if (x) {
		was = x->r.keep_stage;
		ms = (now - x->keep_since) / 1000000u;
		x->r.keep_stage = stage;
		x->keep_since = now;
	}
	pthread_mutex_unlock(&a->lock);
	/* queued is a wait by design (keeper.h): only keeping is logged */
	if (x && was == KEEP_KEEPING && ms >= ACTIVITY_LOG_MS)
		log_stage(a, dir, "keep:", activity_keep_name(was), ms,
			  activity_keep_name(stage));
}

void activity_linked(struct activity *a, uint64_t dir,
		     const uint8_t key[STORE_HASH_LEN], int ok, int64_t now)
{
	pthread_mutex_lock(&a->lock);
	struct row *x = row_of(a, dir);
	if (x) {
		x->r.has_last = 1;
		x->r.last_ok = ok;
		x->r.last_ns = now;
		x->r.last_gen = 0;
		memcpy(x->last_key, key, STORE_HASH_LEN);
	}
	pthread_mutex_unlock(&a->lock);
}

void activity_kept(struct activity *a, uint64_t dir,
		   const uint8_t key[STORE_HASH_LEN], uint64_t gen)
{
	pthread_mutex_lock(&a->lock);
	struct row *x = row_of(a, dir);
	if (x && x->r.has_last && !memcmp(x->last_key, key, STORE_HASH_LEN))
		x->r.last_gen = gen;
	pthread_mutex_unlock(&a->lock);
}

static int by_dir(const void *p, const void *q)
{
	uint64_t a = ((const struct activity_row *)p)->dir;
	uint64_t b = ((const struct activity_row *)q)->dir;
	return a < b ? -1 : a > b;
}

int activity_rows(struct activity *a, struct activity_row **out)
{
	uint64_t now = mono_ns();
	pthread_mutex_lock(&a->lock);
	struct activity_row *v = malloc((a->n ? a->n : 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; v && i < a->n; i++) {
		const struct row *x = &a->v[i];
		if (!x->r.has_last && x->r.link_stage == LINK_IDLE &&
		    x->r.keep_stage == KEEP_IDLE)
			continue;
		v[n] = x->r;
		v[n].link_ms = (now - x->link_since) / 1000000u;
		v[n].keep_ms = (now - x->keep_since) / 1000000u;
		n++;
	}
	pthread_mutex_unlock(&a->lock);
	if (!v)
		return -ENOMEM;
	qsort(v, n, sizeof *v, by_dir);
	*out = v;
	return (int)n;
}
