/*
 * dump_got.c - got.txt and stubs.txt, our own formats (docs/formats.md):
 * one line per GOT slot in slot order, one line per stub in stub order,
 * fixed columns under a header line. Under chained fixups a GOT slot is
 * "chained bind" or "chained rebase", and stubs.txt has a got column
 * instead of lazy_ptr and helper. Addresses print like llvm-objdump's
 * tables ("0x%08X", uppercase digits) so they can be grepped across files;
 * symbol names are escaped (buf_put_escaped) so a hostile name cannot
 * break a line.
 *
 * Leaves out: TLV pointer slots (they are not GOT slots) and weak-import
 * marks (the records carry none).
 */
#include <inttypes.h>
#include <stdio.h>

#include "dump_int.h"
#include "dump_util.h"

#define ADDR_W 12u
#define NAME_W 24u

static void put_addr(struct buf *b, uint64_t addr)
{
	char t[24];
	int n = addr ? snprintf(t, sizeof t, "0x%08" PRIX64, addr)
		     : snprintf(t, sizeof t, "-");
	put_ljust(b, t, (size_t)n, ADDR_W);
	buf_u8(b, ' ');
}

int dump_got(const struct link_image *img, struct buf *b)
{
	put_ljust_str(b, "address", ADDR_W);
	buf_printf(b, " %5s  ", "slot");
	put_ljust_str(b, "symbol", NAME_W);
	buf_printf(b, "  filled by\n");
	for (size_t i = 0; i < img->ngot; i++) {
		const struct rec_got *g = &img->got[i];
		put_addr(b, g->addr);
		buf_printf(b, "%5zu  ", i);
		put_ljust_escaped(b, g->symbol, NAME_W);
		buf_printf(b, "  ");
		if (img->chained)
			buf_printf(b, "chained ");
		if (g->ordinal != 0) {
			struct strview d = dump_ordinal_name(img, g->ordinal);
			buf_printf(b, "bind ");
			buf_append(b, d.p, d.n);
		} else {
			buf_printf(b, "rebase 0x%08" PRIX64, g->target);
		}
		if (g->weak)
			buf_printf(b, " weak");
		buf_u8(b, '\n');
	}
	return buf_failed(b) ? -1 : 0;
}

int dump_stubs(const struct link_image *img, struct buf *b)
{
	put_ljust_str(b, "stub", ADDR_W);
	buf_u8(b, ' ');
	/* under chained fixups a stub jumps through its GOT slot, and there
	 * is no helper */
	put_ljust_str(b, img->chained ? "got" : "lazy_ptr", ADDR_W);
	buf_u8(b, ' ');
	if (!img->chained) {
		put_ljust_str(b, "helper", ADDR_W);
		buf_u8(b, ' ');
	}
	put_ljust_str(b, "symbol", NAME_W);
	buf_printf(b, "  dylib\n");
	for (size_t i = 0; i < img->nstubs; i++) {
		const struct rec_stub *s = &img->stubs[i];
		struct strview d = dump_ordinal_name(img, s->ordinal);
		put_addr(b, s->addr);
		put_addr(b, s->lazy_ptr);
		if (!img->chained)
			put_addr(b, s->helper);
		put_ljust_escaped(b, s->symbol, NAME_W);
		buf_printf(b, "  ");
		buf_append(b, d.p, d.n);
		buf_u8(b, '\n');
	}
	return buf_failed(b) ? -1 : 0;
}
