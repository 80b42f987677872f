/*
 * debugmap.c - the STABS debug map (debugmap.h), as ld64.lld 19 writes
 * it (SymtabSection::emitStabs and ObjFile::sourceFile).
 *
 * Two steps, because the inputs' bytes end before __LINKEDIT is built:
 * debugmap_read (before layout) keeps the N_SO text of each object with
 * debug info; debugmap_stabs (in linkedit.c's symbol-table task) makes
 * the entries from the link's symbols once their addresses are final.
 *
 * lld's order of an object's globals is the order its symbol table first
 * saw them: the entry symbol first, then object by object its symbols
 * defined in sections (by section, then address), after its commons and
 * absolutes and before its undefined references. debugmap_stabs replays
 * that over the objects up to the last one with debug info. The size of
 * a function (the second N_FUN) is lld's too: the distance to the next
 * symbol of its object in the same section, or to the section's end.
 *
 * Leaves out: the modification time in N_OSO (n_value 0, as ld64 and lld
 * write under ZERO_AR_DATE: the output stays a function of the inputs'
 * bytes, and dsymutil checks no timestamp of 0), N_AST, -oso_prefix.
 * A relative object name is made absolute against link_options.oso_dir
 * (linkfs-ld: its working directory), as lld does;
 * lld's order where an archive member is loaded in the middle of an
 * object's symbols (linkfs loads members after the inputs).
 */
#include <stdlib.h>
#include <string.h>

#include "../base/macho.h"
#include "../input/dwarf_cu.h"
#include "ctx.h"
#include "debugmap.h"

struct debug_map {
	const char **src;        /* per c->files index: N_SO text, or NULL */
	size_t nfiles;
};

void debugmap_release(struct link_ctx *c)
{
	if (!c->debug_map)
		return;
	free(c->debug_map->src);
	free(c->debug_map);
	c->debug_map = NULL;
}

