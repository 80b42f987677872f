/*
 * radix.c - the radix sort of radix.h: 8 passes of a byte, least
 * significant first, each a counting sort into tmp and back.
 */
#include "radix.h"

#include <string.h>

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
