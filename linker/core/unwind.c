/*
 * unwind.c - builds __TEXT,__unwind_info (version 1) from the objects'
 * compact unwind entries and kept FDEs (unwind_input.c read both), laid
 * out as lld does, for x86_64 and arm64 (the encodings are the
 * architecture's; what this file reads of them, the DWARF mode and the
 * mode whose runs are not folded, comes from arch.h).
 *
 * Two steps. Before layout, unwind_collect() takes every entry of a
 * function in the output as (atom, offset) with its encoding,
 * personality and LSDA; a function whose FDE __eh_frame keeps
 * (eh_frame.c) gets an entry in DWARF mode holding that FDE's offset.
 * Like lld, every code symbol without an entry gets an entry with
 * encoding 0, so the unwinder never lends a function the encoding of the
 * one before it. Personalities get GOT slots here. Addresses are not
 * known yet, so the section gets an upper bound of its size (as if
 * nothing were folded); the unused tail stays zero. After relocation,
 * unwind_write() turns the items into output addresses, sorts them, keeps
 * one per address, folds runs of the same encoding and personality
 * without LSDAs (not STACK_IND ones, as lld), numbers the personalities
 * (at most three) in address order, picks the 127 most frequent
 * encodings as the common ones, writes the LSDA array and fills 4 KiB
 * second-level pages: compressed (kind 3) when they hold at least as many
 * entries as a regular page would, regular (kind 2) otherwise. The index
 * ends with a sentinel at the end of the last function.
 *
 * Leaves out: -r (no __compact_unwind is ever written).
 */
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/hugepage.h"
#include "../base/macho.h"
#include "../base/radix.h"
#include "ctx.h"
#include "unwind_input.h"

#define UNWIND_MODE_MASK 0x0F000000u
#define UNWIND_PERSONALITY_MASK 0x30000000u
#define UNWIND_HAS_LSDA 0x40000000u
#define PAGE_BYTES 4096u
#define HEADER_SIZE 28u
#define INDEX_ENTRY_SIZE 12u
#define REGULAR_HEADER 8u
#define COMPRESSED_HEADER 12u
#define REGULAR_MAX ((PAGE_BYTES - REGULAR_HEADER) / 8u)  /* 511 */
#define COMMON_MAX 127u
#define ENCODINGS_MAX 256u
#define FUNC_OFFSET_MASK 0x00FFFFFFu
#define PERS_MAX 3u
#define PERS_SHIFT 28
#define LSDA_ENTRY_SIZE 8u

struct uw_item {
	struct atom *atom;       /* the function's atom and its offset in it */
	uint64_t off;
	uint64_t addr;           /* output address, after layout */
	struct symbol *pers;     /* personality function, or NULL */
	const struct atom *lsda; /* LSDA's atom and offset, or NULL */
	uint64_t lsda_off;
	uint32_t len;            /* function length; 0 for symbol items */
	uint32_t enc;
	uint8_t has_cu;          /* from a compact unwind entry or an FDE */
};

struct unwind_state {
	struct uw_item *items;
	size_t n;
	size_t cap_common;       /* bounds the size was computed with */
	size_t cap_pages;
	size_t cap_lsda;
	size_t cap_pers;         /* distinct personalities (at most 4 counted) */
	/* unwind_finalize's plan, which unwind_write writes */
	struct page *pages;      /* NULL until planned */
	size_t np, ncommon, npers, nlsda;
	uint32_t common[COMMON_MAX];
	struct symbol *pers[PERS_MAX];
	uint64_t end;            /* the end of the last function */
};

static int is_code_section(uint32_t flags)
{
	uint32_t t = flags & SECTION_TYPE;
	return (t == S_REGULAR || t == S_COALESCED) &&
	       (flags & 0xff000000u) == S_ATTR_PURE_INSTRUCTIONS;
}

static int fn_in_output(const struct atom *a)
{
	return a && a->live && !a->dup;
}

/* Writes f's entries into items (room for all of them): its compact
 * unwind entries, then, in DWARF mode, its functions whose FDE the
 * output keeps. Returns how many. */
