/*
 * test_namesort.c - namesort gives strcmp order: random names over a
 * small alphabet (many shared prefixes), lengths 0 to 40 so that ties
 * reach every key boundary (8, 16, 24 bytes), bytes >= 0x80, and
 * duplicates; 1 to 20,000 names per round, compared with qsort+strcmp.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/namesort.h"

static const char *self(const void *item) { return *(const char *const *)item; }

static int cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(void)
{
	uint64_t x = 88172645463325252ull;
	static const char alpha[] = { 'a', 'b', '_', '0', (char)0x80, (char)0xff };
	for (int round = 0; round < 200; round++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		size_t n = 1 + x % (round < 100 ? 50 : 20000);
		char **v = malloc(n * sizeof *v), **w = malloc(n * sizeof *w);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			size_t len = x % 41, pre = (x >> 8) % 20;
			v[i] = malloc(len + 1);
			for (size_t k = 0; k < len; k++) {
				x ^= x << 13; x ^= x >> 7; x ^= x << 17;
				/* a long shared prefix, then a few symbols */
				v[i][k] = k < pre ? 'p' : alpha[x % (round & 1 ? 2 : 6)];
			}
			v[i][len] = 0;
			w[i] = v[i];
		}
		if (namesort(v, n, sizeof *v, self)) {
			fprintf(stderr, "FAIL: out of memory\n");
			return 1;
		}
		qsort(w, n, sizeof *w, cmp);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(v[i], w[i])) {
				fprintf(stderr, "FAIL: round %d, n %zu: position %zu is '%s', want '%s'\n",
					round, n, i, v[i], w[i]);
				return 1;
			}
		}
		for (size_t i = 0; i < n; i++)
			free(w[i]);
		free(v);
		free(w);
	}
	puts("namesort: 200 rounds in strcmp order");
	return 0;
}
