/*
 * mr-unwind-info.c - read __TEXT,__unwind_info (compact unwind, version 1)
 * into a table of functions: start and end, the 32-bit encoding, the LSDA
 * and the slot that holds the personality routine, all as host addresses.
 *
 * Layout (<mach-o/compact_unwind_encoding.h>): a header with the common
 * encodings, the personality array (32-bit offsets from the Mach-O header
 * to pointer slots) and the first-level index. Each index entry names a
 * second-level page, REGULAR (kind 2: {function offset, encoding} pairs)
 * or COMPRESSED (kind 3: 24-bit function offsets from the index entry's,
 * with an 8-bit index into the common then the page's own encodings), and
 * the start of its LSDA entries ({function offset, LSDA offset}). The last
 * index entry only marks the end of the last function. Every read is
 * bounds-checked; anything malformed is refused with a message.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mr.h"

#define PERSONALITY_MASK 0x30000000u
#define PERSONALITY_SHIFT 28
#define PAGE_REGULAR 2u
#define PAGE_COMPRESSED 3u

struct rd {
	struct mr_image *img;
	const uint8_t *p;
	uint64_t size;
};

static int r32(struct rd *r, uint64_t off, uint32_t *v)
{
	if (off > r->size || r->size - off < 4) {
		mr_error(r->img, "__unwind_info: read at 0x%" PRIx64 " is outside "
			"the section (0x%" PRIx64 " bytes)", off, r->size);
		return -1;
	}
	memcpy(v, r->p + off, 4);
	return 0;
}

static int r16(struct rd *r, uint64_t off, uint16_t *v)
{
	if (off > r->size || r->size - off < 2) {
		mr_error(r->img, "__unwind_info: read at 0x%" PRIx64 " is outside "
			"the section (0x%" PRIx64 " bytes)", off, r->size);
		return -1;
	}
	memcpy(v, r->p + off, 2);
	return 0;
}

static int add(struct mr_cu_table *t, struct mr_image *img, uint64_t start,
	uint32_t enc)
{
	if (t->n && start < t->e[t->n - 1].start) {
		mr_error(img, "__unwind_info: functions are not sorted (0x%"
			PRIx64 ")", start);
		return -1;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		void *e = realloc(t->e, cap * sizeof(*t->e));
		if (!e) {
			mr_error(img, "out of memory");
			return -1;
		}
		t->e = e;
		t->cap = cap;
	}
	t->e[t->n++] = (struct mr_cu_entry){ .start = start, .enc = enc };
	return 0;
}

/* Appends the entries of the second-level page at offset page; a compressed
 * page's function offsets are relative to base_fn, its index entry's. */
static int read_page(struct rd *r, struct mr_cu_table *t, uint64_t page,
	uint32_t base_fn, const uint32_t *common, uint32_t ncommon)
{
	uint32_t kind;
	uint16_t entry_off, count;
	uint64_t hdr = r->img->slide + r->img->hdr_vm;

	if (r32(r, page, &kind) || r16(r, page + 4, &entry_off) ||
	    r16(r, page + 6, &count))
		return -1;
	if (kind == PAGE_REGULAR) {
		for (uint32_t i = 0; i < count; i++) {
			uint32_t fn, enc;
			uint64_t at = page + entry_off + 8ull * i;
			if (r32(r, at, &fn) || r32(r, at + 4, &enc) ||
			    add(t, r->img, hdr + fn, enc))
				return -1;
		}
		return 0;
	}
	if (kind != PAGE_COMPRESSED) {
		mr_error(r->img, "__unwind_info: second-level page at 0x%" PRIx64
			" has unknown kind %" PRIu32, page, kind);
		return -1;
	}
	uint16_t enc_off, nenc;
	if (r16(r, page + 8, &enc_off) || r16(r, page + 10, &nenc))
		return -1;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t w, enc;
		if (r32(r, page + entry_off + 4ull * i, &w))
			return -1;
		uint32_t idx = w >> 24;
		if (idx < ncommon) {
			enc = common[idx];
		} else if (idx - ncommon < nenc) {
			if (r32(r, page + enc_off + 4ull * (idx - ncommon), &enc))
				return -1;
		} else {
			mr_error(r->img, "__unwind_info: encoding index %" PRIu32
				" out of range in page 0x%" PRIx64, idx, page);
			return -1;
		}
		if (add(t, r->img, hdr + base_fn + (w & 0xffffff), enc))
			return -1;
	}
	return 0;
}

