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
 * name (push_unwind). The atoms of a -sectcreate section are roots.
 *
 * -why_live PATTERN: only then, the marker remembers for each atom the
 * atom whose relocations made it live (none for a root), and when a
 * symbol is first reached (a relocation of a live atom names it, or an
 * atom it lies in becomes live) and its name matches, prints it with
 * that chain, as ld64.lld's MarkLive does:
 *   _bar from b.o
 *     _foo from a.o
 *       _main from a.o
 * each line of the chain the first symbol of the atom.
 *
 * The same chains go to the image (why.txt) when it gets records, for
 * -why_live's patterns and link.conf's `why_live`; so does the list of
 * what was stripped (record_dead, map.txt's "# Dead Stripped Symbols").
 *
 * Leaves out: S_ATTR_LIVE_SUPPORT chains (the sections that use it,
 * __compact_unwind and __eh_frame, are read by unwind_input.c; eh_frame.c
 * keeps the FDEs of live functions).
 */
#include <fnmatch.h>
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
	/* -why_live only (else NULL): per file, per section, the index in
	 * `from` of its first atom; per atom, the atom that made it live */
	size_t **start;
	struct atom **from;
	/* per file: its defined symbols by atom, then offset, then nlist
	 * index (the symbols an atom holds, in ld64.lld's order) */
	struct fsym **fsyms;
	size_t *nfsyms;
};

struct fsym {
	struct symbol *s;
	uint32_t idx;            /* its nlist index */
};

/* The slot of a (an input atom) in m->from, or NULL. */
static struct atom **from_slot(struct marker *m, const struct atom *a)
{
	const struct input_file *f = a->file;
	if (!m->from || !f || a->sect >= f->obj.nsections || !f->natoms[a->sect])
		return NULL;
	size_t k = (size_t)(a - f->atoms[a->sect]);
	if (k >= f->natoms[a->sect])
		return NULL;
	return &m->from[m->start[f->map_index - 1][a->sect] + k];
}

static int push(struct marker *m, struct atom *a, struct atom *from)
{
	if (!a || a->live || a->coalesced)
		return 0;
	a->live = 1;
	struct atom **slot = from_slot(m, a);
	if (slot)
		*slot = from;
	if (a->dup && push(m, a->canon, from))
		return -1;
	if (huge_grow((void **)&m->stack, &m->cap, m->n + 1, sizeof *m->stack))
		return diag_error(m->c->diag, "out of memory");
	m->stack[m->n++] = a;
	return 0;
}

/* The symbols atom a holds (of its own file): *n of them from the
 * result. */
static struct fsym *symbols_of(struct marker *m, const struct atom *a, size_t *n)
{
	*n = 0;
	if (!a->file)
		return NULL;
	size_t fi = a->file->map_index - 1;
	struct fsym *v = m->fsyms[fi];
	size_t lo = 0, hi = m->nfsyms[fi];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)v[mid].s->atom < (uintptr_t)a)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t e = lo;
	while (e < m->nfsyms[fi] && v[e].s->atom == a)
		e++;
	*n = e - lo;
	return v + lo;
}

/* -why_live's patterns, then link.conf's (one space apart). */
static int why_match(const struct link_options *o, const char *name)
{
	for (size_t i = 0; i < o->nwhy_live; i++)
		if (!fnmatch(o->why_live[i], name, FNM_NOESCAPE))
			return 1;
	char pat[sizeof o->why_live_conf];
	for (const char *p = o->why_live_conf; *p;) {
		size_t n = strcspn(p, " ");
		memcpy(pat, p, n);
		pat[n] = 0;
		if (n && !fnmatch(pat, name, FNM_NOESCAPE))
			return 1;
		p += n + (p[n] == ' ');
	}
	return 0;
}

static int why_wanted(const struct link_options *o)
{
	return o->nwhy_live || o->why_live_conf[0];
}

