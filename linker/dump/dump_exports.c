/*
 * dump_exports.c - exports.txt: the export trie exactly as
 * `llvm-objdump --macho --exports-trie` prints it (minus its first two
 * lines): "0x%08X  name" (uppercase hex, the absolute address) and, when
 * flagged, " [weak_def, per-thread, absolute]" in that order.
 *
 * Leaves out: re-exports and stub-and-resolver entries. The records carry
 * no "other" field and the linker never emits them; such an entry prints
 * as "[re-export] name (from unknown)" or without the resolver address.
 */
#include <inttypes.h>

#include "../base/macho.h"
#include "dump_int.h"
#include "dump_util.h"

int dump_exports(const struct link_image *img, struct buf *b)
{
	buf_printf(b, "Exports trie:\n");
	for (size_t i = 0; i < img->nexports; i++) {
		const struct rec_export *e = &img->exports[i];
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
	return buf_failed(b) ? -1 : 0;
}
