/*
 * linkedit.c - builds the __LINKEDIT contents from the link state:
 * rebase, bind and weak-bind opcodes (from the fixups recorded while
 * relocating; lazy binds are encoded earlier, before the stub helper is
 * written), the export trie, function starts, data in code, the symbol
 * table (the debug map's STABS, then locals, then external definitions,
 * then imports, as LC_DYSYMTAB wants: the STABS count as locals), the
 * indirect symbol table and the string table. Every piece is padded to 8
 * bytes so the segment has no gaps.
 *
 * Leaves out: chained fixups, the code signature (arm64 only).
 */
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/hugepage.h"
#include "../base/macho.h"
#include "../base/namesort.h"
#include "../dyld/bind.h"
#include "../dyld/leb.h"
#include "../dyld/rebase.h"
#include "../dyld/trie.h"
#include "ctx.h"
#include "debugmap.h"

int fixup_reserve(struct fixup_list *l, size_t n)
{
	return huge_grow((void **)&l->v, &l->cap, n, sizeof *l->v);
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

/* Output segment (load-command index, counting __PAGEZERO when there is
 * one) of an address. */
int32_t seg_of(const struct link_ctx *c, uint64_t addr, uint64_t *off)
{
	for (size_t g = 0; g < c->nsegs; g++) {
		const struct out_segment *s = &c->segs[g];
		if (addr >= s->vmaddr && addr < s->vmaddr + s->vmsize) {
			*off = addr - s->vmaddr;
			return (int32_t)(g + c->pagezero);
		}
	}
	*off = 0;
	return -1;
}

int32_t bind_ordinal(const struct symbol *s)
{
	if (s->kind != SYM_DYLIB)
		return BIND_SPECIAL_DYLIB_SELF;
	if (s->dylib == DYLIB_EXECUTABLE)
		return BIND_SPECIAL_DYLIB_MAIN_EXECUTABLE;
	return s->dylib ? (int32_t)s->dylib : BIND_SPECIAL_DYLIB_FLAT_LOOKUP;
}

static int build_fixup_streams(struct link_ctx *c, struct diag *d)
{
	size_t n = c->fixups.n, cnt[4] = { 0, 0, 0, 0 };
	for (size_t i = 0; i < n; i++)
		cnt[c->fixups.v[i].kind & 3]++;
	struct rebase_entry *re = huge_malloc((cnt[FIX_REBASE] + 1) * sizeof *re);
	struct bind_entry *be = huge_malloc((cnt[FIX_BIND] + 1) * sizeof *be);
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
		int32_t at = seg_of(c, f->addr, &off);
		if (at < 0) {
			free(re);
			free(be);
			free(we);
			return diag_error(d, "internal error: a fixup at 0x%llx is in no segment",
					  (unsigned long long)f->addr);
		}
		uint32_t seg = (uint32_t)at;
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
	if ((s->kind == SYM_DEFINED && !s->atom->live) || (s->kind == SYM_ABS && s->dead_abs))
		return 0; /* dead-stripped */
	return s->is_global && s->external &&
	       (s->kind == SYM_DEFINED || s->kind == SYM_ABS || s->kind == SYM_SYNTHETIC);
}

/* --- the globals, gathered once for the symbol table and the trie --- */

/* Which part of the symbol table a global goes to (build_symtab). */
enum { G_NONE, G_PEXT, G_EXT, G_UNDEF };

/*
 * One global as the symbol table and the export trie need it. The
 * globals come sorted by name, so their structs and names lie all over
 * memory; gather_globals reads each once, in parallel, and the two
 * builders then read these in sequence.
 */
struct gl {
	const char *name;    /* a copy in its chunk's names */
	struct symbol *s;
	uint64_t value;      /* n_value (an export's address is derived) */
	uint32_t len;        /* strlen(name) */
	uint16_t desc;
	uint8_t group;       /* G_* */
	uint8_t type, sect;
	uint8_t exp_flags;   /* G_EXT: EXPORT_SYMBOL_FLAGS_* */
	uint8_t needs_index; /* the indirect table reads s->out_index */
};

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

/* From the gathered globals, in name order, so trie_encode finds them
 * sorted. The entries name the gathered copies (one read in sequence);
 * for the records they then name the link's own copies again. */
static int build_exports(struct link_ctx *c, const struct gl *gl, size_t ng,
			 size_t nexp, struct diag *d)
{
	struct export_entry *e = huge_malloc((nexp + 1) * sizeof *e);
	if (!e)
		return diag_error(d, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < ng; i++) {
		const struct gl *x = &gl[i];
		if (x->group != G_EXT)
			continue;
		e[n].name = x->name;
		e[n].flags = x->exp_flags;
		e[n].address = (x->exp_flags & EXPORT_SYMBOL_FLAGS_KIND_MASK) ==
				       EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE
				       ? x->value
				       : x->value - c->base;
		n++;
	}
	int rc = trie_encode(e, n, &c->exports);
	if (!c->opt->no_records)
		for (size_t i = 0, k = 0; i < ng && k < n; i++)
			if (gl[i].group == G_EXT && e[k].name == gl[i].name)
				e[k++].name = gl[i].s->name;
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
			if (huge_grow((void **)&v, &cap, n + 1, sizeof *v)) {
				free(v);
				return diag_error(d, "out of memory");
			}
			v[n++] = symbol_addr(c, s);
		}
	}
	if (!n)
		return 0;
	size_t k = 1;
	while (k < n && v[k - 1] <= v[k])
		k++;
	if (k < n) /* objects come in address order: mostly sorted already */
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
	if (s->kind == SYM_DEFINED) /* a merged literal's names stay, at its copy */
		return s->atom->live && atom_placed(s->atom)->live;
	return s->kind == SYM_ABS && !s->dead_abs;
}

