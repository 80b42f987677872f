/*
 * namesort.c - the name sort of namesort.h: an LSD radix sort
 * (radix.h) on 64-bit prefix keys (a key is a name's first 8 bytes,
 * big-endian, 0-padded), then each run of equal keys is sorted the same way by
 * the next 8 bytes (a merge sort on the keys), and so on.
 */
#include "namesort.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hugepage.h"
#include "radix.h"

struct tails {              /* what a run of equal keys is compared by */
	const uint8_t *items;
	size_t size;
	const char *(*name_of)(const void *item);
};

static uint64_t prefix_key(const char *s)
{
	uint64_t k = 0;
	int i = 0;
	for (; i < 8 && s[i]; i++)
		k = k << 8 | (uint8_t)s[i];
	for (; i < 8; i++)
		k <<= 8;
	return k;
}

static const char *name_at(const struct tails *t, uint32_t index)
{
	return t->name_of(t->items + (size_t)index * t->size);
}

/* A stable merge sort of v[0..n) by key, with tmp[0..n) as room. */
static void sort_keys(struct radix_item *v, struct radix_item *tmp, size_t n)
{
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			struct radix_item x = v[i];
			size_t j = i;
			for (; j > 0 && v[j - 1].key > x.key; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	sort_keys(v, tmp, h);
	sort_keys(v + h, tmp, n - h);
	size_t a = 0, b = h, k = 0;
	while (a < h && b < n)
		tmp[k++] = v[b].key < v[a].key ? v[b++] : v[a++];
	while (a < h)
		tmp[k++] = v[a++];
	while (b < n)
		tmp[k++] = v[b++];
	memcpy(v, tmp, n * sizeof *v);
}

/*
 * Sorts a run v[0..n) whose names agree, with no NUL, on their first
 * `depth` bytes: by the next 8 bytes as a key, then the runs that still
 * tie (and go on) by the 8 after that, and so on.
 */
static void sort_run(const struct tails *t, struct radix_item *v, struct radix_item *tmp,
		     size_t n, size_t depth)
{
	for (size_t i = 0; i < n; i++)
		v[i].key = prefix_key(name_at(t, v[i].index) + depth);
	sort_keys(v, tmp, n);
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && v[b].key == v[a].key)
			b++;
		if (b - a > 1 && (v[a].key & 0xff))
			sort_run(t, v + a, tmp, b - a, depth + 8);
		a = b;
	}
}

int namesort(void *items, size_t n, size_t size,
	     const char *(*name_of)(const void *item))
{
	if (n < 2)
		return 0;
	if (n > UINT32_MAX || size > SIZE_MAX / n)
		return -1;
	struct radix_item *v = huge_malloc(2 * n * sizeof *v);
	if (!v)
		return -1;
	uint8_t *it = items;
	/* The names lie all over memory: ask for them a few items ahead.
	 * When the items are pointers (a link's symbols), name_of reads
	 * through them, so ask for what they point at further ahead still:
	 * otherwise each name costs two cache misses in a row. */
	enum { AHEAD = 16 };
	int pointers = size == sizeof(void *);
	for (size_t i = 0; i < n && i < 2 * AHEAD && pointers; i++)
		__builtin_prefetch(*(void *const *)(it + i * size));
	for (size_t i = 0; i < n && i < AHEAD; i++)
		__builtin_prefetch(name_of(it + i * size));
	for (size_t i = 0; i < n; i++) {
		if (pointers && i + 2 * AHEAD < n)
			__builtin_prefetch(*(void *const *)(it + (i + 2 * AHEAD) * size));
		if (i + AHEAD < n)
			__builtin_prefetch(name_of(it + (i + AHEAD) * size));
		v[i].key = prefix_key(name_of(it + i * size));
		v[i].index = (uint32_t)i;
	}
	radix_sort(v, v + n, n);
	struct tails t = { it, size, name_of };
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && v[b].key == v[a].key)
			b++;
		/* a key without a NUL in its low byte: the names are longer */
		if (b - a > 1 && (v[a].key & 0xff))
			sort_run(&t, v + a, v + n, b - a, 8);
		a = b;
	}
	int rc = radix_apply(items, size, v, n);
	free(v);
	return rc;
}
