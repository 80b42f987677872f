/*
 * layout.c - builds the output sections and segments and gives every atom
 * and synthetic section its address.
 *
 * Order (lld's, so tables line up when compared): segments __TEXT,
 * __DATA_CONST, __DATA, then any other segment; inside a segment the ranked
 * sections of the table below, then the rest in the order first seen, and
 * zerofill sections last in the order first seen (the tentative
 * definitions' __common first when there are any, as lld makes it first).
 * Input __DATA,__const, __got, __mod_init_func, __mod_term_func and
 * __cfstring move to __DATA_CONST, __TEXT,__StaticInit into __TEXT,__text,
 * and __TEXT,__literal4/8/16 into one __TEXT,__literals (16-byte ones
 * first), as lld does. An input section named like a synthetic one is
 * refused.
 * -rename_section, -rename_segment and -segprot are sectopts.c's (a
 * -sectcreate section comes as an input of its own); -order_file is
 * order.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/hugepage.h"
#include "../base/macho.h"
#include "ctx.h"

static const struct {
	const char *seg, *sect;
	int rank;
} section_ranks[] = {
	{ "__TEXT", "__text", 0 },
	{ "__TEXT", "__stubs", 1 },
	{ "__TEXT", "__stub_helper", 2 },
	{ "__TEXT", "__init_offsets", 3 },
	{ "__TEXT", "__unwind_info", 1000 },
	{ "__TEXT", "__eh_frame", 1001 },
	{ "__DATA_CONST", "__got", 0 },
	{ "__DATA", "__la_symbol_ptr", 0 },
	{ "__DATA", "__thread_data", 900 },  /* last with contents: next to */
	{ "__DATA", "__thread_bss", 2000 },  /* the first zerofill section */
};

static const char *const segment_order[] = { "__TEXT", "__DATA_CONST", "__DATA" };

static int segment_rank(const char *seg)
{
	for (size_t i = 0; i < sizeof segment_order / sizeof *segment_order; i++)
		if (!strcmp(seg, segment_order[i]))
			return (int)i;
	return 3;
}

static int is_zerofill(uint32_t flags)
{
	uint32_t t = flags & SECTION_TYPE;
	return t == S_ZEROFILL || t == S_GB_ZEROFILL || t == S_THREAD_LOCAL_ZEROFILL;
}

struct out_section *osec_get(struct link_ctx *c, const char *seg,
			     const char *sect, uint32_t flags)
{
	for (size_t i = 0; i < c->nosecs; i++) {
		struct out_section *o = c->osecs[i];
		if (!strcmp(o->segname, seg) && !strcmp(o->sectname, sect))
			return o;
	}
	if (huge_grow((void **)&c->osecs, &c->cap_osecs, c->nosecs + 1,
		     sizeof *c->osecs))
		return NULL;
	struct out_section *o = arena_alloc(&c->arena, sizeof *o);
	if (!o)
		return NULL;
	snprintf(o->segname, sizeof o->segname, "%s", seg);
	snprintf(o->sectname, sizeof o->sectname, "%s", sect);
	o->flags = flags;
	o->kind = is_zerofill(flags) ? OSEC_ZEROFILL : OSEC_REGULAR;
	o->rank = 100 + (int)c->nosecs; /* first seen */
	if (is_zerofill(flags))   /* last, in the order first seen */
		o->rank += 2000;
	for (size_t i = 0; i < sizeof section_ranks / sizeof *section_ranks; i++)
		if (!strcmp(seg, section_ranks[i].seg) && !strcmp(sect, section_ranks[i].sect))
			o->rank = section_ranks[i].rank;
	c->osecs[c->nosecs++] = o;
	return o;
}

static void osec_append(struct out_section *o, struct atom *a)
{
	a->osec = o;
	a->next_in_osec = NULL;
	if (o->last)
		o->last->next_in_osec = a;
	else
		o->first = a;
	o->last = a;
	o->natoms++;
	if (a->align > o->align)
		o->align = a->align;
}

/* 1 if seg,sect is a section only the linker writes (an input one would
 * be mixed into the GOT or the stubs: lld refuses it too). */