static size_t read_entries(const struct link_ctx *c, const struct input_file *f,
			   struct uw_item *items)
{
	const struct unwind_file *u = f->unwind;
	size_t n = 0;
	for (uint32_t i = 0; i < u->ncu; i++) {
		const struct cu_entry *e = &u->cu[i];
		if (!fn_in_output(e->fn))
			continue;
		struct uw_item *it = &items[n++];
		memset(it, 0, sizeof *it);
		it->atom = e->fn;
		it->off = e->fn_off;
		it->len = e->len;
		it->enc = e->enc;
		it->pers = e->pers;
		it->lsda = e->lsda;
		it->lsda_off = e->lsda_off;
		it->has_cu = 1;
	}
	for (uint32_t i = 0; i < u->neh; i++) {
		const struct eh_record *x = &u->eh[i];
		if (x->is_cie || !x->kept)
			continue;
		struct uw_item *it = &items[n++];
		memset(it, 0, sizeof *it);
		it->atom = x->fn;
		it->off = x->fn_off;
		it->len = (uint32_t)x->pc_range;
		/* the unwinder searches on from this offset when it does
		 * not fit (lld writes 0, the section's start, then) */
		it->enc = c->ops->unwind_mode_dwarf |
			  (x->out_off <= FUNC_OFFSET_MASK ? x->out_off : 0);
		it->lsda = x->lsda;
		it->lsda_off = x->lsda_off;
		it->has_cu = 1;
	}
	return n;
}

/* One file's items: its compact unwind entries, then its code symbols,
 * written straight into the link's item array at offsets counted first. */
struct file_items {
	size_t cu_at, cu_room, ncu;  /* its entries: where, at most, written */
	size_t sym_at, nsym;         /* its code symbols: where, how many */
	struct diag diag;
};

struct collect_job {
	struct link_ctx *c;
	struct file_items *fi;
	struct uw_item *items;
};

/* A defined code symbol of f that gets an item of its own. */
static int code_symbol(const struct input_file *f, const struct symbol *s)
{
	return s && s->kind == SYM_DEFINED && s->file == f && s->atom &&
	       s->atom->file && s->atom->sect != UINT32_MAX && s->atom->live &&
	       !s->atom->dup && is_code_section(f->obj.sections[s->atom->sect].flags);
}

/* Counts file i's room for entries and its code symbols. */
static void count_file(void *arg, size_t i, int worker)
{
	struct collect_job *j = arg;
	struct input_file *f = j->c->files[i];
	struct file_items *r = &j->fi[i];
	(void)worker;
	diag_init(&r->diag);
	if (f->unwind)
		r->cu_room = f->unwind->ncu + f->unwind->neh;
	for (uint32_t k = 0; k < f->obj.nsymbols; k++)
		r->nsym += code_symbol(f, f->syms[k]);
}

/* Writes file i's items at its offsets. */
static void fill_file(void *arg, size_t i, int worker)
{
	struct collect_job *j = arg;
	struct input_file *f = j->c->files[i];
	struct file_items *r = &j->fi[i];
	(void)worker;
	if (f->unwind)
		r->ncu = read_entries(j->c, f, j->items + r->cu_at);
	struct uw_item *it = j->items + r->sym_at;
	for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
		struct symbol *s = f->syms[k];
		if (!code_symbol(f, s))
			continue;
		memset(it, 0, sizeof *it);
		it->atom = s->atom;
		it->off = s->atom_off;
		it++;
	}
}

/*
 * Collects every item: all files' compact unwind entries in input order,
 * then all files' code symbols. Files are counted, then read, on the
 * link's threads, each into its own part of one array; the parts are then
 * closed up where a file had fewer entries than room. Returns the items
 * (malloc'd; unwind_release frees them) and their count in *n, the number
 * of compact unwind entries in *ncu; NULL with *n = 0 when there are
 * none; NULL with an error in c->diag on failure.
 */
