/*
 * dump_exports.c - exports.txt: the export trie exactly as
 * `llvm-objdump --macho --exports-trie` prints it (minus its first two
 * lines): "0x%08X  name" (uppercase hex, the absolute address) and, when
 * flagged, " [weak_def, per-thread, absolute]" in that order.
 *
 * Order: llvm-objdump walks the trie depth first and reports a node's own
 * export after its children's (so "_f_1" comes after "_f_10".."_f_19").
 * Our trie orders children by edge label (trie.h), so that walk is strcmp
 * order with the end of a name sorting after every byte; the records are
 * re-sorted that way here, whatever order they arrive in.
 *
 * Leaves out: re-exports and stub-and-resolver entries. The records carry
 * no "other" field and the linker never emits them; such an entry prints
 * as "[re-export] name (from unknown)" or without the resolver address.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "../base/macho.h"
#include "dump_int.h"
#include "dump_util.h"

/* strcmp, except that a name sorts after the names it is a prefix of. */
static int cmp_walk(const void *pa, const void *pb)
{
	const struct rec_export *a = *(const struct rec_export *const *)pa;
	const struct rec_export *b = *(const struct rec_export *const *)pb;
	const unsigned char *x = (const unsigned char *)(a->name ? a->name : "");
	const unsigned char *y = (const unsigned char *)(b->name ? b->name : "");

	for (; *x && *x == *y; x++, y++)
		;
	if (!*x || !*y)
		return *x ? -1 : *y ? 1 : (a < b ? -1 : a > b);
	return *x < *y ? -1 : 1;
}

static void put_export(struct buf *b, const struct rec_export *e)
{
	uint64_t kind = e->flags & EXPORT_SYMBOL_FLAGS_KIND_MASK;
	int reexport = (e->flags & EXPORT_SYMBOL_FLAGS_REEXPORT) != 0;
	const char *sep = "";

	if (reexport)
		buf_printf(b, "[re-export] ");
	else
		buf_printf(b, "0x%08" PRIX64 "  ", e->addr);
	if (e->name)
		buf_append(b, e->name, strlen(e->name));
	if ((e->flags & (EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION |
			 EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER)) ||
	    kind == EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL ||
	    kind == EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE) {
		buf_printf(b, " [");
		if (e->flags & EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION) {
			buf_printf(b, "%sweak_def", sep);
			sep = ", ";
		}
		if (kind == EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL) {
			buf_printf(b, "%sper-thread", sep);
			sep = ", ";
		}
		if (kind == EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE) {
			buf_printf(b, "%sabsolute", sep);
			sep = ", ";
		}
		if (e->flags & EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER)
			buf_printf(b, "%sresolver=0x00000000", sep);
		buf_u8(b, ']');
	}
	if (reexport)
		buf_printf(b, " (from unknown)");
	buf_u8(b, '\n');
}

int dump_exports(const struct link_image *img, struct buf *b)
{
	const struct rec_export **v = NULL;

	buf_printf(b, "Exports trie:\n");
	if (img->nexports) {
		v = malloc(img->nexports * sizeof *v);
		if (!v) {
			b->oom = 1;
			return -1;
		}
	}
	for (size_t i = 0; i < img->nexports; i++)
		v[i] = &img->exports[i];
	if (img->nexports)
		qsort(v, img->nexports, sizeof *v, cmp_walk);
	for (size_t i = 0; i < img->nexports; i++)
		put_export(b, v[i]);
	free(v);
	return buf_failed(b) ? -1 : 0;
}