int linkedit_keeps_local(const struct symbol *s)
{
	return keep_local(s);
}

int linkedit_exports(const struct symbol *s)
{
	return exported(s);
}

/* Fills nlist entry `slot` (reserved in c->symtab_out) and its record
 * in c->nl unless the link makes no records. link_name is the name's
 * pointer in the link, which the records look names up by (NULL: none). */
static void set_nlist(struct link_ctx *c, size_t slot, uint32_t strx,
		      const char *link_name, uint8_t type, uint8_t sect,
		      uint16_t desc, uint64_t value)
{
	if (!c->opt->no_records) {
		struct out_nlist *r = &c->nl[slot];
		r->name = link_name;
		r->strx = strx;
		r->type = type;
		r->sect = sect;
		r->desc = desc;
		r->value = value;
	}
	uint8_t *p = c->symtab_out.data + slot * NLIST_64_SIZE;
	wr32(p, strx);
	p[4] = type;
	p[5] = sect;
	wr16(p + 6, desc);
	wr64(p + 8, value);
}

/* Appends one nlist entry and its name (len bytes and a NUL); the
 * caller reserved room for the entry in c->symtab_out, and in c->nl
 * unless the link makes no records (the two grow in step). */
static void put_nlist(struct link_ctx *c, const char *name, size_t len,
		      const char *link_name, uint8_t type, uint8_t sect,
		      uint16_t desc, uint64_t value)
{
	uint32_t strx = (uint32_t)c->strtab.len;
	buf_append(&c->strtab, name, len + 1);
	set_nlist(c, c->symtab_out.len / NLIST_64_SIZE, strx, link_name, type,
		  sect, desc, value);
	c->symtab_out.len += NLIST_64_SIZE;
	if (!c->opt->no_records)
		c->nnl++;
}

static void put_symbol(struct link_ctx *c, const struct symbol *s, uint8_t type,
		       uint8_t sect, uint16_t desc, uint64_t value)
{
	put_nlist(c, s->name, strlen(s->name), s->name, type, sect, desc, value);
}

