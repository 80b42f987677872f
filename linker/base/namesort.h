/*
 * namesort.h - sorts many NUL-terminated names in strcmp order, fast.
 *
 * A link sorts every global name once (symbol table, export trie). qsort
 * with strcmp spends its time in calls and cache misses; this sort keys
 * each name by its first 8 bytes as a big-endian integer (which orders
 * exactly as strcmp does on those bytes, a NUL sorting first), radix
 * sorts the keys, and sorts each run of tied keys the same way by the
 * next 8 bytes, so names are read once per 8 bytes, never compared.
 *
 * Invariant: the result is the unique strcmp order when names are
 * distinct; equal names keep no particular order.
 */
#ifndef LINKFS_NAMESORT_H
#define LINKFS_NAMESORT_H

#include <stddef.h>

/*
 * Sorts items[0..n), each `size` bytes, by the name that name_of returns
 * for it. Returns 0, or -1 when out of memory (items then unchanged).
 */
int namesort(void *items, size_t n, size_t size,
	     const char *(*name_of)(const void *item));

#endif
