/*
 * dylib_macho.h - private to the binary dylib reader (dylib_macho.c, which
 * picks the slice and walks the load commands, and dylib_exports.c, which
 * reads the export trie or the symbol table): the state of one
 * dylib_macho_parse() call.
 *
 * Every step returns 0, or -1 after reporting exactly one error through
 * dm_fail(). Offsets kept here are relative to the slice (p); dm_fail adds
 * the slice's offset in the file, so messages always give file offsets.
 * Leaves out: anything that outlives dylib_macho_parse().
 */
#ifndef LINKFS_DYLIB_MACHO_H
#define LINKFS_DYLIB_MACHO_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "dylib.h"

/* dyld's trie walker gives up past 128 levels; so does this reader. */
enum { DM_TRIE_MAX_DEPTH = 128 };

struct dm_ctx {
	const char *file;       /* for messages */
	struct diag *d;
	const uint8_t *p;       /* the slice */
	uint64_t size;
	uint64_t base;          /* the slice's offset in the file */
	struct arena *arena;    /* names; handed to the dylib */
	int executable;         /* reading an MH_EXECUTE (-bundle_loader) */

	struct dylib_symbol *syms; /* malloc'd, grows */
	size_t nsyms, capsyms;
	const char **reexports;    /* malloc'd array of arena strings */
	size_t nreexports, capreexports;
	const char **rpaths;       /* LC_RPATH paths, likewise */
	size_t nrpaths, caprpaths;

	int have_symtab;
	uint64_t symtab_cmd;       /* slice offset of LC_SYMTAB */
	uint32_t symoff, nsyms_tab, stroff, strsize;

	int have_trie;
	uint64_t trie_cmd;         /* slice offset of the command naming it */
	uint32_t trie_off, trie_size;

	/* section types by ordinal (1..255), for thread-local symbols */
	uint8_t sect_type[256];
	uint32_t nsects;
};

/* Reports "'FILE': offset 0x(base+off): PROBLEM"; returns -1. */
int dm_fail(struct dm_ctx *c, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds an exported name (copied into the arena); `off` is where it was
 * found, for messages. */
int dm_add_symbol(struct dm_ctx *c, const char *name, size_t len,
		  enum dylib_sym_kind kind, uint64_t off);

/* The exports, from the trie when there is one, else from the symbol
 * table's external definitions (dylib_exports.c). */
int dm_read_exports(struct dm_ctx *c);

#endif
