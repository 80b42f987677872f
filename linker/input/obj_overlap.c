/*
 * obj_overlap.c - rejects objects in which two file ranges overlap: the
 * header and load commands, each section's contents, each relocation
 * table, the symbol and string tables, the LC_DYSYMTAB tables and the
 * linkedit data blobs. Runs after the load-command walk, which has already
 * checked that every range lies inside the file.
 * Leaves out: gaps between ranges (legal) and empty ranges (ignored).
 */
#include "obj_ctx.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/macho.h"

enum rkind { R_HEADER, R_SECT, R_RELOCS, R_SYMTAB, R_STRTAB, R_DYSYM,
	     R_DICE, R_BLOB };

struct range {
	uint64_t start, end;
	enum rkind kind;
	uint32_t index; /* section index, dysymtab table, or blob command */
};

static const char *const dysym_what[] = {
	"table of contents", "module table", "external reference table",
	"indirect symbol table", "external relocation table",
	"local relocation table",
};

static void describe(const struct obj_ctx *c, const struct range *r,
		     char *out, size_t n)
{
	char lbl[140];
	switch (r->kind) {
	case R_HEADER:
		snprintf(out, n, "the Mach-O header and load commands");
		return;
	case R_SECT:
	case R_RELOCS:
		obj_sect_label(lbl, sizeof lbl, &c->o->sections[r->index]);
		snprintf(out, n, "%s of section %s",
			 r->kind == R_SECT ? "contents" : "relocations", lbl);
		return;
	case R_SYMTAB:
		snprintf(out, n, "the symbol table");
		return;
	case R_STRTAB:
		snprintf(out, n, "the string table");
		return;
	case R_DYSYM:
		snprintf(out, n, "the %s", dysym_what[r->index]);
		return;
	case R_DICE:
		snprintf(out, n, "the data-in-code table");
		return;
	case R_BLOB: {
		const char *nm = obj_lc_name(r->index);
		snprintf(out, n, "the %s data", nm ? nm : "linkedit");
		return;
	}
	}
}

static int by_start(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static void add(struct range *v, uint32_t *n, uint64_t start, uint64_t len,
		enum rkind kind, uint32_t index)
{
	if (len == 0)
		return;
	v[*n].start = start;
	v[*n].end = start + len; /* both < 2^33: no wrap */
	v[*n].kind = kind;
	v[*n].index = index;
	(*n)++;
}

int obj_check_overlaps(struct obj_ctx *c)
{
	const struct obj_file *o = c->o;
	uint64_t cap = 2 * (uint64_t)o->nsections + 10 + c->nblobs;
	struct range *v = calloc(cap, sizeof *v);
	if (!v)
		return obj_fail(c, 0, "out of memory checking file ranges");
	uint32_t n = 0;
	add(v, &n, 0, c->cmds_end, R_HEADER, 0);
	for (uint32_t i = 0; i < o->nsections; i++) {
		const struct obj_section *s = &o->sections[i];
		if (!section_is_zerofill(s->flags))
			add(v, &n, s->offset, s->size, R_SECT, i);
		add(v, &n, c->raw[i].reloff, (uint64_t)c->raw[i].nreloc * 8,
		    R_RELOCS, i);
	}
	if (c->have_symtab) {
		add(v, &n, c->symoff, (uint64_t)c->nsyms * NLIST_64_SIZE,
		    R_SYMTAB, 0);
		add(v, &n, c->stroff, c->strsize, R_STRTAB, 0);
	}
	if (c->have_dysymtab) {
		static const int offs[] = { DY_TOCOFF, DY_MODTABOFF, DY_EXTREFOFF,
			DY_INDIRECTOFF, DY_EXTRELOFF, DY_LOCRELOFF };
		static const int sizes[] = { 8, 56, 4, 4, 8, 8 };
		for (uint32_t k = 0; k < 6; k++)
			add(v, &n, c->dysym[offs[k]],
			    (uint64_t)c->dysym[offs[k] + 1] * sizes[k], R_DYSYM,
			    k);
	}
	if (c->have_dice)
		add(v, &n, c->dice_off, c->dice_size, R_DICE, 0);
	for (uint32_t k = 0; k < c->nblobs; k++)
		add(v, &n, c->blobs[k].off, c->blobs[k].size, R_BLOB,
		    c->blobs[k].cmd);
	qsort(v, n, sizeof *v, by_start);
	int r = 0;
	uint32_t far = 0; /* the range reaching furthest so far */
	for (uint32_t i = 1; i < n && !r; i++) {
		if (v[i].start < v[far].end) {
			char a[200], b[200];
			describe(c, &v[i], a, sizeof a);
			describe(c, &v[far], b, sizeof b);
			r = obj_fail(c, v[i].start, "%s (0x%" PRIx64 "-0x%"
				     PRIx64 ") overlaps %s (0x%" PRIx64 "-0x%"
				     PRIx64 ")", a, v[i].start, v[i].end, b,
				     v[far].start, v[far].end);
		} else if (v[i].end > v[far].end) {
			far = i;
		}
	}
	free(v);
	return r;
}