/* Room for n more entries in c->nl (if kept) and c->symtab_out. */
static int symtab_reserve(struct link_ctx *c, size_t n)
{
	if (!c->opt->no_records &&
	    huge_grow((void **)&c->nl, &c->cap_nl, c->nnl + n, sizeof *c->nl))
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

/* Globals per gather chunk: enough to share out, few enough buffers. */
enum { GL_CHUNK = 4096 };

struct gather_job {
	struct link_ctx *c;
	struct symbol *const *g; /* every global, sorted by name */
	size_t ng;
	struct gl *gl;           /* [ng] */
	char **names;            /* per chunk: its names, back to back */
	size_t *bytes;           /* per chunk: their size */
	size_t *nexp;            /* per chunk: its exports */
	int oom;                 /* a chunk could not have its names */
};

static void classify(const struct link_ctx *c, struct symbol *s, struct gl *x)
{
	x->s = s;
	x->group = G_NONE;
	x->desc = 0;
	x->exp_flags = 0;
	if (c->opt->strip_locals && s->private_extern) {
		/* -x: no private externs either, as lld */
	} else if (s->private_extern && (((s->kind == SYM_DEFINED || s->kind == SYM_ABS) &&
				   keep_local(s)) || s == c->mh_header)) {
		/* (a hidden __mh_execute_header: an export list left it out) */
		x->group = G_PEXT;
		x->type = (uint8_t)(N_PEXT | (s->kind == SYM_ABS ? N_ABS : N_SECT));
		defined_nlist(c, s, &x->sect, &x->value);
	} else if (exported(s)) {
		x->group = G_EXT;
		x->type = (uint8_t)(N_EXT | (s->kind == SYM_ABS ? N_ABS : N_SECT));
		defined_nlist(c, s, &x->sect, &x->value);
		if (s->weak_def)
			x->desc |= N_WEAK_DEF;
		if (s == c->mh_header)
			x->desc |= REFERENCED_DYNAMICALLY;
		if (s->kind == SYM_ABS) {
			x->exp_flags = EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE;
		} else {
			x->exp_flags = s->tlv ? EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL
					      : EXPORT_SYMBOL_FLAGS_KIND_REGULAR;
			if (s->weak_def)
				x->exp_flags |= EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION;
		}
	} else if (s->kind == SYM_DYLIB && s->referenced) {
		x->group = G_UNDEF;
		x->type = N_UNDF | N_EXT;
		x->sect = NO_SECT;
		x->value = 0;
		/* 0xfe: dynamic lookup, 0xff: the executable (-bundle_loader) */
		uint16_t ord = s->dylib == DYLIB_EXECUTABLE ? 0xff
			       : s->dylib		    ? (uint16_t)s->dylib
							    : 0xfe;
		x->desc = (uint16_t)(ord << 8);
		if (s->weak_ref)
			x->desc |= N_WEAK_REF;
	}
	/* the indirect table names imports and exported globals by index */
	x->needs_index = x->group != G_NONE &&
			 (s->got >= 0 || s->stub >= 0 || s->tlvp >= 0);
}

static void gather_chunk(void *arg, size_t k, int worker)
{
	struct gather_job *j = arg;
	(void)worker;
	size_t lo = k * GL_CHUNK, hi = lo + GL_CHUNK < j->ng ? lo + GL_CHUNK : j->ng;
	size_t bytes = 0, nexp = 0;
	for (size_t i = lo; i < hi; i++) {
		prefetch_globals(j->g, hi, i);
		struct gl *x = &j->gl[i];
		classify(j->c, j->g[i], x);
		x->len = 0;
		x->name = NULL;
		if (x->group == G_NONE)
			continue;
		x->len = (uint32_t)strlen(x->s->name);
		bytes += x->len + 1;
		nexp += x->group == G_EXT;
	}
	char *p = huge_malloc(bytes + 1);
	j->names[k] = p;
	j->bytes[k] = bytes;
	j->nexp[k] = nexp;
	if (!p) {
		__atomic_store_n(&j->oom, 1, __ATOMIC_RELAXED);
		return;
	}
	/* the chunk's names are still in the cache */
	for (size_t i = lo; i < hi; i++) {
		struct gl *x = &j->gl[i];
		if (x->group == G_NONE)
			continue;
		memcpy(p, x->s->name, x->len + 1);
		x->name = p;
		p += x->len + 1;
	}
}

/* Fills j->gl from j->g on the link's threads. Returns 0 or -1 (memory). */
static int gather_globals(struct gather_job *j, size_t *name_bytes, size_t *nexp)
{
	size_t nchunks = (j->ng + GL_CHUNK - 1) / GL_CHUNK;
	j->gl = huge_malloc((j->ng + 1) * sizeof *j->gl);
	j->names = calloc(nchunks + 1, sizeof *j->names);
	j->bytes = calloc(nchunks + 1, sizeof *j->bytes);
	j->nexp = calloc(nchunks + 1, sizeof *j->nexp);
	if (!j->gl || !j->names || !j->bytes || !j->nexp)
		return -1;
	par_for(j->c->nthreads, nchunks, 1, gather_chunk, j);
	*name_bytes = 0;
	*nexp = 0;
	for (size_t k = 0; k < nchunks; k++) {
		*name_bytes += j->bytes[k];
		*nexp += j->nexp[k];
	}
	return j->oom ? -1 : 0;
}

static void gather_release(struct gather_job *j)
{
	size_t nchunks = (j->ng + GL_CHUNK - 1) / GL_CHUNK;
	if (j->names)
		for (size_t k = 0; k < nchunks; k++)
			free(j->names[k]);
	free(j->names);
	free(j->bytes);
	free(j->nexp);
	free(j->gl);
}

/* Appends the gathered globals of one group, in name order. */
static void put_group(struct link_ctx *c, const struct gl *gl, size_t ng,
		      uint8_t group, uint32_t *idx)
{
	for (size_t i = 0; i < ng; i++) {
		const struct gl *x = &gl[i];
		if (x->group != group)
			continue;
		if (x->needs_index)
			x->s->out_index = *idx;
		(*idx)++;
		put_nlist(c, x->name, x->len,
			  c->opt->no_records ? NULL : x->s->name, x->type,
			  x->sect, x->desc, x->value);
	}
}

/* The debug map's entries: their nlist slots were reserved at the head
 * of the table (and of c->nl); their names go after every other name, as
 * lld adds them, and the empty name is the " \0" entry's NUL. */
static void put_stabs(struct link_ctx *c, const struct stab *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(st[i].str);
		uint32_t strx = 1;
		if (len) {
			strx = (uint32_t)c->strtab.len;
			buf_append(&c->strtab, st[i].str, len + 1);
		}
		/* no link name: records find no symbol by it */
		set_nlist(c, i, strx, NULL, st[i].type, st[i].sect, st[i].desc,
			  st[i].value);
	}
}

