/*
 * atoms.c - splits input sections into atoms and merges literals.
 * Splitting looks at one file only (it runs on worker threads, see
 * load.c); merging looks at the whole link and runs in input order.
 *
 * With MH_SUBSECTIONS_VIA_SYMBOLS a section is cut at every symbol that is
 * not an alt-entry; without it a section is one atom. C-string sections
 * are cut at each NUL and 4/8/16-byte literal sections into fixed pieces;
 * identical pieces are merged (the first one in input order is kept, the
 * others become `dup` atoms pointing at it). Also translates addresses of
 * the object's address space to output addresses.
 *
 * Leaves out: merging of literal pointers, __cfstring, Objective-C.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "../base/macho.h"
#include "ctx.h"

struct lit_table {
	struct atom **slots;
	size_t cap, count;
};

void atoms_release(struct link_ctx *c)
{
	if (c->lits) {
		free(c->lits->slots);
		free(c->lits);
		c->lits = NULL;
	}
}

static const uint8_t *atom_bytes(const struct atom *a)
{
	return a->file->obj.sections[a->sect].data + a->off;
}

static uint32_t sect_type(const struct input_file *f, uint32_t s)
{
	return f->obj.sections[s].flags & SECTION_TYPE;
}

static int lit_grow(struct lit_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct atom **n = calloc(cap, sizeof *n);
	if (!n)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		struct atom *a = t->slots[i];
		if (!a)
			continue;
		size_t j = (size_t)XXH3_64bits_withSeed(atom_bytes(a), a->size,
							sect_type(a->file, a->sect)) & (cap - 1);
		while (n[j])
			j = (j + 1) & (cap - 1);
		n[j] = a;
	}
	free(t->slots);
	t->slots = n;
	t->cap = cap;
	return 0;
}

/* Returns the canonical atom with the same type and bytes, inserting `a`
 * if it is the first; NULL when out of memory. */
static struct atom *lit_intern(struct link_ctx *c, struct atom *a)
{
	if (!c->lits && !(c->lits = calloc(1, sizeof *c->lits)))
		return NULL;
	struct lit_table *t = c->lits;
	if ((t->count + 1) * 2 > t->cap && lit_grow(t))
		return NULL;
	uint32_t type = sect_type(a->file, a->sect);
	const uint8_t *bytes = atom_bytes(a);
	size_t j = (size_t)XXH3_64bits_withSeed(bytes, a->size, type) & (t->cap - 1);
	for (;; j = (j + 1) & (t->cap - 1)) {
		struct atom *b = t->slots[j];
		if (!b)
			break;
		if (b->size == a->size && sect_type(b->file, b->sect) == type &&
		    !strcmp(b->file->obj.sections[b->sect].segname,
			    a->file->obj.sections[a->sect].segname) &&
		    !memcmp(atom_bytes(b), bytes, a->size)) {
			if (a->align > b->align)
				b->align = a->align;
			return b;
		}
	}
	t->slots[j] = a;
	t->count++;
	return a;
}

enum section_fate section_fate(const struct obj_section *s)
{
	if (!strcmp(s->segname, "__LD") && !strcmp(s->sectname, "__compact_unwind"))
		return SECT_UNWIND; /* consumed by unwind.c into __unwind_info */
	if (!strcmp(s->sectname, "__eh_frame"))
		return SECT_UNWIND;
	if ((s->flags & S_ATTR_DEBUG) || !strcmp(s->segname, "__DWARF"))
		return SECT_DEBUG;
	return SECT_LINKED;
}

