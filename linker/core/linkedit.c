/*
 * linkedit.c - builds the __LINKEDIT contents from the link state:
 * rebase, bind and weak-bind opcodes (from the fixups recorded while
 * relocating; lazy binds are encoded earlier, before the stub helper is
 * written), the export trie, function starts, data in code, the symbol
 * table (locals, then external definitions, then imports, as LC_DYSYMTAB
 * wants), the indirect symbol table and the string table. Every piece is
 * padded to 8 bytes so the segment has no gaps.
 *
 * Leaves out: chained fixups, the code signature (arm64 only), STABs.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "../base/namesort.h"
#include "../dyld/bind.h"
#include "../dyld/leb.h"
#include "../dyld/rebase.h"
#include "../dyld/trie.h"
#include "ctx.h"

int fixup_reserve(struct fixup_list *l, size_t n)
{
	return ctx_grow((void **)&l->v, &l->cap, n, sizeof *l->v);
}

int fixup_push(struct fixup_list *l, enum fixup_kind k, uint64_t addr,
	       struct symbol *s, int64_t addend)
{
	if (fixup_reserve(l, l->n + 1))
		return -1;
	struct fixup *f = &l->v[l->n++];
	f->kind = (uint8_t)k;
	f->addr = addr;
	f->sym = s;
	f->addend = addend;
	return 0;
}

int fixup_add(struct link_ctx *c, enum fixup_kind k, uint64_t addr,
	      struct symbol *s, int64_t addend)
{
	if (fixup_push(&c->fixups, k, addr, s, addend))
		return diag_error(c->diag, "out of memory");
	return 0;
}

/* Output segment (load-command index, counting __PAGEZERO) of an address. */
static uint32_t seg_of(const struct link_ctx *c, uint64_t addr, uint64_t *off)
{
	for (size_t g = 0; g < c->nsegs; g++) {
		const struct out_segment *s = &c->segs[g];
		if (addr >= s->vmaddr && addr < s->vmaddr + s->vmsize) {
			*off = addr - s->vmaddr;
			return (uint32_t)g + 1;
		}
	}
	*off = 0;
	return 0;
}

int32_t bind_ordinal(const struct symbol *s)
{
	if (s->kind != SYM_DYLIB)
		return BIND_SPECIAL_DYLIB_SELF;
	return s->dylib ? (int32_t)s->dylib : BIND_SPECIAL_DYLIB_FLAT_LOOKUP;
}

static int build_fixup_streams(struct link_ctx *c, struct diag *d)
{
	size_t n = c->fixups.n, cnt[4] = { 0, 0, 0, 0 };
	for (size_t i = 0; i < n; i++)
		cnt[c->fixups.v[i].kind & 3]++;
	struct rebase_entry *re = malloc((cnt[FIX_REBASE] + 1) * sizeof *re);
	struct bind_entry *be = malloc((cnt[FIX_BIND] + 1) * sizeof *be);
	struct bind_entry *we = malloc((cnt[FIX_WEAK_BIND] + 1) * sizeof *we);
	if (!re || !be || !we) {
		free(re);
		free(be);
		free(we);
		return diag_error(d, "out of memory");
	}
	size_t nr = 0, nb = 0, nw = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fixup *f = &c->fixups.v[i];
		uint64_t off;
		uint32_t seg = seg_of(c, f->addr, &off);
		switch (f->kind) {
		case FIX_REBASE:
			re[nr].seg = seg;
			re[nr++].off = off;
			break;
		case FIX_BIND:
		case FIX_WEAK_BIND: {
			struct bind_entry *e = f->kind == FIX_BIND ? &be[nb++] : &we[nw++];
			e->seg = seg;
			e->off = off;
			e->name = f->sym->name;
			e->ordinal = bind_ordinal(f->sym);
			e->addend = f->addend;
			e->flags = f->sym->weak_ref ? BIND_SYMBOL_FLAGS_WEAK_IMPORT : 0;
			if (f->kind == FIX_WEAK_BIND)
				e->flags = 0;
			break;
		}
		default:
			break;
		}
	}
	int rc = rebase_encode(re, &nr, &c->rebase) |
		 bind_encode(be, nb, &c->bind) | weak_bind_encode(we, nw, &c->weak_bind);
	c->rebase_e = re;
	c->nrebase_e = nr;
	c->bind_e = be;
	c->nbind_e = nb;
	c->weak_e = we;
	c->nweak_e = nw;
	free(c->fixups.v); /* encoded: nothing else reads them */
	memset(&c->fixups, 0, sizeof c->fixups);
	return rc ? diag_error(d, "out of memory") : 0;
}

