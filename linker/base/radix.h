/*
 * radix.h - a stable LSD radix sort of (64-bit key, 32-bit index) pairs,
 * for the link's big sorts by number (names by their first bytes in
 * namesort.c, unwind items by address in unwind.c).
 *
 * A pass over a byte that every key shares is skipped, so keys that span a
 * small range (addresses inside one image) take few passes. Stable: items
 * with equal keys keep their order, as a merge sort would.
 */
#ifndef LINKFS_RADIX_H
#define LINKFS_RADIX_H

#include <stddef.h>
#include <stdint.h>

struct radix_item {
	uint64_t key;
	uint32_t index;   /* the caller's: which item the key belongs to */
};

/* Sorts v[0..n) by key, ascending; tmp must have room for n items. */
void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n);

/* Puts items[0..n), each `size` bytes, in the order v[0..n) gives by
 * index (item v[i].index goes to place i), as after radix_sort. 0, or -1
 * when out of memory (the items are left as they were). */
int radix_apply(void *items, size_t size, const struct radix_item *v, size_t n);

#endif
