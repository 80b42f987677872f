/*
 * archive.h - a static archive (`!<arch>\n`, BSD or GNU/SysV layout, as
 * written by llvm-ar and Apple's ar).
 *
 * The parser validates every member header and size, and reads the symbol
 * index (BSD `__.SYMDEF` / `__.SYMDEF SORTED` / `__.SYMDEF_64`, or GNU `/`).
 * When an archive has no index, archive_parse builds none and
 * `has_index` is 0: the linker then scans members itself.
 * Member names come from the header, BSD `#1/N` long names or the GNU `//`
 * table. Nothing is copied: data pointers point into the caller's bytes.
 *
 * Leaves out: thin archives (rejected with an error), writing archives.
 */
#ifndef LINKFS_ARCHIVE_H
#define LINKFS_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/diag.h"

struct archive_member {
	char *name;           /* owned, NUL-terminated */
	const uint8_t *data;  /* member contents inside the archive bytes */
	size_t size;
	uint64_t offset;      /* offset of the member header in the archive */
};

struct archive_symbol {
	char *name;           /* owned */
	uint32_t member;      /* index into members */
};

struct archive {
	const char *name;     /* not owned */
	struct archive_member *members; /* owned; index symbols and metadata
					   members (__.SYMDEF, /, //) excluded */
	size_t nmembers;
	struct archive_symbol *symbols; /* owned, in index order */
	size_t nsymbols;
	int has_index;
};

/*
 * Returns 0, or -1 with an error in `d` such as
 * "'libx.a': offset 0x44: truncated archive member header".
 */
int archive_parse(struct archive *out, const char *name, const uint8_t *data,
		  size_t size, struct diag *d);
void archive_release(struct archive *a);

/* 1 if data starts with the archive magic. */
int archive_is(const uint8_t *data, size_t size);

#endif
