/*
 * chained.c - the LC_DYLD_CHAINED_FIXUPS payload (see chained.h):
 *
 *   dyld_chained_fixups_header      28 bytes, padded to 8
 *   dyld_chained_starts_in_image    seg_count, an offset per segment
 *                                   (0: no fixups), padded to 8
 *   dyld_chained_starts_in_segment  per segment with fixups: page size,
 *                                   DYLD_CHAINED_PTR_64, its offset from
 *                                   the header, the pages up to its last
 *                                   fixup, each page's first fixup (0xFFFF:
 *                                   none), padded to 8
 *   imports                         format 1, 2 or 3
 *   symbol names                    NUL-terminated, in import order
 *
 * Each pointer holds the offset to the next fixup of its page in 4-byte
 * strides (0: the last), so dyld walks a page from its start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/bytes.h"
#include "chained.h"

enum {
	PTR_64 = 2,                 /* DYLD_CHAINED_PTR_64 */
	START_NONE = 0xffff,        /* DYLD_CHAINED_PTR_START_NONE */
	IMPORT = 1, IMPORT_ADDEND = 2, IMPORT_ADDEND64 = 3,
	HEADER_SIZE = 28,
	SEG_STARTS_FIXED = 22,      /* dyld_chained_starts_in_segment before
				       page_start[] */
};

static uint64_t align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* The pointer dyld reads at one fixup, with `next` strides to the next. */
static uint64_t pointer(const struct chained_fixup *f, uint64_t next)
{
	if (f->bind)
		return (uint64_t)(f->import & 0xffffff) | (uint64_t)f->addend << 24 |
		       next << 51 | (uint64_t)1 << 63;
	return (f->target & 0xfffffffffull) | (f->target >> 56) << 36 | next << 51;
}

static int import_format(const struct chained_import *imp, size_t nimp, uint64_t names)
{
	int addend = 0, large = names >= (1u << 23);
	for (size_t i = 0; i < nimp; i++) {
		if (imp[i].ordinal > 0xf0)
			large = 1;
		if (imp[i].addend < -(1 << 22) || imp[i].addend >= (1 << 22))
			large = 1;
		else if (imp[i].addend)
			addend = 1;
	}
	return large ? IMPORT_ADDEND64 : addend ? IMPORT_ADDEND : IMPORT;
}

static void put_import(struct buf *out, int format, const struct chained_import *im,
		       uint32_t name_off)
{
	uint32_t weak = im->weak_ref ? 1 : 0;
	if (format == IMPORT_ADDEND64) {
		buf_u32(out, ((uint32_t)im->ordinal & 0xffff) | weak << 16);
		buf_u32(out, name_off);
		buf_u64(out, (uint64_t)im->addend);
		return;
	}
	buf_u32(out, ((uint32_t)im->ordinal & 0xff) | weak << 8 | name_off << 9);
	if (format == IMPORT_ADDEND)
		buf_u32(out, (uint32_t)(int32_t)im->addend);
}

/* The starts of segment s, whose fixups are f[0..n); writes their chains. */
static int put_segment(struct buf *out, const struct chained_segment *s, uint32_t seg,
		       uint32_t page_size, const struct chained_fixup *f, size_t n,
		       uint8_t *(*ptr)(void *, uint32_t, uint64_t), void *arg,
		       char *err, size_t err_len)
{
	uint64_t pages = f[n - 1].off / page_size + 1;
	if (pages > 0xffff)
		return fail(err, err_len, "segment %u has too many pages (%llu) for chained fixups",
			    seg, (unsigned long long)pages);
	size_t at = out->len;
	uint64_t size = align8(SEG_STARTS_FIXED + 2 * pages);
	buf_u32(out, (uint32_t)size);
	buf_u16(out, (uint16_t)page_size);
	buf_u16(out, PTR_64);
	buf_u64(out, s->vmoff);
	buf_u32(out, 0);                  /* max_valid_pointer: 64-bit */
	buf_u16(out, (uint16_t)pages);
	size_t starts = out->len;
	for (uint64_t p = 0; p < pages; p++)
		buf_u16(out, START_NONE);
	buf_zero(out, at + size - out->len);
	if (buf_failed(out))
		return fail(err, err_len, "out of memory");
	for (size_t i = 0; i < n; i++) {
		uint64_t page = f[i].off / page_size;
		if (i == 0 || f[i - 1].off / page_size != page)
			wr16(out->data + starts + 2 * page, (uint16_t)(f[i].off % page_size));
		uint64_t next = 0;
		if (i + 1 < n && f[i + 1].off / page_size == page)
			next = (f[i + 1].off - f[i].off) / 4;
		wr64(ptr(arg, seg, f[i].off), pointer(&f[i], next));
	}
	return 0;
}