/* lld's sys::path::is_absolute in the POSIX or the Windows style. */
static int path_absolute(const char *p)
{
	if (p[0] == '/')
		return 1;
	/* p[1] == ':' first: p[2] is then inside the string */
	if (((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':' &&
	    (p[2] == '\\' || p[2] == '/'))
		return 1;   /* C:\ or C:/ */
	if (p[0] == '\\' && p[1] == '\\' && p[2] && p[2] != '\\') {
		const char *q = p + 2; /* \\net\ */
		while (*q && *q != '\\' && *q != '/')
			q++;
		return *q != 0;
	}
	return 0;
}

/* Appends the N_SO text of a unit to b: the name if absolute, else
 * "dir/name" (lld's ObjFile::sourceFile). */
static void source_path(struct buf *b, const struct dwarf_cu_names *u)
{
	const char *name = u->name ? u->name : "";
	if (!path_absolute(name)) {
		const char *dir = u->comp_dir ? u->comp_dir : "";
		size_t nd = strlen(dir);
		buf_append(b, dir, nd);
		if (!(nd && dir[nd - 1] == '/'))
			buf_u8(b, '/');
	}
	buf_append(b, name, strlen(name) + 1);
}

int debugmap_source(const struct obj_file *o, struct buf *b)
{
	struct dwarf_sections ds;
	memset(&ds, 0, sizeof ds);
	static const char *const names[] = {
		"__debug_info", "__debug_abbrev", "__debug_str",
		"__debug_str_offs", "__debug_line_str",
	};
	const uint8_t **p[] = { &ds.info, &ds.abbrev, &ds.str, &ds.str_offsets,
				&ds.line_str };
	size_t *sz[] = { &ds.info_size, &ds.abbrev_size, &ds.str_size,
			 &ds.str_offsets_size, &ds.line_str_size };
	for (uint32_t si = 0; si < o->nsections; si++) {
		const struct obj_section *s = &o->sections[si];
		if (section_fate(s) != SECT_DEBUG || !s->data || !s->size)
			continue;
		for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
			if (!strcmp(s->sectname, names[k]) && !*p[k]) {
				*p[k] = s->data;
				*sz[k] = (size_t)s->size;
			}
		}
	}
	if (!ds.info)
		return 0;   /* no debug info: no stabs */
	struct dwarf_cu_names u;
	const char *why = NULL;
	char why_buf[64];
	if (dwarf_cu_names(&ds, &u, &why, why_buf, sizeof why_buf)) {
		why = why ? why : "malformed";
		buf_append(b, why, strlen(why) + 1);
		return 2;
	}
	source_path(b, &u);
	return 1;
}

int debugmap_read(struct link_ctx *c)
{
	if (c->opt->strip_debug || c->debug_map)
		return 0;
	struct debug_map *m = NULL;
	struct buf b;
	buf_init(&b);
	int rc = 0;
	for (size_t fi = 0; fi < c->nfiles && !rc; fi++) {
		const struct input_file *f = c->files[fi];
		b.len = 0;
		int k = debugmap_source(&f->obj, &b);
		if (k == 0)
			continue;
		if (!m) {
			m = calloc(1, sizeof *m);
			if (m)
				m->src = calloc(c->nfiles + 1, sizeof *m->src);
			if (!m || !m->src) {
				free(m);
				rc = diag_error(c->diag, "out of memory");
				break;
			}
			m->nfiles = c->nfiles;
			c->debug_map = m;
		}
		if (buf_failed(&b)) {
			rc = diag_error(c->diag, "out of memory");
		} else if (k == 2) {
			diag_warn(c->diag, "'%s': __debug_info: %s; no debug map entries for it",
				  f->name, (const char *)b.data);
		} else {
			m->src[fi] = arena_strdup(&c->arena, (const char *)b.data);
			if (!m->src[fi])
				rc = diag_error(c->diag, "out of memory");
		}
	}
	buf_release(&b);
	return rc;
}

/* --- the order lld's symbol table saw the globals in --- */

/* An open-addressing map from a symbol to its rank (UINT32_MAX: unseen). */
struct rank_map {
	const struct symbol **key;
	uint32_t *rank;
	size_t cap;
};

static size_t rank_slot(const struct rank_map *m, const struct symbol *s)
{
	uint64_t h = (uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ull;
	size_t j = (size_t)(h >> 17) & (m->cap - 1);
	while (m->key[j] && m->key[j] != s)
		j = (j + 1) & (m->cap - 1);
	return j;
}

/* One nlist entry of an object in the order lld creates its symbols. */
struct ord {
	uint32_t k;              /* nlist index */
	uint32_t group;          /* 0 common/absolute, 1 in a section, 2 other */
	uint32_t sect;           /* group 1: 0-based input section */
	uint32_t weak;           /* a weak global (after others at its address) */
	uint64_t off;            /* group 1: offset in the section */
};

static int by_ord(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->group == 1) {
		if (x->sect != y->sect)
			return x->sect < y->sect ? -1 : 1;
		if (x->off != y->off)
			return x->off < y->off ? -1 : 1;
		if (x->weak != y->weak)
			return x->weak < y->weak ? -1 : 1;
	}
	return x->k < y->k ? -1 : x->k > y->k;
}

/* f's nlist entries in lld's creation order (v has room for nsymbols);
 * returns how many. */
static size_t file_order(const struct input_file *f, struct ord *v)
{
	size_t n = 0;
	for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
		const struct symbol *s = f->syms[k];
		if (!s)
			continue;
		struct ord *o = &v[n++];
		memset(o, 0, sizeof *o);
		o->k = k;
		o->group = 2;
		if (s->file != f)
			continue;
		if (s->kind == SYM_ABS ||
		    (s->kind == SYM_DEFINED && s->atom->sect == UINT32_MAX)) {
			o->group = 0;
		} else if (s->kind == SYM_DEFINED && s->atom->file == f &&
			   s->atom->sect < f->obj.nsections) {
			o->group = 1;
			o->sect = s->atom->sect;
			o->off = s->atom->off + s->atom_off;
			o->weak = s->is_global && s->weak_def;
		}
	}
	qsort(v, n, sizeof *v, by_ord);
	return n;
}

