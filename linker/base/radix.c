/*
 * radix.c - the radix sort of radix.h: 8 passes of a byte, least
 * significant first, each a counting sort into tmp and back.
 */
#include "radix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hugepage.h"

void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t count[256];
	for (int pass = 0; pass < 8; pass++) {
		int shift = 8 * pass;
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[(v[i].key >> shift) & 0xff]++;
		if (count[(v[0].key >> shift) & 0xff] == n)
			continue; /* every key has this byte: nothing to do */
		size_t sum = 0;
		for (int b = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i].key >> shift) & 0xff]++] = v[i];
		memcpy(v, tmp, n * sizeof *v);
	}
}

int radix_apply(void *items, size_t size, const struct radix_item *v, size_t n)
{
	if (size && n > SIZE_MAX / size)
		return -1;
	uint8_t *copy = huge_malloc(n * size + 1); /* n may be 0 */
	if (!copy)
		return -1;
	uint8_t *it = items;
	memcpy(copy, it, n * size);
	for (size_t i = 0; i < n; i++)
		memcpy(it + i * size, copy + (size_t)v[i].index * size, size);
	free(copy);
	return 0;
}