static int exported(const struct symbol *s)
{
	if (s->kind == SYM_DEFINED && !s->atom->live)
		return 0; /* dead-stripped */
	return s->is_global && s->external &&
	       (s->kind == SYM_DEFINED || s->kind == SYM_ABS || s->kind == SYM_SYNTHETIC);
}

/*
 * The globals come sorted by name, so their structs, atoms and names lie
 * all over memory: a loop over them asks for item i + AHEAD's symbol and
 * for item i + AHEAD/2's atom and name while it works on item i.
 */
enum { AHEAD = 16 };

static void prefetch_globals(struct symbol *const *g, size_t ng, size_t i)
{
	if (i + AHEAD < ng)
		__builtin_prefetch(g[i + AHEAD]);
	if (i + AHEAD / 2 < ng) {
		const struct symbol *s = g[i + AHEAD / 2];
		__builtin_prefetch(s->name);
		if (s->atom)
			__builtin_prefetch(s->atom);
	}
}

/* From the globals sorted by name, so trie_encode finds them sorted. */
static int build_exports(struct link_ctx *c, struct symbol *const *g, size_t ng,
			 struct diag *d)
{
	struct export_entry *e = malloc((ng + 1) * sizeof *e);
	if (!e)
		return diag_error(d, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < ng; i++) {
		prefetch_globals(g, ng, i);
		const struct symbol *s = g[i];
		if (!exported(s))
			continue;
		e[n].name = s->name;
		if (s->kind == SYM_ABS) {
			e[n].flags = EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE;
			e[n].address = s->value;
		} else {
			e[n].flags = s->tlv ? EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL
					    : EXPORT_SYMBOL_FLAGS_KIND_REGULAR;
			if (s->weak_def)
				e[n].flags |= EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION;
			e[n].address = symbol_addr(c, s) - c->base;
		}
		n++;
	}
	int rc = trie_encode(e, n, &c->exports);
	c->exp_e = e;
	c->nexp_e = n;
	return rc ? diag_error(d, "out of memory") : 0;
}

static int is_code_section(const struct out_section *o)
{
	return (o->flags & (S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS)) &&
	       o->kind == OSEC_REGULAR;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int build_function_starts(struct link_ctx *c, struct diag *d)
{
	size_t cap = 0, n = 0;
	uint64_t *v = NULL;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
			const struct symbol *s = f->syms[k];
			if (!s || s->kind != SYM_DEFINED || s->file != f || !s->atom->live ||
			    !is_code_section(atom_placed(s->atom)->osec))
				continue;
			if (ctx_grow((void **)&v, &cap, n + 1, sizeof *v)) {
				free(v);
				return diag_error(d, "out of memory");
			}
			v[n++] = symbol_addr(c, s);
		}
	}
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_u64);
	uint64_t prev = c->base;
	for (size_t i = 0; i < n; i++) {
		if (i && v[i] == v[i - 1])
			continue;
		uleb_put(&c->func_starts, v[i] - prev);
		prev = v[i];
	}
	buf_u8(&c->func_starts, 0);
	buf_align(&c->func_starts, 8);
	free(v);
	return buf_failed(&c->func_starts) ? diag_error(d, "out of memory") : 0;
}

static int build_data_in_code(struct link_ctx *c, struct diag *d)
{
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t i = 0; i < f->obj.ndice; i++) {
			const struct obj_dice *e = &f->obj.dice[i];
			uint64_t out;
			if (obj_addr_lookup(f, e->offset, &out))
				continue; /* entry in a dropped or dead piece */
			buf_u32(&c->dice, (uint32_t)(out - c->base));
			buf_u16(&c->dice, e->length);
			buf_u16(&c->dice, e->kind);
		}
	}
	return buf_failed(&c->dice) ? diag_error(d, "out of memory") : 0;
}

/* --- symbol table --- */

static int keep_local(const struct symbol *s)
{
	if (!s->name[0] || s->name[0] == 'L' || s->name[0] == 'l')
		return 0;
	if (s->kind == SYM_DEFINED)
		return s->atom->live && !s->atom->dup;
	return s->kind == SYM_ABS;
}

/* Appends one nlist entry and its name; the caller reserved room for the
 * entry in c->nl and c->symtab_out (symtab_reserve). */