/* lld's isCodeSection, of the input section s was defined in. */
static int in_code(const struct input_file *f, const struct symbol *s)
{
	if (s->atom->sect >= f->obj.nsections)
		return 0;   /* a common */
	const struct obj_section *sec = &f->obj.sections[s->atom->sect];
	uint32_t type = sec->flags & SECTION_TYPE;
	if (type != S_REGULAR && type != S_COALESCED)
		return 0;
	if ((sec->flags & 0xff000000u) == S_ATTR_PURE_INSTRUCTIONS)
		return 1;
	return !strcmp(sec->segname, "__TEXT") &&
	       (!strcmp(sec->sectname, "__textcoal_nt") ||
		!strcmp(sec->sectname, "__StaticInit"));
}

/* A global of f that gets a stab: defined there, in the symbol table. */
static int stab_global(const struct input_file *f, const struct symbol *s)
{
	return s && s->is_global && s->file == f && s->kind == SYM_DEFINED &&
	       (linkedit_exports(s) ||
		(s->private_extern && linkedit_keeps_local(s)));
}

struct glob {
	uint32_t rank, k;
	const struct symbol *s;
	int pext;
};

static int by_rank(const void *a, const void *b)
{
	const struct glob *x = a, *y = b;
	if (x->pext != y->pext)
		return x->pext ? -1 : 1;   /* private externs are locals */
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

struct stab_out {
	struct stab *v;
	size_t n, cap;
};

static int push(struct stab_out *o, const char *str, uint8_t type, uint8_t sect,
		uint16_t desc, uint64_t value)
{
	if (huge_grow((void **)&o->v, &o->cap, o->n + 1, sizeof *o->v))
		return -1;
	struct stab *e = &o->v[o->n++];
	e->str = str;
	e->type = type;
	e->sect = sect;
	e->desc = desc;
	e->value = value;
	return 0;
}

/* The stabs of one defined symbol (size: its N_FUN size). */
static int push_symbol(struct link_ctx *c, struct stab_out *o,
		       const struct input_file *f, const struct symbol *s,
		       uint64_t size)
{
	uint8_t sect = (uint8_t)(atom_placed(s->atom)->osec->index + 1);
	uint64_t value = symbol_addr(c, s);
	if (in_code(f, s))
		return push(o, s->name, N_FUN, sect, 0, value) |
		       push(o, "", N_FUN, 0, 0, size);
	return push(o, s->name, s->is_global ? N_GSYM : N_STSYM, sect, 0, value);
}

/* Appends the stabs of debug file f; sz and ord have room for its
 * nsymbols, g for its globals. */
static int file_stabs(struct link_ctx *c, struct stab_out *o, size_t fi,
		      const struct rank_map *rm, struct ord *ord, uint64_t *sz,
		      struct glob *g)
{
	const struct input_file *f = c->files[fi];
	size_t n = file_order(f, ord);
	memset(sz, 0, f->obj.nsymbols * sizeof *sz);
	for (size_t i = 0; i < n; i++) {
		const struct ord *x = &ord[i];
		if (x->group != 1)
			continue;
		uint64_t end = f->obj.sections[x->sect].size;
		if (i + 1 < n && ord[i + 1].group == 1 && ord[i + 1].sect == x->sect)
			end = ord[i + 1].off;
		sz[x->k] = end >= x->off ? end - x->off : 0;
	}
	size_t ng = 0;
	for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
		const struct symbol *s = f->syms[k];
		if (!stab_global(f, s))
			continue;
		g[ng].s = s;
		g[ng].k = k;
		g[ng].pext = !linkedit_exports(s);
		g[ng].rank = rm->rank[rank_slot(rm, s)];
		ng++;
	}
	qsort(g, ng, sizeof *g, by_rank);
	size_t start = o->n;
	uint8_t subtype = (uint8_t)c->ops->cpusubtype;
	const char *oso = f->name;
	if (c->opt->oso_dir && *c->opt->oso_dir && f->name[0] != '/') {
		size_t dl = strlen(c->opt->oso_dir), nl = strlen(f->name);
		char *p = arena_alloc(&c->arena, dl + nl + 2);
		if (!p)
			return -1;
		memcpy(p, c->opt->oso_dir, dl);
		p[dl] = '/';
		memcpy(p + dl + 1, f->name, nl + 1);
		oso = p;
	}
	if (push(o, c->debug_map->src[fi], N_SO, 0, 0, 0) ||
	    push(o, oso, N_OSO, subtype, 1, 0))
		return -1;
	size_t head = o->n;
	for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
		const struct symbol *s = f->syms[k];
		if (!s || s->is_global || s->file != f || s->kind != SYM_DEFINED ||
		    !linkedit_keeps_local(s))
			continue;
		if (push_symbol(c, o, f, s, sz[k]))
			return -1;
	}
	for (size_t i = 0; i < ng; i++) {
		if (i && g[i].s == g[i - 1].s)
			continue;   /* named twice in the nlist */
		if (push_symbol(c, o, f, g[i].s, sz[g[i].k]))
			return -1;
	}
	if (o->n == head) {   /* nothing of it is in the symbol table */
		o->n = start;
		return 0;
	}
	return push(o, "", N_SO, 1, 0, 0);
}