/* -why_live: s is reached, from atom `from` (NULL: a root). */
static int why_note(struct marker *m, struct symbol *s, struct atom *from)
{
	struct link_ctx *c = m->c;
	if (!m->from || s->why_seen)
		return 0;
	s->why_seen = 1;
	if (!why_match(c->opt, s->name))
		return 0;
	struct buf b;
	buf_init(&b);
	char nb[4200];
	buf_printf(&b, "%s from %s", s->name, trace_file_name(c, s, nb, sizeof nb));
	int indent = 2;
	for (struct atom *e = from; e; indent += 2) {
		size_t n;
		struct fsym *v = symbols_of(m, e, &n);
		struct symbol *first = n ? v[0].s : e->sym;
		if (first)
			buf_printf(&b, "\n%*s%s from %s", indent, "", first->name,
				   trace_file_name(c, first, nb, sizeof nb));
		struct atom **slot = from_slot(m, e);
		e = slot ? *slot : NULL;
	}
	buf_printf(&b, "\n");
	if (!c->opt->no_records)   /* the image's why.txt */
		buf_append(&c->why_text, b.data, b.len);
	int oom = buf_failed(&b) || buf_failed(&c->why_text);
	if (!oom)
		link_message(c, "%.*s", (int)b.len, (const char *)b.data);
	buf_release(&b);
	return oom ? diag_error(c->diag, "out of memory") : 0;
}

static int push_symbol(struct marker *m, struct symbol *s, struct atom *from)
{
	if (s && why_note(m, s, from))
		return -1;
	if (s && s->kind == SYM_ABS)
		s->dead_abs = 0;   /* reached: kept */
	return s && s->kind == SYM_DEFINED ? push(m, s->atom, from) : 0;
}

static int cmp_fsym(const void *x, const void *y)
{
	const struct fsym *p = x, *q = y;
	const struct symbol *a = p->s, *b = q->s;
	if (a->atom != b->atom)
		return (uintptr_t)a->atom < (uintptr_t)b->atom ? -1 : 1;
	if (a->atom_off != b->atom_off)
		return a->atom_off < b->atom_off ? -1 : 1;
	return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* -why_live's tables: the `from` slots and each file's symbols by atom. */
static int why_prepare(struct marker *m)
{
	struct link_ctx *c = m->c;
	size_t total = 0;
	m->start = calloc(c->nfiles + 1, sizeof *m->start);
	m->fsyms = calloc(c->nfiles + 1, sizeof *m->fsyms);
	m->nfsyms = calloc(c->nfiles + 1, sizeof *m->nfsyms);
	if (!m->start || !m->fsyms || !m->nfsyms)
		return diag_error(c->diag, "out of memory");
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		m->start[fi] = malloc(((size_t)f->obj.nsections + 1) * sizeof **m->start);
		m->fsyms[fi] = malloc(((size_t)f->obj.nsymbols + 1) * sizeof **m->fsyms);
		if (!m->start[fi] || !m->fsyms[fi])
			return diag_error(c->diag, "out of memory");
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			m->start[fi][si] = total;
			total += f->natoms[si];
		}
		size_t n = 0;
		for (uint32_t i = 0; i < f->obj.nsymbols; i++) {
			struct symbol *s = f->syms[i];
			if (s && s->kind == SYM_DEFINED && s->file == f && s->atom &&
			    s->atom->file == f)
				m->fsyms[fi][n++] = (struct fsym){ s, i };
		}
		qsort(m->fsyms[fi], n, sizeof *m->fsyms[fi], cmp_fsym);
		m->nfsyms[fi] = n;
	}
	m->from = calloc(total + 1, sizeof *m->from);
	return m->from ? 0 : diag_error(c->diag, "out of memory");
}

