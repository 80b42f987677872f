/*
 * bind.h - the LC_DYLD_INFO bind, weak-bind and lazy-bind opcode encoders.
 *
 * Bind state (ordinal, symbol+flags, type, addend, segment+offset) is
 * emitted only when it changes; consecutive binds use
 * DO_BIND_ADD_ADDR_IMM_SCALED / DO_BIND_ULEB_TIMES_SKIPPING_ULEB.
 * Leaves out: BIND_TYPE_TEXT_*, threaded binds.
 *
 * All three encoders return 0, or -1 when out of memory or an entry cannot
 * be encoded (NULL name, segment index above 15); `out` may then hold a
 * partial stream and should be discarded.
 */
#ifndef LINKFS_BIND_H
#define LINKFS_BIND_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"

struct bind_entry {
	uint32_t seg;        /* output segment index */
	uint64_t off;        /* offset inside the segment */
	const char *name;    /* symbol name */
	int32_t ordinal;     /* >0: dylib (1-based); 0 self; -1 main; -2 flat */
	int64_t addend;
	uint8_t flags;       /* BIND_SYMBOL_FLAGS_* */
};

/*
 * Non-lazy binds. Sorts e[0..n) in place by (name, seg, off) - the order
 * llvm-objdump --bind will list them in - and appends opcodes ending in
 * DONE, padded with zeros to a multiple of 8. n == 0 appends nothing.
 */
int bind_encode(struct bind_entry *e, size_t n, struct buf *out);

/*
 * Weak binds: like bind_encode but no ordinal opcodes are emitted (weak
 * binds are looked up by name). Entries with
 * BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION and no address (seg == UINT32_MAX)
 * emit only the SET_SYMBOL opcode, as ld64 does for strong definitions
 * that override weak ones.
 */
int weak_bind_encode(struct bind_entry *e, size_t n, struct buf *out);

/*
 * Lazy binds, in the given order (stub order), one self-contained record
 * each: SET_SEGMENT_AND_OFFSET_ULEB, SET_DYLIB_ORDINAL_*,
 * SET_SYMBOL_TRAILING_FLAGS_IMM, [SET_ADDEND_SLEB when the addend is not
 * 0], DO_BIND, DONE. offsets[i] receives the
 * offset of record i from the start of the lazy-bind stream (what the stub
 * helper pushes). Padded to a multiple of 8.
 */
int lazy_bind_encode(const struct bind_entry *e, size_t n, struct buf *out,
		     uint32_t *offsets);

#endif