static uint32_t piece_align(uint32_t sect_align, uint64_t off)
{
	if (off == 0)
		return sect_align;
	uint32_t tz = (uint32_t)__builtin_ctzll(off);
	return tz < sect_align ? tz : sect_align;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Offsets where the section is cut, sorted and unique, starting with 0. */
static int cut_points(struct diag *d, struct input_file *f, uint32_t si,
		      uint64_t **out, size_t *n)
{
	const struct obj_file *o = &f->obj;
	const struct obj_section *s = &o->sections[si];
	uint32_t type = s->flags & SECTION_TYPE;
	uint64_t *pts = NULL;
	size_t np = 0, cap = 0;
	if (huge_grow((void **)&pts, &cap, 1, sizeof *pts))
		return diag_error(d, "out of memory");
	pts[np++] = 0;
	if (type == S_CSTRING_LITERALS) {
		if (s->size && s->data[s->size - 1] != 0) {
			free(pts);
			char lb[40];
			return diag_error(d, "'%s': offset 0x%x: section %s: C string literals are not NUL-terminated",
					  f->name, s->offset, sect_label(f, si, lb, sizeof lb));
		}
		for (uint64_t i = 0; i + 1 < s->size; i++) {
			if (s->data[i] == 0) {
				if (huge_grow((void **)&pts, &cap, np + 1, sizeof *pts))
					goto oom;
				pts[np++] = i + 1;
			}
		}
	} else if (type == S_4BYTE_LITERALS || type == S_8BYTE_LITERALS ||
		   type == S_16BYTE_LITERALS) {
		uint64_t w = type == S_4BYTE_LITERALS ? 4 : type == S_8BYTE_LITERALS ? 8 : 16;
		if (s->size % w) {
			free(pts);
			char lb[40];
			return diag_error(d, "'%s': offset 0x%x: section %s: size 0x%llx is not a multiple of %llu",
					  f->name, s->offset, sect_label(f, si, lb, sizeof lb),
					  (unsigned long long)s->size, (unsigned long long)w);
		}
		for (uint64_t i = w; i < s->size; i += w) {
			if (huge_grow((void **)&pts, &cap, np + 1, sizeof *pts))
				goto oom;
			pts[np++] = i;
		}
	} else if (o->flags & MH_SUBSECTIONS_VIA_SYMBOLS) {
		for (uint32_t k = 0; k < o->nsymbols; k++) {
			const struct obj_symbol *ns = &o->symbols[k];
			if ((ns->type & N_STAB) || (ns->type & N_TYPE) != N_SECT ||
			    ns->sect != si + 1 || (ns->desc & N_ALT_ENTRY))
				continue;
			uint64_t off = ns->value - s->addr;
			if (off == 0 || off >= s->size)
				continue;
			if (huge_grow((void **)&pts, &cap, np + 1, sizeof *pts))
				goto oom;
			pts[np++] = off;
		}
		qsort(pts, np, sizeof *pts, cmp_u64);
		size_t u = 1;
		for (size_t i = 1; i < np; i++)
			if (pts[i] != pts[u - 1])
				pts[u++] = pts[i];
		np = u;
	}
	*out = pts;
	*n = np;
	return 0;
oom:
	free(pts);
	return diag_error(d, "out of memory");
}

int atoms_split(struct input_file *f, struct arena *ar, struct diag *d)
{
	const struct obj_file *o = &f->obj;
	uint32_t ns = o->nsections;
	f->atoms = arena_alloc(ar, (ns + 1) * sizeof *f->atoms);
	f->natoms = arena_alloc(ar, (ns + 1) * sizeof *f->natoms);
	f->sect_kept = arena_alloc(ar, ns + 1);
	if (!f->atoms || !f->natoms || !f->sect_kept)
		return diag_error(d, "out of memory");
	for (uint32_t si = 0; si < ns; si++) {
		const struct obj_section *s = &o->sections[si];
		if (section_fate(s) != SECT_LINKED)
			continue;
		f->sect_kept[si] = 1;
		uint64_t *pts = NULL;
		size_t np = 0;
		if (cut_points(d, f, si, &pts, &np))
			return -1;
		struct atom *atoms = arena_alloc(ar, np * sizeof *atoms);
		if (!atoms) {
			free(pts);
			return diag_error(d, "out of memory");
		}
		for (size_t i = 0; i < np; i++) {
			struct atom *a = &atoms[i];
			a->file = f;
			a->sect = si;
			a->off = pts[i];
			a->size = (i + 1 < np ? pts[i + 1] : s->size) - pts[i];
			a->align = piece_align(s->align, pts[i]);
			a->live = 1;
		}
		free(pts);
		f->atoms[si] = atoms;
		f->natoms[si] = (uint32_t)np;
	}
	return 0;
}

static int is_literal_type(uint32_t type)
{
	return type == S_CSTRING_LITERALS || type == S_4BYTE_LITERALS ||
	       type == S_8BYTE_LITERALS || type == S_16BYTE_LITERALS;
}

int atoms_merge_literals(struct link_ctx *c, struct input_file *f, struct diag *d)
{
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		if (!f->sect_kept[si] || !is_literal_type(sect_type(f, si)))
			continue;
		for (uint32_t i = 0; i < f->natoms[si]; i++) {
			struct atom *a = &f->atoms[si][i];
			struct atom *canon = lit_intern(c, a);
			if (!canon)
				return diag_error(d, "out of memory");
			if (canon != a) {
				a->dup = 1;
				a->canon = canon;
			}
		}
	}
	return 0;
}

