/*
 * sectopts.c - the options that rename sections and segments and set
 * segment protections, as ld64.lld applies them: -rename_section OLDSEG
 * OLDSECT NEWSEG NEWSECT moves an input section (the linker's own, __got,
 * __stubs..., keep their names), in place of the linker's own renames
 * (__DATA,__const to __DATA_CONST...); -rename_segment OLD NEW then
 * moves every output section of segment OLD, the linker's own too; the
 * last option given for a name wins. -segprot sets an output segment's
 * max and init protections (linkfs-ld's parser has checked them).
 * Leaves out: __TEXT, __PAGEZERO and __LINKEDIT, which linkfs-ld
 * refuses to rename or (the last two) protect.
 */
#include <string.h>

#include "ctx.h"

int section_rename(const struct link_options *o, const char **seg,
		   const char **sect)
{
	for (size_t i = o->nrename_sections; i-- > 0;) {
		const char *const *r = o->rename_sections + 4 * i;
		if (!strcmp(r[0], *seg) && !strcmp(r[1], *sect)) {
			*seg = r[2];
			*sect = r[3];
			return 1;
		}
	}
	return 0;
}

void segment_rename(const struct link_options *o, const char **seg)
{
	for (size_t i = o->nrename_segments; i-- > 0;) {
		const char *const *r = o->rename_segments + 2 * i;
		if (!strcmp(r[0], *seg)) {
			*seg = r[1];
			return;
		}
	}
}

void segment_protect(const struct link_options *o, struct out_segment *g)
{
	for (size_t i = o->nsegprots; i-- > 0;) {
		if (!strcmp(o->segprots[i].seg, g->name)) {
			g->maxprot = o->segprots[i].maxprot;
			g->initprot = o->segprots[i].initprot;
			return;
		}
	}
}
