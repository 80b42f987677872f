/*
 * obj_segment.c - one LC_SEGMENT_64 and its section_64 headers: the section
 * count against cmdsize, the segment's file range, and for each section its
 * type, alignment, file range (never inside the headers, inside the
 * segment) and relocation table range. Sections are appended to obj_file
 * in header order, so section ordinal k is sections[k-1].
 * Leaves out: relocation entries (obj_relocs.c) and overlaps between
 * sections (obj_overlap.c).
 */
#include "obj_ctx.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"

static int grow(struct obj_ctx *c, uint64_t off, uint32_t extra)
{
	struct obj_file *o = c->o;
	uint64_t need = (uint64_t)o->nsections + extra;
	if (need <= c->sect_cap)
		return 0;
	/* nsects is bounded by cmdsize, so need < 2^32 / 80 */
	struct obj_section *s;
	if (c->al->keep) {
		/* a second segment command (rare) leaves the first array
		 * in the arena */
		s = arena_alloc(c->al->keep, need * sizeof *s);
		if (s && o->nsections)
			memcpy(s, o->sections, o->nsections * sizeof *s);
		o->sections_in_arena = 1;
	} else {
		s = realloc(o->sections, need * sizeof *s);
	}
	if (!s)
		return obj_fail(c, off, "out of memory for %" PRIu64 " sections",
				need);
	o->sections = s;
	struct obj_sect_raw *r = realloc(c->raw, need * sizeof *r);
	if (!r)
		return obj_fail(c, off, "out of memory for %" PRIu64 " sections",
				need);
	c->raw = r;
	c->sect_cap = (uint32_t)need;
	return 0;
}

static void copy_name(char out[17], const uint8_t *p)
{
	memcpy(out, p, 16); /* 16 chars without a NUL is legal */
	out[16] = 0;
}

struct seg {
	char name[17];
	uint64_t vmaddr, vmsize, fileoff, filesize;
};

static int one_section(struct obj_ctx *c, const struct seg *g, uint64_t h)
{
	struct obj_file *o = c->o;
	struct obj_section *s = &o->sections[o->nsections];
	struct obj_sect_raw *r = &c->raw[o->nsections];
	char lbl[140]; /* filled only when reporting */
	memset(s, 0, sizeof *s);
	copy_name(s->sectname, c->p + h);
	copy_name(s->segname, c->p + h + 16);
	s->addr = rd64(c->p + h + 32);
	s->size = rd64(c->p + h + 40);
	uint32_t offset = rd32(c->p + h + 48);
	s->align = rd32(c->p + h + 52);
	r->hdr_off = h;
	r->reloff = rd32(c->p + h + 56);
	r->nreloc = rd32(c->p + h + 60);
	s->flags = rd32(c->p + h + 64);

	uint32_t type = s->flags & SECTION_TYPE;
	if (type > S_LAST_KNOWN_TYPE)
		return obj_fail(c, h, "section %" PRIu32 " (%s) has unknown "
				"type 0x%" PRIx32, o->nsections + 1,
				obj_sect_label(lbl, sizeof lbl, s), type);
	if (s->align > 15)
		return obj_fail(c, h, "section %" PRIu32 " (%s) align 2^%" PRIu32
				" is too large (at most 2^15)",
				o->nsections + 1,
				obj_sect_label(lbl, sizeof lbl, s), s->align);
	if (s->addr < g->vmaddr || s->size > g->vmsize ||
	    s->addr - g->vmaddr > g->vmsize - s->size)
		return obj_fail(c, h, "section %" PRIu32 " (%s) addr 0x%" PRIx64
				" size 0x%" PRIx64 " lies outside its segment "
				"(vmaddr 0x%" PRIx64 ", vmsize 0x%" PRIx64 ")",
				o->nsections + 1,
				obj_sect_label(lbl, sizeof lbl, s), s->addr,
				s->size,
				g->vmaddr, g->vmsize);
	if (section_is_zerofill(s->flags)) {
		/* no file contents: the offset field means nothing */
		if (r->nreloc)
			return obj_fail(c, h, "zerofill section %" PRIu32 " (%s) "
					"has %" PRIu32 " relocations",
					o->nsections + 1,
					obj_sect_label(lbl, sizeof lbl, s),
					r->nreloc);
	} else if (s->size) {
		if (!range_ok(c->size, offset, s->size))
			return obj_fail(c, h, "section %" PRIu32 " (%s) offset "
					"0x%" PRIx32 " + size 0x%" PRIx64
					" extends past the end of the file "
					"(size 0x%" PRIx64 ")", o->nsections + 1,
					obj_sect_label(lbl, sizeof lbl, s),
					offset, s->size, c->size);
		if (offset < c->cmds_end)
			return obj_fail(c, h, "section %" PRIu32 " (%s) offset "
					"0x%" PRIx32 " overlaps the Mach-O header "
					"and load commands (end 0x%" PRIx64 ")",
					o->nsections + 1,
					obj_sect_label(lbl, sizeof lbl, s),
					offset,
					c->cmds_end);
		if (offset < g->fileoff ||
		    offset - g->fileoff > g->filesize ||
		    s->size > g->filesize - (offset - g->fileoff))
			return obj_fail(c, h, "section %" PRIu32 " (%s) file "
					"range 0x%" PRIx32 "+0x%" PRIx64 " lies "
					"outside its segment (fileoff 0x%" PRIx64
					", filesize 0x%" PRIx64 ")",
					o->nsections + 1,
					obj_sect_label(lbl, sizeof lbl, s),
					offset, s->size,
					g->fileoff, g->filesize);
		s->offset = offset;
		s->data = c->p + offset;
	} else {
		s->offset = offset;
		s->data = c->p + (offset <= c->size ? offset : 0);
	}
	if (!range_ok(c->size, r->reloff, (uint64_t)r->nreloc * 8))
		return obj_fail(c, h, "section %" PRIu32 " (%s) relocation "
				"entries (reloff 0x%" PRIx32 ", nreloc %" PRIu32
				") extend past the end of the file (size 0x%"
				PRIx64 ")", o->nsections + 1,
				obj_sect_label(lbl, sizeof lbl, s), r->reloff,
				r->nreloc, c->size);
	o->nsections++;
	return 0;
}

