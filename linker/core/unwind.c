/*
 * unwind.c - builds __TEXT,__unwind_info (version 1) from the objects'
 * __LD,__compact_unwind entries, laid out as lld does, for x86_64 and
 * arm64 (the encodings are the architecture's; what this file reads of
 * them, the DWARF mode and the mode whose runs are not folded, comes from
 * arch.h).
 *
 * Two steps. Before layout, unwind_collect() reads every 32-byte compact
 * unwind entry of every object (function address, length, encoding,
 * personality, LSDA) and notes its function as (atom, offset): entries of
 * dead or dropped functions are skipped. Like lld, every code symbol
 * without an entry gets an entry with encoding 0, so the unwinder never
 * lends a function the encoding of the one before it. Addresses are not
 * known yet, so the section gets an upper bound of its size (as if nothing
 * were folded); the unused tail stays zero. After relocation, unwind_write()
 * turns the items into output addresses, sorts them, keeps one per address,
 * folds runs of the same encoding (not STACK_IND ones, as lld), picks the
 * 127 most frequent encodings as the common ones and fills 4 KiB
 * second-level pages: compressed (kind 3) when they hold at least as many
 * entries as a regular page would, regular (kind 2) otherwise. The index
 * ends with a sentinel at the end of the last function.
 *
 * Leaves out (documented in docs/architecture.md, "Unwind info"):
 *   - DWARF: __eh_frame is still dropped, so an entry whose mode is
 *     "DWARF" is written with encoding 0 (no unwind info);
 *   - personality functions and LSDAs (C++ exceptions): they need a GOT
 *     slot and the LSDA array; entries that have them are kept without them
 *     and one warning per object says so;
 *   - -r.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/hugepage.h"
#include "../base/macho.h"
#include "../base/radix.h"
#include "ctx.h"

#define CU_ENTRY_SIZE 32
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

struct uw_item {
	struct atom *atom;       /* the function's atom and its offset in it */
	uint64_t off;
	uint64_t addr;           /* output address, after layout */
	uint32_t len;            /* function length; 0 for symbol items */
	uint32_t enc;
	uint8_t has_cu;          /* from a compact unwind entry */
};

struct unwind_state {
	struct uw_item *items;
	size_t n;
	size_t cap_common;       /* bounds the size was computed with */
	size_t cap_pages;
};

static int is_code_section(uint32_t flags)
{
	uint32_t t = flags & SECTION_TYPE;
	return (t == S_REGULAR || t == S_COALESCED) &&
	       (flags & 0xff000000u) == S_ATTR_PURE_INSTRUCTIONS;
}

static int is_compact_unwind(const struct obj_section *s)
{
	return !strcmp(s->segname, "__LD") && !strcmp(s->sectname, "__compact_unwind");
}

/* The live atom holding `addr` of 1-based section sect1 of f, or NULL. */
static struct atom *live_atom(struct input_file *f, uint32_t sect1, uint64_t addr,
			      uint64_t *off)
{
	if (sect1 == 0 || sect1 > f->obj.nsections || !f->sect_kept[sect1 - 1])
		return NULL;
	const struct obj_section *s = &f->obj.sections[sect1 - 1];
	if (addr < s->addr || addr - s->addr >= s->size)
		return NULL;
	struct atom *a = atom_at(f, sect1 - 1, addr - s->addr);
	if (!a || !a->live || a->dup)
		return NULL;
	*off = addr - s->addr - a->off;
	return a;
}

/* 1-based section of f containing addr, or 0. */
static uint32_t sect_of(const struct input_file *f, uint64_t addr)
{
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		const struct obj_section *s = &f->obj.sections[si];
		if (addr >= s->addr && addr - s->addr < s->size)
			return si + 1;
	}
	return 0;
}

/* The function of an entry (its address field `value`, relocated by fr
 * when there is one): its live atom and the offset in it, or NULL. */
static struct atom *entry_function(struct input_file *f, const struct obj_reloc *fr,
				   uint64_t value, uint64_t *off)
{
	if (!fr)
		return live_atom(f, sect_of(f, value), value, off);
	if (!fr->is_extern)
		return live_atom(f, fr->symbolnum, value, off);
	struct symbol *s = f->syms[fr->symbolnum];
	if (!s || s->kind != SYM_DEFINED || !s->atom || !s->atom->live || s->atom->dup ||
	    !s->atom->file || s->atom->sect == UINT32_MAX)
		return NULL;
	*off = s->atom_off + value;
	return s->atom;
}

/* Reads the compact unwind entries of section si into items (room for
 * size / 32 of them). Returns the number of items, or -1. */