/* Sets each entry's LSDA from the LSDA index [lo, hi). */
static int read_lsdas(struct rd *r, struct mr_cu_table *t, uint64_t lo,
	uint64_t hi)
{
	uint64_t hdr = r->img->slide + r->img->hdr_vm;
	size_t k = 0;

	for (uint64_t at = lo; at + 8 <= hi; at += 8) {
		uint32_t fn, lsda;
		if (r32(r, at, &fn) || r32(r, at + 4, &lsda))
			return -1;
		while (k < t->n && t->e[k].start < hdr + fn)
			k++;
		if (k == t->n || t->e[k].start != hdr + fn) {
			mr_error(r->img, "__unwind_info: LSDA entry for function "
				"0x%" PRIx32 " that has no unwind entry", fn);
			return -1;
		}
		t->e[k].lsda = hdr + lsda;
	}
	return 0;
}

int mr_unwind_info_read(struct mr_image *img, struct mr_cu_table *t)
{
	const struct mr_section *x = NULL;
	uint32_t h[7], common[256], pers[3] = { 0 };
	struct rd r = { .img = img };

	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < img->nsect && !x; i++)
		if (!strcmp(img->sect[i].segname, "__TEXT") &&
		    !strcmp(img->sect[i].sectname, "__unwind_info"))
			x = &img->sect[i];
	if (!x || !x->size)
		return 0;
	r.size = x->size;
	r.p = mr_image_ptr(img, x->seg, x->addr - img->seg[x->seg].vmaddr,
		x->size, 0, "__unwind_info");
	if (!r.p)
		return -1;
	for (unsigned i = 0; i < 7; i++)
		if (r32(&r, 4ull * i, &h[i]))
			return -1;
	/* version, common {offset, count}, personalities {offset, count},
	 * index {offset, count} */
	if (h[0] != 1 || h[2] > 127 || h[4] > 3 || h[6] < 1) {
		mr_error(img, "__unwind_info: bad header (version %" PRIu32 ", %"
			PRIu32 " common encodings, %" PRIu32 " personalities, %"
			PRIu32 " index entries)", h[0], h[2], h[4], h[6]);
		return -1;
	}
	for (uint32_t i = 0; i < h[2]; i++)
		if (r32(&r, h[1] + 4ull * i, &common[i]))
			return -1;
	for (uint32_t i = 0; i < h[4]; i++)
		if (r32(&r, h[3] + 4ull * i, &pers[i]))
			return -1;
	uint32_t first_lsda = 0, last_lsda = 0;
	for (uint32_t i = 0; i < h[6]; i++) {
		uint32_t fn, page, lsda;
		uint64_t at = h[5] + 12ull * i;
		if (r32(&r, at, &fn) || r32(&r, at + 4, &page) ||
		    r32(&r, at + 8, &lsda))
			return -1;
		if (i == 0)
			first_lsda = lsda;
		last_lsda = lsda;
		if (i + 1 == h[6]) { /* the end marker */
			t->end = img->slide + img->hdr_vm + fn;
			break;
		}
		if (read_page(&r, t, page, fn, common, h[2]))
			return -1;
	}
	if (read_lsdas(&r, t, first_lsda, last_lsda))
		return -1;
	for (size_t k = 0; k < t->n; k++) {
		struct mr_cu_entry *e = &t->e[k];
		e->end = k + 1 < t->n ? t->e[k + 1].start : t->end;
		uint32_t pi = (e->enc & PERSONALITY_MASK) >> PERSONALITY_SHIFT;
		if (pi > h[4]) {
			mr_error(img, "__unwind_info: personality %" PRIu32 " of "
				"function 0x%" PRIx64 " is not in the array", pi,
				e->start - img->slide);
			return -1;
		}
		if (pi)
			e->personality = img->slide + img->hdr_vm + pers[pi - 1];
		if (e->end < e->start) {
			mr_error(img, "__unwind_info: function 0x%" PRIx64 " ends "
				"before it starts", e->start - img->slide);
			return -1;
		}
	}
	return 0;
}

const struct mr_cu_entry *mr_unwind_info_find(const struct mr_cu_table *t,
	uint64_t pc)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->e[mid].end <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->e[lo].start <= pc && pc < t->e[lo].end ?
		&t->e[lo] : NULL;
}
