/*
 * arena.c - bump allocator. See arena.h.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hugepage.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char mem[];
};

/* Chunks start small (a failed or tiny link touches little memory) and
 * double up to ARENA_MAX_CHUNK, so a big link makes few mallocs and its
 * chunks are in huge pages. */
enum { ARENA_FIRST_CHUNK = 4 * 1024, ARENA_MAX_CHUNK = 4 * 1024 * 1024 };

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->chunk_size = ARENA_FIRST_CHUNK;
}

void arena_expect(struct arena *a, size_t bytes)
{
	while (a->chunk_size < bytes && a->chunk_size < ARENA_MAX_CHUNK)
		a->chunk_size *= 2;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n > SIZE_MAX - 64)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	struct arena_chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		/* chunk_size counts the header, so a chunk of 2 MiB or more
		 * is whole huge pages (hugepage.h) */
		int oversized = n > a->chunk_size - sizeof *c;
		size_t cap = oversized ? n : a->chunk_size - sizeof *c;
		c = huge_malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		if (!oversized && a->chunk_size < ARENA_MAX_CHUNK)
			a->chunk_size *= 2;
		if (a->head && oversized) {
			/* oversized: keep the current chunk at the head */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->mem + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
