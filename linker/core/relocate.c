/*
 * relocate.c - the generic relocation driver: copies every live atom into
 * the output and applies each relocation of its section. Plain pointers
 * (RA_UNSIGNED) and differences (SUBTRACTOR pairs) are the same on every
 * architecture and done here; an ADDEND entry's value is handed to the
 * entry it precedes; every other field goes to the architecture's
 * relocate (arch.h). Every pointer dyld must touch is recorded as a
 * fixup. Files are relocated on the link's threads.
 *
 * Relocation math uses the ABI's letters: P (place), A (addend), S
 * (symbol), G (GOT slot).
 *
 * Leaves out: 4-byte UNSIGNED fields to non-absolute symbols (not
 * representable in a PIE; reported as an error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "../dyld/bind.h"
#include "ctx.h"
#include "relocate.h"

struct symbol *site_symbol(const struct reloc_site *rs)
{
	return rs->r->is_extern ? rs->f->syms[rs->r->symbolnum] : NULL;
}

static const char *sym_name(const struct reloc_site *rs)
{
	const struct symbol *s = site_symbol(rs);
	return s ? s->name : "<section>";
}

int site_error(const struct reloc_site *rs, const char *what)
{
	char lb[40];
	return diag_error(rs->d, "'%s': %s relocation at offset 0x%x of %s referencing %s: %s",
			  rs->f->name, rs->ri->name, rs->r->offset,
			  sect_label(rs->f, rs->sect, lb, sizeof lb), sym_name(rs), what);
}

int site_fixup(const struct reloc_site *rs, enum fixup_kind k, struct symbol *s,
		      int64_t addend)
{
	if (fixup_push(rs->fx, k, rs->p, s, addend))
		return diag_error(rs->d, "out of memory");
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
		if (!m || m->kind == SYM_UNDEF)
			return site_error(rs, "the minuend's symbol is undefined or not linkable (a debug entry, or in a dropped section)");
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

int branch_target(struct link_ctx *c, const struct reloc_site *rs, struct symbol *s,
		  uint64_t *out)
{
	if (s->stub >= 0) {
		*out = stub_addr(c, (size_t)s->stub);
		return 0;
	}
	if (s->kind == SYM_DYLIB)
		return site_error(rs, "branch to an import without a stub");
	*out = symbol_addr(c, s);
	return 0;
}

int site_local_target(const struct link_ctx *c, const struct reloc_site *rs, uint64_t *out)
{
	uint64_t t = c->ops->local_target(&rs->f->obj, rs->sect, rs->r, rs->ri) +
		     (uint64_t)rs->addend;
	return obj_sect_addr_to_out(rs->d, rs->f, rs->r->symbolnum, t, out);
}

/* The addend an ARM64_RELOC_ADDEND entry carries: r_symbolnum, a signed
 * 24-bit value. */
static int64_t addend_value(const struct obj_reloc *r)
{
	return (int64_t)((int32_t)(r->symbolnum << 8) >> 8);
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
		rs.addend = 0;
		rs.ri = reloc_info(c->arch, rel[i].type);
		if (rs.ri && (rs.ri->attrs & RA_ADDEND) && i + 1 < sec->nrelocs) {
			/* the parser checked that the pair is well formed */
			rs.addend = addend_value(&rel[i]);
			i++;
			rs.ri = reloc_info(c->arch, rel[i].type);
		}
		rs.r = &rel[i];
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
		rs.loc = out_at(c, a->osec, rs.p);
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
			rc |= c->ops->relocate(c, &rs);
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
				memcpy(out_at(c, a->osec, a->addr), s->data + a->off,
				       a->size);
		}
	}
}

/*
 * One file per item, on the link's threads: every byte a file's
 * relocations write lies inside its own atoms (relocate_section refuses
 * fields that cross an atom's end; scan.c relaxes a GOT load only when
 * the instruction bytes it rewrites are in the same atom), so files never touch each
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

int relocate_all(struct link_ctx *c)
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

