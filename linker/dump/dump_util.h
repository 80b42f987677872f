/*
 * dump_util.h - helpers shared by the text renderers in linker/dump/ (not
 * part of the public interface): column padding, section and segment names
 * of a record, and the dylib short names llvm-objdump and llvm-nm print.
 *
 * Leaves out: everything about a particular file format; see the dump_*.c
 * files for those.
 */
#ifndef LINKFS_DUMP_UTIL_H
#define LINKFS_DUMP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../base/buf.h"
#include "../image.h"

/* A view into a string: n bytes at p, not NUL-terminated. */
struct strview {
	const char *p;
	size_t n;
};

/*
 * The short name llvm-objdump and llvm-nm derive from an install name
 * ("/usr/lib/libSystem.B.dylib" -> "libSystem", ".../Foo.framework/Foo"
 * -> "Foo", "libx_debug.dylib" -> "libx"), or the whole name when no rule
 * applies. The result points into `install`.
 */
struct strview dylib_short_name(const char *install);

/*
 * What llvm-objdump prints in the dylib column for a bind ordinal:
 * "this-image" (0), "main-executable" (-1), "flat-namespace" (-2),
 * "weak" (-3), the short name of dylibs[ordinal-1], "<<bad library
 * ordinal>>" past the end, "<<unknown special ordinal>>" below -3.
 */
struct strview dump_ordinal_name(const struct link_image *img, int32_t ordinal);

/* Appends s, then spaces up to `width` bytes (nothing if s is longer). */
void put_ljust(struct buf *b, const char *s, size_t n, size_t width);
static inline void put_ljust_str(struct buf *b, const char *s, size_t width)
{
	put_ljust(b, s, strlen(s), width);
}
/* Appends the name escaped by buf_put_escaped, padded to `width` columns. */
void put_ljust_escaped(struct buf *b, const char *s, size_t width);

/* Section and segment names of section index `sec`; "" when out of range. */
const char *dump_sectname(const struct link_image *img, uint32_t sec);
const char *dump_segname(const struct link_image *img, uint32_t sec);

#endif
