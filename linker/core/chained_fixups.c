/*
 * chained_fixups.c - turns the link's fixups into LC_DYLD_CHAINED_FIXUPS
 * (dyld/chained.c encodes) when the output uses chained fixups.
 *
 * The fixups were recorded as for the opcode streams: a pointer to a
 * local target is a rebase, one to an import a bind, and an overridable
 * weak definition adds a weak bind. Under chains each place gets one
 * fixup: a bind when the symbol needs binding (an import, or a weak
 * definition coalesced at load time, which binds through the weak-lookup
 * ordinal as in lld), else a rebase to the address already written
 * there. There is no lazy binding (synth_stubs.c: stubs jump through
 * __got), so no lazy binds arrive here.
 *
 * Imports are numbered in the order their first fixup comes by address;
 * one import per (symbol, addend that does not fit the pointer).
 */
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "../dyld/chained.h"
#include "ctx.h"

#define BIND_SPECIAL_DYLIB_WEAK_LOOKUP (-3)

static int by_addr(const void *a, const void *b)
{
	const struct fixup *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* The imports, found by (symbol, addend) in an open-addressed table. */
struct import_table {
	struct chained_import *v;
	const struct symbol **sym;
	size_t n, cap;
	uint32_t *slot;          /* 1 + index; 0: empty */
	size_t nslots;
};

static size_t slot_of(const struct import_table *t, const struct symbol *s, int64_t addend)
{
	uint64_t h = ((uint64_t)(uintptr_t)s ^ (uint64_t)addend * 0x9e3779b97f4a7c15ull) *
		     0xbf58476d1ce4e5b9ull;
	size_t i = (size_t)(h >> 17) & (t->nslots - 1);
	while (t->slot[i]) {
		const struct chained_import *im = &t->v[t->slot[i] - 1];
		if (t->sym[t->slot[i] - 1] == s && im->addend == addend)
			break;
		i = (i + 1) & (t->nslots - 1);
	}
	return i;
}

static int32_t chained_ordinal(const struct symbol *s)
{
	if (s->weak_def)
		return BIND_SPECIAL_DYLIB_WEAK_LOOKUP;
	return bind_ordinal(s);
}

/* The index of (s, addend)'s import, adding it; -1 when out of memory. */
static long import_of(struct import_table *t, const struct symbol *s, int64_t addend)
{
	size_t i = slot_of(t, s, addend);
	if (t->slot[i])
		return t->slot[i] - 1;
	if (t->n == t->cap)
		return -1;   /* sized for every fixup: cannot happen */
	struct chained_import *im = &t->v[t->n];
	im->name = s->name;
	im->ordinal = chained_ordinal(s);
	im->weak_ref = s->weak_ref && s->kind == SYM_DYLIB;
	im->addend = addend;
	t->sym[t->n] = s;
	t->slot[i] = (uint32_t)++t->n;
	return (long)t->n - 1;
}

static uint8_t *pointer_at(void *arg, uint32_t seg, uint64_t off)
{
	struct link_ctx *c = arg;
	return c->out + c->segs[seg - c->pagezero].fileoff + off;
}

int build_chained_fixups(struct link_ctx *c, struct diag *d)
{
	size_t n = c->fixups.n;
	struct fixup *fx = c->fixups.v;
	if (n)
		qsort(fx, n, sizeof *fx, by_addr);
	size_t nslots = 16;
	while (nslots < 2 * n)
		nslots *= 2;
	struct import_table t = { calloc(n + 1, sizeof *t.v), calloc(n + 1, sizeof *t.sym), 0, n,
				  calloc(nslots, sizeof *t.slot), nslots };
	struct chained_fixup *cf = malloc((n + 1) * sizeof *cf);
	uint32_t nlc = (uint32_t)c->nsegs + c->pagezero + 1; /* and __LINKEDIT */
	struct chained_segment *segs = calloc(nlc, sizeof *segs);
	int rc = 0;
	if (!t.v || !t.sym || !t.slot || !cf || !segs) {
		rc = diag_error(d, "out of memory");
		goto out;
	}
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		const struct fixup *bind = NULL;
		for (; j < n && fx[j].addr == fx[i].addr; j++)
			if (fx[j].kind != FIX_REBASE && (!bind || fx[j].kind == FIX_BIND))
				bind = &fx[j];
		struct chained_fixup *f = &cf[k++];
		memset(f, 0, sizeof *f);
		int32_t seg = seg_of(c, fx[i].addr, &f->off);
		f->seg = seg < 0 ? 0 : (uint32_t)seg;
		if (seg < 0) {
			rc = diag_error(d, "internal error: a fixup at 0x%llx is in no segment",
					(unsigned long long)fx[i].addr);
			goto out;
		}
		if (bind) {
			long im = import_of(&t, bind->sym, chained_import_addend(bind->addend));
			if (im < 0) {
				rc = diag_error(d, "out of memory");
				goto out;
			}
			f->bind = 1;
			f->import = (uint32_t)im;
			f->addend = (uint8_t)(bind->addend - t.v[im].addend);
			if (t.v[im].ordinal == BIND_SPECIAL_DYLIB_WEAK_LOOKUP)
				c->binds_to_weak = 1;
		} else {
			f->target = rd64(pointer_at(c, f->seg, f->off));
		}
		i = j;
	}
	for (size_t g = 0; g < c->nsegs; g++) {
		segs[g + c->pagezero].vmoff = c->segs[g].vmaddr - c->base;
		segs[g + c->pagezero].vmsize = c->segs[g].vmsize;
	}
	char err[200];
	if (chained_encode(segs, nlc, (uint32_t)c->page_size, cf, k, t.v, t.n,
			   pointer_at, c, &c->chained_fixups, err, sizeof err))
		rc = diag_error(d, "chained fixups: %s", err);
	else if (buf_align(&c->chained_fixups, 8))
		rc = diag_error(d, "out of memory");
out:
	free(t.v);
	free(t.sym);
	free(t.slot);
	free(cf);
	free(segs);
	free(c->fixups.v);
	memset(&c->fixups, 0, sizeof c->fixups);
	return rc;
}
