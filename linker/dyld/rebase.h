/*
 * rebase.h - the LC_DYLD_INFO rebase opcode encoder.
 *
 * Compact encoding, as ld64 and lld do: runs of consecutive pointers become
 * DO_REBASE_IMM_TIMES / DO_REBASE_ULEB_TIMES, evenly spaced pointers
 * DO_REBASE_ULEB_TIMES_SKIPPING_ULEB, small forward gaps
 * ADD_ADDR_IMM_SCALED, and the segment/offset is set only when needed.
 * Leaves out: REBASE_TYPE_TEXT_* (never emitted for x86_64/arm64 PIE).
 */
#ifndef LINKFS_REBASE_H
#define LINKFS_REBASE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"

struct rebase_entry {
	uint32_t seg;   /* output segment index (load-command order) */
	uint64_t off;   /* offset of the pointer inside that segment */
};

/*
 * Sorts e[0..n) by (seg, off) in place, drops exact duplicates (n is
 * updated), and appends the opcodes to `out`: SET_TYPE_IMM(POINTER) first,
 * DONE last, then zero padding to a multiple of 8. With n == 0 nothing is
 * appended. Returns 0, or -1 when out of memory or a segment index is
 * above 15 (it must fit the opcode's immediate).
 */
int rebase_encode(struct rebase_entry *e, size_t *n, struct buf *out);

#endif
