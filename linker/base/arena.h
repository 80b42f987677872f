/*
 * arena.h - a bump allocator for many small objects freed together
 * (symbol names, records). No per-object free.
 *
 * Invariant: every pointer it returns stays valid until arena_release.
 */
#ifndef LINKFS_ARENA_H
#define LINKFS_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t chunk_size;
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);
/* The arena will likely get about `bytes` more: its next chunks are about
 * that large (up to its largest chunk size), so a large link starts with
 * chunks in huge pages instead of doubling up to them in small ones. A
 * hint: nothing is allocated until used. */
void arena_expect(struct arena *a, size_t bytes);
/* Returns 16-byte aligned zeroed memory, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies n bytes and a NUL; returns NULL when out of memory. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

#endif