static struct uw_item *collect(struct link_ctx *c, size_t *n, size_t *ncu)
{
	*n = *ncu = 0;
	struct collect_job j = { c, calloc(c->nfiles + 1, sizeof *j.fi), NULL };
	if (!j.fi) {
		diag_error(c->diag, "out of memory");
		return NULL;
	}
	par_for(c->nthreads, c->nfiles, 0, count_file, &j);
	size_t room = 0, nsym = 0;
	for (size_t i = 0; i < c->nfiles; i++) {
		j.fi[i].cu_at = room;
		room += j.fi[i].cu_room;
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		j.fi[i].sym_at = room + nsym;
		nsym += j.fi[i].nsym;
	}
	int rc = 0;
	if (room) {
		j.items = huge_malloc((room + nsym) * sizeof *j.items);
		if (j.items)
			par_for(c->nthreads, c->nfiles, 0, fill_file, &j);
		else
			rc = diag_error(c->diag, "out of memory");
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		rc |= j.fi[i].diag.nerrors ? -1 : 0;
		diag_append(c->diag, &j.fi[i].diag);
		diag_release(&j.fi[i].diag);
		*ncu += j.fi[i].ncu;
	}
	struct uw_item *items = j.items;
	if (rc || !*ncu) {
		free(items);
		free(j.fi);
		*ncu = 0;
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < c->nfiles; i++) {
		if (k != j.fi[i].cu_at)
			memmove(items + k, items + j.fi[i].cu_at,
				j.fi[i].ncu * sizeof *items);
		k += j.fi[i].ncu;
	}
	if (k != room)
		memmove(items + k, items + room, nsym * sizeof *items);
	*n = k + nsym;
	free(j.fi);
	return items;
}

/* How many distinct (encoding, personality) pairs the items have,
 * counted up to `cap` + 1 (the common-encodings table holds at most
 * `cap`): each pair becomes one encoding once personalities are
 * numbered. */
static size_t distinct_encodings(const struct uw_item *items, size_t n, size_t cap)
{
	enum { SLOTS = 512 }; /* > 2 * (COMMON_MAX + 1) */
	uint32_t key[SLOTS];
	const struct symbol *kp[SLOTS];
	uint8_t used[SLOTS];
	memset(used, 0, sizeof used);
	size_t distinct = 0;
	for (size_t i = 0; i < n && distinct <= cap; i++) {
		uint32_t e = items[i].enc;
		const struct symbol *p = items[i].pers;
		size_t h = ((e ^ (uint32_t)((uintptr_t)p >> 4)) * 0x9e3779b1u) >> 23;
		while (used[h] && (key[h] != e || kp[h] != p))
			h = (h + 1) & (SLOTS - 1);
		if (!used[h]) {
			used[h] = 1;
			key[h] = e;
			kp[h] = p;
			distinct++;
		}
	}
	return distinct;
}

int unwind_collect(struct link_ctx *c, uint64_t *size)
{
	*size = 0;
	size_t n, ncu;
	unsigned errors = c->diag->nerrors;
	struct uw_item *items = collect(c, &n, &ncu);
	if (c->diag->nerrors != errors) {
		free(items);
		return -1;
	}
	if (ncu == 0)
		return 0; /* as lld: no entry at all, no section */
	struct unwind_state *u = arena_alloc(&c->arena, sizeof *u);
	if (!u) {
		free(items);
		return diag_error(c->diag, "out of memory");
	}
	/* personalities live in the GOT (lld numbers their slots here,
	 * after the relocations' ones) */
	size_t nlsda = 0, npers = 0;
	struct symbol *pers[PERS_MAX + 1];
	for (size_t i = 0; i < ncu; i++) {
		nlsda += items[i].lsda != NULL;
		struct symbol *p = items[i].pers;
		if (!p)
			continue;
		size_t k = 0;
		while (k < npers && pers[k] != p)
			k++;
		if (k == npers && npers <= PERS_MAX)
			pers[npers++] = p;
		if (got_add(c, p)) {
			free(items);
			return diag_error(c->diag, "out of memory");
		}
	}
	size_t distinct = distinct_encodings(items, n, COMMON_MAX);
	u->items = items;
	u->n = n;
	u->cap_common = distinct < COMMON_MAX ? distinct : COMMON_MAX;
	u->cap_pers = npers;
	/* every page but the last holds at least REGULAR_MAX entries */
	u->cap_pages = (n + REGULAR_MAX - 1) / REGULAR_MAX;
	u->cap_lsda = nlsda;
	c->unwind = u;
	*size = HEADER_SIZE + 4 * (uint64_t)u->cap_common + 4 * (uint64_t)npers +
		INDEX_ENTRY_SIZE * (uint64_t)(u->cap_pages + 1) +
		LSDA_ENTRY_SIZE * (uint64_t)nlsda +
		(uint64_t)PAGE_BYTES * u->cap_pages;
	return 0;
}

