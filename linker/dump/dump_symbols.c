/*
 * dump_symbols.c - symbols.txt: the output symbol table as `llvm-nm -m`
 * (llvm-nm 19, darwinPrintSymbol) prints it for an MH_EXECUTE with
 * MH_TWOLEVEL: sorted by name (strcmp; ties by value), the 64-bit value as
 * %016x (16 blanks for undefined and indirect symbols), "(SEG,sect)",
 * "(undefined)", "(absolute)", "(common)", the external / non-external /
 * weak / private-external words, "[referenced dynamically]", the name
 * verbatim, and " (from libSystem)" for two-level undefined symbols.
 *
 * Leaves out: stabs (llvm-nm hides them without -a), symbols llvm-nm
 * fakes up from dyld info (only when MH_NLIST_OUTOFSYNC_WITH_DYLDINFO is
 * set, which the linker never does), and the MH_OBJECT-only annotations
 * ([no dead strip], [alt entry], ...).
 */
#include <inttypes.h>
#include <stdlib.h>

#include "../base/macho.h"
#include "dump_int.h"
#include "dump_util.h"

#define EXECUTABLE_ORDINAL 0xffu
#define DYNAMIC_LOOKUP_ORDINAL 0xfeu
#define N_ARM_THUMB_DEF 0x0008u
#define REFERENCE_TYPE 0x7u
#define REFERENCE_FLAG_UNDEFINED_LAZY 1u
#define REFERENCE_FLAG_PRIVATE_UNDEFINED_NON_LAZY 4u
#define REFERENCE_FLAG_PRIVATE_UNDEFINED_LAZY 5u

static int cmp_sym(const void *pa, const void *pb)
{
	const struct rec_symbol *a = *(const struct rec_symbol *const *)pa;
	const struct rec_symbol *b = *(const struct rec_symbol *const *)pb;
	int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	if (c)
		return c;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void put_where(struct buf *b, const struct link_image *img,
		      const struct rec_symbol *s)
{
	uint8_t t = s->type & N_TYPE;
	uint16_t rt = s->desc & REFERENCE_TYPE;

	switch (t) {
	case N_UNDF:
		if (s->value) {
			unsigned align = (s->desc >> 8) & 0x0f;
			buf_printf(b, "(common) ");
			if (align)
				buf_printf(b, "(alignment 2^%u) ", align);
		} else if (rt == REFERENCE_FLAG_UNDEFINED_LAZY) {
			buf_printf(b, "(undefined [lazy bound]) ");
		} else if (rt == REFERENCE_FLAG_PRIVATE_UNDEFINED_LAZY) {
			buf_printf(b, "(undefined [private lazy bound]) ");
		} else if (rt == REFERENCE_FLAG_PRIVATE_UNDEFINED_NON_LAZY) {
			buf_printf(b, "(undefined [private]) ");
		} else {
			buf_printf(b, "(undefined) ");
		}
		break;
	case N_ABS:
		buf_printf(b, "(absolute) ");
		break;
	case N_INDR:
		buf_printf(b, "(indirect) ");
		break;
	case N_SECT:
		if (s->sect == 0 || s->sect > img->nsections) {
			buf_printf(b, "(?,?) ");
			break;
		}
		buf_printf(b, "(%s,%s) ", img->sections[s->sect - 1].segname,
			   img->sections[s->sect - 1].sectname);
		break;
	default:
		buf_printf(b, "(?) ");
		break;
	}
}

static void put_linkage(struct buf *b, const struct rec_symbol *s)
{
	if (!(s->type & N_EXT)) {
		buf_printf(b, (s->type & N_PEXT)
				      ? "non-external (was a private external) "
				      : "non-external ");
		return;
	}
	if (s->desc & REFERENCED_DYNAMICALLY)
		buf_printf(b, "[referenced dynamically] ");
	if (s->type & N_PEXT) {
		buf_printf(b, (s->desc & N_WEAK_DEF) ? "weak private external "
						     : "private external ");
	} else if ((s->desc & (N_WEAK_REF | N_WEAK_DEF)) ==
		   (N_WEAK_REF | N_WEAK_DEF)) {
		buf_printf(b, "weak external automatically hidden ");
	} else if (s->desc & (N_WEAK_REF | N_WEAK_DEF)) {
		buf_printf(b, "weak external ");
	} else {
		buf_printf(b, "external ");
	}
}

static void put_from(struct buf *b, const struct link_image *img,
		     const struct rec_symbol *s)
{
	uint8_t t = s->type & N_TYPE;
	unsigned ord = (s->desc >> 8) & 0xff;

	if (!((t == N_UNDF && s->value == 0) || t == N_PBUD) || ord == 0)
		return;
	if (ord == EXECUTABLE_ORDINAL)
		buf_printf(b, " (from executable)");
	else if (ord == DYNAMIC_LOOKUP_ORDINAL)
		buf_printf(b, " (dynamically looked up)");
	else if (ord > img->ndylibs || !img->dylibs[ord - 1])
		buf_printf(b, " (from bad library ordinal %u)", ord);
	else {
		struct strview d = dylib_short_name(img->dylibs[ord - 1]);
		buf_printf(b, " (from ");
		buf_append(b, d.p, d.n);
		buf_u8(b, ')');
	}
}

static void put_symbol(struct buf *b, const struct link_image *img,
		       const struct rec_symbol *s)
{
	uint8_t t = s->type & N_TYPE;

	if ((t == N_UNDF && s->value == 0) || t == N_INDR)
		buf_printf(b, "%16s ", "");
	else
		buf_printf(b, "%016" PRIx64 " ", s->value);
	put_where(b, img, s);
	put_linkage(b, s);
	if (s->desc & N_ARM_THUMB_DEF)
		buf_printf(b, "[Thumb] ");
	if (s->name)
		buf_append(b, s->name, strlen(s->name));
	if (t == N_INDR)
		buf_printf(b, " (for ?)");
	put_from(b, img, s);
	buf_u8(b, '\n');
}

int dump_symbols(const struct link_image *img, struct buf *b)
{
	const struct rec_symbol **v;
	size_t n = 0;

	if (!img->nsymbols)
		return buf_failed(b) ? -1 : 0;
	v = malloc(img->nsymbols * sizeof *v);
	if (!v) {
		b->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < img->nsymbols; i++)
		if (!(img->symbols[i].type & N_STAB))
			v[n++] = &img->symbols[i];
	qsort(v, n, sizeof *v, cmp_sym);
	for (size_t i = 0; i < n; i++)
		put_symbol(b, img, v[i]);
	free(v);
	return buf_failed(b) ? -1 : 0;
}