int debugmap_stabs(struct link_ctx *c, struct stab **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const struct debug_map *m = c->debug_map;
	if (!m)
		return 0;
	size_t last = 0, nglob = 0, maxsyms = 0;
	int any = 0;
	for (size_t fi = 0; fi < m->nfiles && fi < c->nfiles; fi++) {
		const struct input_file *f = c->files[fi];
		if (f->obj.nsymbols > maxsyms)
			maxsyms = f->obj.nsymbols;
		if (!m->src[fi])
			continue;
		any = 1;
		last = fi;
		for (uint32_t k = 0; k < f->obj.nsymbols; k++)
			nglob += stab_global(f, f->syms[k]);
	}
	if (!any)
		return 0;
	struct rank_map rm = { NULL, NULL, 16 };
	while (rm.cap < 2 * nglob + 2)
		rm.cap *= 2;
	rm.key = calloc(rm.cap, sizeof *rm.key);
	rm.rank = malloc(rm.cap * sizeof *rm.rank);
	struct ord *ord = malloc((maxsyms + 1) * sizeof *ord);
	uint64_t *sz = calloc(maxsyms + 1, sizeof *sz);
	struct glob *g = malloc((maxsyms + 1) * sizeof *g);
	struct stab_out o = { NULL, 0, 0 };
	int rc = -1;
	if (!rm.key || !rm.rank || !ord || !sz || !g)
		goto done;
	for (size_t fi = 0; fi <= last; fi++) {
		const struct input_file *f = c->files[fi];
		if (!m->src[fi])
			continue;
		for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
			const struct symbol *s = f->syms[k];
			if (!stab_global(f, s))
				continue;
			size_t j = rank_slot(&rm, s);
			rm.key[j] = s;
			rm.rank[j] = UINT32_MAX;
		}
	}
	/* the order first seen: the entry symbol, then object by object */
	uint32_t next = 0;
	if (c->entry) {
		size_t j = rank_slot(&rm, c->entry);
		if (rm.key[j])
			rm.rank[j] = next++;
	}
	for (size_t fi = 0; fi <= last; fi++) {
		const struct input_file *f = c->files[fi];
		size_t no = file_order(f, ord);
		for (size_t i = 0; i < no; i++) {
			const struct symbol *s = f->syms[ord[i].k];
			if (!s->is_global)
				continue;
			size_t j = rank_slot(&rm, s);
			if (rm.key[j] && rm.rank[j] == UINT32_MAX)
				rm.rank[j] = next++;
		}
	}
	for (size_t fi = 0; fi <= last; fi++)
		if (m->src[fi] && file_stabs(c, &o, fi, &rm, ord, sz, g))
			goto done;
	rc = 0;
done:
	free(rm.key);
	free(rm.rank);
	free(ord);
	free(sz);
	free(g);
	if (rc) {
		free(o.v);
		return -1;
	}
	*out = o.v;
	*n = o.n;
	return 0;
}