static uint64_t item_addr(const struct uw_item *it)
{
	const struct atom *a = it->atom->dup ? it->atom->canon : it->atom;
	return a->addr + it->off;
}

/*
 * Sorts the items by address, a compact unwind entry before a symbol at
 * the same address, and otherwise in collection order (the first item of
 * an address is the one kept): a stable radix sort of the keys
 * addr * 2 + (not from compact unwind), then the items put in that order.
 */
static int sort_items(struct uw_item *v, size_t n)
{
	if (n > UINT32_MAX)
		return -1;
	struct radix_item *k = huge_malloc(2 * n * sizeof *k);
	if (!k)
		return -1;
	for (size_t i = 0; i < n; i++) {
		v[i].addr = item_addr(&v[i]);
		k[i].key = v[i].addr << 1 | (v[i].has_cu ? 0u : 1u);
		k[i].index = (uint32_t)i;
	}
	radix_sort(k, k + n, n);
	int rc = radix_apply(v, sizeof *v, k, n);
	free(k);
	return rc;
}

struct enc_count {
	uint32_t enc;
	size_t count;
};

static int cmp_enc_count(const void *x, const void *y)
{
	const struct enc_count *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->enc > b->enc ? -1 : a->enc < b->enc; /* lld: encoding, descending */
}

struct page {
	size_t first, count;
	int compressed;
	uint32_t local[ENCODINGS_MAX];
	size_t nlocal;
};

/* Index of enc among the common encodings, or -1. */
static long find_enc(const uint32_t *v, size_t n, uint32_t enc)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == enc)
			return (long)i;
	return -1;
}

/* Splits the folded items v[0..n) into pages as lld does. */
static size_t make_pages(const struct uw_item *v, size_t n, const uint32_t *common,
			 size_t ncommon, struct page *pages, size_t cap_pages)
{
	size_t np = 0;
	for (size_t i = 0; i < n && np < cap_pages;) {
		struct page *p = &pages[np++];
		p->first = i;
		p->nlocal = 0;
		uint64_t max = v[i].addr + FUNC_OFFSET_MASK;
		size_t words = (PAGE_BYTES - COMPRESSED_HEADER) / 4, next = ncommon;
		while (words >= 1 && i < n) {
			if (v[i].addr >= max)
				break;
			if (find_enc(common, ncommon, v[i].enc) >= 0 ||
			    find_enc(p->local, p->nlocal, v[i].enc) >= 0) {
				i++;
				words--;
			} else if (words >= 2 && next < ENCODINGS_MAX) {
				p->local[p->nlocal++] = v[i].enc;
				next++;
				i++;
				words -= 2;
			} else {
				break;
			}
		}
		p->count = i - p->first;
		if (i < n && p->count < REGULAR_MAX) {
			p->compressed = 0;
			p->count = n - p->first < REGULAR_MAX ? n - p->first : REGULAR_MAX;
			i = p->first + p->count;
		} else {
			p->compressed = 1;
		}
	}
	return np;
}

