/*
 * image.h - the link image: the output bytes, the diagnostics, and the
 * structured records every synthetic file is rendered from.
 *
 * Invariants:
 *   - immutable after link_run returns; every string lives in an arena,
 *     in `bytes` (names point into the output's string table) or is a
 *     string literal, so all live as long as the image;
 *   - ok == 0 => bytes == NULL, size == 0, record counts may be 0;
 *   - link_options.no_records => every record count is 0;
 *   - record arrays are in the order the text files list them: rebases in
 *     encoded (address) order, binds and weak binds in encoded order (see
 *     bind.h), lazy binds and stubs in stub order, GOT in slot order,
 *     exports in strcmp order (dump_exports.c reorders them into
 *     llvm-objdump's walk order, where a name follows its extensions),
 *     symbols in symbol-table order, map atoms by address, dead
 *     symbols in ld64.lld's map order, why lines as the marker printed
 *     them;
 *   - every `section` field is an index into sections[]; every ordinal > 0
 *     is 1-based into dylibs[].
 */
#ifndef LINKFS_IMAGE_H
#define LINKFS_IMAGE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/latch.h"
#include "link.h"

struct rec_segment {
	char name[17];
	uint64_t vmaddr, vmsize, fileoff, filesize;
	uint32_t maxprot, initprot;
};

struct rec_section {
	char segname[17], sectname[17];
	uint32_t segment;      /* index into segments[] */
	uint64_t addr, size;
	uint32_t offset;       /* file offset, 0 for zerofill */
	uint32_t align;        /* log2 */
	uint32_t flags;
};

struct rec_fixup {             /* one rebase, bind, weak bind or lazy bind */
	uint64_t addr;         /* vm address of the pointer */
	const char *symbol;    /* binds only; NULL for rebases */
	int64_t addend;
	uint32_t section;      /* section holding addr */
	int32_t ordinal;       /* binds: as in bind_entry */
	uint8_t flags;         /* BIND_SYMBOL_FLAGS_* */
};

struct rec_got {
	uint64_t addr;         /* slot address */
	const char *symbol;
	int32_t ordinal;       /* > 0: filled by dyld bind from dylibs[ordinal-1];
				  0: local, filled at link time + rebase;
				  < 0: a special ordinal (chained: -3, weak) */
	uint64_t target;       /* local: the symbol's address (rebased) */
	uint8_t weak;          /* also has a weak bind entry */
};

struct rec_stub {
	uint64_t addr;         /* the stub */
	uint64_t lazy_ptr;     /* its __la_symbol_ptr slot */
	uint64_t helper;       /* its __stub_helper entry */
	const char *symbol;
	int32_t ordinal;
	uint32_t lazy_bind_off; /* offset of its lazy-bind record */
};

struct rec_export {
	const char *name;
	uint64_t addr;         /* absolute vm address (as objdump prints) */
	uint64_t flags;        /* EXPORT_SYMBOL_FLAGS_* */
};

struct rec_symbol {            /* one nlist entry of the output */
	const char *name;
	uint64_t value;
	uint8_t type, sect;
	uint16_t desc;
};

struct rec_map_atom {          /* one symbol or synthetic piece in map.txt */
	uint64_t addr, size;
	uint32_t file;         /* index into files[]; 0 = linker synthesized */
	const char *name;
};

struct rec_dead {              /* one line of map.txt's dead-stripped list */
	const char *name;      /* a literal string's: its text */
	uint64_t size;
	uint32_t file;         /* index into files[] */
	uint8_t literal;
};

enum { IMAGE_PARTS = 4 };

struct link_image {
	atomic_int refs;
	int ok;
	enum link_arch arch;
	int chained;           /* chained fixups: the GOT's and stubs' slots are
				  chained binds and rebases, no lazy binding */
	uint8_t *bytes;        /* malloc'd executable; the records' names
				  point into its string table. A caller may
				  take it (free it itself, set bytes NULL)
				  if it keeps it alive while it reads them */
	size_t size;
	char *log;             /* malloc'd, NUL-terminated; "" after a clean link */
	size_t log_len;
	const char *output_name;
	uint64_t base;         /* __TEXT vmaddr */
	uint64_t entry;        /* entry vm address */

	struct rec_segment *segments; size_t nsegments;
	struct rec_section *sections; size_t nsections;
	const char **dylibs; size_t ndylibs;        /* install names */
	const char **files; size_t nfiles;          /* [0] "linker synthesized" */
	struct rec_fixup *rebases; size_t nrebases;
	struct rec_fixup *binds; size_t nbinds;
	struct rec_fixup *weak_binds; size_t nweak_binds;
	struct rec_fixup *lazy_binds; size_t nlazy_binds;
	struct rec_got *got; size_t ngot;
	struct rec_stub *stubs; size_t nstubs;
	struct rec_export *exports; size_t nexports;
	struct rec_symbol *symbols; size_t nsymbols;
	struct rec_map_atom *map; size_t nmap;
	int dead_stripped;     /* linked with dead_strip */
	struct rec_dead *dead; size_t ndead; /* what it stripped, in lld's
				  map order (deadstrip.c's record_dead) */
	int why_asked;         /* -why_live or link.conf why_live given */
	const char *why;       /* the -why_live lines, why_len bytes */
	size_t why_len;

	/* link_options.defer_records: the records above are being made
	 * after link_run returned; read them only after
	 * link_image_wait_records */
	struct latch records;  /* failed: out of memory making them, none
				  to read */

	struct arena arena;    /* with part[], owns every array above except
				  bytes and log, and the strings that are not
				  in bytes */
	struct arena part[IMAGE_PARTS]; /* record.c fills the records in
				  parts at once, each from its own arena */
};

#endif