static int is_synthetic_name(const char *seg, const char *sect)
{
	static const char *const names[][2] = {
		{ "__DATA_CONST", "__got" }, { "__TEXT", "__stubs" },
		{ "__TEXT", "__stub_helper" }, { "__DATA", "__la_symbol_ptr" },
		{ "__DATA", "__thread_ptrs" }, { "__TEXT", "__unwind_info" },
		{ "__TEXT", "__init_offsets" },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(seg, names[i][0]) && !strcmp(sect, names[i][1]))
			return 1;
	return 0;
}

/* 1 if s is a __TEXT section of 4, 8 or 16-byte literals, which lld
 * gathers into one __TEXT,__literals (output_name_for). */
static int word_literals(const struct obj_section *s)
{
	uint32_t t = s->flags & SECTION_TYPE;
	return !strcmp(s->segname, "__TEXT") &&
	       (t == S_4BYTE_LITERALS || t == S_8BYTE_LITERALS || t == S_16BYTE_LITERALS);
}

static void output_name_for(const struct link_ctx *c, const struct obj_section *s,
			    const char **seg, const char **sect)
{
	*seg = s->segname;
	*sect = s->sectname;
	/* literals gathered into __literals keep the linker's name */
	if (!word_literals(s) && section_rename(c->opt, seg, sect))
		return;   /* -rename_section (sectopts.c) */
	if (!strcmp(s->segname, "__DATA") &&
	    (!strcmp(s->sectname, "__const") || !strcmp(s->sectname, "__mod_init_func") ||
	     !strcmp(s->sectname, "__got") ||
	     !strcmp(s->sectname, "__mod_term_func") || !strcmp(s->sectname, "__cfstring")))
		*seg = "__DATA_CONST";
	/* C++ static initializers (clang's __StaticInit) join the code */
	if (!strcmp(s->segname, "__TEXT") && !strcmp(s->sectname, "__StaticInit"))
		*sect = "__text";
	if (word_literals(s))
		*sect = "__literals";
}

static struct atom *synthetic_atom(struct link_ctx *c, uint64_t size, uint32_t align)
{
	struct atom *a = arena_alloc(&c->arena, sizeof *a);
	if (a) {
		a->size = size;
		a->align = align;
		a->live = 1;
	}
	return a;
}

static int add_input_atoms(struct link_ctx *c)
{
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			if (!f->sect_kept[si] || !f->natoms[si])
				continue;
			const struct obj_section *s = &f->obj.sections[si];
			const char *seg, *sect;
			output_name_for(c, s, &seg, &sect);
			struct out_section *o = osec_get(c, seg, sect, s->flags);
			if (!o)
				return diag_error(c->diag, "out of memory");
			if (word_literals(s))
				continue; /* add_word_literals, in lld's order */
			if (is_synthetic_name(seg, sect)) {
				char lb[40];
				return diag_error(c->diag, "'%s': section %s conflicts with the synthetic section %s,%s the linker makes",
						  f->name, sect_label(f, si, lb, sizeof lb), seg, sect);
			}
			if (o->kind == OSEC_ZEROFILL && s->data && s->size) {
				/* a zerofill output section has no file bytes to
				 * copy these into */
				char lb[40];
				return diag_error(c->diag, "'%s': section %s has contents, but an earlier input made %s,%s a zerofill section",
						  f->name, sect_label(f, si, lb, sizeof lb), seg, sect);
			}
			for (uint32_t k = 0; k < f->natoms[si]; k++) {
				struct atom *a = &f->atoms[si][k];
				if (a->live && !a->dup)
					osec_append(o, a);
			}
		}
	}
	return 0;
}

/* __TEXT,__literals as lld writes it: the 16-byte literals, then the
 * 8-byte ones, then the 4-byte ones (so each stays aligned), each kind
 * in input order, one copy of each value (atoms.c merged them). */
static int add_word_literals(struct link_ctx *c)
{
	static const uint32_t order[] = { S_16BYTE_LITERALS, S_8BYTE_LITERALS,
					  S_4BYTE_LITERALS };
	struct out_section *o = NULL;
	for (size_t i = 0; i < c->nosecs && !o; i++)
		if (!strcmp(c->osecs[i]->segname, "__TEXT") &&
		    !strcmp(c->osecs[i]->sectname, "__literals"))
			o = c->osecs[i];
	if (o)
		o->flags = S_REGULAR; /* one kind of literal no more, as lld */
	for (size_t t = 0; o && t < sizeof order / sizeof *order; t++) {
		for (size_t fi = 0; fi < c->nfiles; fi++) {
			struct input_file *f = c->files[fi];
			for (uint32_t si = 0; si < f->obj.nsections; si++) {
				const struct obj_section *s = &f->obj.sections[si];
				if (!f->sect_kept[si] || !word_literals(s) ||
				    (s->flags & SECTION_TYPE) != order[t])
					continue;
				for (uint32_t k = 0; k < f->natoms[si]; k++) {
					struct atom *a = &f->atoms[si][k];
					if (a->live && !a->dup)
						osec_append(o, a);
				}
			}
		}
	}
	return 0;
}