int chained_encode(const struct chained_segment *segs, uint32_t nsegs,
		   uint32_t page_size, const struct chained_fixup *f, size_t n,
		   const struct chained_import *imp, size_t nimp,
		   uint8_t *(*ptr)(void *arg, uint32_t seg, uint64_t off), void *arg,
		   struct buf *out, char *err, size_t err_len)
{
	uint64_t names = 0;
	for (size_t i = 0; i < nimp; i++)
		names += strlen(imp[i].name) + 1;
	if (names > UINT32_MAX)
		return fail(err, err_len, "imported names take %llu bytes, more than chained fixups hold",
			    (unsigned long long)names);
	for (size_t i = 0; i < n; i++) {
		if (f[i].off % 4 || f[i].off + 8 > segs[f[i].seg].vmsize)
			return fail(err, err_len, "a pointer at offset 0x%llx of segment %u is not 4-byte aligned inside its segment, so it cannot be chained",
				    (unsigned long long)f[i].off, f[i].seg);
		if (!f[i].bind &&
		    ((f[i].target & 0xfffffffffull) | (f[i].target >> 56) << 56) != f[i].target)
			return fail(err, err_len, "rebase target 0x%llx does not fit a chained fixup (36 bits and a high byte); link with -no_fixup_chains",
				    (unsigned long long)f[i].target);
		if (f[i].bind && f[i].import >= nimp)
			return fail(err, err_len, "internal error: import %u of %zu", f[i].import,
				    nimp);
	}
	int format = import_format(imp, nimp, names);
	size_t base = out->len;
	buf_zero(out, align8(HEADER_SIZE));
	uint64_t starts_off = out->len - base;
	size_t image = out->len;
	buf_u32(out, nsegs);
	for (uint32_t s = 0; s < nsegs; s++)
		buf_u32(out, 0);
	buf_zero(out, base + align8(out->len - base) - out->len);
	if (buf_failed(out))
		return fail(err, err_len, "out of memory");
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && f[j].seg == f[i].seg)
			j++;
		wr32(out->data + image + 4 + 4 * (size_t)f[i].seg,
		     (uint32_t)(out->len - base - starts_off));
		if (put_segment(out, &segs[f[i].seg], f[i].seg, page_size, f + i, j - i, ptr, arg,
				err, err_len))
			return -1;
		i = j;
	}
	uint64_t imports_off = out->len - base;
	uint32_t name_off = 0;
	for (size_t i = 0; i < nimp; i++) {
		put_import(out, format, &imp[i], name_off);
		name_off += (uint32_t)strlen(imp[i].name) + 1;
	}
	uint64_t symbols_off = out->len - base;
	for (size_t i = 0; i < nimp; i++)
		buf_append(out, imp[i].name, strlen(imp[i].name) + 1);
	if (buf_failed(out))
		return fail(err, err_len, "out of memory");
	uint8_t *h = out->data + base;
	wr32(h, 0);                       /* fixups_version */
	wr32(h + 4, (uint32_t)starts_off);
	wr32(h + 8, (uint32_t)imports_off);
	wr32(h + 12, (uint32_t)symbols_off);
	wr32(h + 16, (uint32_t)nimp);
	wr32(h + 20, (uint32_t)format);
	wr32(h + 24, 0);                  /* symbols_format: plain */
	return 0;
}