struct atom *atom_at(struct input_file *f, uint32_t sect, uint64_t off)
{
	uint32_t n = f->natoms[sect];
	struct atom *a = f->atoms[sect];
	if (!n)
		return NULL;
	uint32_t lo = 0, hi = n; /* last atom with a->off <= off */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return &a[lo];
}

static uint64_t atom_out(const struct atom *a)
{
	return a->dup ? a->canon->addr : a->addr;
}

struct atom *atom_for_addr(struct input_file *f, uint32_t si, uint64_t addr)
{
	const struct obj_section *s = &f->obj.sections[si];
	if (!f->sect_kept[si])
		return NULL;
	/* Addresses a little outside the section (addends like &a[-1] or
	 * one-past-the-end) are taken relative to the nearest atom. */
	return atom_at(f, si, addr < s->addr ? 0 : addr - s->addr);
}

static int addr_in_section(struct input_file *f, uint32_t si, uint64_t addr,
			   uint64_t *out)
{
	const struct obj_section *s = &f->obj.sections[si];
	struct atom *a = atom_for_addr(f, si, addr);
	if (!a || !a->live)
		return 2;
	*out = atom_out(a) + (addr - s->addr - a->off);
	return 0;
}

/* 0: found; 1: outside every section; 2: in a dropped section.
 * An address at a section's end belongs to it only if no other section
 * starts there. */
static int addr_lookup(struct input_file *f, uint64_t addr, uint64_t *out,
		       uint32_t *sect)
{
	const struct obj_file *o = &f->obj;
	uint32_t end_match = UINT32_MAX;
	for (uint32_t si = 0; si < o->nsections; si++) {
		const struct obj_section *s = &o->sections[si];
		if (addr < s->addr || addr - s->addr > s->size)
			continue;
		if (addr - s->addr == s->size && s->size) {
			end_match = si;
			continue;
		}
		*sect = si;
		return addr_in_section(f, si, addr, out);
	}
	if (end_match != UINT32_MAX) {
		*sect = end_match;
		return addr_in_section(f, end_match, addr, out);
	}
	return 1;
}

int obj_addr_lookup(struct input_file *f, uint64_t addr, uint64_t *out)
{
	uint32_t sect;
	return addr_lookup(f, addr, out, &sect) ? -1 : 0;
}

int obj_addr_to_out(struct diag *d, struct input_file *f, uint64_t addr,
		    uint64_t *out)
{
	return obj_sect_addr_to_out(d, f, 0, addr, out);
}

int obj_sect_addr_to_out(struct diag *d, struct input_file *f, uint32_t sect1,
			 uint64_t addr, uint64_t *out)
{
	uint32_t sect = sect1 ? sect1 - 1 : 0;
	int r = sect1 ? addr_in_section(f, sect, addr, out) : addr_lookup(f, addr, out, &sect);
	if (r == 1)
		return diag_error(d, "'%s': address 0x%llx is outside every section",
				  f->name, (unsigned long long)addr);
	if (r == 2) {
		char lb[40];
		return diag_error(d, "'%s': reference to address 0x%llx in dropped or dead part of %s",
				  f->name, (unsigned long long)addr,
				  sect_label(f, sect, lb, sizeof lb));
	}
	return 0;
}

uint64_t symbol_addr(const struct link_ctx *c, const struct symbol *s)
{
	switch (s->kind) {
	case SYM_DEFINED:
		return atom_out(s->atom) + s->atom_off;
	case SYM_ABS:
		return s->value;
	case SYM_SYNTHETIC:
		return s->value;
	default:
		return 0;
	}
}
