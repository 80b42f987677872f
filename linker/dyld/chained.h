/*
 * chained.h - the LC_DYLD_CHAINED_FIXUPS encoder (macOS 13+), as ld64.lld
 * 19 writes it: DYLD_CHAINED_PTR_64 pointers chained in 4-byte strides
 * within each page, starts for every segment (0xFFFF for a page without
 * fixups, no page entries past a segment's last fixup), imports in format
 * 1 (DYLD_CHAINED_IMPORT), or 2 / 3 (with addends) exactly when lld
 * chooses them: an addend that does not fit the pointer's 8 bits, an
 * ordinal past 0xF0, a name table of 2^23 bytes or more.
 *
 * Leaves out: DYLD_CHAINED_PTR_64_OFFSET and arm64e formats, compressed
 * symbol names (symbols_format 1), multiple starts per page.
 */
#ifndef LINKFS_CHAINED_H
#define LINKFS_CHAINED_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"

/* One imported symbol; a bind refers to it by index. */
struct chained_import {
	const char *name;
	int32_t ordinal;     /* >0 dylib; 0 self; -1 main; -2 flat; -3 weak */
	uint8_t weak_ref;    /* a missing definition binds 0 */
	int64_t addend;      /* only with formats 2 and 3 (chained_import_key) */
};

/* One pointer dyld fixes. */
struct chained_fixup {
	uint32_t seg;        /* output segment index (0: __PAGEZERO) */
	uint64_t off;        /* offset in the segment; a multiple of 4 */
	uint8_t bind;
	uint32_t import;     /* bind: index into the imports */
	uint8_t addend;      /* bind: the addend kept in the pointer */
	uint64_t target;     /* rebase: the vm address it points at */
};

/* A segment's place: vm offset from the header, and its size. */
struct chained_segment {
	uint64_t vmoff, vmsize;
};

/* How lld splits a bind's addend: 0..255 stays in the pointer (the
 * import's addend is 0), anything else goes to the import. */
static inline int64_t chained_import_addend(int64_t addend)
{
	return addend < 0 || addend > 0xff ? addend : 0;
}

/*
 * Appends the LC_DYLD_CHAINED_FIXUPS payload for f[0..n) (sorted by seg,
 * then off; no two at one place) to out, and writes each pointer, linked
 * to the next in its page, through ptr(arg, seg, off) (8 bytes). Returns
 * 0, or -1 with a message in err (err_len bytes) for a fixup that cannot
 * be chained (misaligned, a rebase target beyond what the format holds,
 * a name table of 4 GiB) or when out of memory.
 */
int chained_encode(const struct chained_segment *segs, uint32_t nsegs,
		   uint32_t page_size, const struct chained_fixup *f, size_t n,
		   const struct chained_import *imp, size_t nimp,
		   uint8_t *(*ptr)(void *arg, uint32_t seg, uint64_t off), void *arg,
		   struct buf *out, char *err, size_t err_len);

#endif