static void write_page(uint8_t *w, const struct page *p, const struct uw_item *v,
		       const uint32_t *common, size_t ncommon, uint64_t base)
{
	if (!p->compressed) {
		wr32(w, 2); /* UNWIND_SECOND_LEVEL_REGULAR */
		wr16(w + 4, REGULAR_HEADER);
		wr16(w + 6, (uint16_t)p->count);
		for (size_t i = 0; i < p->count; i++) {
			const struct uw_item *it = &v[p->first + i];
			wr32(w + REGULAR_HEADER + 8 * i, (uint32_t)(it->addr - base));
			wr32(w + REGULAR_HEADER + 8 * i + 4, it->enc);
		}
		return;
	}
	uint64_t fbase = v[p->first].addr;
	wr32(w, 3); /* UNWIND_SECOND_LEVEL_COMPRESSED */
	wr16(w + 4, COMPRESSED_HEADER);
	wr16(w + 6, (uint16_t)p->count);
	wr16(w + 8, (uint16_t)(COMPRESSED_HEADER + 4 * p->count));
	wr16(w + 10, (uint16_t)p->nlocal);
	for (size_t i = 0; i < p->count; i++) {
		const struct uw_item *it = &v[p->first + i];
		long k = find_enc(common, ncommon, it->enc);
		if (k < 0)
			k = (long)ncommon + find_enc(p->local, p->nlocal, it->enc);
		wr32(w + COMPRESSED_HEADER + 4 * i,
		     (uint32_t)k << 24 | (uint32_t)(it->addr - fbase));
	}
	for (size_t i = 0; i < p->nlocal; i++)
		wr32(w + COMPRESSED_HEADER + 4 * p->count + 4 * i, p->local[i]);
}

void unwind_release(struct link_ctx *c)
{
	if (c->unwind) {
		free(c->unwind->items);
		free(c->unwind->pages);
		c->unwind->items = NULL;
		c->unwind->pages = NULL;
		c->unwind->n = 0;
	}
}

int unwind_finalize(struct link_ctx *c)
{
	struct unwind_state *u = c->unwind;
	struct out_section *o = c->unwind_info;
	if (!u || !o || u->pages)
		return 0;
	struct uw_item *v = u->items;
	size_t n = u->n;
	if (sort_items(v, n))
		return diag_error(c->diag, "out of memory");
	/* one item per address */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[i].addr != v[k - 1].addr)
			v[k++] = v[i];
	n = k;
	uint64_t end = v[n - 1].addr + v[n - 1].len;
	/* fold runs of one encoding and personality without LSDAs (an LSDA
	 * is read relative to its function's start) */
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && v[i].enc == v[k - 1].enc && v[i].pers == v[k - 1].pers &&
		    !v[i].lsda && !v[k - 1].lsda &&
		    (!c->ops->unwind_mode_nofold ||
		     (v[i].enc & UNWIND_MODE_MASK) != c->ops->unwind_mode_nofold))
			continue;
		v[k++] = v[i];
	}
	n = k;
	/* personalities: numbered from 1 in address order */
	struct symbol **pers = u->pers;
	size_t npers = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].pers)
			continue;
		size_t p = 0;
		while (p < npers && pers[p] != v[i].pers)
			p++;
		if (p == npers) {
			if (npers == PERS_MAX)
				return diag_error(c->diag, "too many personality functions (more than %u) for compact unwind to encode",
						  PERS_MAX);
			pers[npers++] = v[i].pers;
		}
		v[i].enc |= (uint32_t)(p + 1) << PERS_SHIFT;
	}

	struct enc_count *ec = calloc(n, sizeof *ec);
	struct page *pages = calloc(u->cap_pages, sizeof *pages);
	uint32_t *common = u->common;
	if (!ec || !pages) {
		free(ec);
		free(pages);
		return diag_error(c->diag, "out of memory");
	}
	size_t nec = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < nec && ec[j].enc != v[i].enc)
			j++;
		if (j == nec)
			ec[nec++].enc = v[i].enc;
		ec[j].count++;
	}
	qsort(ec, nec, sizeof *ec, cmp_enc_count);
	size_t ncommon = nec < COMMON_MAX ? nec : COMMON_MAX;
	for (size_t i = 0; i < ncommon; i++)
		common[i] = ec[i].enc;
	free(ec);
	size_t np = make_pages(v, n, common, ncommon, pages, u->cap_pages);
	if (ncommon > u->cap_common || np == 0 ||
	    pages[np - 1].first + pages[np - 1].count != n) {
		free(pages);
		return diag_error(c->diag, "__TEXT,__unwind_info does not fit the space reserved for it");
	}

	/* LSDA index: how many entries before item i have an LSDA */
	size_t nlsda = 0;
	for (size_t i = 0; i < n; i++)
		nlsda += v[i].lsda != NULL;
	if (nlsda > u->cap_lsda || npers > u->cap_pers) {
		free(pages);
		return diag_error(c->diag, "__TEXT,__unwind_info does not fit the space reserved for it");
	}
	u->n = n;
	u->end = end;
	u->npers = npers;
	u->ncommon = ncommon;
	u->pages = pages;
	u->np = np;
	u->nlsda = nlsda;
	/* the exact size, as lld's: only what follows __unwind_info moves */
	o->size = HEADER_SIZE + 4 * (uint64_t)ncommon + 4 * (uint64_t)npers +
		  INDEX_ENTRY_SIZE * (uint64_t)(np + 1) + LSDA_ENTRY_SIZE * (uint64_t)nlsda +
		  (uint64_t)PAGE_BYTES * np;
	return 0;
}

