/*
 * dump_int.h - the per-format renderers behind dump_render (internal).
 * Each appends its whole file to b and returns 0, or -1 when out of
 * memory (b->oom set).
 */
#ifndef LINKFS_DUMP_INT_H
#define LINKFS_DUMP_INT_H

#include "../base/buf.h"
#include "../image.h"

int dump_rebase(const struct link_image *img, struct buf *b);
int dump_bind(const struct link_image *img, struct buf *b);
int dump_lazy_bind(const struct link_image *img, struct buf *b);
int dump_weak_bind(const struct link_image *img, struct buf *b);
int dump_exports(const struct link_image *img, struct buf *b);
int dump_got(const struct link_image *img, struct buf *b);
int dump_stubs(const struct link_image *img, struct buf *b);
int dump_symbols(const struct link_image *img, struct buf *b);
int dump_map(const struct link_image *img, struct buf *b);
int dump_why(const struct link_image *img, struct buf *b);
/* These three read the executable's bytes, exe (size bytes). */
int dump_dyld_info(const struct link_image *img, const uint8_t *exe, size_t size,
		   struct buf *b);
int dump_chained_fixups(const struct link_image *img, const uint8_t *exe, size_t size,
			struct buf *b);
int dump_codesign(const struct link_image *img, const uint8_t *exe, size_t size,
		  struct buf *b);

#endif
