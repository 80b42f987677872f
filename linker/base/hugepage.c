/*
 * hugepage.c - large blocks backed by transparent huge pages (see
 * hugepage.h).
 */
#include "hugepage.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

void huge_advise(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (n >= HUGE_PAGE && e > a)
		madvise((void *)a, e - a, MADV_HUGEPAGE);
}

void *huge_malloc(size_t n)
{
	if (n < HUGE_PAGE)
		return malloc(n);
	void *p;
	if (posix_memalign(&p, HUGE_PAGE, n))
		return NULL;
	huge_advise(p, n);
	return p;
}

/* Above glibc's mmap threshold (linkfs-ld fixes it at 256 KiB) a block
 * is a fresh mapping that calloc does not touch, so the advice comes
 * before the first fault; below it, the advice changes nothing. */
void *huge_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb, size);
	if (p)
		huge_advise(p, nmemb * size);
	return p;
}

void *huge_realloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (q)
		huge_advise(q, n);
	return q;
}

int huge_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return -1;
		n *= 2;
	}
	void *p = huge_realloc(*arr, n * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}
