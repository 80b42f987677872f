/*
 * load.c - brings one object into the link, in two steps, so that the
 * first can run for many objects at once (resolve.c runs it with
 * par_for, one object per item):
 *
 *   load_prep (any thread): obj_parse (or the caller's parse of the
 *   object, link_input.parsed), the architecture check,
 *   atoms_split, the local symbols, and for every external symbol the
 *   hash of its name and the atom it lies in. It touches only its own
 *   object, allocates from the worker's arena and reports into the
 *   object's own diag.
 *
 *   load_add (the link's thread, input order): adds the file.
 *
 *   load_resolve_shard: resolves the externals whose names fall in one
 *   shard of the global table: strong over weak, definitions over commons
 *   (the largest common wins), objects over dylibs. A name lives in
 *   exactly one shard, so shards run on different threads, each over
 *   every object in input order (resolve.c); literals are merged, in
 *   input order, by another task at the same time.
 *
 *   load_finish (the link's thread, input order): the object's messages,
 *   parse errors first, then its duplicate definitions in nlist order.
 *
 * Everything that depends on order (the first literal wins, the first
 * referrer of an undefined symbol, duplicate reports, which symbol names
 * an atom in the map) follows input order within its shard or task, so
 * the link does not depend on the number of threads.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/macho.h"
#include "ctx.h"

/* One external nlist entry, as load_prep leaves it for the shards:
 * l->ext holds them grouped by shard, each group in nlist order. */
struct load_ext {
	uint64_t hash;           /* symtab_hash of the name */
	struct atom *atom;       /* N_SECT: its atom; NULL otherwise */
	uint64_t off;            /* its offset in the atom */
	uint32_t sym;            /* nlist index */
	uint8_t names_atom;      /* first named symbol at offset 0 of atom */
	uint8_t tlv;             /* its atom is thread-local variables */
};

/* Sets l->ext to ext[0..l->next) ordered by shard, keeping nlist order
 * in each, in arena `ar` (released with the nlist arrays, after the
 * check). */
static int group_by_shard(struct obj_load *l, const struct load_ext *ext,
			  struct arena *ar)
{
	struct load_ext *v = arena_alloc(ar, (l->next + 1) * sizeof *v);
	if (!v)
		return -1;
	uint32_t at[SYMTAB_SHARDS + 1] = { 0 };
	for (size_t i = 0; i < l->next; i++)
		at[symtab_shard(ext[i].hash) + 1]++;
	for (int k = 0; k < SYMTAB_SHARDS; k++) {
		at[k + 1] += at[k];
		l->shard_start[k] = at[k];
	}
	l->shard_start[SYMTAB_SHARDS] = (uint32_t)l->next;
	for (size_t i = 0; i < l->next; i++)
		v[at[symtab_shard(ext[i].hash)]++] = ext[i];
	l->ext = v;
	return 0;
}

static const char *arch_name(enum link_arch a)
{
	return a == ARCH_X86_64 ? "x86_64" : a == ARCH_ARM64 ? "arm64" : "unknown";
}

/* The atom of N_SECT symbol ns and its offset in it; NULL (f->syms[i]
 * stays NULL) when the section is dropped. */
static struct atom *symbol_atom(struct input_file *f, const struct obj_symbol *ns,
				uint64_t *off)
{
	uint32_t si = ns->sect - 1u;
	if (!f->sect_kept[si])
		return NULL;
	uint64_t soff = ns->value - f->obj.sections[si].addr;
	struct atom *a = atom_at(f, si, soff);
	*off = a ? soff - a->off : 0;
	return a;
}

/*
 * Creates the local symbols and prepares the externals. An atom is named
 * (for the map) by the first symbol at its offset 0 in nlist order: a
 * local with a name, or any external; `claimed` tracks that per atom.
 */
