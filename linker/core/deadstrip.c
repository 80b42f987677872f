/*
 * deadstrip.c - -dead_strip: keeps only the atoms reachable from the
 * roots, following relocations. Roots are lld's for an executable: the
 * entry point, atoms of sections marked S_ATTR_NO_DEAD_STRIP, initializer
 * and terminator pointer sections, and symbols marked N_NO_DEAD_STRIP.
 * Exported symbols are not roots of an executable (as with ld64 and lld)
 * unless -export_dynamic; they are a dylib's and a bundle's. Commons are
 * always kept.
 *
 * Runs after resolution and before the relocation scan, so dead code adds
 * no GOT slot, stub or import. Undefined symbols are still reported even
 * when only dead code references them (as ld64 and lld do).
 * A live function keeps the LSDA and personality its unwind entries
 * name (push_unwind). Leaves out: S_ATTR_LIVE_SUPPORT chains (the
 * sections that use it, __compact_unwind and __eh_frame, are read by
 * unwind_input.c; eh_frame.c keeps the FDEs of live functions).
 */
#include <stdlib.h>
#include <string.h>

#include "../base/macho.h"
#include "ctx.h"
#include "unwind_input.h"

struct marker {
	struct link_ctx *c;
	struct atom **stack;
	size_t n, cap;
	uint32_t **order;   /* per file: per section, reloc indices by offset */
};

static int push(struct marker *m, struct atom *a)
{
	if (!a || a->live || a->coalesced)
		return 0;
	a->live = 1;
	if (a->dup && push(m, a->canon))
		return -1;
	if (huge_grow((void **)&m->stack, &m->cap, m->n + 1, sizeof *m->stack))
		return diag_error(m->c->diag, "out of memory");
	m->stack[m->n++] = a;
	return 0;
}

static int push_symbol(struct marker *m, struct symbol *s)
{
	return s && s->kind == SYM_DEFINED ? push(m, s->atom) : 0;
}

static int cmp_reloc(const void *a, const void *b, void *arg)
{
	const struct obj_reloc *rel = arg;
	uint32_t x = rel[*(const uint32_t *)a].offset, y = rel[*(const uint32_t *)b].offset;
	return x < y ? -1 : x > y;
}

static int build_order(struct marker *m)
{
	struct link_ctx *c = m->c;
	m->order = calloc(c->nfiles + 1, sizeof *m->order);
	if (!m->order)
		return diag_error(c->diag, "out of memory");
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		uint32_t *idx = malloc(((size_t)f->obj.nrelocs + 1) * sizeof *idx);
		if (!idx)
			return diag_error(c->diag, "out of memory");
		m->order[fi] = idx;
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			const struct obj_section *s = &f->obj.sections[si];
			uint32_t *v = idx + s->reloc_first;
			for (uint32_t i = 0; i < s->nrelocs; i++)
				v[i] = i;
			qsort_r(v, s->nrelocs, sizeof *v, cmp_reloc,
				(void *)(f->obj.relocs + s->reloc_first));
		}
	}
	return 0;
}

/* Marks what the relocations inside atom `a` refer to. */
static int follow(struct marker *m, struct atom *a, uint32_t *order)
{
	struct input_file *f = a->file;
	if (!f || a->sect == UINT32_MAX)
		return 0;
	const struct obj_section *s = &f->obj.sections[a->sect];
	const struct obj_reloc *rel = f->obj.relocs + s->reloc_first;
	const uint32_t *v = order + s->reloc_first;
	/* first reloc at or after a->off */
	uint32_t lo = 0, hi = s->nrelocs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (rel[v[mid]].offset < a->off)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t k = lo; k < s->nrelocs && rel[v[k]].offset < a->off + a->size; k++) {
		const struct obj_reloc *r = &rel[v[k]];
		const struct reloc_type_info *ri = reloc_info(m->c->arch, r->type);
		if (!ri || (ri->attrs & RA_ADDEND))
			continue;
		int rc;
		if (r->is_extern)
			rc = push_symbol(m, f->syms[r->symbolnum]);
		else if (ri->attrs & RA_SUBTRAHEND)
			rc = push(m, atom_at(f, r->symbolnum - 1, 0));
		else if (s->data)
			rc = push(m, atom_for_addr(f, r->symbolnum - 1,
						   m->c->ops->local_target(&f->obj, a->sect, r, ri)));
		else
			rc = 0;
		if (rc)
			return -1;
	}
	return 0;
}

