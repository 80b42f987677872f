/*
 * scan.c - walks every relocation once before layout and decides which
 * symbols need a GOT slot, a stub (with lazy pointer and, for dylib
 * imports, a stub-helper entry), or a thread-local pointer. The rules are
 * lld's: a branch to an import or to an external weak definition goes
 * through a stub; a GOT load of a symbol that needs no binding is relaxed
 * to a lea and gets no slot; a TLV access to a local variable is relaxed.
 * Objects are scanned on the link's threads; slots are numbered in input
 * order afterwards, so the tables do not depend on the thread count.
 * Whether a load can be relaxed is the architecture's question (arch.h).
 */
#include <stdlib.h>
#include <string.h>

#include "../base/macho.h"
#include "ctx.h"
#include "unwind_input.h"

int needs_binding(const struct symbol *s)
{
	if (s->kind == SYM_DYLIB)
		return 1;
	return s->kind == SYM_DEFINED && s->weak_def && s->external;
}

/* What a relocation asks of its symbol. */
enum want { WANT_NONE, WANT_STUB, WANT_GOT, WANT_TLVP, WANT_ERROR };

static void mark_referenced(struct symbol *s)
{
	__atomic_store_n(&s->referenced, 1, __ATOMIC_RELAXED);
}

/* Decides for one relocation; reads the symbol and marks it referenced,
 * so it may run on any thread. */
static enum want scan_want(const struct link_ctx *c, const struct input_file *f,
			   uint32_t sect,
			   const struct obj_reloc *r, uint32_t attrs,
			   const struct atom *a, struct symbol **sym)
{
	*sym = NULL;
	if (!r->is_extern)
		return WANT_NONE;
	struct symbol *s = f->syms[r->symbolnum];
	if (!s)
		return WANT_ERROR;
	mark_referenced(s);
	*sym = s;
	if (s->kind == SYM_UNDEF)
		return WANT_NONE; /* reported by resolve_check */
	if (attrs & RA_BRANCH)
		return needs_binding(s) ? WANT_STUB : WANT_NONE;
	/* the page half of an arm64 load follows the decision its load
	 * half makes for the symbol */
	int relaxable = !(attrs & RA_LOAD) || c->ops->relaxable_load(f, sect, r, a);
	if ((attrs & RA_GOT) && s->tlv)
		return WANT_ERROR; /* a thread-local has a descriptor, no GOT slot */
	if (attrs & RA_GOT)
		return (attrs & RA_POINTER) || needs_binding(s) || !relaxable
			       ? WANT_GOT
			       : WANT_NONE;
	if (attrs & RA_TLV) {
		if (needs_binding(s))
			return WANT_TLVP;
		if (!relaxable)
			return WANT_ERROR;
	}
	return WANT_NONE;
}

/* The message for a relocation scan_want found wrong. */
static int scan_error(struct link_ctx *c, struct input_file *f,
		      uint32_t sect, const struct obj_reloc *r)
{
	char lb[40];
	const struct symbol *s = f->syms[r->symbolnum];
	if (!s)
		return diag_error(c->diag, "'%s': relocation at offset 0x%x of %s refers to symbol %u, which is a debug entry or lies in a dropped section",
				  f->name, r->offset, sect_label(f, sect, lb, sizeof lb),
				  r->symbolnum);
	const struct reloc_type_info *ri = reloc_info(c->arch, r->type);
	if (ri && (ri->attrs & RA_GOT) && s->tlv)
		return diag_error(c->diag, "'%s': %s at offset 0x%x of %s refers to %s, a thread-local variable: it is reached through its TLV descriptor, never the GOT (as lld refuses)",
				  f->name, ri->name, r->offset,
				  sect_label(f, sect, lb, sizeof lb), s->name);
	return diag_error(c->diag, "'%s': TLV relocation at offset 0x%x of %s is not on a %s (symbol %s)",
			  f->name, r->offset, sect_label(f, sect, lb, sizeof lb),
			  c->ops->load_insn, s->name);
}

/* A wanted slot, in the order of the object's relocations. */
struct want_entry {
	struct symbol *s;
	uint8_t want;
};

/* The GOT slots of the personalities of f's CIEs that __eh_frame keeps
 * (eh_frame.c), in the order of the section's relocations, as lld. */