static int prep_symbols(struct obj_load *l, struct arena *ar,
			struct arena *ext_ar)
{
	struct input_file *f = l->f;
	const struct obj_file *o = &f->obj;
	f->syms = arena_alloc(ar, (o->nsymbols + 1) * sizeof *f->syms);
	struct load_ext *exts = malloc((o->nsymbols + 1) * sizeof *exts);
	size_t *base = malloc((o->nsections + 1) * sizeof *base);
	size_t natoms = 0;
	for (uint32_t si = 0; base && si < o->nsections; si++) {
		base[si] = natoms;
		natoms += f->natoms[si];
	}
	uint8_t *claimed = calloc(natoms + 1, 1);
	int rc = 0;
	if (!f->syms || !exts || !base || !claimed) {
		rc = diag_error(&l->diag, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < o->nsymbols; i++) {
		const struct obj_symbol *ns = &o->symbols[i];
		if (ns->type & N_STAB)
			continue;
		uint8_t type = ns->type & N_TYPE;
		int ext = (ns->type & N_EXT) != 0;
		struct atom *atom = NULL;
		uint64_t off = 0;
		if (type == N_SECT) {
			atom = symbol_atom(f, ns, &off);
			if (!atom) {
				if (f->sect_kept[ns->sect - 1u]) {
					rc = diag_error(&l->diag, "'%s': symbol %s has no atom",
							f->name, ns->name);
					goto out;
				}
				continue; /* symbol in a dropped section */
			}
		}
		uint8_t *cl = atom ? &claimed[base[atom->sect] +
					      (size_t)(atom - f->atoms[atom->sect])] : NULL;
		if (ext) {
			struct load_ext *e = &exts[l->next++];
			e->hash = symtab_hash(ns->name, ns->namelen);
			e->atom = atom;
			e->off = off;
			e->sym = i;
			e->names_atom = 0;
			e->tlv = atom && (o->sections[atom->sect].flags & SECTION_TYPE) ==
						 S_THREAD_LOCAL_VARIABLES;
			if (cl && !*cl && off == 0)
				e->names_atom = *cl = 1;
			continue;
		}
		struct symbol *s = arena_alloc(ar, sizeof *s);
		if (!s) {
			rc = diag_error(&l->diag, "out of memory");
			goto out;
		}
		s->name = ns->name;
		s->kind = type == N_SECT ? SYM_DEFINED :
			  type == N_ABS ? SYM_ABS : SYM_UNDEF;
		s->file = f;
		s->atom = atom;
		s->atom_off = off;
		s->value = type == N_ABS ? ns->value : 0;
		s->got = s->stub = s->tlvp = -1;
		s->tlv = atom && (o->sections[atom->sect].flags & SECTION_TYPE) ==
					 S_THREAD_LOCAL_VARIABLES;
		/* the arm64 assembler's ltmpN labels at each section's start
		 * name no atom: the function or datum there does (as in lld's
		 * map) */
		if (cl && !*cl && ns->name[0] && strncmp(ns->name, "ltmp", 4) && off == 0) {
			atom->sym = s;
			*cl = 1;
		}
		f->syms[i] = s;
	}
	if (group_by_shard(l, exts, ext_ar))
		rc = diag_error(&l->diag, "out of memory");
out:
	free(exts);
	free(base);
	free(claimed);
	return rc;
}

void load_prep(struct link_ctx *c, struct obj_load *l, int worker)
{
	struct arena *ar = worker_arena(c, worker);
	/* names and sections are copied into the worker's arena: the inputs
	 * may be released before __LINKEDIT (link_options.inputs_done). A
	 * caller's parse (link_input.parsed) is read in place instead: its
	 * owner keeps it and the bytes until the link's work is done. */
	struct obj_alloc al = { &c->nlist_arena[worker], &c->reloc_arena[worker],
				ar };
	diag_init(&l->diag);
	struct input_file *f = arena_alloc(ar, sizeof *f);
	if (!f) {
		l->failed = 1;
		diag_error(&l->diag, "out of memory");
		return;
	}
	f->name = l->name;
	f->input = l->input;
	l->f = f;
	if (l->parsed_in && l->parsed_in->data == l->data &&
	    (!l->data || l->parsed_in->size == l->size)) {
		f->obj = *l->parsed_in;   /* read only, as the link's own */
		f->obj.name = l->name;
		f->obj.borrowed = 1;
	} else if (obj_parse_in(&f->obj, l->name, l->data, l->size, &l->diag,
				&al)) {
		l->failed = 1;
		return;
	}
	l->parsed = 1;
	if (f->obj.arch != c->arch) {
		l->failed = 1;
		diag_error(&l->diag, "'%s': architecture %s does not match the link (%s)",
			   l->name, arch_name(f->obj.arch), arch_name(c->arch));
		return;
	}
	if (atoms_split(f, ar, &l->diag) || prep_symbols(l, ar, al.symbols))
		l->failed = 1;
}

/* A duplicate definition: symbol s of load li (nlist index sym) and the
 * file that defined s first. */
struct load_dup {
	size_t li;
	uint32_t sym;
	const struct symbol *s;
	const struct input_file *prev;
};

/* The atom of a weak definition that lost to another one leaves the
 * output, with its unwind entries (as in lld), when the definition starts
 * it in an object cut by symbols; otherwise its atom holds more than the
 * definition and stays. */
static void coalesce(const struct input_file *f, struct atom *a, uint64_t off)
{
	if (!a || off != 0 || !(f->obj.flags & MH_SUBSECTIONS_VIA_SYMBOLS))
		return;
	__atomic_store_n(&a->coalesced, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&a->live, 0, __ATOMIC_RELAXED);
}

/* Resolution of one global definition against what the table holds:
 * 0, or 1 for a duplicate (the caller reports it). */
static int define_global(struct input_file *f, const struct obj_symbol *ns,
			 struct symbol *s, const struct load_ext *e)
{
	int is_abs = (ns->type & N_TYPE) == N_ABS;
	/* an absolute symbol is never weak (lld and ld64): two are a
	 * duplicate */
	int weak = (ns->desc & N_WEAK_DEF) != 0 && !is_abs;
	/* "can be hidden" (N_WEAK_DEF with N_WEAK_REF): clang's mark on inline
	 * functions and template instances; hidden unless another copy is
	 * visible (as lld and ld64) */
	int pext = (ns->type & N_PEXT) != 0;
	int autohide = weak && !pext && (ns->desc & N_WEAK_REF);
	int hidden = pext || autohide;
	switch (s->kind) {
	case SYM_DEFINED:
	case SYM_ABS:
	case SYM_SYNTHETIC:
		if (weak) { /* keep the existing definition */
			if (s->weak_def) {
				s->private_extern &= hidden;
				s->autohide = s->private_extern && (s->autohide || autohide);
				s->external = !s->private_extern;
				s->no_dead_strip |= (ns->desc & N_NO_DEAD_STRIP) != 0;
			}
			coalesce(f, e->atom, e->off);
			return 0;
		}
		if (!s->weak_def)
			return 1;
		/* a strong definition replaces a weak one */
		if (s->kind == SYM_DEFINED)
			coalesce(s->file, s->atom, s->atom_off);
		break;
	default:
		break; /* undefined, common, dylib: a definition wins */
	}
	s->kind = is_abs ? SYM_ABS : SYM_DEFINED;
	s->file = f;
	s->atom = e->atom;
	s->atom_off = e->off;
	s->value = is_abs ? ns->value : 0;
	s->weak_def = weak != 0;
	s->private_extern = hidden;
	s->autohide = autohide;
	s->external = !s->private_extern;
	s->no_dead_strip = (ns->desc & N_NO_DEAD_STRIP) != 0;
	s->alt_entry = (ns->desc & N_ALT_ENTRY) != 0;
	s->tlv = e->tlv;
	return 0;
}

static void add_common(struct input_file *f, const struct obj_symbol *ns,
		       struct symbol *s)
{
	uint32_t align = (ns->desc >> 8) & 0x0f;
	if (s->kind == SYM_DEFINED || s->kind == SYM_ABS)
		return;
	if (s->kind == SYM_COMMON) {
		/* the largest wins; of equal ones the last, as in lld */
		if (ns->value >= s->value) {
			s->value = ns->value;
			s->file = f;
		}
		if (align > s->common_align)
			s->common_align = (uint8_t)align;
		return;
	}
	s->kind = SYM_COMMON;
	s->file = f;
	s->value = ns->value;
	s->common_align = (uint8_t)align;
	s->private_extern = (ns->type & N_PEXT) != 0;
	s->external = !s->private_extern;
}

static void note_dup(struct load_dups *d, size_t li, uint32_t sym,
		     const struct symbol *s)
{
	if (huge_grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v)) {
		d->oom = 1;
		return;
	}
	d->v[d->n++] = (struct load_dup){ li, sym, s, s->file };
}

