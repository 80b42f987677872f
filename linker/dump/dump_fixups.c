/*
 * dump_fixups.c - rebase.txt, bind.txt, lazy_bind.txt and weak_bind.txt:
 * the tables exactly as `llvm-objdump --macho --rebase` (--bind,
 * --lazy-bind, --weak-bind) prints them, without the file-name line and
 * the blank line before the title. Column widths follow llvm-objdump 19:
 * segment padded to 8, section to 18, address "0x%08X" (uppercase digits),
 * type padded to 8, addend right-aligned in 8, dylib short name padded
 * to 16. Symbol names are written verbatim, as llvm-objdump does.
 *
 * Leaves out: rebase/bind types other than "pointer" (the linker emits
 * only BIND_TYPE_POINTER / REBASE_TYPE_POINTER).
 */
#include <inttypes.h>

#include "../base/macho.h"
#include "dump_int.h"
#include "dump_util.h"

static void put_seg_sect_addr(struct buf *b, const struct link_image *img,
			      const struct rec_fixup *f)
{
	put_ljust_str(b, dump_segname(img, f->section), 8);
	buf_u8(b, ' ');
	put_ljust_str(b, dump_sectname(img, f->section), 18);
	buf_printf(b, " 0x%08" PRIX64, f->addr);
}

static void put_symbol(struct buf *b, const char *s)
{
	if (s)
		buf_append(b, s, strlen(s));
}

int dump_rebase(const struct link_image *img, struct buf *b)
{
	buf_printf(b, "Rebase table:\n"
		      "segment  section            address     type\n");
	for (size_t i = 0; i < img->nrebases; i++) {
		put_seg_sect_addr(b, img, &img->rebases[i]);
		buf_printf(b, "  pointer\n");
	}
	return buf_failed(b) ? -1 : 0;
}

int dump_bind(const struct link_image *img, struct buf *b)
{
	buf_printf(b, "Bind table:\n"
		      "segment  section            address    type       "
		      "addend dylib            symbol\n");
	for (size_t i = 0; i < img->nbinds; i++) {
		const struct rec_fixup *f = &img->binds[i];
		struct strview d = dump_ordinal_name(img, f->ordinal);
		put_seg_sect_addr(b, img, f);
		buf_printf(b, " pointer  %8" PRId64 " ", f->addend);
		put_ljust(b, d.p, d.n, 16);
		buf_u8(b, ' ');
		put_symbol(b, f->symbol);
		if (f->flags & BIND_SYMBOL_FLAGS_WEAK_IMPORT)
			buf_printf(b, " (weak_import)");
		buf_u8(b, '\n');
	}
	return buf_failed(b) ? -1 : 0;
}

int dump_lazy_bind(const struct link_image *img, struct buf *b)
{
	buf_printf(b, "Lazy bind table:\n"
		      "segment  section            address     "
		      "dylib            symbol\n");
	for (size_t i = 0; i < img->nlazy_binds; i++) {
		const struct rec_fixup *f = &img->lazy_binds[i];
		struct strview d = dump_ordinal_name(img, f->ordinal);
		put_seg_sect_addr(b, img, f);
		buf_u8(b, ' ');
		put_ljust(b, d.p, d.n, 16);
		buf_u8(b, ' ');
		put_symbol(b, f->symbol);
		buf_u8(b, '\n');
	}
	return buf_failed(b) ? -1 : 0;
}

int dump_weak_bind(const struct link_image *img, struct buf *b)
{
	buf_printf(b, "Weak bind table:\n"
		      "segment  section            address     "
		      "type       addend   symbol\n");
	for (size_t i = 0; i < img->nweak_binds; i++) {
		const struct rec_fixup *f = &img->weak_binds[i];
		if (f->flags & BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION) {
			/* a strong definition overriding weak ones: no address */
			buf_printf(b, "%40s%-20s", "", "strong");
		} else {
			put_seg_sect_addr(b, img, f);
			buf_printf(b, " pointer  %8" PRId64 "   ", f->addend);
		}
		put_symbol(b, f->symbol);
		buf_u8(b, '\n');
	}
	return buf_failed(b) ? -1 : 0;
}