static int cmp_common(const void *x, const void *y)
{
	const struct symbol *a = *(const struct symbol *const *)x;
	const struct symbol *b = *(const struct symbol *const *)y;
	if (a->file->map_index != b->file->map_index)
		return a->file->map_index < b->file->map_index ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* lld makes the section of tentative definitions (__DATA,__common)
 * before any input section's, so it is the first zerofill section when
 * there are commons; an input __common section comes in its place. */
static int reserve_common(struct link_ctx *c)
{
	size_t ng;
	struct symbol *const *g = symtab_all(&c->symtab, &ng);
	if (!g)
		return diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < ng; i++)
		if (g[i]->kind == SYM_COMMON)
			return osec_get(c, "__DATA", "__common", S_ZEROFILL) ? 0
				: diag_error(c->diag, "out of memory");
	return 0;
}

static int allocate_commons(struct link_ctx *c)
{
	size_t n = 0, ng;
	struct symbol *const *g = symtab_all(&c->symtab, &ng);
	if (!g)
		return diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < ng; i++)
		n += g[i]->kind == SYM_COMMON;
	if (!n)
		return 0;
	struct symbol **v = huge_malloc(n * sizeof *v);
	if (!v)
		return diag_error(c->diag, "out of memory");
	n = 0;
	for (size_t i = 0; i < ng; i++)
		if (g[i]->kind == SYM_COMMON)
			v[n++] = g[i];
	qsort(v, n, sizeof *v, cmp_common);
	struct out_section *o = osec_get(c, "__DATA", "__common", S_ZEROFILL);
	int rc = o ? 0 : diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		struct symbol *s = v[i];
		struct atom *a = synthetic_atom(c, s->value, s->common_align);
		if (!a) {
			rc = diag_error(c->diag, "out of memory");
			break;
		}
		a->file = s->file;
		a->sect = UINT32_MAX;
		a->sym = s;
		osec_append(o, a);
		s->kind = SYM_DEFINED;
		s->atom = a;
		s->atom_off = 0;
	}
	free(v);
	return rc;
}