/* How many externals ahead load_resolve_shard starts loading the nlist
 * entry and the symbol table slot: enough to cover a miss to memory. */
enum { AHEAD = 8 };

void load_resolve_shard(struct link_ctx *c, struct obj_load *l, size_t li,
			unsigned shard, struct load_dups *dups)
{
	if (!l->added || l->failed)
		return;
	struct input_file *f = l->f;
	const struct obj_file *o = &f->obj;
	uint32_t end = l->shard_start[shard + 1];
	for (uint32_t k = l->shard_start[shard]; k < end; k++) {
		const struct load_ext *e = &l->ext[k];
		/* the loads of a later entry overlap this one's misses */
		if (k + AHEAD < end) {
			const struct load_ext *a = &l->ext[k + AHEAD];
			__builtin_prefetch(&o->symbols[a->sym]);
			symtab_prefetch(&c->symtab, a->hash);
		}
		uint32_t i = e->sym;
		const struct obj_symbol *ns = &o->symbols[i];
		struct symbol *s = symtab_intern_hashed(c, ns->name, ns->namelen, e->hash);
		if (!s) {
			dups->oom = 1;
			return;
		}
		f->syms[i] = s;
		if ((ns->type & N_TYPE) == N_UNDF) {
			if (ns->value)
				add_common(f, ns, s);
			else {
				if (s->kind == SYM_UNDEF && !s->file)
					s->file = f;
				/* weak only while every reference is (lld) */
				if (!(ns->desc & N_WEAK_REF))
					s->strong_ref = 1;
				s->weak_ref = !s->strong_ref;
			}
			continue;
		}
		if (define_global(f, ns, s, e))
			note_dup(dups, li, i, s);
		if (e->names_atom)
			e->atom->sym = s;
	}
}

