/*
 * dump_files.h - the files a link makes in a unit, one row each: the
 * executable, the text tables and link.log. The one list that the
 * renderer (dump.c), the fs (names, inode numbers, readdir, lookup, modes:
 * fs/names.c) and the store (which files a kept result has, and their
 * link_files idx: fs/store.h) all read.
 *
 * Invariants:
 *   - rows are in readdir order, and a row's index is the file's index
 *     in the fs (bits 0..3 of its inode number, fs/names.h);
 *   - every dump_kind has exactly one row (a table), and there is one
 *     executable row and one log row: DUMP_FILE_COUNT rows in all;
 *   - the executable is stored file DUMP_STORED_EXE (0) and the table of
 *     kind k is stored file 1 + k (link_files.idx of kept results, which
 *     outlive this binary): a dump_kind's value never changes, new kinds
 *     are added before DUMP_KIND_COUNT. The log is not a stored file
 *     (link_results.log).
 * Adding a table (docs/architecture.md, "The files a link makes"): an
 * enum dump_kind value, a row in dump_files.c, and its renderer.
 */
#ifndef LINKFS_DUMP_FILES_H
#define LINKFS_DUMP_FILES_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct link_image;

/* The text tables. The values are stored (link_files idx - 1): append only. */
enum dump_kind {
	DUMP_REBASE,
	DUMP_BIND,
	DUMP_LAZY_BIND,
	DUMP_WEAK_BIND,
	DUMP_EXPORTS,
	DUMP_GOT,
	DUMP_STUBS,
	DUMP_SYMBOLS,
	DUMP_MAP,
	DUMP_FIXUPS,           /* llvm-objdump --dyld-info */
	DUMP_CHAINED_FIXUPS,   /* llvm-objdump --chained-fixups */
	DUMP_CODESIGN,         /* the ad-hoc code signature (our format) */
	DUMP_WHY,              /* why dead stripping kept symbols (-why_live) */
	DUMP_KIND_COUNT
};

enum dump_file_role {
	DUMP_FILE_EXE,    /* the executable: the link's bytes */
	DUMP_FILE_TABLE,  /* a text table, rendered from the image (dump.h) */
	DUMP_FILE_LOG,    /* link.log: the link's diagnostics */
};

enum {
	DUMP_FILE_COUNT = 1 + DUMP_KIND_COUNT + 1, /* rows: executable, tables, log */
	DUMP_STORED_COUNT = 1 + DUMP_KIND_COUNT,   /* stored files: all but the log */
	DUMP_STORED_EXE = 0,                       /* the executable's link_files idx */
};

struct dump_file {
	const char *name;          /* in the unit; the executable's is the
				      default, "a.out" (link.conf's output) */
	enum dump_file_role role;
	/* a table's: */
	enum dump_kind kind;
	const char *dump_name;     /* linkfs-ld --dump= name */
	const char *alias;         /* also accepted, or NULL */
	int (*render)(const struct link_image *, struct buf *);
	/* or, for the tables read from the executable's bytes: */
	int (*render_exe)(const struct link_image *, const uint8_t *exe, size_t size,
			  struct buf *);
};

/* Row i (0 <= i < DUMP_FILE_COUNT), or NULL. */
const struct dump_file *dump_file_at(int i);
/* The row of the table of kind k, or NULL for an out-of-range kind. */
const struct dump_file *dump_file_of_kind(enum dump_kind k);
/* Row i's link_files idx (0 <= idx < DUMP_STORED_COUNT), or -1 for the
 * log or an out-of-range i. */
int dump_file_stored(int i);

#endif
