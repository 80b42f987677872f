/*
 * thunks.c - branch-range thunks. An arm64 bl reaches +-128 MiB; a
 * __text larger than that may call what lies beyond. Then __text is cut
 * into chunks of at most ISLAND_SPACING bytes and an island (a synthetic
 * atom) follows each chunk. A call from a chunk to a target out of reach
 * goes to a thunk in its chunk's island instead, which reaches any
 * address in +-4 GiB (the architecture's write_thunk: adrp x16; add x16;
 * br x16). An island is at most ISLAND_SPACING plus the islands before it
 * away from any call it serves, well inside the range.
 *
 * Planning is iterative: inserting islands moves everything after them,
 * so after each pass every call is checked again and a call newly out of
 * reach gets its thunk, until nothing changes. The common case costs
 * nothing: when the whole __TEXT segment is within range, no call can be
 * out of it and no island is made.
 *
 * Leaves out: thunks for calls from sections other than __TEXT,__text
 * (their calls are range-checked and reported), and for section-relative
 * branches (clang emits branches against symbols).
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "ctx.h"

enum { ISLAND_SPACING = 64u << 20, MAX_PASSES = 8 };

/* A thunk's target, and the thunk's place in its island. */
struct thunk_key {
	const struct symbol *s;
	size_t index;
};

struct thunk_island {
	struct atom *atom;       /* placed in __text after its chunk */
	uint64_t chunk_start;    /* the first call address it serves */
	struct symbol **syms;    /* one thunk each, in the order calls
				    first needed them (input order: the
				    same for any thread count) */
	struct thunk_key *keys;  /* the same, sorted by pointer, to find */
	size_t n, cap;
};

struct thunk_plan {
	struct thunk_island *v;
	size_t n;
};

static int cmp_key(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct thunk_key *)a)->s;
	uintptr_t y = (uintptr_t)((const struct thunk_key *)b)->s;
	return x < y ? -1 : x > y;
}

static const struct thunk_key *island_find(const struct thunk_island *is,
					   const struct symbol *s)
{
	struct thunk_key k = { s, 0 };
	return is->n ? bsearch(&k, is->keys, is->n, sizeof *is->keys, cmp_key) : NULL;
}

/* The island serving a call at address p (islands are in address order). */
static struct thunk_island *island_for(const struct thunk_plan *pl, uint64_t p)
{
	size_t lo = 0, hi = pl->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pl->v[mid].atom->addr + pl->v[mid].atom->size <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pl->n ? &pl->v[lo] : NULL;
}

static uint64_t call_target(const struct link_ctx *c, const struct symbol *s)
{
	return s->stub >= 0 ? stub_addr(c, (size_t)s->stub) : symbol_addr(c, s);
}

static int in_range(const struct link_ctx *c, uint64_t p, uint64_t t)
{
	int64_t d = (int64_t)(t - p);
	int64_t r = (int64_t)c->ops->branch_range;
	return d >= -r && d < r;
}

/* Calls fn for every extern branch in a live atom of __text. */
static int each_call(struct link_ctx *c,
		     int (*fn)(struct link_ctx *c, void *arg, uint64_t p, struct symbol *s),
		     void *arg)
{
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			const struct obj_section *sec = &f->obj.sections[si];
			if (!f->sect_kept[si] || !sec->nrelocs)
				continue;
			const struct obj_reloc *rel = f->obj.relocs + sec->reloc_first;
			for (uint32_t i = 0; i < sec->nrelocs; i++) {
				const struct reloc_type_info *ri = reloc_info(c->arch, rel[i].type);
				if (!ri || !(ri->attrs & RA_BRANCH) || !rel[i].is_extern)
					continue;
				struct atom *a = atom_at(f, si, rel[i].offset);
				struct symbol *s = f->syms[rel[i].symbolnum];
				if (!a || !a->live || a->dup || !s || a->osec != c->text)
					continue;
				if (fn(c, arg, a->addr + (rel[i].offset - a->off), s))
					return -1;
			}
		}
	}
	return 0;
}

/* The plan being made, and whether a pass added a thunk. */
struct plan_more {
	struct thunk_plan pl;
	int changed;
};

static int count_far(struct link_ctx *c, void *arg, uint64_t p, struct symbol *s)
{
	*(size_t *)arg += !in_range(c, p, call_target(c, s));
	return 0;
}

/* Adds a thunk for a call out of reach that has none yet. */
static int add_needed(struct link_ctx *c, void *arg, uint64_t p, struct symbol *s)
{
	struct plan_more *pm = arg;
	struct thunk_plan *pl = &pm->pl;
	if (in_range(c, p, call_target(c, s)))
		return 0;
	struct thunk_island *is = island_for(pl, p);
	if (!is || island_find(is, s))
		return 0;
	size_t cap = is->cap;
	if (huge_grow((void **)&is->syms, &cap, is->n + 1, sizeof *is->syms) ||
	    huge_grow((void **)&is->keys, &is->cap, is->n + 1, sizeof *is->keys))
		return diag_error(c->diag, "out of memory");
	is->keys[is->n].s = s;
	is->keys[is->n].index = is->n;
	is->syms[is->n++] = s;
	qsort(is->keys, is->n, sizeof *is->keys, cmp_key);
	is->atom->size = (uint64_t)c->ops->thunk_size * is->n;
	pm->changed = 1;
	return 0;
}