static int scan_personalities(struct input_file *f,
			      int (*fn)(void *arg, uint32_t sect, const struct obj_reloc *r,
					enum want w, struct symbol *s),
			      void *arg)
{
	const struct unwind_file *u = f->unwind;
	const struct obj_reloc *rel = f->obj.relocs + f->obj.sections[u->eh_sect].reloc_first;
	int rc = 0;
	for (uint32_t i = 0; i < u->neh; i++) {
		const struct eh_record *x = &u->eh[i];
		if (!x->is_cie || !x->kept || !x->pers)
			continue;
		mark_referenced(x->pers);
		rc |= fn(arg, u->eh_sect, &rel[x->pers_reloc], WANT_GOT, x->pers);
	}
	return rc;
}

/* Calls fn(arg, f, sect, reloc, want, symbol) for every relocation of f
 * that is not WANT_NONE, in order. */
static int scan_file(const struct link_ctx *c, struct input_file *f,
		     int (*fn)(void *arg, uint32_t sect, const struct obj_reloc *r,
			       enum want w, struct symbol *s),
		     void *arg)
{
	int rc = 0;
	/* a live function's compact-unwind personality is an import of the
	 * output (its GOT slot comes later, from unwind.c, as lld numbers
	 * it after the relocations') */
	for (uint32_t i = 0; f->unwind && i < f->unwind->ncu; i++) {
		const struct cu_entry *e = &f->unwind->cu[i];
		if (e->pers && e->fn->live && !e->fn->dup)
			mark_referenced(e->pers);
	}
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		if (f->unwind && f->unwind->neh && si == f->unwind->eh_sect) {
			rc |= scan_personalities(f, fn, arg);
			continue;
		}
		if (!f->sect_kept[si])
			continue;
		const struct obj_section *sec = &f->obj.sections[si];
		const struct obj_reloc *rel = f->obj.relocs + sec->reloc_first;
		for (uint32_t i = 0; i < sec->nrelocs; i++) {
			const struct reloc_type_info *ri = reloc_info(c->arch, rel[i].type);
			if (!ri)
				continue; /* the parser rejected unknown types */
			if (ri->attrs & RA_ADDEND)
				continue; /* its value belongs to the next entry */
			if (ri->attrs & RA_SUBTRAHEND) {
				const struct obj_reloc *r = &rel[i];
				if (r->is_extern && f->syms[r->symbolnum])
					mark_referenced(f->syms[r->symbolnum]);
				i++; /* the minuend is not a pointer */
				if (i < sec->nrelocs && rel[i].is_extern &&
				    f->syms[rel[i].symbolnum])
					mark_referenced(f->syms[rel[i].symbolnum]);
				continue;
			}
			struct atom *a = atom_at(f, si, rel[i].offset);
			if (a && !a->live)
				continue;
			struct symbol *s;
			enum want w = scan_want(c, f, si, &rel[i], ri->attrs, a, &s);
			if (w != WANT_NONE)
				rc |= fn(arg, si, &rel[i], w, s);
		}
	}
	return rc;
}

/*
 * The relocations are scanned one object per task; each task keeps the
 * slots its object wants in order, in its worker's list (so nothing is
 * allocated per object), and the slots are then numbered in input order
 * on one thread, as a serial scan would number them.
 */
struct scan_list {
	struct want_entry *v;
	size_t n, cap;
	int oom;
};

struct scan_job {
	const struct link_ctx *c;
	struct scan_list list[PAR_MAX_THREADS];
	uint32_t *worker;   /* per object: the list its entries are in */
	size_t *first;      /* per object: where they start there */
	size_t *count;      /* per object: how many */
	int error;          /* some relocation is wrong: rescan for messages */
};

struct collect_arg {
	struct scan_job *j;
	struct scan_list *l;
};

static int collect_one(void *arg, uint32_t sect, const struct obj_reloc *r,
		       enum want w, struct symbol *s)
{
	struct collect_arg *a = arg;
	(void)sect;
	(void)r;
	if (w == WANT_ERROR) {
		__atomic_store_n(&a->j->error, 1, __ATOMIC_RELAXED);
		return 0;
	}
	struct scan_list *l = a->l;
	if (huge_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
		l->oom = 1;
		return 0;
	}
	l->v[l->n].s = s;
	l->v[l->n].want = (uint8_t)w;
	l->n++;
	return 0;
}

