/*
 * x86_64.c - the x86_64 back end: copies atoms into the output, applies
 * every relocation (range-checked; an overflow names the symbol), relaxes
 * GOT and TLV loads of local symbols from movq to leaq, and writes the
 * synthetic sections: __got, __stubs, __stub_helper, __la_symbol_ptr and
 * __thread_ptrs. Every pointer dyld must touch is recorded as a fixup.
 *
 * Relocation math uses the ABI's letters: P (place), A (addend, embedded in
 * the instruction), S (symbol), G (GOT slot). For pcrel fields the value is
 * target - (P + 4 + bias), bias being 1, 2 or 4 for SIGNED_1/2/4.
 *
 * Leaves out: X86_64_RELOC_UNSIGNED of 4 bytes to non-absolute symbols (not
 * representable in a PIE; reported as an error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "../dyld/bind.h"
#include "ctx.h"
#include "reloc_attrs.h"

struct reloc_site {
	struct input_file *f;
	uint32_t sect;
	const struct obj_reloc *r;
	const struct reloc_type_info *ri;
	uint64_t p;          /* output address of the field */
	uint8_t *loc;        /* the field in the output buffer */
	int tlv_section;     /* the field is in a __thread_vars section */
	struct diag *d;      /* the file's messages (merged in input order) */
	struct fixup_list *fx; /* the file's fixups (concatenated likewise) */
};

static const char *sym_name(const struct reloc_site *rs)
{
	if (rs->r->is_extern && rs->f->syms[rs->r->symbolnum])
		return rs->f->syms[rs->r->symbolnum]->name;
	return "<section>";
}

static int site_error(const struct reloc_site *rs, const char *what)
{
	char lb[40];
	return diag_error(rs->d, "'%s': %s relocation at offset 0x%x of %s referencing %s: %s",
			  rs->f->name, rs->ri->name, rs->r->offset,
			  sect_label(rs->f, rs->sect, lb, sizeof lb), sym_name(rs), what);
}

static uint8_t *out_ptr(struct link_ctx *c, const struct out_section *o, uint64_t addr)
{
	return c->out + o->fileoff + (addr - o->addr);
}

/* Records a fixup of the relocated file; -1 (with a message) on OOM. */
static int site_fixup(const struct reloc_site *rs, enum fixup_kind k, struct symbol *s,
		      int64_t addend)
{
	if (fixup_push(rs->fx, k, rs->p, s, addend))
		return diag_error(rs->d, "out of memory");
	return 0;
}

static int write_pcrel32(struct link_ctx *c, const struct reloc_site *rs,
			 uint64_t target, int64_t addend)
{
	int64_t v = (int64_t)(target + (uint64_t)addend -
			      (rs->p + 4 + rs->ri->pcrel_bias));
	if (v < INT32_MIN || v > INT32_MAX)
		return site_error(rs, "displacement out of range for a 32-bit field");
	wr32(rs->loc, (uint32_t)(int32_t)v);
	return 0;
}

/* A pointer-sized UNSIGNED field: write it and record what dyld does. */
static int do_pointer(struct link_ctx *c, const struct reloc_site *rs,
		      struct symbol *s, int64_t addend)
{
	if (s && s->kind == SYM_DYLIB) {
		wr64(rs->loc, 0);
		if (site_fixup(rs, FIX_BIND, s, addend))
			return -1;
		if (s->weak_def && site_fixup(rs, FIX_WEAK_BIND, s, addend))
			return -1;
		return 0;
	}
	if (s && s->kind == SYM_ABS) {
		wr64(rs->loc, s->value + (uint64_t)addend);
		return 0;
	}
	uint64_t t = (s ? symbol_addr(c, s) : 0) + (uint64_t)addend;
	if (rs->tlv_section && s && s->kind == SYM_DEFINED && !s->tlv) {
		/* descriptor offset field: relative to the TLV template */
		wr64(rs->loc, t - c->tlv_template_start);
		return 0;
	}
	wr64(rs->loc, t);
	if (site_fixup(rs, FIX_REBASE, NULL, 0))
		return -1;
	if (s && needs_binding(s) && site_fixup(rs, FIX_WEAK_BIND, s, addend))
		return -1;
	return 0;
}

