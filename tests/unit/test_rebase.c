/*
 * test_rebase.c - the rebase encoder, exact bytes plus a decoder walk.
 *
 * Every case lists its input and the expected opcode bytes, derived by hand
 * from lld's sequence algorithm (see linker/dyld/rebase.c); each stream is
 * also run through a small rebase interpreter here, which must give back
 * the sorted, de-duplicated input. A pseudo-random sweep (fixed seed)
 * checks the round trip on larger inputs. Leaves out: comparison with
 * ld64.lld output (tests/link does that).
 *
 * Opcode bytes used below:
 *   11 SET_TYPE_IMM(POINTER)        2s SET_SEGMENT_AND_OFFSET_ULEB(seg s)
 *   30 ADD_ADDR_ULEB                4k ADD_ADDR_IMM_SCALED(k words)
 *   5k DO_REBASE_IMM_TIMES(k)       60 DO_REBASE_ULEB_TIMES
 *   70 DO_REBASE_ADD_ADDR_ULEB      80 DO_REBASE_ULEB_TIMES_SKIPPING_ULEB
 *   00 DONE, then zero padding to a multiple of 8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/macho.h"
#include "dyld/leb.h"
#include "dyld/rebase.h"

static int failures;

static void hex(const char *label, const uint8_t *p, size_t n)
{
	printf("  %s:", label);
	for (size_t i = 0; i < n; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

static int expect_bytes(const char *name, const uint8_t *got, size_t gn,
			const uint8_t *want, size_t wn)
{
	if (gn == wn && (gn == 0 || memcmp(got, want, gn) == 0))
		return 0;
	failures++;
	printf("FAIL %s\n", name);
	hex("want", want, wn);
	hex("got ", got, gn);
	size_t i = 0;
	while (i < gn && i < wn && got[i] == want[i])
		i++;
	printf("  first difference at byte %zu\n", i);
	return -1;
}

/*
 * Interprets a rebase stream into (seg, off) pairs. Returns the count, or
 * -1 on a malformed stream (message printed).
 */
static long decode(const uint8_t *p, size_t size, struct rebase_entry *outv,
		   size_t max)
{
	size_t pos = 0, n = 0;
	uint32_t seg = UINT32_MAX;
	uint64_t off = 0, a;
	const char *err = NULL;
	int type_seen = 0;
	while (pos < size) {
		uint8_t byte = p[pos++];
		uint8_t imm = byte & REBASE_IMMEDIATE_MASK;
		switch (byte & REBASE_OPCODE_MASK) {
		case REBASE_OPCODE_DONE:
			/* only zero padding may follow */
			while (pos < size)
				if (p[pos++]) {
					printf("  decode: junk after DONE\n");
					return -1;
				}
			if (!type_seen)
				return printf("  decode: no SET_TYPE\n"), -1;
			return (long)n;
		case REBASE_OPCODE_SET_TYPE_IMM:
			if (imm != REBASE_TYPE_POINTER)
				return printf("  decode: bad type\n"), -1;
			type_seen = 1;
			break;
		case REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB:
			seg = imm;
			if (uleb_get(p, size, &pos, &off, &err))
				return printf("  decode: %s\n", err), -1;
			break;
		case REBASE_OPCODE_ADD_ADDR_ULEB:
			if (uleb_get(p, size, &pos, &a, &err))
				return printf("  decode: %s\n", err), -1;
			off += a;
			break;
		case REBASE_OPCODE_ADD_ADDR_IMM_SCALED:
			off += (uint64_t)imm * 8;
			break;
		case REBASE_OPCODE_DO_REBASE_IMM_TIMES:
		case REBASE_OPCODE_DO_REBASE_ULEB_TIMES:
		case REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB:
		case REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB: {
			uint64_t count = imm, skip = 0;
			uint8_t op = byte & REBASE_OPCODE_MASK;
			if (op == REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB)
				count = 1;
			if ((op == REBASE_OPCODE_DO_REBASE_ULEB_TIMES ||
			     op == REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB) &&
			    uleb_get(p, size, &pos, &count, &err))
				return printf("  decode: %s\n", err), -1;
			if ((op == REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB ||
			     op == REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB) &&
			    uleb_get(p, size, &pos, &skip, &err))
				return printf("  decode: %s\n", err), -1;
			if (seg == UINT32_MAX || !type_seen)
				return printf("  decode: rebase before state\n"), -1;
			for (uint64_t k = 0; k < count; k++) {
				if (n == max)
					return printf("  decode: too many\n"), -1;
				outv[n++] = (struct rebase_entry){ seg, off };
				off += 8 + skip;
			}
			break;
		}
		default:
			return printf("  decode: bad opcode %02x\n", byte), -1;
		}
	}
	printf("  decode: no DONE\n");
	return -1;
}

