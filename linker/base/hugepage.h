/*
 * hugepage.h - large blocks backed by transparent huge pages.
 *
 * A link touches about 100 MiB of fresh memory at 10,000 objects. With
 * 4 KiB pages that is 25,000 page faults, and on a VM each costs 1.5-3 us
 * (the zeroing of a page the host has to back first): a quarter of the
 * link's CPU time. A block of 2 MiB or more is aligned to 2 MiB and
 * advised MADV_HUGEPAGE, so the kernel backs it with one fault per 2 MiB
 * where it can (THP "madvise" or "always"); elsewhere the advice is a
 * no-op and the block is an ordinary one.
 *
 * Blocks come from malloc and go back with free(). Only whole 2 MiB pages
 * inside a block are advised, so a block never makes memory resident
 * outside itself. huge_malloc aligns the block, so all of it is in huge
 * pages; a block that will grow comes from huge_calloc or huge_realloc
 * instead, which glibc grows with mremap where an aligned block would be
 * copied.
 *
 * Leaves out: hugetlbfs (explicit huge pages need the administrator), and
 * blocks under 2 MiB (they are malloc'd as they are).
 */
#ifndef LINKFS_HUGEPAGE_H
#define LINKFS_HUGEPAGE_H

#include <stddef.h>

enum { HUGE_PAGE = 2 * 1024 * 1024 };

/* malloc(n); n >= HUGE_PAGE: 2 MiB-aligned and advised. Not for blocks
 * that are realloc'd later. */
void *huge_malloc(size_t n);
/* calloc(nmemb, size), advised; may be grown with huge_realloc. */
void *huge_calloc(size_t nmemb, size_t size);
/* realloc(p, n), advising the whole 2 MiB pages of the new block. */
void *huge_realloc(void *p, size_t n);
/* Advises the whole 2 MiB pages inside [p, p+n) (nothing if none). */
void huge_advise(void *p, size_t n);
/* Grows the array *arr of elements of `elem` bytes (capacity *cap) to
 * hold at least `need`, doubling from 16, with huge_realloc: 0, or -1
 * (out of memory or overflow; *arr and *cap unchanged). */
int huge_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