/* init_size: __init_offsets' (init_offsets_take) */
static int add_synthetic_sections(struct link_ctx *c, uint64_t init_size)
{
	size_t nlazy = c->chained ? 0 : stubs_nlazy(c);
	const struct arch_ops *ops = c->ops;
	uint64_t unwind_size;
	if (unwind_collect(c, &unwind_size))
		return -1;

	struct {
		struct out_section **slot;
		const char *seg, *sect;
		uint32_t flags, align;
		enum osec_kind kind;
		uint64_t size;
		uint32_t reserved2;
	} t[] = {
		{ &c->got, "__DATA_CONST", "__got", S_NON_LAZY_SYMBOL_POINTERS, 3,
		  OSEC_GOT, got_size(c), 0 },
		{ &c->stubs, "__TEXT", "__stubs", S_SYMBOL_STUBS | S_ATTR_PURE_INSTRUCTIONS |
		  S_ATTR_SOME_INSTRUCTIONS, ops->stub_align, OSEC_STUBS, stubs_size(c),
		  ops->stub_size },
		{ &c->stub_helper, "__TEXT", "__stub_helper", S_REGULAR |
		  S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS, ops->helper_align,
		  OSEC_STUB_HELPER, stub_helper_size(c, nlazy), 0 },
		{ &c->la_ptr, "__DATA", "__la_symbol_ptr", S_LAZY_SYMBOL_POINTERS, 3,
		  OSEC_LAZY_PTR, c->chained ? 0 : lazy_ptrs_size(c), 0 },
		{ &c->thread_ptrs, "__DATA", "__thread_ptrs", S_THREAD_LOCAL_VARIABLE_POINTERS,
		  3, OSEC_THREAD_PTRS, tlvp_size(c), 0 },
		{ &c->unwind_info, "__TEXT", "__unwind_info", S_REGULAR, 2, OSEC_UNWIND_INFO,
		  unwind_size, 0 },
		{ &c->init_offsets, "__TEXT", "__init_offsets", S_INIT_FUNC_OFFSETS, 2,
		  OSEC_INIT_OFFSETS, init_size, 0 },
		{ &c->eh_frame, "__TEXT", "__eh_frame", S_REGULAR, c->eh_frame_align,
		  OSEC_EH_FRAME, c->eh_frame_size, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		if (!t[i].size)
			continue;
		struct out_section *o = osec_get(c, t[i].seg, t[i].sect, t[i].flags);
		if (!o)
			return diag_error(c->diag, "out of memory");
		o->kind = t[i].kind;
		o->flags = t[i].flags;
		o->align = t[i].align;
		o->size = t[i].size;
		o->reserved2 = t[i].reserved2;
		*t[i].slot = o;
	}
	if (nlazy) {
		/* __dyld_private: the word the stub helper hands to dyld. */
		struct out_section *d = osec_get(c, "__DATA", "__data", S_REGULAR);
		struct atom *a = synthetic_atom(c, 8, 3);
		struct symbol *s = arena_alloc(&c->arena, sizeof *s);
		if (!d || !a || !s)
			return diag_error(c->diag, "out of memory");
		s->name = "__dyld_private";
		s->kind = SYM_DEFINED;
		s->atom = a;
		s->got = s->stub = s->tlvp = -1;
		a->sym = s;
		c->dyld_private = s;
		osec_append(d, a);
	}
	return 0;
}

static int cmp_osec(const void *x, const void *y)
{
	const struct out_section *a = *(const struct out_section *const *)x;
	const struct out_section *b = *(const struct out_section *const *)y;
	int sa = segment_rank(a->segname), sb = segment_rank(b->segname);
	if (sa != sb)
		return sa - sb;
	int c = strcmp(a->segname, b->segname);
	if (c)
		return c;
	return a->rank - b->rank;
}

static uint64_t align_up(uint64_t v, uint32_t log2)
{
	uint64_t m = ((uint64_t)1 << log2) - 1;
	return (v + m) & ~m;
}

static uint64_t page_up(const struct link_ctx *c, uint64_t v)
{
	return (v + c->page_size - 1) & ~(c->page_size - 1);
}

static void place_atoms(struct out_section *o)
{
	uint64_t off = 0;
	for (struct atom *a = o->first; a; a = a->next_in_osec) {
		off = align_up(off, a->align);
		a->addr = o->addr + off;
		off += a->size;
	}
	if (o->first)
		o->size = off;
}

/* Groups the sorted sections into segments; -1 (with a message) when
 * there are more than the output has room for (with __PAGEZERO and
 * __LINKEDIT, which are not in c->segs, at most 8). */
static int fill_segments(struct link_ctx *c)
{
	const size_t max = sizeof c->segs / sizeof c->segs[0] - 2;
	c->nsegs = 0;
	for (size_t i = 0; i < c->nosecs; i++) {
		struct out_section *o = c->osecs[i];
		o->index = (uint32_t)i;
		struct out_segment *g = c->nsegs ? &c->segs[c->nsegs - 1] : NULL;
		if (!g || strcmp(g->name, o->segname)) {
			if (c->nsegs == max)
				return diag_error(c->diag, "too many output segments (more than %zu; segment %s is one too many)",
						  max, o->segname);
			g = &c->segs[c->nsegs++];
			memset(g, 0, sizeof *g);
			snprintf(g->name, sizeof g->name, "%s", o->segname);
			g->first_sect = (uint32_t)i;
			int text = !strcmp(o->segname, "__TEXT");
			g->initprot = g->maxprot = text ? 5 : 3;
			if (!strcmp(o->segname, "__DATA_CONST"))
				g->flags = 0x10; /* SG_READ_ONLY */
			segment_protect(c->opt, g);   /* -segprot */
		}
		g->nsects++;
		o->seg = (uint32_t)(g - c->segs);
	}
	return 0;
}

/* Gives every section and atom its address and every segment its
 * extent, in the order fill_segments made; again after thunks_plan adds
 * islands of thunks. */
void assign_addresses(struct link_ctx *c)
{
	/* room after the load commands for install_name_tool, as ld64.lld
	 * makes it: -headerpad, or 1024 (MAXPATHLEN) per dylib load
	 * command if that is more; none unless asked for */
	uint64_t pad = c->opt->header_pad;
	if (c->opt->header_pad_max_install_names && (uint64_t)c->ndylibs * 1024 > pad)
		pad = (uint64_t)c->ndylibs * 1024;
	c->header_size = MACH_HEADER_64_SIZE + load_commands_size(c) + pad;
	uint64_t vm = c->base, file = 0;
	for (size_t g = 0; g < c->nsegs; g++) {
		struct out_segment *seg = &c->segs[g];
		seg->vmaddr = vm;
		seg->fileoff = file;
		uint64_t off = g == 0 ? c->header_size : 0;
		/* contents first, then zerofill */
		for (int pass = 0; pass < 2; pass++) {
			for (uint32_t i = 0; i < seg->nsects; i++) {
				struct out_section *o = c->osecs[seg->first_sect + i];
				if ((o->kind == OSEC_ZEROFILL) != pass)
					continue;
				off = align_up(off, o->align);
				o->addr = vm + off;
				o->fileoff = pass ? 0 : file + off;
				place_atoms(o);
				off += o->size;
				if (!pass)
					seg->filesize = off;
			}
		}
		seg->vmsize = page_up(c, off);
		seg->filesize = page_up(c, seg->filesize);
		vm += seg->vmsize;
		file += seg->filesize;
	}
}

int layout_sections(struct link_ctx *c)
{
	uint64_t init_size = c->chained ? init_offsets_take(c) : 0;
	if (init_size == UINT64_MAX)
		return diag_error(c->diag, "out of memory");
	if (reserve_common(c) || add_input_atoms(c) || add_word_literals(c) ||
	    allocate_commons(c) ||
	    add_synthetic_sections(c, init_size) || order_sections(c))
		return -1;
	/* __TEXT must exist even when empty: it holds the headers. */
	c->text = osec_get(c, "__TEXT", "__text", S_REGULAR | S_ATTR_PURE_INSTRUCTIONS |
			   S_ATTR_SOME_INSTRUCTIONS);
	if (!c->text)
		return diag_error(c->diag, "out of memory");
	/* drop empty regular sections (a section with only dup literals) */
	size_t k = 0;
	for (size_t i = 0; i < c->nosecs; i++) {
		struct out_section *o = c->osecs[i];
		int empty = o->kind <= OSEC_ZEROFILL && !o->first &&
			    strcmp(o->sectname, "__text");
		if (!empty)
			c->osecs[k++] = o;
	}
	c->nosecs = k;
	for (size_t i = 0; i < c->nosecs; i++) {   /* -rename_segment */
		const char *seg = c->osecs[i]->segname;
		segment_rename(c->opt, &seg);
		if (seg != c->osecs[i]->segname)
			snprintf(c->osecs[i]->segname, sizeof c->osecs[i]->segname, "%s", seg);
	}
	qsort(c->osecs, c->nosecs, sizeof *c->osecs, cmp_osec);
	if (c->nosecs > 255)
		return diag_error(c->diag, "too many output sections (%zu, at most 255)", c->nosecs);
	if (fill_segments(c))
		return -1;

	assign_addresses(c);
	if (thunks_plan(c))
		return -1;
	if (c->unwind_info) {   /* its exact size: what follows it moves */
		if (unwind_finalize(c))
			return -1;
		assign_addresses(c);
	}
	/* TLV offsets are relative to the first thread-local data section. */
	c->tlv_template_start = 0;
	for (size_t i = 0; i < c->nosecs; i++) {
		uint32_t t = c->osecs[i]->flags & SECTION_TYPE;
		if (t == S_THREAD_LOCAL_REGULAR || t == S_THREAD_LOCAL_ZEROFILL) {
			c->tlv_template_start = c->osecs[i]->addr;
			c->has_tlv = 1;
			break;
		}
		if (t == S_THREAD_LOCAL_VARIABLES)
			c->has_tlv = 1;
	}
	if (c->mh_header)
		c->mh_header->value = c->base;
	if (c->dso_handle)
		c->dso_handle->value = c->base;
	if (c->own_header)
		c->own_header->value = c->base;
	return 0;
}