int unwind_write(struct link_ctx *c)
{
	struct unwind_state *u = c->unwind;
	struct out_section *o = c->unwind_info;
	if (!u || !o)
		return 0;
	if (unwind_finalize(c))
		return -1;
	const struct uw_item *v = u->items;
	size_t n = u->n, np = u->np, ncommon = u->ncommon, npers = u->npers;
	size_t nlsda = u->nlsda;
	const struct page *pages = u->pages;
	const uint32_t *common = u->common;
	struct symbol *const *pers = u->pers;
	uint64_t end = u->end;
	uint8_t *w = c->out + o->fileoff;
	uint32_t common_off = HEADER_SIZE;
	uint32_t pers_off = common_off + 4 * (uint32_t)ncommon;
	uint32_t index_off = pers_off + 4 * (uint32_t)npers;
	uint32_t lsda_off = index_off + INDEX_ENTRY_SIZE * (uint32_t)(np + 1);
	uint32_t pages_off = lsda_off + LSDA_ENTRY_SIZE * (uint32_t)nlsda;
	wr32(w, 1); /* UNWIND_SECTION_VERSION */
	wr32(w + 4, common_off);
	wr32(w + 8, (uint32_t)ncommon);
	wr32(w + 12, pers_off);
	wr32(w + 16, (uint32_t)npers);
	wr32(w + 20, index_off);
	wr32(w + 24, (uint32_t)np + 1);
	for (size_t i = 0; i < ncommon; i++)
		wr32(w + common_off + 4 * i, common[i]);
	for (size_t i = 0; i < npers; i++)
		wr32(w + pers_off + 4 * i, (uint32_t)(got_slot_addr(c, pers[i]) - c->base));
	size_t before = 0; /* LSDA entries before the current item */
	uint8_t *le = w + lsda_off;
	for (size_t p = 0, i = 0; p <= np; p++) {
		uint8_t *e = w + index_off + INDEX_ENTRY_SIZE * p;
		uint64_t fn = p < np ? v[pages[p].first].addr : end;
		size_t first = p < np ? pages[p].first : n;
		for (; i < first; i++)
			before += v[i].lsda != NULL;
		wr32(e, (uint32_t)(fn - c->base));
		wr32(e + 4, p < np ? pages_off + PAGE_BYTES * (uint32_t)p : 0);
		wr32(e + 8, lsda_off + LSDA_ENTRY_SIZE * (uint32_t)before);
	}
	for (size_t i = 0; i < n; i++) {
		if (!v[i].lsda)
			continue;
		wr32(le, (uint32_t)(v[i].addr - c->base));
		wr32(le + 4, (uint32_t)(atom_placed(v[i].lsda)->addr + v[i].lsda_off - c->base));
		le += LSDA_ENTRY_SIZE;
	}
	for (size_t p = 0; p < np; p++)
		write_page(w + pages_off + PAGE_BYTES * p, &pages[p], v, common, ncommon,
			   c->base);
	return 0;
}