static int do_unsigned(struct link_ctx *c, struct reloc_site *rs)
{
	const struct obj_reloc *r = rs->r;
	if (r->length == 3) {
		int64_t a = (int64_t)rd64(rs->loc);
		if (r->is_extern)
			return do_pointer(c, rs, rs->f->syms[r->symbolnum], a);
		uint64_t t;
		if (obj_sect_addr_to_out(rs->d, rs->f, r->symbolnum, (uint64_t)a, &t))
			return -1;
		if (rs->tlv_section) {
			wr64(rs->loc, t - c->tlv_template_start);
			return 0;
		}
		wr64(rs->loc, t);
		return site_fixup(rs, FIX_REBASE, NULL, 0);
	}
	/* 4-byte absolute: only to absolute symbols */
	struct symbol *s = r->is_extern ? rs->f->syms[r->symbolnum] : NULL;
	if (s && s->kind == SYM_ABS) {
		uint64_t v = s->value + (uint64_t)(int64_t)(int32_t)rd32(rs->loc);
		if (v > UINT32_MAX)
			return site_error(rs, "value out of range for a 32-bit field");
		wr32(rs->loc, (uint32_t)v);
		return 0;
	}
	return site_error(rs, "32-bit absolute addresses are not allowed in a PIE executable");
}

static int do_subtractor(struct link_ctx *c, struct reloc_site *rs,
			 const struct obj_reloc *minuend)
{
	const struct obj_reloc *r = rs->r;
	uint64_t sub;
	if (r->is_extern) {
		struct symbol *s = rs->f->syms[r->symbolnum];
		if (s->kind == SYM_DYLIB)
			return site_error(rs, "cannot subtract the address of an imported symbol");
		sub = symbol_addr(c, s);
	} else {
		uint64_t sub_obj = rs->f->obj.sections[r->symbolnum - 1].addr;
		if (obj_sect_addr_to_out(rs->d, rs->f, r->symbolnum, sub_obj, &sub))
			return -1;
	}
	int64_t embedded = r->length == 3 ? (int64_t)rd64(rs->loc)
					  : (int64_t)(int32_t)rd32(rs->loc);
	uint64_t min;
	if (minuend->is_extern) {
		struct symbol *m = rs->f->syms[minuend->symbolnum];
		if (m->kind == SYM_DYLIB)
			return site_error(rs, "cannot take the difference with an imported symbol");
		min = symbol_addr(c, m) + (uint64_t)embedded;
	} else if (obj_sect_addr_to_out(rs->d, rs->f, minuend->symbolnum, (uint64_t)embedded,
					&min)) {
		return -1;
	}
	int64_t v = (int64_t)(min - sub);
	if (r->length == 3) {
		wr64(rs->loc, (uint64_t)v);
	} else {
		if (v < INT32_MIN || v > INT32_MAX)
			return site_error(rs, "difference out of range for a 32-bit field");
		wr32(rs->loc, (uint32_t)(int32_t)v);
	}
	return 0;
}

static uint64_t got_addr(const struct link_ctx *c, const struct symbol *s)
{
	return c->got->addr + 8 * (uint64_t)s->got;
}