static int build_symtab(struct link_ctx *c, const struct gl *gl, size_t ng,
			size_t name_bytes, struct diag *d)
{
	buf_append(&c->strtab, " ", 2); /* index 0: " \0", as ld64 */
	struct stab *st;
	size_t nst;
	if (debugmap_stabs(c, &st, &nst))
		return diag_error(d, "out of memory");
	if (nst) {
		if (symtab_reserve(c, nst))
			goto oom;
		c->symtab_out.len += nst * NLIST_64_SIZE; /* put_stabs fills them */
		if (!c->opt->no_records)
			c->nnl += nst;
	}
	uint32_t idx = (uint32_t)nst;
	/* locals: object locals in input order, private externs, synthetics */
	for (size_t fi = 0; fi < c->nfiles && !c->opt->strip_locals; fi++) {
		struct input_file *f = c->files[fi];
		if (symtab_reserve(c, f->obj.nsymbols))
			goto oom;
		for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
			struct symbol *s = f->syms[k];
			if (!s || s->is_global || s->file != f || !keep_local(s))
				continue;
			uint8_t sect;
			uint64_t value;
			defined_nlist(c, s, &sect, &value);
			s->out_index = idx++;
			put_symbol(c, s, (uint8_t)(s->kind == SYM_ABS ? N_ABS : N_SECT), sect, 0, value);
		}
	}
	if (symtab_reserve(c, ng + 1) || buf_reserve(&c->strtab, name_bytes + 64))
		goto oom;
	put_group(c, gl, ng, G_PEXT, &idx); /* private externs become locals */
	if (c->dyld_private && !c->opt->strip_locals) {
		uint8_t sect;
		uint64_t value;
		defined_nlist(c, c->dyld_private, &sect, &value);
		c->dyld_private->out_index = idx++;
		put_symbol(c, c->dyld_private, N_SECT, sect, 0, value);
	}
	c->nlocal = idx;
	put_group(c, gl, ng, G_EXT, &idx);
	c->nextdef = idx - c->nlocal;
	put_group(c, gl, ng, G_UNDEF, &idx);
	c->nundef = idx - c->nlocal - c->nextdef;
	if (nst && !buf_failed(&c->symtab_out))
		put_stabs(c, st, nst);
	free(st);
	buf_align(&c->strtab, 8);
	if (buf_failed(&c->strtab) || buf_failed(&c->symtab_out))
		return diag_error(d, "out of memory");
	return 0;