static void scan_task(void *arg, size_t i, int worker)
{
	struct scan_job *j = arg;
	struct collect_arg a = { j, &j->list[worker] };
	j->worker[i] = (uint32_t)worker;
	j->first[i] = a.l->n;
	scan_file(j->c, j->c->files[i], collect_one, &a);
	j->count[i] = a.l->n - j->first[i];
}

static int add_wanted(struct link_ctx *c, enum want w, struct symbol *s)
{
	switch (w) {
	case WANT_STUB:
		/* under chained fixups a stub jumps through the symbol's GOT
		 * slot, numbered when the stub is (as lld does) */
		return stub_add(c, s) || (c->chained && got_add(c, s)) ? -1 : 0;
	case WANT_GOT:
		return got_add(c, s);
	case WANT_TLVP:
		return tlvp_add(c, s);
	default:
		return 0;
	}
}

/* The serial scan, for messages: one per wrong relocation, in order. */
struct report_arg {
	struct link_ctx *c;
	struct input_file *f;
};

static int report_one(void *arg, uint32_t sect, const struct obj_reloc *r,
		      enum want w, struct symbol *s)
{
	struct report_arg *a = arg;
	(void)s;
	return w == WANT_ERROR ? scan_error(a->c, a->f, sect, r) : 0;
}

int scan_relocs(struct link_ctx *c)
{
	struct scan_job j;
	memset(&j, 0, sizeof j);
	j.c = c;
	size_t n = c->nfiles;
	j.worker = malloc((n + 1) * sizeof *j.worker);
	j.first = malloc((n + 1) * sizeof *j.first);
	j.count = malloc((n + 1) * sizeof *j.count);
	int rc = !j.worker || !j.first || !j.count;
	if (!rc)
		par_for(c->nthreads, n, 0, scan_task, &j);
	for (int w = 0; w < PAR_MAX_THREADS; w++)
		rc |= j.list[w].oom;
	if (rc) {
		rc = diag_error(c->diag, "out of memory");
	} else if (j.error) {
		for (size_t i = 0; i < n; i++) {
			struct report_arg a = { c, c->files[i] };
			scan_file(c, c->files[i], report_one, &a);
		}
		rc = -1;
	} else {
		for (size_t i = 0; i < n && !rc; i++) {
			const struct want_entry *e = j.list[j.worker[i]].v + j.first[i];
			for (size_t k = 0; k < j.count[i] && !rc; k++)
				rc = add_wanted(c, (enum want)e[k].want, e[k].s);
		}
		if (rc)
			rc = diag_error(c->diag, "out of memory");
	}
	for (int w = 0; w < PAR_MAX_THREADS; w++)
		free(j.list[w].v);
	free(j.worker);
	free(j.first);
	free(j.count);
	if (rc)
		return -1;
	/* Lazy binding needs dyld_stub_binder in the GOT and __dyld_private.
	 * lld imports it even when nothing binds lazily (an undefined entry
	 * of the symbol table, no slot), chained fixups or not: so do we,
	 * when a dylib has it. */
	struct symbol *b = symtab_intern(c, "dyld_stub_binder");
	if (!b)
		return diag_error(c->diag, "out of memory");
	if (b->kind == SYM_UNDEF) {
		for (size_t d = 0; d < c->ndylibs && b->kind == SYM_UNDEF; d++) {
			if (loaded_dylib_find(&c->dylibs[d], b->name)) {
				b->kind = SYM_DYLIB;
				b->dylib = (uint32_t)d + 1;
				b->external = 1;
			}
		}
	}
	if (b->kind == SYM_DYLIB)
		b->referenced = 1;
	if (c->chained || !stubs_nlazy(c))
		return 0;
	if (b->kind != SYM_DYLIB)
		return diag_error(c->diag, "undefined symbol dyld_stub_binder, needed for lazy binding (is libSystem linked?)");
	c->dyld_stub_binder = b;
	if (got_add(c, b))
		return diag_error(c->diag, "out of memory");
	return 0;
}