static int do_pcrel(struct link_ctx *c, struct reloc_site *rs)
{
	const struct obj_reloc *r = rs->r;
	int64_t disp = (int64_t)(int32_t)rd32(rs->loc);
	uint32_t at = rs->ri->attrs;
	if (!r->is_extern) {
		uint64_t t;
		if (obj_sect_addr_to_out(rs->d, rs->f, r->symbolnum,
					 reloc_local_target(&rs->f->obj.sections[rs->sect], r, rs->ri),
					 &t))
			return -1;
		return write_pcrel32(c, rs, t, 0);
	}
	struct symbol *s = rs->f->syms[r->symbolnum];
	int64_t a = disp + rs->ri->pcrel_bias; /* lld's embedded addend */
	uint64_t t;
	if (at & RA_BRANCH) {
		t = s->stub >= 0 ? c->stubs->addr + 6 * (uint64_t)s->stub : symbol_addr(c, s);
		if (s->kind == SYM_DYLIB && s->stub < 0)
			return site_error(rs, "branch to an import without a stub");
	} else if (at & RA_GOT) {
		if (s->got >= 0) {
			t = got_addr(c, s);
		} else {
			rs->loc[-2] = 0x8d; /* movq -> leaq */
			t = symbol_addr(c, s);
		}
	} else if (at & RA_TLV) {
		if (s->tlvp >= 0) {
			t = c->thread_ptrs->addr + 8 * (uint64_t)s->tlvp;
		} else {
			rs->loc[-2] = 0x8d;
			t = symbol_addr(c, s);
		}
	} else {
		if (s->kind == SYM_DYLIB)
			return site_error(rs, "direct pc-relative reference to an imported symbol (it needs a GOT load)");
		t = symbol_addr(c, s);
	}
	return write_pcrel32(c, rs, t, a);
}

static int relocate_section(struct link_ctx *c, struct input_file *f, uint32_t si,
			    struct diag *d, struct fixup_list *fx)
{
	const struct obj_section *sec = &f->obj.sections[si];
	const struct obj_reloc *rel = f->obj.relocs + sec->reloc_first;
	int rc = 0;
	for (uint32_t i = 0; i < sec->nrelocs; i++) {
		struct reloc_site rs;
		rs.f = f;
		rs.sect = si;
		rs.r = &rel[i];
		rs.ri = reloc_info(c->arch, rel[i].type);
		rs.d = d;
		rs.fx = fx;
		if (!rs.ri)
			continue;
		struct atom *a = atom_at(f, si, rel[i].offset);
		int pair = (rs.ri->attrs & RA_SUBTRAHEND) != 0;
		if (!a || !a->live || a->dup || !sec->data) {
			i += (uint32_t)pair;
			continue;
		}
		rs.p = a->addr + (rel[i].offset - a->off);
		rs.loc = out_ptr(c, a->osec, rs.p);
		rs.tlv_section = (sec->flags & SECTION_TYPE) == S_THREAD_LOCAL_VARIABLES;
		if (rel[i].offset - a->off + (1u << rel[i].length) > a->size) {
			/* it would write into whatever the output puts next */
			rc = site_error(&rs, "the field extends past the end of its atom");
			i += (uint32_t)pair;
			continue;
		}
		if (rs.r->is_extern && (!f->syms[rs.r->symbolnum] ||
					f->syms[rs.r->symbolnum]->kind == SYM_UNDEF)) {
			rc = site_error(&rs, "symbol is undefined or not linkable");
			i += (uint32_t)pair;
			continue;
		}
		if (pair) {
			rc |= do_subtractor(c, &rs, &rel[i + 1]);
			i++;
		} else if (rs.ri->attrs & RA_UNSIGNED) {
			rc |= do_unsigned(c, &rs);
		} else {
			rc |= do_pcrel(c, &rs);
		}
	}
	return rc;
}

/* The live pieces of f's sections, copied to where layout put them. */
static void copy_file_atoms(struct link_ctx *c, struct input_file *f)
{
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		const struct obj_section *s = &f->obj.sections[si];
		if (!f->sect_kept[si] || !s->data)
			continue;
		for (uint32_t k = 0; k < f->natoms[si]; k++) {
			const struct atom *a = &f->atoms[si][k];
			if (a->live && !a->dup && a->osec->kind == OSEC_REGULAR)
				memcpy(out_ptr(c, a->osec, a->addr), s->data + a->off,
				       a->size);
		}
	}
}

