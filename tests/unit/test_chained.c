/*
 * test_chained.c - the chained-fixups encoder (linker/dyld/chained.c),
 * exact bytes: the payload for no fixups, one page, many pages with an
 * empty one between, a segment without fixups, each import format (1, 2
 * for an addend past the pointer's 8 bits, 3 for an ordinal past 0xF0),
 * and the pointers written into the segments with their `next` strides.
 * Expected bytes are derived by hand from Apple's fixup-chains.h and
 * lld's ChainedFixupsSection. Also the refusals: a misaligned pointer and
 * a rebase target past 36 bits. Leaves out: comparison with ld64.lld
 * output (tests/link does that, agree-lld-chained-*).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "dyld/chained.h"

static int failures;

/* Four segments as an executable has them: __PAGEZERO, __TEXT, __DATA,
 * __LINKEDIT; page size 0x1000; the pointers' home is mem[seg]. */
static uint8_t mem[4][0x4000];

static uint8_t *ptr_at(void *arg, uint32_t seg, uint64_t off)
{
	(void)arg;
	return &mem[seg][off];
}

static const struct chained_segment segs[4] = {   /* vm offset from __TEXT, size */
	{ 0, 0x100000000ull }, { 0, 0x4000 }, { 0x4000, 0x4000 }, { 0x8000, 0x4000 },
};

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void expect_buf(const char *name, const struct buf *b, const uint8_t *want, size_t n)
{
	if (b->len == n && !memcmp(b->data, want, n))
		return;
	failures++;
	printf("FAIL %s: %zu bytes, want %zu\n", name, b->len, n);
	for (size_t i = 0; i < b->len || i < n; i++) {
		int g = i < b->len ? b->data[i] : -1, w = i < n ? want[i] : -1;
		if (g != w)
			printf("  byte %zu: got %d, want %d\n", i, g, w);
	}
}

static void expect_u64(const char *name, uint64_t got, uint64_t want)
{
	if (got == want)
		return;
	failures++;
	printf("FAIL %s: got 0x%016llx, want 0x%016llx\n", name, (unsigned long long)got,
	       (unsigned long long)want);
}

/* The header, then starts_in_image for 4 segments: 28 + 4 = 32, then
 * 4 + 16 = 20, padded to 24, at offset 32. */
static size_t header(uint8_t *w, uint32_t imports_off, uint32_t symbols_off,
		     uint32_t nimp, uint32_t format)
{
	memset(w, 0, 56);
	put_le(w + 4, 32, 4);           /* starts_offset */
	put_le(w + 8, imports_off, 4);
	put_le(w + 12, symbols_off, 4);
	put_le(w + 16, nimp, 4);
	put_le(w + 20, format, 4);
	put_le(w + 32, 4, 4);           /* seg_count */
	return 56;
}

/* dyld_chained_starts_in_segment: size, page size, DYLD_CHAINED_PTR_64,
 * segment offset, max_valid_pointer 0, pages, page starts, padding. */
static size_t seg_starts(uint8_t *w, uint64_t vmoff, const uint16_t *starts, int pages)
{
	size_t size = (22 + 2 * (size_t)pages + 7) & ~(size_t)7;
	memset(w, 0, size);
	put_le(w, size, 4);
	put_le(w + 4, 0x1000, 2);
	put_le(w + 6, 2, 2);
	put_le(w + 8, vmoff, 8);
	put_le(w + 20, (uint64_t)pages, 2);
	for (int i = 0; i < pages; i++)
		put_le(w + 22 + 2 * i, starts[i], 2);
	return size;
}

static void test_empty(void)
{
	struct buf b;
	buf_init(&b);
	char err[200];
	uint8_t want[64];
	size_t n = header(want, 56, 56, 0, 1);
	if (chained_encode(segs, 4, 0x1000, NULL, 0, NULL, 0, ptr_at, NULL, &b, err, sizeof err))
		printf("FAIL empty: %s\n", err), failures++;
	expect_buf("no fixups: header and starts only", &b, want, n);
	buf_release(&b);
}