static long read_section(const struct link_ctx *c, struct diag *d, struct input_file *f,
			 uint32_t si, struct uw_item *items)
{
	const struct obj_section *s = &f->obj.sections[si];
	if (!s->data || s->size % CU_ENTRY_SIZE) {
		diag_warn(d, "'%s': __LD,__compact_unwind size 0x%llx is not a multiple of %u; its unwind info is ignored",
			  f->name, (unsigned long long)s->size, CU_ENTRY_SIZE);
		return 0;
	}
	size_t nent = s->size / CU_ENTRY_SIZE;
	const struct obj_reloc **fun = calloc(nent ? nent : 1, sizeof *fun);
	if (!fun)
		return diag_error(d, "out of memory");
	int extras = 0;
	const struct obj_reloc *rel = f->obj.relocs + s->reloc_first;
	for (uint32_t i = 0; i < s->nrelocs; i++) {
		uint32_t field = rel[i].offset % CU_ENTRY_SIZE;
		if (field == 0 && rel[i].length == 3)
			fun[rel[i].offset / CU_ENTRY_SIZE] = &rel[i];
		else if (field == 16 || field == 24)
			extras = 1;
	}
	long n = 0;
	for (size_t k = 0; k < nent; k++) {
		const uint8_t *e = s->data + k * CU_ENTRY_SIZE;
		if (rd64(e + 16) || rd64(e + 24))
			extras = 1;
		uint64_t off;
		struct atom *a = entry_function(f, fun[k], rd64(e), &off);
		if (!a)
			continue;
		struct uw_item *it = &items[n];
		memset(it, 0, sizeof *it);
		it->atom = a;
		it->off = off;
		it->len = rd32(e + 8);
		it->enc = rd32(e + 12) & ~(UNWIND_PERSONALITY_MASK | UNWIND_HAS_LSDA);
		if ((it->enc & UNWIND_MODE_MASK) == c->ops->unwind_mode_dwarf)
			it->enc = 0; /* its FDE is in __eh_frame, still dropped */
		it->has_cu = 1;
		n++;
	}
	free(fun);
	if (extras)
		diag_warn(d, "'%s': personality functions and LSDAs in __compact_unwind are not supported yet; the functions' unwind entries are written without them",
			  f->name);
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
	for (uint32_t si = 0; si < f->obj.nsections; si++)
		if (is_compact_unwind(&f->obj.sections[si]))
			r->cu_room += f->obj.sections[si].size / CU_ENTRY_SIZE;
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
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		if (!is_compact_unwind(&f->obj.sections[si]))
			continue;
		long k = read_section(j->c, &r->diag, f, si, j->items + r->cu_at + r->ncu);
		if (k < 0)
			return;
		r->ncu += (size_t)k;
	}
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

/* How many distinct encodings the items have, counted up to `cap` + 1
 * (the common-encodings table holds at most `cap`). */
static size_t distinct_encodings(const struct uw_item *items, size_t n, size_t cap)
{
	enum { SLOTS = 512 }; /* > 2 * (COMMON_MAX + 1) */
	uint32_t key[SLOTS];
	uint8_t used[SLOTS];
	memset(used, 0, sizeof used);
	size_t distinct = 0;
	for (size_t i = 0; i < n && distinct <= cap; i++) {
		uint32_t e = items[i].enc;
		size_t h = (e * 0x9e3779b1u) >> 23; /* 9 bits */
		while (used[h] && key[h] != e)
			h = (h + 1) & (SLOTS - 1);
		if (!used[h]) {
			used[h] = 1;
			key[h] = e;
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
	size_t distinct = distinct_encodings(items, n, COMMON_MAX);
	u->items = items;
	u->n = n;
	u->cap_common = distinct < COMMON_MAX ? distinct : COMMON_MAX;
	/* every page but the last holds at least REGULAR_MAX entries */
	u->cap_pages = (n + REGULAR_MAX - 1) / REGULAR_MAX;
	c->unwind = u;
	*size = HEADER_SIZE + 4 * (uint64_t)u->cap_common +
		INDEX_ENTRY_SIZE * (uint64_t)(u->cap_pages + 1) +
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
		c->unwind->items = NULL;
		c->unwind->n = 0;
	}
}

int unwind_write(struct link_ctx *c)
{
	struct unwind_state *u = c->unwind;
	struct out_section *o = c->unwind_info;
	if (!u || !o)
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
	/* fold runs of one encoding (entries carry no personality or LSDA) */
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && v[i].enc == v[k - 1].enc &&
		    (!c->ops->unwind_mode_nofold ||
		     (v[i].enc & UNWIND_MODE_MASK) != c->ops->unwind_mode_nofold))
			continue;
		v[k++] = v[i];
	}
	n = k;

	struct enc_count *ec = calloc(n, sizeof *ec);
	struct page *pages = calloc(u->cap_pages, sizeof *pages);
	uint32_t common[COMMON_MAX];
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

	uint8_t *w = c->out + o->fileoff;
	uint32_t common_off = HEADER_SIZE;
	uint32_t index_off = common_off + 4 * (uint32_t)ncommon; /* no personalities */
	uint32_t lsda_off = index_off + INDEX_ENTRY_SIZE * (uint32_t)(np + 1);
	uint32_t pages_off = lsda_off; /* no LSDAs */
	wr32(w, 1); /* UNWIND_SECTION_VERSION */
	wr32(w + 4, common_off);
	wr32(w + 8, (uint32_t)ncommon);
	wr32(w + 12, index_off);
	wr32(w + 16, 0);
	wr32(w + 20, index_off);
	wr32(w + 24, (uint32_t)np + 1);
	for (size_t i = 0; i < ncommon; i++)
		wr32(w + common_off + 4 * i, common[i]);
	for (size_t p = 0; p <= np; p++) {
		uint8_t *e = w + index_off + INDEX_ENTRY_SIZE * p;
		uint64_t fn = p < np ? v[pages[p].first].addr : end;
		wr32(e, (uint32_t)(fn - c->base));
		wr32(e + 4, p < np ? pages_off + PAGE_BYTES * (uint32_t)p : 0);
		wr32(e + 8, lsda_off);
	}
	for (size_t p = 0; p < np; p++)
		write_page(w + pages_off + PAGE_BYTES * p, &pages[p], v, common, ncommon,
			   c->base);
	free(pages);
	return 0;
}