/* A live function keeps its LSDA and its personality (from its compact
 * unwind entry or its FDE's CIE), as lld does; each pass may make more
 * functions live, so dead_strip calls this until nothing new is marked. */
static int push_unwind(struct marker *m)
{
	struct link_ctx *c = m->c;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		const struct unwind_file *u = c->files[fi]->unwind;
		if (!u)
			continue;
		for (uint32_t i = 0; i < u->ncu; i++) {
			const struct cu_entry *e = &u->cu[i];
			if (e->fn->live && (push(m, e->lsda) || push_symbol(m, e->pers)))
				return -1;
		}
		for (uint32_t i = 0; i < u->neh; i++) {
			const struct eh_record *x = &u->eh[i];
			if (x->is_cie || !x->fn || !x->fn->live)
				continue;
			if (push(m, x->lsda) || push_symbol(m, u->eh[x->cie].pers))
				return -1;
		}
	}
	return 0;
}

static int is_root_section(const struct obj_section *s)
{
	uint32_t t = s->flags & SECTION_TYPE;
	return (s->flags & S_ATTR_NO_DEAD_STRIP) || t == S_MOD_INIT_FUNC_POINTERS ||
	       t == S_MOD_TERM_FUNC_POINTERS;
}

int dead_strip(struct link_ctx *c)
{
	struct marker m;
	memset(&m, 0, sizeof m);
	m.c = c;
	int rc = build_order(&m);
	for (size_t fi = 0; fi < c->nfiles && !rc; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++)
			for (uint32_t k = 0; f->sect_kept[si] && k < f->natoms[si]; k++)
				f->atoms[si][k].live = 0;
	}
	rc = rc || push_symbol(&m, c->entry);
	if (!rc && (c->opt->export_dynamic || c->opt->kind != OUTPUT_EXECUTE)) {
		/* exports are roots: a library's, or -export_dynamic */
		size_t ng;
		struct symbol *const *g = symtab_all(&c->symtab, &ng);
		for (size_t i = 0; g && i < ng && !rc; i++)
			if (g[i]->external && g[i]->kind == SYM_DEFINED)
				rc = push_symbol(&m, g[i]);
	}
	for (size_t fi = 0; fi < c->nfiles && !rc; fi++) {
		struct input_file *f = c->files[fi];
		const struct obj_file *o = &f->obj;
		for (uint32_t si = 0; si < o->nsections && !rc; si++) {
			if (!f->sect_kept[si] || !is_root_section(&o->sections[si]))
				continue;
			for (uint32_t k = 0; k < f->natoms[si] && !rc; k++)
				rc = push(&m, &f->atoms[si][k]);
		}
		for (uint32_t i = 0; i < o->nsymbols && !rc; i++) {
			const struct obj_symbol *ns = &o->symbols[i];
			if (!(ns->type & N_STAB) && (ns->type & N_TYPE) == N_SECT &&
			    (ns->desc & N_NO_DEAD_STRIP) && f->syms[i] && f->syms[i]->file == f)
				rc = push_symbol(&m, f->syms[i]);
		}
	}
	do {
		while (!rc && m.n) {
			struct atom *a = m.stack[--m.n];
			size_t fi = a->file ? a->file->map_index - 1 : 0;
			rc = follow(&m, a, m.order[fi]);
		}
		if (!rc)
			rc = push_unwind(&m);
	} while (!rc && m.n);
	for (size_t fi = 0; m.order && fi < c->nfiles; fi++)
		free(m.order[fi]);
	free(m.order);
	free(m.stack);
	return rc ? -1 : 0;
}