/*
 * One file per item, on the link's threads: every byte a file's
 * relocations write lies inside its own atoms (relocate_section refuses
 * fields that cross an atom's end; scan.c relaxes a GOT load only when
 * its opcode byte is in the same atom), so files never touch each
 * other's output. Fixups and messages are kept per file and joined in
 * input order, as a serial loop would have made them.
 */
struct reloc_job {
	struct link_ctx *c;
	struct fixup_list *fx;   /* per file */
	struct diag *d;          /* per file */
	int *rc;
};

static void relocate_file(void *arg, size_t i, int worker)
{
	struct reloc_job *j = arg;
	struct link_ctx *c = j->c;
	struct input_file *f = c->files[i];
	(void)worker;
	diag_init(&j->d[i]);
	copy_file_atoms(c, f);
	for (uint32_t si = 0; si < f->obj.nsections; si++)
		if (f->sect_kept[si] && f->obj.sections[si].nrelocs)
			j->rc[i] |= relocate_section(c, f, si, &j->d[i], &j->fx[i]);
}

int x86_64_relocate(struct link_ctx *c)
{
	size_t n = c->nfiles;
	struct reloc_job j = { c, calloc(n + 1, sizeof *j.fx), calloc(n + 1, sizeof *j.d),
			       calloc(n + 1, sizeof *j.rc) };
	if (!j.fx || !j.d || !j.rc) {
		free(j.fx);
		free(j.d);
		free(j.rc);
		return diag_error(c->diag, "out of memory");
	}
	par_for(c->nthreads, n, 0, relocate_file, &j);
	size_t total = c->fixups.n;
	for (size_t i = 0; i < n; i++)
		total += j.fx[i].n;
	int rc = 0;
	if (fixup_reserve(&c->fixups, total))
		rc = diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < n; i++) {
		rc |= j.rc[i];
		diag_append(c->diag, &j.d[i]);
		diag_release(&j.d[i]);
		if (c->fixups.cap >= c->fixups.n + j.fx[i].n && j.fx[i].n) {
			memcpy(c->fixups.v + c->fixups.n, j.fx[i].v,
			       j.fx[i].n * sizeof *j.fx[i].v);
			c->fixups.n += j.fx[i].n;
		}
		free(j.fx[i].v);
	}
	free(j.fx);
	free(j.d);
	free(j.rc);
	return rc;
}

/* GOT, lazy pointers and TLV pointers are all "pointer slots". */
static int write_slot(struct link_ctx *c, struct out_section *o, uint64_t addr,
		      struct symbol *s)
{
	uint8_t *p = out_ptr(c, o, addr);
	if (s->kind == SYM_DYLIB) {
		wr64(p, 0);
		if (fixup_add(c, FIX_BIND, addr, s, 0))
			return -1;
		return s->weak_def ? fixup_add(c, FIX_WEAK_BIND, addr, s, 0) : 0;
	}
	if (s->kind == SYM_ABS) {
		wr64(p, s->value);
		return 0;
	}
	wr64(p, symbol_addr(c, s));
	if (fixup_add(c, FIX_REBASE, addr, NULL, 0))
		return -1;
	return needs_binding(s) ? fixup_add(c, FIX_WEAK_BIND, addr, s, 0) : 0;
}

static int is_lazy(const struct symbol *s)
{
	return s->kind == SYM_DYLIB && !s->weak_def;
}

