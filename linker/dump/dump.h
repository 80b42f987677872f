/*
 * dump.h - renders the synthetic text files from a link image's records.
 * Only fixups, chained_fixups and codesign read the executable's bytes (the chains
 * are in its pointers); the others are rendered from the records.
 *
 * The rebase, bind, lazy_bind, weak_bind and exports renderings are
 * byte-identical to `llvm-objdump --macho --rebase` (--bind, --lazy-bind,
 * --weak-bind, --exports-trie), and fixups and chained_fixups to
 * `--dyld-info` and `--chained-fixups`, run on the image's bytes, minus
 * the first two lines. got, stubs, symbols and map formats are documented in
 * docs/formats.md. Untrusted symbol names are written verbatim where
 * llvm-objdump does so, escaped (diag.h) in our own formats.
 */
#ifndef LINKFS_DUMP_H
#define LINKFS_DUMP_H

#include "../base/buf.h"
#include "../image.h"
#include "dump_files.h"   /* enum dump_kind: one row per table there */

/* "rebase.txt", ...; NULL for an out-of-range kind. */
const char *dump_file_name(enum dump_kind k);
/* "rebase", "bind", "lazy_bind", ... as accepted by linkfs-ld --dump=. */
const char *dump_kind_name(enum dump_kind k);
/* Returns the kind for a --dump= name or a file name, or -1. */
int dump_kind_from_name(const char *name);

/* Appends the rendering to out. Returns 0, or -1 when out of memory. The
 * image must have ok == 1. */
int dump_render(const struct link_image *img, enum dump_kind k, struct buf *out);
/* The same, with the executable the byte-reading tables (fixups,
 * chained_fixups, codesign) read given apart: a caller that took the
 * image's bytes, or patched them into a new output, passes its own. -1
 * also when such a table has no bytes to read. */
int dump_render_exe(const struct link_image *img, enum dump_kind k, const uint8_t *exe,
		    size_t size, struct buf *out);

#endif