static void put_nlist(struct link_ctx *c, const struct symbol *s, uint8_t type,
		      uint8_t sect, uint16_t desc, uint64_t value)
{
	uint32_t strx = (uint32_t)c->strtab.len;
	struct out_nlist *r = &c->nl[c->nnl++];
	r->name = s->name;
	r->strx = strx;
	r->type = type;
	r->sect = sect;
	r->desc = desc;
	r->value = value;
	buf_append(&c->strtab, s->name, strlen(s->name) + 1);
	uint8_t *p = c->symtab_out.data + c->symtab_out.len;
	wr32(p, strx);
	p[4] = type;
	p[5] = sect;
	wr16(p + 6, desc);
	wr64(p + 8, value);
	c->symtab_out.len += NLIST_64_SIZE;
}

/* Room for n more entries in c->nl and c->symtab_out. */
static int symtab_reserve(struct link_ctx *c, size_t n)
{
	if (ctx_grow((void **)&c->nl, &c->cap_nl, c->nnl + n, sizeof *c->nl))
		return -1;
	return buf_reserve(&c->symtab_out, n * NLIST_64_SIZE);
}

static void defined_nlist(const struct link_ctx *c, const struct symbol *s,
			  uint8_t *sect, uint64_t *value)
{
	if (s->kind == SYM_ABS) {
		*sect = NO_SECT;
		*value = s->value;
	} else if (s->kind == SYM_SYNTHETIC) {
		*sect = 1; /* __mh_execute_header: the first section */
		*value = s->value;
	} else {
		*sect = (uint8_t)(atom_placed(s->atom)->osec->index + 1);
		*value = symbol_addr(c, s);
	}
}

static int build_symtab(struct link_ctx *c, struct symbol *const *g, size_t ng,
			struct diag *d)
{
	buf_append(&c->strtab, " ", 2); /* index 0: " \0", as ld64 */
	uint32_t idx = 0;
	/* locals: object locals in input order, private externs, synthetics */
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		if (symtab_reserve(c, f->obj.nsymbols))
			return diag_error(d, "out of memory");
		for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
			struct symbol *s = f->syms[k];
			if (!s || s->is_global || s->file != f || !keep_local(s))
				continue;
			uint8_t sect;
			uint64_t value;
			defined_nlist(c, s, &sect, &value);
			s->out_index = idx++;
			put_nlist(c, s, (uint8_t)(s->kind == SYM_ABS ? N_ABS : N_SECT), sect, 0, value);
		}
	}
	/* each global lands in at most one of the three groups below */
	if (symtab_reserve(c, ng + 1))
		return diag_error(d, "out of memory");
	for (size_t i = 0; i < ng; i++) { /* private externs become locals */
		prefetch_globals(g, ng, i);
		struct symbol *s = g[i];
		if (!s->private_extern || (s->kind != SYM_DEFINED && s->kind != SYM_ABS) ||
		    !keep_local(s))
			continue;
		uint8_t sect;
		uint64_t value;
		defined_nlist(c, s, &sect, &value);
		s->out_index = idx++;
		put_nlist(c, s, (uint8_t)(N_PEXT | (s->kind == SYM_ABS ? N_ABS : N_SECT)), sect,
			  0, value);
	}
	if (c->dyld_private) {
		uint8_t sect;
		uint64_t value;
		defined_nlist(c, c->dyld_private, &sect, &value);
		c->dyld_private->out_index = idx++;
		put_nlist(c, c->dyld_private, N_SECT, sect, 0, value);
	}
	c->nlocal = idx;
	for (size_t i = 0; i < ng; i++) {
		prefetch_globals(g, ng, i);
		struct symbol *s = g[i];
		if (!exported(s))
			continue;
		if (s->kind == SYM_DEFINED && (!s->atom->live))
			continue;
		uint8_t sect;
		uint64_t value;
		defined_nlist(c, s, &sect, &value);
		uint16_t desc = 0;
		if (s->weak_def)
			desc |= N_WEAK_DEF;
		if (s == c->mh_header)
			desc |= REFERENCED_DYNAMICALLY;
		s->out_index = idx++;
		put_nlist(c, s, (uint8_t)(N_EXT | (s->kind == SYM_ABS ? N_ABS : N_SECT)), sect, desc,
			  value);
	}
	c->nextdef = idx - c->nlocal;
	for (size_t i = 0; i < ng; i++) {
		prefetch_globals(g, ng, i);
		struct symbol *s = g[i];
		if (s->kind != SYM_DYLIB || !s->referenced)
			continue;
		uint16_t ord = s->dylib ? (uint16_t)s->dylib : 0xfe; /* dynamic lookup */
		uint16_t desc = (uint16_t)(ord << 8);
		if (s->weak_ref)
			desc |= N_WEAK_REF;
		s->out_index = idx++;
		put_nlist(c, s, N_UNDF | N_EXT, NO_SECT, desc, 0);
	}
	c->nundef = idx - c->nlocal - c->nextdef;
	buf_align(&c->strtab, 8);
	if (buf_failed(&c->strtab) || buf_failed(&c->symtab_out))
		return diag_error(d, "out of memory");
	return 0;
}