static int cmp(const void *pa, const void *pb)
{
	const struct rebase_entry *a = pa, *b = pb;
	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

/* Encodes in[0..n), compares bytes (when want != NULL) and decodes. */
static void check(const char *name, const struct rebase_entry *in, size_t n,
		  const uint8_t *want, size_t wn, size_t want_n)
{
	struct rebase_entry *e = malloc((n + 1) * sizeof *e);
	struct rebase_entry *ref = malloc((n + 1) * sizeof *ref);
	struct rebase_entry *dec = malloc((n + 1) * sizeof *dec);
	if (n)
		memcpy(e, in, n * sizeof *e);
	if (n)
		memcpy(ref, in, n * sizeof *ref);
	struct buf out;
	buf_init(&out);
	size_t m = n;
	if (rebase_encode(e, &m, &out)) {
		printf("FAIL %s: rebase_encode failed\n", name);
		failures++;
		goto done;
	}
	if (want && expect_bytes(name, out.data, out.len, want, wn))
		goto done;
	if (out.len % 8) {
		printf("FAIL %s: size %zu not a multiple of 8\n", name, out.len);
		failures++;
	}
	/* the reference: sorted, unique input */
	qsort(ref, n, sizeof *ref, cmp);
	size_t rn = 0;
	for (size_t i = 0; i < n; i++)
		if (rn == 0 || cmp(&ref[rn - 1], &ref[i]))
			ref[rn++] = ref[i];
	if (m != rn || (want_n != SIZE_MAX && m != want_n)) {
		printf("FAIL %s: n %zu after encode, want %zu\n", name, m, rn);
		failures++;
		goto done;
	}
	if (n == 0) {
		if (out.len) {
			printf("FAIL %s: empty input gave bytes\n", name);
			failures++;
		}
		goto done;
	}
	long got = decode(out.data, out.len, dec, n);
	int same = got == (long)rn;
	for (size_t i = 0; same && i < rn; i++)
		same = cmp(&dec[i], &ref[i]) == 0;
	if (!same) {
		printf("FAIL %s: decodes to %ld entries, want %zu\n", name,
		       got, rn);
		for (long i = 0; i < got && i < 8; i++)
			printf("  got seg %u off 0x%llx\n", dec[i].seg,
			       (unsigned long long)dec[i].off);
		failures++;
	}
done:
	buf_release(&out);
	free(e);
	free(ref);
	free(dec);
}

#define B(...) ((const uint8_t[]){ __VA_ARGS__ }), \
	sizeof((const uint8_t[]){ __VA_ARGS__ })
#define E(...) ((const struct rebase_entry[]){ __VA_ARGS__ }), \
	sizeof((const struct rebase_entry[]){ __VA_ARGS__ }) / \
	sizeof(struct rebase_entry)

/* Entries seg `seg`, offsets start + i*stride for i in [0, count). */
static struct rebase_entry *run(struct rebase_entry *v, uint32_t seg,
				uint64_t start, uint64_t stride, size_t count)
{
	for (size_t i = 0; i < count; i++)
		v[i] = (struct rebase_entry){ seg, start + i * stride };
	return v;
}

int main(void)
{
	struct rebase_entry v[64];

	/* no entries: nothing at all, not even DONE */
	{
		size_t n = 0;
		struct buf out;
		buf_init(&out);
		if (rebase_encode(v, &n, &out) || out.len != 0) {
			printf("FAIL empty: %zu bytes\n", out.len);
			failures++;
		}
		buf_release(&out);
	}

	/* seg 2 off 0x10: type, 22 10, one pointer (51), DONE, pad 3 */
	check("single", E({ 2, 0x10 }),
	      B(0x11, 0x22, 0x10, 0x51, 0x00, 0x00, 0x00, 0x00), 1);

	/* 10 consecutive pointers from 0: one run of 10 -> 5a */
	check("imm times", run(v, 1, 0, 8, 10), 10,
	      B(0x11, 0x21, 0x00, 0x5a, 0x00, 0x00, 0x00, 0x00), 10);

	/* 15 is the largest immediate count -> 5f */
	check("imm times 15", run(v, 1, 0, 8, 15), 15,
	      B(0x11, 0x21, 0x00, 0x5f, 0x00, 0x00, 0x00, 0x00), 15);

	/* 16 consecutive: too many for the immediate -> 60 10 */
	check("uleb times", run(v, 1, 0, 8, 16), 16,
	      B(0x11, 0x21, 0x00, 0x60, 0x10, 0x00, 0x00, 0x00), 16);

	/* 15 pointers 16 bytes apart: 80, count 0f, skip 16-8 = 08 */
	check("times skipping uleb", run(v, 1, 0, 16, 15), 15,
	      B(0x11, 0x21, 0x00, 0x80, 0x0f, 0x08, 0x00, 0x00), 15);

	/*
	 * 15 consecutive from 0 (run 5f ends at 0x78), then one at 0x80: gap
	 * of one word -> 41, then a single pointer 51.
	 */
	run(v, 1, 0, 8, 15);
	v[15] = (struct rebase_entry){ 1, 0x80 };
	check("add addr imm scaled", v, 16,
	      B(0x11, 0x21, 0x00, 0x5f, 0x41, 0x51, 0x00, 0x00), 16);

	/*
	 * 0 and 8, then 0x1000: run 52 ends at 0x10; the gap 0xff0 is 510
	 * words, too many for the immediate -> 30 f0 1f; then 51.
	 */
	check("add addr uleb", E({ 1, 0 }, { 1, 8 }, { 1, 0x1000 }),
	      B(0x11, 0x21, 0x00, 0x52, 0x30, 0xf0, 0x1f, 0x51,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), 3);

	/*
	 * A lone pointer at 0 then a run at 0x20,0x28,0x30: the lone one
	 * becomes DO_REBASE_ADD_ADDR_ULEB 0x18 (70 18), skipping to 0x20,
	 * then 53.
	 */
	check("rebase add addr uleb",
	      E({ 1, 0 }, { 1, 0x20 }, { 1, 0x28 }, { 1, 0x30 }),
	      B(0x11, 0x21, 0x00, 0x70, 0x18, 0x53, 0x00, 0x00), 4);

	/*
	 * Two segments: seg 1 {0, 8} -> 21 00 52; seg 3 {0x20} -> 23 20 51.
	 * Exactly 8 bytes with DONE, so no padding.
	 */
	check("two segments", E({ 3, 0x20 }, { 1, 0 }, { 1, 8 }),
	      B(0x11, 0x21, 0x00, 0x52, 0x23, 0x20, 0x51, 0x00), 3);

	/*
	 * Composite (Zig's "complex"): 0, 0x10 | 0x40..0x58 | 0x70.
	 *  0,0x10: stride 0x10 -> 80 02 08, ends at 0x20
	 *  gap to 0x40 = 0x20 = 4 words -> 44
	 *  0x40,0x48,0x50,0x58 -> 54, ends at 0x60
	 *  gap to 0x70 = 2 words -> 42; then 51.
	 */
	check("composite",
	      E({ 1, 0 }, { 1, 0x10 }, { 1, 0x40 }, { 1, 0x48 }, { 1, 0x50 },
		{ 1, 0x58 }, { 1, 0x70 }),
	      B(0x11, 0x21, 0x00, 0x80, 0x02, 0x08, 0x44, 0x54,
		0x42, 0x51, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), 7);

	/*
	 * Composite across segments with a tighter run cutting a stride
	 * sequence: seg 1 {0, 0x10, 0x20, 0x28}: 0,0x10,0x20 have stride
	 * 0x10, but 0x28 is closer, so the stride run stops one early:
	 * 80 02 08 (0, 0x10), then 0x20,0x28 -> 52. seg 2 {0x100}: 22 80 02
	 * 51.
	 */
	check("composite 2",
	      E({ 2, 0x100 }, { 1, 0x28 }, { 1, 0x20 }, { 1, 0x10 }, { 1, 0 }),
	      B(0x11, 0x21, 0x00, 0x80, 0x02, 0x08, 0x52, 0x22,
		0x80, 0x02, 0x51, 0x00, 0x00, 0x00, 0x00, 0x00), 5);

	/* duplicates and unsorted input: {0x18, 8, 0x10, 8, 0x10} -> 8..0x18,
	 * one run of 3 starting at 8: 21 08 53 */
	check("duplicates unsorted",
	      E({ 1, 0x18 }, { 1, 0x8 }, { 1, 0x10 }, { 1, 0x8 }, { 1, 0x10 }),
	      B(0x11, 0x21, 0x08, 0x53, 0x00, 0x00, 0x00, 0x00), 3);

	/* offset needing a multi-byte ULEB: 0x4000 = 80 80 01 */
	check("large offset", E({ 2, 0x4000 }),
	      B(0x11, 0x22, 0x80, 0x80, 0x01, 0x51, 0x00, 0x00), 1);

	/* a segment index that does not fit the immediate is refused */
	{
		struct rebase_entry bad[] = { { 16, 0 } };
		size_t n = 1;
		struct buf out;
		buf_init(&out);
		if (rebase_encode(bad, &n, &out) != -1) {
			printf("FAIL seg 16 accepted\n");
			failures++;
		}
		buf_release(&out);
	}

	/* offsets of 2^48 and more do not pack into the radix sort's keys:
	 * the qsort path, unsorted */
	{
		struct rebase_entry big[] = {
			{ 2, (uint64_t)1 << 50 }, { 1, 0x18 },
			{ 2, ((uint64_t)1 << 50) - 8 }, { 1, 0x10 },
		};
		check("offsets past 2^48, unsorted", big, 4, NULL, 0, SIZE_MAX);
	}

	/* round trips on pseudo-random inputs (fixed seed, no timing) */
	uint64_t seed = 0x9e3779b97f4a7c15u;
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + (size_t)(seed >> 58);
		struct rebase_entry *r = malloc(n * sizeof *r);
		uint64_t off = 0;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			uint32_t seg = 1 + (uint32_t)((seed >> 40) % 3);
			/* mostly small word gaps, sometimes a big one */
			uint64_t gap = (seed >> 20) % 8 == 0
					       ? (seed >> 24) % 0x3000
					       : 8 * ((seed >> 33) % 4);
			off += gap;
			r[i] = (struct rebase_entry){ seg, off & ~(uint64_t)7 };
		}
		char name[64];
		snprintf(name, sizeof name, "random round %d", round);
		check(name, r, n, NULL, 0, SIZE_MAX);
		free(r);
	}

	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