static void why_release(struct marker *m)
{
	for (size_t fi = 0; fi < m->c->nfiles; fi++) {
		if (m->start)
			free(m->start[fi]);
		if (m->fsyms)
			free(m->fsyms[fi]);
	}
	free(m->start);
	free(m->fsyms);
	free(m->nfsyms);
	free(m->from);
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

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
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
	uint32_t end = lo;
	while (end < s->nrelocs && rel[v[end]].offset < a->off + a->size)
		end++;
	const uint32_t *idx = v + lo;
	uint32_t *stored = NULL;
	if (m->from && end > lo) {
		/* -why_live: in the object's order, as ld64.lld visits them,
		 * so the first to reach a symbol is lld's */
		stored = malloc((end - lo) * sizeof *stored);
		if (!stored)
			return diag_error(m->c->diag, "out of memory");
		memcpy(stored, v + lo, (end - lo) * sizeof *stored);
		qsort(stored, end - lo, sizeof *stored, cmp_u32);
		idx = stored;
	}
	int failed = 0;
	for (uint32_t k = 0; k < end - lo && !failed; k++) {
		const struct obj_reloc *r = &rel[idx[k]];
		const struct reloc_type_info *ri = reloc_info(m->c->arch, r->type);
		if (!ri || (ri->attrs & RA_ADDEND))
			continue;
		int rc;
		if (r->is_extern)
			rc = push_symbol(m, f->syms[r->symbolnum], a);
		else if (ri->attrs & RA_SUBTRAHEND)
			rc = push(m, atom_at(f, r->symbolnum - 1, 0), a);
		else if (s->data)
			rc = push(m, atom_for_addr(f, r->symbolnum - 1,
						   m->c->ops->local_target(&f->obj, a->sect, r, ri)), a);
		else
			rc = 0;
		failed = rc != 0;
	}
	free(stored);
	if (failed)
		return -1;
	if (m->from) {   /* -why_live: the symbols a holds are reached */
		size_t n;
		struct fsym *held = symbols_of(m, a, &n);
		for (size_t i = 0; i < n; i++)
			if (why_note(m, held[i].s, a))
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
			if (e->fn->live && (push(m, e->lsda, e->fn) ||
					    push_symbol(m, e->pers, e->fn)))
				return -1;
		}
		for (uint32_t i = 0; i < u->neh; i++) {
			const struct eh_record *x = &u->eh[i];
			if (x->is_cie || !x->fn || !x->fn->live)
				continue;
			if (push(m, x->lsda, x->fn) || push_symbol(m, u->eh[x->cie].pers, x->fn))
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

static int add_dead(struct link_ctx *c, size_t *cap, const char *name,
		    size_t len, uint64_t size, uint32_t file, int literal)
{
	if (c->ndead == *cap) {
		size_t n = *cap ? *cap * 2 : 64;
		struct dead_sym *v = realloc(c->dead, n * sizeof *v);
		if (!v)
			return -1;
		c->dead = v;
		*cap = n;
	}
	char *copy = arena_alloc(&c->arena, len + 1);
	if (!copy)
		return -1;
	memcpy(copy, name, len);
	copy[len] = 0;
	c->dead[c->ndead++] = (struct dead_sym){ copy, size, file, (uint8_t)literal };
	return 0;
}

static int is_cstrings(const struct obj_section *s)
{
	return (s->flags & SECTION_TYPE) == S_CSTRING_LITERALS;
}

/* The image's list of what was stripped, as ld64.lld's map lists it: per
 * file, its dead defined symbols in nlist order (not those of literal
 * strings); then per file, its dead literal strings. Sizes as lld's
 * (symbol_sizes). Names are copied: the inputs end before the
 * records are made. */
/* Defined symbol i of f, in an atom of f's own? */
static int own_symbol(const struct input_file *f, uint32_t i)
{
	const struct symbol *s = f->syms[i];
	return s && s->kind == SYM_DEFINED && s->file == f && s->atom &&
	       s->atom->file == f && s->atom->sect < f->obj.nsections;
}

/* Each own symbol's size as ld64.lld gives it: to the next symbol of its
 * atom in (offset, nlist index) order, 0 to one at the same offset, the
 * last to the atom's end. sz is by nlist index; v has room for them. */
static void symbol_sizes(const struct input_file *f, struct fsym *v, uint64_t *sz)
{
	size_t n = 0;
	for (uint32_t i = 0; i < f->obj.nsymbols; i++)
		if (own_symbol(f, i))
			v[n++] = (struct fsym){ f->syms[i], i };
	qsort(v, n, sizeof *v, cmp_fsym);
	for (size_t k = 0; k < n; k++) {
		const struct symbol *s = v[k].s;
		uint64_t end = k + 1 < n && v[k + 1].s->atom == s->atom
				       ? v[k + 1].s->atom_off : s->atom->size;
		sz[v[k].idx] = end > s->atom_off ? end - s->atom_off : 0;
	}
}

static int record_dead(struct link_ctx *c)
{
	size_t cap = 0;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		struct fsym *v = malloc(((size_t)f->obj.nsymbols + 1) * sizeof *v);
		uint64_t *sz = malloc(((size_t)f->obj.nsymbols + 1) * sizeof *sz);
		int failed = !v || !sz;
		if (!failed)
			symbol_sizes(f, v, sz);
		for (uint32_t i = 0; !failed && i < f->obj.nsymbols; i++) {
			const struct symbol *s = f->syms[i];
			if (!own_symbol(f, i) || s->atom->live ||
			    !f->sect_kept[s->atom->sect] ||
			    is_cstrings(&f->obj.sections[s->atom->sect]))
				continue;
			failed = add_dead(c, &cap, s->name, strlen(s->name), sz[i],
					  f->map_index, 0);
		}
		free(v);
		free(sz);
		if (failed)
			return diag_error(c->diag, "out of memory");
	}
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			const struct obj_section *sec = &f->obj.sections[si];
			if (!f->sect_kept[si] || !is_cstrings(sec) || !sec->data)
				continue;
			for (uint32_t k = 0; k < f->natoms[si]; k++) {
				const struct atom *a = &f->atoms[si][k];
				if (a->live || !a->size || a->off + a->size > sec->size)
					continue;
				const char *text = (const char *)sec->data + a->off;
				if (add_dead(c, &cap, text, strnlen(text, a->size),
					     a->size, f->map_index, 1))
					return diag_error(c->diag, "out of memory");
			}
		}
	}
	return 0;
}

