/*
 * scan.c - walks every relocation once before layout and decides which
 * symbols need a GOT slot, a stub (with lazy pointer and, for dylib
 * imports, a stub-helper entry), or a thread-local pointer. The rules are
 * lld's: a branch to an import or to an external weak definition goes
 * through a stub; a GOT load of a symbol that needs no binding is relaxed
 * to a lea and gets no slot; a TLV access to a local variable is relaxed.
 */
#include <string.h>

#include "../base/macho.h"
#include "ctx.h"
#include "reloc_attrs.h"

int needs_binding(const struct symbol *s)
{
	if (s->kind == SYM_DYLIB)
		return 1;
	return s->kind == SYM_DEFINED && s->weak_def && s->external;
}

static int push_sym(struct symbol ***arr, size_t *n, size_t *cap,
		    struct symbol *s)
{
	if (ctx_grow((void **)arr, cap, *n + 1, sizeof **arr))
		return -1;
	(*arr)[(*n)++] = s;
	return 0;
}

static int got_add(struct link_ctx *c, struct symbol *s)
{
	if (s->got >= 0)
		return 0;
	s->got = (int32_t)c->ngot;
	return push_sym(&c->got_syms, &c->ngot, &c->cap_got, s);
}

static int stub_add(struct link_ctx *c, struct symbol *s)
{
	if (s->stub >= 0)
		return 0;
	s->stub = (int32_t)c->nstubs;
	return push_sym(&c->stub_syms, &c->nstubs, &c->cap_stubs, s);
}

static int tlvp_add(struct link_ctx *c, struct symbol *s)
{
	if (s->tlvp >= 0)
		return 0;
	s->tlvp = (int32_t)c->ntlvp;
	return push_sym(&c->tlvp_syms, &c->ntlvp, &c->cap_tlvp, s);
}

/* A GOT load can become a lea only if the instruction is a movq whose
 * opcode byte lies in the same atom (relocation writes stay inside their
 * atom, which lets files be relocated in parallel). */
static int relaxable_load(const struct input_file *f, uint32_t sect,
			  const struct obj_reloc *r, const struct atom *a)
{
	const struct obj_section *s = &f->obj.sections[sect];
	return a && r->offset - a->off >= 2 && s->data &&
	       s->data[r->offset - 2] == 0x8b;
}

static int scan_one(struct link_ctx *c, struct input_file *f, uint32_t sect,
		    const struct obj_reloc *r, uint32_t attrs, const struct atom *a)
{
	if (!r->is_extern)
		return 0;
	struct symbol *s = f->syms[r->symbolnum];
	if (!s) {
		char lb[40];
		return diag_error(c->diag, "'%s': relocation at offset 0x%x of %s refers to symbol %u, which is a debug entry or lies in a dropped section",
				  f->name, r->offset, sect_label(f, sect, lb, sizeof lb),
				  r->symbolnum);
	}
	s->referenced = 1;
	if (s->kind == SYM_UNDEF)
		return 0; /* reported by resolve_check */
	int rc = 0;
	if (attrs & RA_BRANCH) {
		if (needs_binding(s))
			rc = stub_add(c, s);
	} else if (attrs & RA_GOT) {
		if ((attrs & RA_POINTER) || needs_binding(s) ||
		    !relaxable_load(f, sect, r, a))
			rc = got_add(c, s);
	} else if (attrs & RA_TLV) {
		if (needs_binding(s))
			rc = tlvp_add(c, s);
		else if (!relaxable_load(f, sect, r, a)) {
			char lb[40];
			return diag_error(c->diag, "'%s': TLV relocation at offset 0x%x of %s is not on a movq (symbol %s)",
					  f->name, r->offset, sect_label(f, sect, lb, sizeof lb),
					  s->name);
		}
	}
	return rc ? diag_error(c->diag, "out of memory") : 0;
}

int scan_relocs(struct link_ctx *c)
{
	int rc = 0;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			if (!f->sect_kept[si])
				continue;
			const struct obj_section *sec = &f->obj.sections[si];
			const struct obj_reloc *rel = f->obj.relocs + sec->reloc_first;
			for (uint32_t i = 0; i < sec->nrelocs; i++) {
				const struct reloc_type_info *ri = reloc_info(c->arch, rel[i].type);
				if (!ri)
					continue; /* the parser rejected unknown types */
				if (ri->attrs & RA_SUBTRAHEND) {
					const struct obj_reloc *r = &rel[i];
					if (r->is_extern && f->syms[r->symbolnum])
						f->syms[r->symbolnum]->referenced = 1;
					i++; /* the minuend is not a pointer */
					if (i < sec->nrelocs && rel[i].is_extern &&
					    f->syms[rel[i].symbolnum])
						f->syms[rel[i].symbolnum]->referenced = 1;
					continue;
				}
				struct atom *a = atom_at(f, si, rel[i].offset);
				if (a && !a->live)
					continue;
				rc |= scan_one(c, f, si, &rel[i], ri->attrs, a);
			}
		}
	}
	if (rc)
		return -1;
	/* Lazy binding needs dyld_stub_binder in the GOT and __dyld_private. */
	int lazy = 0;
	for (size_t i = 0; i < c->nstubs; i++)
		lazy |= c->stub_syms[i]->kind == SYM_DYLIB && !c->stub_syms[i]->weak_def;
	if (lazy) {
		struct symbol *b = symtab_intern(c, "dyld_stub_binder");
		if (!b)
			return diag_error(c->diag, "out of memory");
		if (b->kind == SYM_UNDEF) {
			for (size_t d = 0; d < c->ndylibs && b->kind == SYM_UNDEF; d++) {
				if (dylib_find(&c->dylibs[d].dl, b->name)) {
					b->kind = SYM_DYLIB;
					b->dylib = (uint32_t)d + 1;
					b->external = 1;
				}
			}
		}
		if (b->kind != SYM_DYLIB)
			return diag_error(c->diag, "undefined symbol dyld_stub_binder, needed for lazy binding (is libSystem linked?)");
		b->referenced = 1;
		c->dyld_stub_binder = b;
		if (got_add(c, b))
			return diag_error(c->diag, "out of memory");
	}
	return 0;
}
