/*
 * trie.h - the export trie encoder (LC_DYLD_INFO export_off, or
 * LC_DYLD_EXPORTS_TRIE).
 *
 * Node offsets are ULEB-encoded and depend on each other, so layout is
 * iterated until no offset changes. Children of a node are ordered by
 * their edge label (byte-wise). llvm-objdump --exports-trie walks depth
 * first and lists a node's own export after its children's, so it prints
 * "_f_10" before "_f_1"; see dump_exports.c.
 * Leaves out: re-exports and stub-and-resolver entries (not produced for
 * executables).
 */
#ifndef LINKFS_TRIE_H
#define LINKFS_TRIE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"

struct export_entry {
	const char *name;
	uint64_t flags;    /* EXPORT_SYMBOL_FLAGS_* */
	uint64_t address;  /* offset from the image base (__TEXT vmaddr) */
};

/*
 * Sorts e[0..n) by name (strcmp) in place (nothing to do if they come
 * sorted) and appends the trie to out,
 * padded with zeros to a multiple of 8. Names must be distinct. n == 0
 * appends nothing. Returns 0, or -1 when out of memory.
 */
int trie_encode(struct export_entry *e, size_t n, struct buf *out);

#endif