int dead_strip(struct link_ctx *c)
{
	struct marker m;
	memset(&m, 0, sizeof m);
	m.c = c;
	int rc = build_order(&m);
	if (!rc && why_wanted(c->opt))
		rc = why_prepare(&m);
	for (size_t fi = 0; fi < c->nfiles && !rc; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++)
			for (uint32_t k = 0; f->sect_kept[si] && k < f->natoms[si]; k++)
				f->atoms[si][k].live = 0;
	}
	/* absolute globals are kept only when reached, as ld64 keeps an
	 * absolute atom (ld64.lld keeps them all) */
	size_t nall;
	struct symbol *const *all = rc ? NULL : symtab_all(&c->symtab, &nall);
	for (size_t i = 0; all && i < nall; i++)
		if (all[i]->kind == SYM_ABS)
			all[i]->dead_abs = 1;
	rc = rc || push_symbol(&m, c->entry, NULL);
	/* dyld reads __mh_execute_header (REFERENCED_DYNAMICALLY): ld64.lld
	 * counts it a root, which -why_live shows; it has no atom to keep */
	if (!rc && c->mh_header)
		rc = why_note(&m, c->mh_header, NULL);
	if (!rc && (c->opt->export_dynamic || c->opt->kind != OUTPUT_EXECUTE)) {
		/* exports are roots: a library's, or -export_dynamic */
		size_t ng;
		struct symbol *const *g = symtab_all(&c->symtab, &ng);
		for (size_t i = 0; g && i < ng && !rc; i++)
			if (g[i]->external && (g[i]->kind == SYM_DEFINED || g[i]->kind == SYM_ABS))
				rc = push_symbol(&m, g[i], NULL);
	}
	for (size_t fi = 0; fi < c->nfiles && !rc; fi++) {
		struct input_file *f = c->files[fi];
		const struct obj_file *o = &f->obj;
		/* a -sectcreate section is kept whole */
		int keep = c->inputs && f->input && f->input <= c->ninputs &&
			   c->inputs[f->input - 1].sectcreate;
		for (uint32_t si = 0; si < o->nsections && !rc; si++) {
			if (!f->sect_kept[si] || !(keep || is_root_section(&o->sections[si])))
				continue;
			for (uint32_t k = 0; k < f->natoms[si] && !rc; k++)
				rc = push(&m, &f->atoms[si][k], NULL);
		}
		for (uint32_t i = 0; i < o->nsymbols && !rc; i++) {
			const struct obj_symbol *ns = &o->symbols[i];
			if (!(ns->type & N_STAB) &&
			    ((ns->type & N_TYPE) == N_SECT || (ns->type & N_TYPE) == N_ABS) &&
			    (ns->desc & N_NO_DEAD_STRIP) && f->syms[i] && f->syms[i]->file == f)
				rc = push_symbol(&m, f->syms[i], NULL);
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
	if (!rc && !c->opt->no_records)
		rc = record_dead(c);
	for (size_t fi = 0; m.order && fi < c->nfiles; fi++)
		free(m.order[fi]);
	free(m.order);
	free(m.stack);
	why_release(&m);
	return rc ? -1 : 0;
}