oom:
	free(st);
	return diag_error(d, "out of memory");
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
	const struct gl *gl;     /* every global, in name order */
	size_t ng;
	size_t name_bytes;       /* of the gathered names, NULs included */
	size_t nexp;             /* globals exported */
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
		if (c->chained)
			build_chained_fixups(c, d);
		else
			build_fixup_streams(c, d);
		break;
	case T_SYMTAB:
		if (build_symtab(c, j->gl, j->ng, j->name_bytes, d) == 0)
			build_indirect(c, d);
		break;
	case T_EXPORTS:
		build_exports(c, j->gl, j->ng, j->nexp, d);
		break;
	case T_STARTS:
		if (build_function_starts(c, d) == 0)
			build_data_in_code(c, d);
		break;
	}
}

/* The sort of linkedit_sort_start: a copy of the frozen table's globals,
 * in name order (NULL when out of memory). */
static void sort_globals(void *arg)
{
	struct link_ctx *c = arg;
	struct sorted_globals *s = &c->sorted;
	size_t ng;
	struct symbol *const *all = symtab_all(&c->symtab, &ng);
	struct symbol **g = all ? huge_malloc((ng + 1) * sizeof *g) : NULL;
	if (g && ng)
		memcpy(g, all, ng * sizeof *g);
	if (g && namesort(g, ng, sizeof *g, symbol_name_of)) {
		free(g);
		g = NULL;
	}
	s->g = g;
	s->ng = ng;
}

void linkedit_sort_start(struct link_ctx *c)
{
	/* the last point before the inputs' bytes end that every link
	 * passes: the debug map reads the objects' DWARF here */
	debugmap_read(c);
	if (c->nthreads > 1)
		par_task_start(&c->sorted.task, sort_globals, c);
	else
		sort_globals(c);
}

void linkedit_sort_join(struct link_ctx *c)
{
	par_task_join(&c->sorted.task);
}

void linkedit_sort_end(struct link_ctx *c)
{
	linkedit_sort_join(c);
	free(c->sorted.g);
	c->sorted.g = NULL;
	debugmap_release(c);
}

int linkedit_build(struct link_ctx *c)
{
	linkedit_sort_join(c);   /* run() started it before layout */
	struct symbol **g = c->sorted.g;
	size_t ng = c->sorted.ng;
	c->sorted.g = NULL;
	if (!g)
		return diag_error(c->diag, "out of memory");
	stage_done(c, "namesort");
	struct gather_job gj = { .c = c, .g = g, .ng = ng };
	struct linkedit_job j = { .c = c, .ng = ng };
	int rc = gather_globals(&gj, &j.name_bytes, &j.nexp);
	free(g);
	if (rc) {
		gather_release(&gj);
		return diag_error(c->diag, "out of memory");
	}
	stage_done(c, "gather");
	j.gl = gj.gl;
	for (int t = 0; t < T_N; t++)
		diag_init(&j.d[t]);
	par_for(c->nthreads, T_N, 1, linkedit_task, &j);
	for (int t = 0; t < T_N; t++) {
		rc |= j.d[t].nerrors ? -1 : 0;
		diag_append(c->diag, &j.d[t]);
		diag_release(&j.d[t]);
	}
	gather_release(&gj);
	return rc;
}
