/*
 * debugmap.h - the debug map: the STABS entries at the head of the
 * output's symbol table that tell dsymutil and lldb which object holds
 * the DWARF of which function and variable (the DWARF itself stays in
 * the objects). Emitted as ld64.lld 19 does (SymtabSection::emitStabs),
 * for each object whose first __debug_info unit names its source file:
 *
 *   N_SO     "<comp_dir>/<name>" (or the name alone if it is absolute)
 *   N_OSO    the object's name as given ("lib.a(m.o)" for a member),
 *            n_sect the CPU subtype, n_desc 1, n_value 0
 *   per symbol of that object in the output's symbol table, in lld's
 *   order (its locals in nlist order, then its private externs, then
 *   its externs, each in the order lld's symbol table first saw them):
 *     code: N_FUN name (n_sect, address), N_FUN "" (n_value: its size)
 *     data: N_STSYM (local) or N_GSYM (private extern or extern), name,
 *           n_sect and address
 *   N_SO     "" (n_sect 1), closing the object
 *
 * An object none of whose symbols is in the symbol table gets nothing.
 *
 * Invariant: debugmap_read runs while the inputs' bytes are there
 * (before link_options.inputs_done); debugmap_stabs after the
 * addresses are final; both on the link's threads one at a time.
 */
#ifndef LINKFS_DEBUGMAP_H
#define LINKFS_DEBUGMAP_H

#include <stddef.h>
#include <stdint.h>

struct link_ctx;
struct symbol;

/* stab types (<mach-o/stab.h>) */
enum { N_GSYM = 0x20, N_FUN = 0x24, N_STSYM = 0x26, N_SO = 0x64, N_OSO = 0x66 };

struct stab {
	const char *str;     /* its name ("" for none); lives as the link */
	uint8_t type, sect;
	uint16_t desc;
	uint64_t value;
};

/*
 * Reads the source file name of every object with debug info into
 * c->debug_map (none with link_options.strip_debug, or when no object
 * has a __DWARF,__debug_info section: then nothing is allocated and the
 * output is what it is without -g). Unreadable debug info is a warning
 * naming the object and why, and that object gets no stabs. Returns 0,
 * or -1 when out of memory (an error in c->diag).
 */
int debugmap_read(struct link_ctx *c);

/*
 * What the debug map takes from object o's DWARF, appended to b (which
 * the caller owns): 0 when o has no debug info (b untouched), 1 and the
 * N_SO text (NUL-terminated), or 2 and why its debug info is unreadable.
 * Allocates only in b (buf_failed(b) after a failed growth). patch.c
 * hashes it into the object's digest, since the bytes it comes from are
 * ones a patch may otherwise change.
 */
struct obj_file;
struct buf;
int debugmap_source(const struct obj_file *o, struct buf *b);

/*
 * The stabs in symbol-table order: *out is malloc'd (the caller frees
 * it), NULL with *n 0 when there are none. Reads only the link's state
 * (not the inputs' bytes) and reports nothing (it may run on any of the
 * link's threads). Returns 0, or -1 when out of memory.
 */
int debugmap_stabs(struct link_ctx *c, struct stab **out, size_t *n);

/* Frees c->debug_map (any time; NULL is fine). */
void debugmap_release(struct link_ctx *c);

/* linkedit.c: whether the symbol table holds s as a local (keep_local,
 * for locals and private externs) or an exported global. */
int linkedit_keeps_local(const struct symbol *s);
int linkedit_exports(const struct symbol *s);

#endif