int x86_64_write_synthetic(struct link_ctx *c)
{
	for (size_t i = 0; i < c->ngot; i++)
		if (write_slot(c, c->got, c->got->addr + 8 * i, c->got_syms[i]))
			return -1;
	for (size_t i = 0; i < c->ntlvp; i++)
		if (write_slot(c, c->thread_ptrs, c->thread_ptrs->addr + 8 * i, c->tlvp_syms[i]))
			return -1;
	if (!c->nstubs)
		return 0;

	/* Lazy-bind records first: the stub helper pushes their offsets. */
	struct bind_entry *lazy = calloc(c->nstubs, sizeof *lazy);
	c->lazy_offsets = calloc(c->nstubs, sizeof *c->lazy_offsets);
	if (!lazy || !c->lazy_offsets) {
		free(lazy);
		return diag_error(c->diag, "out of memory");
	}
	size_t nlazy = 0;
	const struct out_segment *lseg = &c->segs[c->la_ptr->seg];
	for (size_t i = 0; i < c->nstubs; i++) {
		struct symbol *s = c->stub_syms[i];
		if (!is_lazy(s))
			continue;
		uint64_t addr = c->la_ptr->addr + 8 * i;
		lazy[nlazy].seg = c->la_ptr->seg + 1; /* +1: __PAGEZERO */
		lazy[nlazy].off = addr - lseg->vmaddr;
		lazy[nlazy].name = s->name;
		lazy[nlazy].ordinal = bind_ordinal(s);
		lazy[nlazy].flags = s->weak_ref ? BIND_SYMBOL_FLAGS_WEAK_IMPORT : 0;
		nlazy++;
	}
	uint32_t *offs = calloc(nlazy + 1, sizeof *offs);
	if (!offs || lazy_bind_encode(lazy, nlazy, &c->lazy_bind, offs)) {
		free(offs);
		free(lazy);
		return diag_error(c->diag, "out of memory");
	}
	c->lazy_e = lazy;
	c->nlazy_e = nlazy;

	uint64_t helper = c->stub_helper ? c->stub_helper->addr : 0;
	size_t k = 0;
	for (size_t i = 0; i < c->nstubs; i++) {
		struct symbol *s = c->stub_syms[i];
		uint64_t stub = c->stubs->addr + 6 * i;
		uint64_t lp = c->la_ptr->addr + 8 * i;
		uint8_t *p = out_ptr(c, c->stubs, stub);
		p[0] = 0xff; /* jmpq *lp(%rip) */
		p[1] = 0x25;
		wr32(p + 2, (uint32_t)(int32_t)(int64_t)(lp - (stub + 6)));
		if (!is_lazy(s)) {
			if (write_slot(c, c->la_ptr, lp, s))
				goto fail;
			continue;
		}
		uint64_t entry = helper + 16 + 10 * k;
		c->lazy_offsets[i] = offs[k];
		uint8_t *e = out_ptr(c, c->stub_helper, entry);
		e[0] = 0x68; /* pushq $lazy_bind_offset */
		wr32(e + 1, offs[k]);
		e[5] = 0xe9; /* jmp stub_helper_header */
		wr32(e + 6, (uint32_t)(int32_t)(int64_t)(helper - (entry + 10)));
		wr64(out_ptr(c, c->la_ptr, lp), entry);
		if (fixup_add(c, FIX_REBASE, lp, NULL, 0) ||
		    fixup_add(c, FIX_LAZY_BIND, lp, s, 0))
			goto fail;
		k++;
	}
	if (k) {
		uint8_t *h = out_ptr(c, c->stub_helper, helper);
		uint64_t priv = symbol_addr(c, c->dyld_private);
		uint64_t binder = got_addr(c, c->dyld_stub_binder);
		h[0] = 0x4c; /* leaq __dyld_private(%rip), %r11 */
		h[1] = 0x8d;
		h[2] = 0x1d;
		wr32(h + 3, (uint32_t)(int32_t)(int64_t)(priv - (helper + 7)));
		h[7] = 0x41; /* pushq %r11 */
		h[8] = 0x53;
		h[9] = 0xff; /* jmpq *dyld_stub_binder@GOT(%rip) */
		h[10] = 0x25;
		wr32(h + 11, (uint32_t)(int32_t)(int64_t)(binder - (helper + 15)));
		h[15] = 0x90; /* nop */
	}
	free(offs);
	return 0;
fail:
	free(offs);
	return -1;
}