static void test_pages(void)
{
	/* __DATA: a rebase and a bind on page 0, nothing on page 1, one bind
	 * on page 2; __TEXT: none (its starts offset stays 0) */
	memset(mem, 0, sizeof mem);
	struct chained_import imp[] = { { "_printf", 1, 0, 0 }, { "_weakfn", -3, 0, 0 } };
	struct chained_fixup f[] = {
		{ 2, 0x10, 0, 0, 0, 0x100000f00ull },
		{ 2, 0x30, 1, 0, 0, 0 },
		{ 2, 0x2008, 1, 1, 7, 0 },
	};
	struct buf b;
	buf_init(&b);
	char err[200];
	if (chained_encode(segs, 4, 0x1000, f, 3, imp, 2, ptr_at, NULL, &b, err, sizeof err))
		printf("FAIL pages: %s\n", err), failures++;
	uint8_t want[200];
	uint16_t starts[3] = { 0x10, 0xffff, 0x8 };
	size_t n = header(want, 0, 0, 2, 1);
	put_le(want + 36 + 4 * 2, 24, 4);   /* __DATA's starts at 32 + 24 */
	n += seg_starts(want + n, 0x4000, starts, 3);
	uint32_t imports = (uint32_t)n;
	put_le(want + n, 1 | 0u << 8 | 0u << 9, 4);        /* _printf, lib 1 */
	put_le(want + n + 4, 0xfd | 0u << 8 | 8u << 9, 4); /* _weakfn, weak lookup */
	n += 8;
	uint32_t symbols = (uint32_t)n;
	memcpy(want + n, "_printf\0_weakfn\0", 16);
	n += 16;
	put_le(want + 8, imports, 4);
	put_le(want + 12, symbols, 4);
	expect_buf("three pages, one empty", &b, want, n);
	/* rebase: target 36 bits, next = (0x30 - 0x10) / 4 = 8 at bit 51 */
	expect_u64("rebase pointer", get_le(&mem[2][0x10]), 0x100000f00ull | 8ull << 51);
	/* bind: ordinal 0, last on its page */
	expect_u64("bind pointer", get_le(&mem[2][0x30]), 1ull << 63);
	/* bind: import 1, addend 7 in bits 24-31 */
	expect_u64("bind with addend", get_le(&mem[2][0x2008]), 1ull << 63 | 7ull << 24 | 1);
	buf_release(&b);
}

static void test_import_formats(void)
{
	char err[200];
	struct chained_fixup f[] = { { 2, 0, 1, 0, 0, 0 } };
	/* format 2: an addend of 300 goes to the import (4 + 4 bytes) */
	struct chained_import a[] = { { "_x", 2, 1, 300 } };
	struct buf b;
	buf_init(&b);
	if (chained_encode(segs, 4, 0x1000, f, 1, a, 1, ptr_at, NULL, &b, err, sizeof err))
		printf("FAIL format 2: %s\n", err), failures++;
	const uint8_t *h = b.data;
	expect_u64("format 2 chosen", h[20], 2);
	uint32_t io = (uint32_t)get_le(h + 8) & 0xffffffffu;
	expect_u64("format 2 import word", (uint32_t)get_le(b.data + io), 2 | 1u << 8);
	expect_u64("format 2 addend", (uint32_t)get_le(b.data + io + 4), 300);
	buf_release(&b);
	/* format 3: an ordinal past 0xF0 needs 16 bits (4 + 4 + 8 bytes) */
	struct chained_import o[] = { { "_y", 0x123, 0, 0 } };
	buf_init(&b);
	if (chained_encode(segs, 4, 0x1000, f, 1, o, 1, ptr_at, NULL, &b, err, sizeof err))
		printf("FAIL format 3: %s\n", err), failures++;
	expect_u64("format 3 chosen", b.data[20], 3);
	io = (uint32_t)get_le(b.data + 8) & 0xffffffffu;
	expect_u64("format 3 ordinal", (uint32_t)get_le(b.data + io), 0x123);
	expect_u64("format 3 name offset", (uint32_t)get_le(b.data + io + 4), 0);
	expect_u64("format 3 symbols after 16 bytes", (uint32_t)get_le(b.data + 12) & 0xffffffffu,
		   io + 16);
	buf_release(&b);
}

static void test_refusals(void)
{
	char err[200];
	struct buf b;
	buf_init(&b);
	struct chained_fixup mis[] = { { 2, 0x12, 0, 0, 0, 0x100000000ull } };
	if (!chained_encode(segs, 4, 0x1000, mis, 1, NULL, 0, ptr_at, NULL, &b, err, sizeof err) ||
	    !strstr(err, "not 4-byte aligned"))
		printf("FAIL misaligned pointer accepted (%s)\n", err), failures++;
	buf_release(&b);
	buf_init(&b);
	struct chained_fixup far[] = { { 2, 0x10, 0, 0, 0, 0x1000000000ull } };
	if (!chained_encode(segs, 4, 0x1000, far, 1, NULL, 0, ptr_at, NULL, &b, err, sizeof err) ||
	    !strstr(err, "does not fit"))
		printf("FAIL 37-bit rebase target accepted (%s)\n", err), failures++;
	buf_release(&b);
}

int main(void)
{
	test_empty();
	test_pages();
	test_import_formats();
	test_refusals();
	if (failures) {
		printf("%d failures\n", failures);
		return 1;
	}
	printf("chained: all cases pass\n");
	return 0;
}