int obj_segment64(struct obj_ctx *c, uint64_t off, uint32_t index,
		  uint32_t cmdsize)
{
	if (cmdsize < SEGMENT_COMMAND_64_SIZE)
		return obj_fail(c, off, "load command %" PRIu32 " (LC_SEGMENT_64) "
				"cmdsize %" PRIu32 " is too small (need 72)",
				index, cmdsize);
	struct seg g;
	copy_name(g.name, c->p + off + 8);
	g.vmaddr = rd64(c->p + off + 24);
	g.vmsize = rd64(c->p + off + 32);
	g.fileoff = rd64(c->p + off + 40);
	g.filesize = rd64(c->p + off + 48);
	uint32_t nsects = rd32(c->p + off + 64);
	if ((uint64_t)nsects * SECTION_64_SIZE >
	    cmdsize - SEGMENT_COMMAND_64_SIZE)
		return obj_fail(c, off, "load command %" PRIu32 " (LC_SEGMENT_64) "
				"inconsistent cmdsize %" PRIu32 " for nsects %"
				PRIu32, index, cmdsize, nsects);
	char nm[70]; /* filled only when reporting */
	if (!range_ok(c->size, g.fileoff, g.filesize))
		return obj_fail(c, off, "load command %" PRIu32 " (LC_SEGMENT_64) "
				"segment '%s' fileoff 0x%" PRIx64 " + filesize "
				"0x%" PRIx64 " extends past the end of the file "
				"(size 0x%" PRIx64 ")", index,
				obj_escape(nm, sizeof nm, g.name), g.fileoff,
				g.filesize, c->size);
	if (g.vmsize != 0 && g.filesize > g.vmsize)
		return obj_fail(c, off, "load command %" PRIu32 " (LC_SEGMENT_64) "
				"segment '%s' filesize 0x%" PRIx64 " is greater "
				"than vmsize 0x%" PRIx64, index,
				obj_escape(nm, sizeof nm, g.name), g.filesize,
				g.vmsize);
	if (grow(c, off, nsects))
		return -1;
	for (uint32_t j = 0; j < nsects; j++) {
		uint64_t h = off + SEGMENT_COMMAND_64_SIZE +
			     (uint64_t)j * SECTION_64_SIZE;
		if (one_section(c, &g, h))
			return -1;
	}
	return 0;
}