/* Puts an empty island after atom `after` of __text, serving the calls
 * from chunk_start on. */
static int add_island(struct link_ctx *c, struct thunk_plan *pl, size_t cap,
		      struct atom *after, uint64_t chunk_start)
{
	struct out_section *o = c->text;
	if (pl->n == cap)
		return diag_error(c->diag, "internal error: too many thunk islands");
	struct atom *is = arena_alloc(&c->arena, sizeof *is);
	if (!is)
		return diag_error(c->diag, "out of memory");
	is->align = 2;
	is->live = 1;
	is->sect = UINT32_MAX;
	is->osec = o;
	is->next_in_osec = after->next_in_osec;
	after->next_in_osec = is;
	if (o->last == after)
		o->last = is;
	o->natoms++;
	pl->v[pl->n].atom = is;
	pl->v[pl->n].chunk_start = chunk_start;
	pl->n++;
	return 0;
}

/* Cuts __text into chunks of at most ISLAND_SPACING bytes (an atom
 * larger than that is a chunk of its own) and puts an empty island after
 * each. */
static int make_islands(struct link_ctx *c, struct thunk_plan *pl)
{
	struct out_section *o = c->text;
	size_t cap = 2 * (size_t)(o->size / ISLAND_SPACING) + 2;
	pl->v = calloc(cap, sizeof *pl->v);
	if (!pl->v)
		return diag_error(c->diag, "out of memory");
	uint64_t chunk_start = o->first ? o->first->addr : o->addr;
	struct atom *prev = NULL;
	for (struct atom *a = o->first; a; prev = a, a = a->next_in_osec) {
		if (prev && a->addr + a->size - chunk_start > ISLAND_SPACING) {
			if (add_island(c, pl, cap, prev, chunk_start))
				return -1;
			chunk_start = a->addr;
		}
	}
	return prev ? add_island(c, pl, cap, prev, chunk_start) : 0;
}

static void thunks_release_plan(struct thunk_plan *pl)
{
	for (size_t k = 0; k < pl->n; k++) {
		free(pl->v[k].syms);
		free(pl->v[k].keys);
	}
	free(pl->v);
}

int thunks_plan(struct link_ctx *c)
{
	if (!c->ops->branch_range || !c->text)
		return 0;
	const struct out_segment *text = &c->segs[c->text->seg];
	if (text->vmsize < c->ops->branch_range)
		return 0;
	size_t far = 0;
	if (each_call(c, count_far, &far))
		return -1;
	if (!far)
		return 0;
	struct plan_more pm = { { NULL, 0 }, 0 };
	int rc = make_islands(c, &pm.pl);
	if (!rc)
		assign_addresses(c);
	for (int pass = 0; !rc; pass++) {
		pm.changed = 0;
		rc = each_call(c, add_needed, &pm);
		if (rc || !pm.changed)
			break;
		if (pass == MAX_PASSES)
			rc = diag_error(c->diag, "internal error: thunk placement does not settle");
		else
			assign_addresses(c);
	}
	/* the link's to free (thunks_release), whatever happened */
	c->thunks = malloc(sizeof pm.pl);
	if (!c->thunks) {
		thunks_release_plan(&pm.pl);
		return diag_error(c->diag, "out of memory");
	}
	*c->thunks = pm.pl;
	return rc;
}

int thunk_for(const struct link_ctx *c, uint64_t p, const struct symbol *s, uint64_t *out)
{
	if (!c->thunks)
		return -1;
	const struct thunk_island *is = island_for(c->thunks, p);
	if (!is || !is->n)
		return -1;
	const struct thunk_key *hit = island_find(is, s);
	if (!hit)
		return -1;
	*out = is->atom->addr + (uint64_t)c->ops->thunk_size * hit->index;
	return 0;
}

int thunks_write(struct link_ctx *c)
{
	if (!c->thunks)
		return 0;
	for (size_t k = 0; k < c->thunks->n; k++) {
		const struct thunk_island *is = &c->thunks->v[k];
		for (size_t i = 0; i < is->n; i++) {
			uint64_t at = is->atom->addr + (uint64_t)c->ops->thunk_size * i;
			c->ops->write_thunk(out_at(c, c->text, at), at, call_target(c, is->syms[i]));
		}
	}
	return 0;
}

void thunks_release(struct link_ctx *c)
{
	if (!c->thunks)
		return;
	thunks_release_plan(c->thunks);
	free(c->thunks);
	c->thunks = NULL;
}