static int add_file(struct link_ctx *c, struct input_file *f)
{
	if (huge_grow((void **)&c->files, &c->cap_files, c->nfiles + 1,
		     sizeof *c->files))
		return diag_error(c->diag, "out of memory");
	c->files[c->nfiles++] = f;
	f->map_index = (uint32_t)c->nfiles;
	return 0;
}

int load_add(struct link_ctx *c, struct obj_load *l)
{
	if (!l->parsed)
		return 0;
	if (add_file(c, l->f)) {
		obj_release(&l->f->obj);
		return -1;
	}
	l->added = 1;
	return 0;
}

int load_finish(struct link_ctx *c, struct obj_load *l, size_t li,
		struct load_dups dups[SYMTAB_SHARDS])
{
	diag_append(c->diag, &l->diag);
	diag_release(&l->diag);
	l->ext = NULL; /* in the nlist arena */
	int rc = l->added && !l->failed ? 0 : -1;
	for (;;) { /* this load's duplicates, merged from the shards by index */
		struct load_dups *best = NULL;
		for (int k = 0; k < SYMTAB_SHARDS; k++) {
			struct load_dups *d = &dups[k];
			if (d->next < d->n && d->v[d->next].li == li &&
			    (!best || d->v[d->next].sym < best->v[best->next].sym))
				best = d;
		}
		if (!best)
			break;
		const struct load_dup *u = &best->v[best->next++];
		rc = diag_error(c->diag, "duplicate symbol %s: defined in %s and %s",
				u->s->name, u->prev ? u->prev->name : "<linker>",
				l->f->name);
	}
	return rc;
}

void load_dups_release(struct load_dups dups[SYMTAB_SHARDS])
{
	for (int k = 0; k < SYMTAB_SHARDS; k++) {
		free(dups[k].v);
		memset(&dups[k], 0, sizeof dups[k]);
	}
}

int load_object(struct link_ctx *c, const char *name, const uint8_t *data,
		size_t size)
{
	struct obj_load l;
	memset(&l, 0, sizeof l);
	l.name = name;
	l.data = data;
	l.size = size;
	return load_one_object(c, &l);
}

int load_one_object(struct link_ctx *c, struct obj_load *lp)
{
	struct obj_load l = *lp;
	load_prep(c, &l, 0);
	struct load_dups dups[SYMTAB_SHARDS];
	memset(dups, 0, sizeof dups);
	int rc = load_add(c, &l);
	if (!rc && l.added && !l.failed) {
		for (unsigned k = 0; k < SYMTAB_SHARDS; k++)
			load_resolve_shard(c, &l, 0, k, &dups[k]);
		rc = atoms_merge_literals(c, l.f, c->diag);
	}
	int oom = 0;
	for (int k = 0; k < SYMTAB_SHARDS; k++)
		oom |= dups[k].oom;
	rc |= load_finish(c, &l, 0, dups);
	load_dups_release(dups);
	if (oom)
		rc = diag_error(c->diag, "out of memory");
	return rc;
}