static uint32_t indirect_index(const struct link_ctx *c, const struct symbol *s)
{
	if (s->kind == SYM_DYLIB || (s->is_global && exported(s)))
		return s->out_index;
	return INDIRECT_SYMBOL_LOCAL;
}

static int build_indirect(struct link_ctx *c, struct diag *d)
{
	uint32_t n = 0;
	if (c->stubs) {
		c->stubs->reserved1 = n;
		for (size_t i = 0; i < c->nstubs; i++, n++)
			buf_u32(&c->indirect, indirect_index(c, c->stub_syms[i]));
	}
	if (c->got) {
		c->got->reserved1 = n;
		for (size_t i = 0; i < c->ngot; i++, n++)
			buf_u32(&c->indirect, indirect_index(c, c->got_syms[i]));
	}
	if (c->la_ptr) {
		c->la_ptr->reserved1 = n;
		for (size_t i = 0; i < c->nstubs; i++, n++)
			buf_u32(&c->indirect, indirect_index(c, c->stub_syms[i]));
	}
	if (c->thread_ptrs) {
		c->thread_ptrs->reserved1 = n;
		for (size_t i = 0; i < c->ntlvp; i++, n++)
			buf_u32(&c->indirect, indirect_index(c, c->tlvp_syms[i]));
	}
	buf_align(&c->indirect, 8);
	return buf_failed(&c->indirect) ? diag_error(d, "out of memory") : 0;
}

static const char *symbol_name_of(const void *p)
{
	return (*(const struct symbol *const *)p)->name;
}

/* The pieces are independent (each writes its own buffers and reads the
 * symbols; only the symbol table writes out_index, which the indirect
 * table then reads), so they run as tasks on the link's threads. */
enum { T_FIXUPS, T_SYMTAB, T_EXPORTS, T_STARTS, T_N };

struct linkedit_job {
	struct link_ctx *c;
	struct symbol **g;       /* every global, sorted by name */
	size_t ng;
	struct diag d[T_N];
};

static void linkedit_task(void *arg, size_t i, int worker)
{
	struct linkedit_job *j = arg;
	struct link_ctx *c = j->c;
	struct diag *d = &j->d[i];
	(void)worker;
	switch (i) {
	case T_FIXUPS:
		build_fixup_streams(c, d);
		break;
	case T_SYMTAB:
		if (build_symtab(c, j->g, j->ng, d) == 0)
			build_indirect(c, d);
		break;
	case T_EXPORTS:
		build_exports(c, j->g, j->ng, d);
		break;
	case T_STARTS:
		if (build_function_starts(c, d) == 0)
			build_data_in_code(c, d);
		break;
	}
}

int linkedit_build(struct link_ctx *c)
{
	struct linkedit_job j = { .c = c };
	struct symbol *const *all = symtab_all(&c->symtab, &j.ng);
	j.g = all ? malloc((j.ng + 1) * sizeof *j.g) : NULL;
	if (!j.g)
		return diag_error(c->diag, "out of memory");
	if (j.ng)
		memcpy(j.g, all, j.ng * sizeof *j.g);
	if (namesort(j.g, j.ng, sizeof *j.g, symbol_name_of)) {
		free(j.g);
		return diag_error(c->diag, "out of memory");
	}
	stage_done(c, "namesort");
	for (int t = 0; t < T_N; t++)
		diag_init(&j.d[t]);
	par_for(c->nthreads, T_N, 1, linkedit_task, &j);
	int rc = 0;
	for (int t = 0; t < T_N; t++) {
		rc |= j.d[t].nerrors ? -1 : 0;
		diag_append(c->diag, &j.d[t]);
		diag_release(&j.d[t]);
	}
	free(j.g);
	return rc;
}
