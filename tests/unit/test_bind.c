/*
 * test_bind.c - bind, weak-bind and lazy-bind encoders: exact bytes plus a
 * decoder walk.
 *
 * Expected bytes are derived by hand next to each case. Every stream is
 * also run through a small bind interpreter here, which must give back the
 * input entries (sorted by (name, seg, off) for bind/weak; in input order
 * for lazy, one record at each reported offset). Leaves out: comparison
 * with ld64.lld output (tests/link does that).
 *
 * Opcode bytes used below:
 *   1k SET_DYLIB_ORDINAL_IMM(k)     20 SET_DYLIB_ORDINAL_ULEB
 *   3k SET_DYLIB_SPECIAL_IMM(low nibble of the negative ordinal)
 *   4f SET_SYMBOL_TRAILING_FLAGS_IMM(flags f), then the name and a NUL
 *   51 SET_TYPE_IMM(POINTER)        60 SET_ADDEND_SLEB
 *   7s SET_SEGMENT_AND_OFFSET_ULEB  80 ADD_ADDR_ULEB
 *   90 DO_BIND                      a0 DO_BIND_ADD_ADDR_ULEB
 *   bk DO_BIND_ADD_ADDR_IMM_SCALED  c0 DO_BIND_ULEB_TIMES_SKIPPING_ULEB
 *   00 DONE, then zero padding to a multiple of 8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/macho.h"
#include "dyld/bind.h"
#include "dyld/leb.h"

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
 * A bind interpreter. Runs from p[pos] until DONE (stop_at_done) or the
 * end; each bind (and each NON_WEAK_DEFINITION symbol with no bind) is
 * appended to outv. Returns the count, or -1 when malformed.
 */
static long decode(const uint8_t *p, size_t size, size_t pos,
		   int stop_at_done, struct bind_entry *outv, size_t max)
{
	size_t n = 0;
	struct bind_entry st = { .seg = UINT32_MAX };
	uint64_t a, count, skip;
	int64_t sa;
	const char *err = NULL;
	int sym_pending = 0;
	while (pos < size) {
		uint8_t byte = p[pos++];
		uint8_t imm = byte & BIND_IMMEDIATE_MASK;
		switch (byte & BIND_OPCODE_MASK) {
		case BIND_OPCODE_DONE:
			if (sym_pending && n < max) {
				outv[n] = st;
				outv[n++].seg = UINT32_MAX;
			}
			sym_pending = 0;
			if (stop_at_done)
				return (long)n;
			break; /* padding or the next lazy record */
		case BIND_OPCODE_SET_DYLIB_ORDINAL_IMM:
			st.ordinal = imm;
			break;
		case BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB:
			if (uleb_get(p, size, &pos, &a, &err))
				return printf("  decode: %s\n", err), -1;
			st.ordinal = (int32_t)a;
			break;
		case BIND_OPCODE_SET_DYLIB_SPECIAL_IMM:
			st.ordinal = imm ? (int32_t)(imm | 0xfffffff0u) : 0;
			break;
		case BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM: {
			const uint8_t *nul = memchr(p + pos, 0, size - pos);
			if (!nul)
				return printf("  decode: name past end\n"), -1;
			/* a strong-definition marker stands alone */
			if (sym_pending && n < max) {
				outv[n] = st;
				outv[n++].seg = UINT32_MAX;
			}
			st.name = (const char *)p + pos;
			st.flags = imm;
			pos = (size_t)(nul - p) + 1;
			sym_pending = imm & BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION;
			break;
		}
		case BIND_OPCODE_SET_TYPE_IMM:
			if (imm != BIND_TYPE_POINTER)
				return printf("  decode: bad type\n"), -1;
			break;
		case BIND_OPCODE_SET_ADDEND_SLEB:
			if (sleb_get(p, size, &pos, &sa, &err))
				return printf("  decode: %s\n", err), -1;
			st.addend = sa;
			break;
		case BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB:
			st.seg = imm;
			if (uleb_get(p, size, &pos, &st.off, &err))
				return printf("  decode: %s\n", err), -1;
			break;
		case BIND_OPCODE_ADD_ADDR_ULEB:
			if (uleb_get(p, size, &pos, &a, &err))
				return printf("  decode: %s\n", err), -1;
			st.off += a;
			break;
		case BIND_OPCODE_DO_BIND:
		case BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB:
		case BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED:
		case BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB: {
			uint8_t op = byte & BIND_OPCODE_MASK;
			count = 1;
			skip = 0;
			if (op == BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB &&
			    uleb_get(p, size, &pos, &skip, &err))
				return printf("  decode: %s\n", err), -1;
			if (op == BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED)
				skip = (uint64_t)imm * 8;
			if (op == BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB &&
			    (uleb_get(p, size, &pos, &count, &err) ||
			     uleb_get(p, size, &pos, &skip, &err)))
				return printf("  decode: %s\n", err), -1;
			if (!st.name || st.seg == UINT32_MAX)
				return printf("  decode: bind before state\n"), -1;
			sym_pending = 0;
			for (uint64_t k = 0; k < count; k++) {
				if (n == max)
					return printf("  decode: too many\n"), -1;
				outv[n++] = st;
				st.off += 8 + skip;
			}
			break;
		}
		default:
			return printf("  decode: bad opcode %02x\n", byte), -1;
		}
	}
	if (stop_at_done)
		return printf("  decode: no DONE\n"), -1;
	return (long)n;
}

static int same_entry(const struct bind_entry *a, const struct bind_entry *b,
		      int weak)
{
	if (strcmp(a->name, b->name) || a->seg != b->seg ||
	    a->flags != b->flags)
		return 0;
	if (a->seg == UINT32_MAX) /* strong definition: name and flags */
		return 1;
	return a->off == b->off && a->addend == b->addend &&
	       (weak || a->ordinal == b->ordinal);
}

static void print_entry(const char *label, const struct bind_entry *x)
{
	printf("  %s %s seg %d off 0x%llx ord %d addend %lld flags %u\n",
	       label, x->name, (int)x->seg, (unsigned long long)x->off,
	       x->ordinal, (long long)x->addend, x->flags);
}

static int cmp_ref(const void *pa, const void *pb)
{
	const struct bind_entry *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

/* Non-lazy (weak == 0) or weak binds: bytes, then decode and compare. */
static void check(const char *name, int weak, const struct bind_entry *in,
		  size_t n, const uint8_t *want, size_t wn)
{
	struct bind_entry *e = malloc((n + 1) * sizeof *e);
	struct bind_entry *dec = malloc((n + 1) * sizeof *dec);
	memcpy(e, in, n * sizeof *e);
	struct buf out;
	buf_init(&out);
	int rc = weak ? weak_bind_encode(e, n, &out)
		      : bind_encode(e, n, &out);
	if (rc) {
		printf("FAIL %s: encode failed\n", name);
		failures++;
		goto done;
	}
	if (want && expect_bytes(name, out.data, out.len, want, wn))
		goto done;
	if (out.len % 8) {
		printf("FAIL %s: size %zu not a multiple of 8\n", name, out.len);
		failures++;
	}
	/* e is now sorted: that is the order the stream must decode in */
	struct bind_entry *ref = malloc((n + 1) * sizeof *ref);
	memcpy(ref, in, n * sizeof *ref);
	qsort(ref, n, sizeof *ref, cmp_ref);
	long got = decode(out.data, out.len, 0, 1, dec, n);
	int ok = got == (long)n;
	for (size_t i = 0; ok && i < n; i++)
		ok = same_entry(&dec[i], &ref[i], weak);
	if (!ok) {
		printf("FAIL %s: decodes to %ld entries, want %zu\n", name,
		       got, n);
		for (long i = 0; i < got && i < 8; i++)
			print_entry("got ", &dec[i]);
		for (size_t i = 0; i < n && i < 8; i++)
			print_entry("want", &ref[i]);
		failures++;
	}
	free(ref);
done:
	buf_release(&out);
	free(e);
	free(dec);
}

#define B(...) ((const uint8_t[]){ __VA_ARGS__ }), \
	sizeof((const uint8_t[]){ __VA_ARGS__ })
#define E(...) ((const struct bind_entry[]){ __VA_ARGS__ }), \
	sizeof((const struct bind_entry[]){ __VA_ARGS__ }) / \
	sizeof(struct bind_entry)
/* seg, off, name, ordinal, addend, flags */
#define BE(s, o, n, ord, add, fl) \
	{ .seg = (s), .off = (o), .name = (n), .ordinal = (ord), \
	  .addend = (add), .flags = (fl) }

static void lazy_case(void)
{
	/*
	 * Three stubs, in stub order. Each record: 73 <off>, ordinal,
	 * 40|flags name NUL, 90, 00 = 11 bytes for 4-byte names, so the
	 * records start at 0, 11 (0x0b) and 22 (0x16); 33 bytes pad to 40.
	 */
	static const struct bind_entry in[] = {
		BE(3, 0x00, "_foo", 1, 0, 0),
		BE(3, 0x08, "_bar", 2, 0, 0),
		BE(3, 0x10, "_baz", 1, 0, BIND_SYMBOL_FLAGS_WEAK_IMPORT),
	};
	static const uint8_t want[] = {
		0x73, 0x00, 0x11, 0x40, '_', 'f', 'o', 'o', 0x00, 0x90, 0x00,
		0x73, 0x08, 0x12, 0x40, '_', 'b', 'a', 'r', 0x00, 0x90, 0x00,
		0x73, 0x10, 0x11, 0x41, '_', 'b', 'a', 'z', 0x00, 0x90, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint32_t want_off[] = { 0, 11, 22 };
	uint32_t off[3] = { 99, 99, 99 };
	struct buf out;
	buf_init(&out);
	/* something already in the buffer: offsets are stream-relative */
	buf_append(&out, "prefix!!", 8);
	if (lazy_bind_encode(in, 3, &out, off)) {
		printf("FAIL lazy: encode failed\n");
		failures++;
		buf_release(&out);
		return;
	}
	expect_bytes("lazy", out.data + 8, out.len - 8, want, sizeof want);
	for (int i = 0; i < 3; i++) {
		if (off[i] != want_off[i]) {
			printf("FAIL lazy offsets[%d] = %u, want %u\n", i,
			       off[i], want_off[i]);
			failures++;
			continue;
		}
		/* each record stands alone: decode from its offset */
		struct bind_entry one;
		long got = decode(out.data + 8, out.len - 8, off[i], 1, &one, 1);
		if (got != 1 || !same_entry(&one, &in[i], 0)) {
			printf("FAIL lazy record %d decodes wrong\n", i);
			failures++;
		}
	}
	buf_release(&out);

	/* no entries: no bytes */
	buf_init(&out);
	if (lazy_bind_encode(in, 0, &out, off) || out.len) {
		printf("FAIL lazy empty\n");
		failures++;
	}
	buf_release(&out);
}

int main(void)
{
	/* no entries: nothing, not even DONE */
	{
		struct buf out;
		buf_init(&out);
		struct bind_entry none[1];
		if (bind_encode(none, 0, &out) || weak_bind_encode(none, 0, &out) ||
		    out.len) {
			printf("FAIL empty\n");
			failures++;
		}
		buf_release(&out);
	}

	/*
	 * _foo from dylib 1 at seg 2 + 0x10: 11, 40 "_foo" 00, 51, 72 10,
	 * 90, 00 = 12 bytes, pad to 16.
	 */
	check("single", 0, E(BE(2, 0x10, "_foo", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'f', 'o', 'o', 0x00, 0x51, 0x72, 0x10, 0x90,
		0x00, 0x00, 0x00, 0x00, 0x00));

	/*
	 * Given _foo (dylib 2, 0x0) then _bar (dylib 1, 0x8): sorted by name,
	 * _bar first: 11, 40 "_bar", 51, 72 08, 90 (offset now 0x10).
	 * _foo: 12, 40 "_foo", offset 0 is behind 0x10 so re-set: 72 00,
	 * 90. DONE: 22 bytes, pad to 24.
	 */
	check("two symbols", 0,
	      E(BE(2, 0x0, "_foo", 2, 0, 0), BE(2, 0x8, "_bar", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'b', 'a', 'r', 0x00, 0x51, 0x72, 0x08, 0x90,
		0x12, 0x40, '_', 'f', 'o', 'o', 0x00, 0x72, 0x00, 0x90,
		0x00, 0x00, 0x00));

	/*
	 * Ordinal unchanged between symbols is not repeated; consecutive
	 * slots need no address opcode: 11, 40 "_a", 51, 72 00, 90,
	 * 40 "_b", 90, 00 = 15 bytes, pad to 16.
	 */
	check("state kept", 0,
	      E(BE(2, 0x8, "_b", 1, 0, 0), BE(2, 0x0, "_a", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'a', 0x00, 0x51, 0x72, 0x00, 0x90,
		0x40, '_', 'b', 0x00, 0x90, 0x00, 0x00));

	/*
	 * _foo at 0, 0x18, 0x30, 0x48: after each bind (+8) a gap of 0x10.
	 * DO_BIND,ADD 0x10 x3 then DO_BIND -> c0 03 10, 90. 15 bytes -> 16.
	 */
	check("same symbol with stride", 0,
	      E(BE(2, 0x30, "_foo", 1, 0, 0), BE(2, 0x00, "_foo", 1, 0, 0),
		BE(2, 0x48, "_foo", 1, 0, 0), BE(2, 0x18, "_foo", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'f', 'o', 'o', 0x00, 0x51, 0x72, 0x00, 0xc0,
		0x03, 0x10, 0x90, 0x00, 0x00));

	/*
	 * _foo at 0, 0x10, 0x28: gaps of 1 and 2 words after each bind ->
	 * b1, b2, then 90. 14 bytes -> 16.
	 */
	check("imm scaled", 0,
	      E(BE(2, 0x00, "_foo", 1, 0, 0), BE(2, 0x10, "_foo", 1, 0, 0),
		BE(2, 0x28, "_foo", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'f', 'o', 'o', 0x00, 0x51, 0x72, 0x00, 0xb1,
		0xb2, 0x90, 0x00, 0x00, 0x00));

	/*
	 * A gap of 15 words is one too many for the immediate (ld64/lld
	 * use < 15): _foo at 0 and 0x80 -> a0 78 (0x80 - 8), 90.
	 */
	check("gap of 15 words", 0,
	      E(BE(2, 0x00, "_foo", 1, 0, 0), BE(2, 0x80, "_foo", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'f', 'o', 'o', 0x00, 0x51, 0x72, 0x00, 0xa0,
		0x78, 0x90, 0x00, 0x00, 0x00));

	/*
	 * Addends: _a@0 +0, _a@8 +16, _b@0x10 +16, _c@0x18 -8.
	 *  11 40 "_a" 51 72 00 90 | 60 10 90 | 40 "_b" 90 (addend kept) |
	 *  40 "_c" 60 78 (-8) 90 | 00. 25 bytes -> 32.
	 */
	check("addend change", 0,
	      E(BE(2, 0x00, "_a", 1, 0, 0), BE(2, 0x08, "_a", 1, 16, 0),
		BE(2, 0x10, "_b", 1, 16, 0), BE(2, 0x18, "_c", 1, -8, 0)),
	      B(0x11, 0x40, '_', 'a', 0x00, 0x51, 0x72, 0x00, 0x90,
		0x60, 0x10, 0x90,
		0x40, '_', 'b', 0x00, 0x90,
		0x40, '_', 'c', 0x00, 0x60, 0x78, 0x90,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00));

	/* ordinal 20 does not fit the immediate: 20 14. 11 bytes -> 16 */
	check("ordinal uleb", 0, E(BE(2, 0, "_x", 20, 0, 0)),
	      B(0x20, 0x14, 0x40, '_', 'x', 0x00, 0x51, 0x72, 0x00, 0x90,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00));

	/* ordinal 15 still does: 1f */
	check("ordinal 15", 0, E(BE(2, 0, "_x", 15, 0, 0)),
	      B(0x1f, 0x40, '_', 'x', 0x00, 0x51, 0x72, 0x00, 0x90, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00));

	/* flat lookup (-2): low nibble of -2 is 0xe -> 3e. 10 -> 16 bytes */
	check("flat lookup", 0, E(BE(2, 0, "_x", -2, 0, 0)),
	      B(0x3e, 0x40, '_', 'x', 0x00, 0x51, 0x72, 0x00, 0x90, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00));

	/* main executable (-1) -> 3f; self (0) -> 30 */
	check("main executable", 0,
	      E(BE(2, 0, "_m", -1, 0, 0), BE(2, 8, "_s", 0, 0, 0)),
	      B(0x3f, 0x40, '_', 'm', 0x00, 0x51, 0x72, 0x00, 0x90,
		0x30, 0x40, '_', 's', 0x00, 0x90, 0x00));

	/* weak import: 41. 10 bytes -> 16 */
	check("weak import", 0,
	      E(BE(2, 0, "_w", 1, 0, BIND_SYMBOL_FLAGS_WEAK_IMPORT)),
	      B(0x11, 0x41, '_', 'w', 0x00, 0x51, 0x72, 0x00, 0x90, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00));

	/* one symbol in two segments: 72 00 90, then 73 08 90. 15 -> 16 */
	check("two segments", 0,
	      E(BE(3, 8, "_foo", 1, 0, 0), BE(2, 0, "_foo", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'f', 'o', 'o', 0x00, 0x51, 0x72, 0x00, 0x90,
		0x73, 0x08, 0x90, 0x00, 0x00));

	/*
	 * Same segment, a big forward jump: ADD_ADDR_ULEB. _a@0, _b@0x1000:
	 * after _a the offset is 8, so 80 f8 1f (0xff8), 90. 17 -> 24.
	 */
	check("add addr uleb", 0,
	      E(BE(2, 0, "_a", 1, 0, 0), BE(2, 0x1000, "_b", 1, 0, 0)),
	      B(0x11, 0x40, '_', 'a', 0x00, 0x51, 0x72, 0x00, 0x90,
		0x40, '_', 'b', 0x00, 0x80, 0xf8, 0x1f, 0x90, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00));

	/*
	 * Weak binds: no ordinals. _strong has no address (a strong
	 * definition overriding weak ones): 48 "_strong" 00 only. Then _w:
	 * 40 "_w" 51 72 08 90, 00. 18 bytes -> 24.
	 */
	check("weak", 1,
	      E(BE(2, 8, "_w", 3, 0, 0),
		BE(UINT32_MAX, 0, "_strong", 0, 0,
		   BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION)),
	      B(0x48, '_', 's', 't', 'r', 'o', 'n', 'g', 0x00,
		0x40, '_', 'w', 0x00, 0x51, 0x72, 0x08, 0x90, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00));

	/* a segment index that does not fit the immediate is refused */
	{
		struct bind_entry bad[] = { BE(16, 0, "_x", 1, 0, 0) };
		struct buf out;
		buf_init(&out);
		uint32_t off;
		if (bind_encode(bad, 1, &out) != -1 ||
		    lazy_bind_encode(bad, 1, &out, &off) != -1) {
			printf("FAIL seg 16 accepted\n");
			failures++;
		}
		buf_release(&out);
	}

	lazy_case();

	/* round trips on pseudo-random inputs (fixed seed, no timing) */
	static const char *names[] = { "_a", "_b", "_bb", "_malloc", "_free",
				       "_printf", "dyld_stub_binder" };
	uint64_t seed = 42;
	for (int round = 0; round < 300; round++) {
		struct bind_entry r[40];
		size_t n = 1 + round % 40;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			uint64_t x = seed >> 16;
			r[i] = (struct bind_entry){
				.seg = 2 + (uint32_t)(x % 2),
				/* distinct slots per entry */
				.off = 8 * (i * 3 + (x >> 3) % 3),
				.name = names[(x >> 8) % 7],
				.ordinal = (int32_t)((x >> 12) % 20) - 2,
				.addend = (x >> 20) % 4 == 0
						  ? (int64_t)((x >> 24) % 64) - 32
						  : 0,
				.flags = (uint8_t)((x >> 30) % 2),
			};
		}
		/* one ordinal/flags per name, as a real link has */
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (r[i].name == r[j].name) {
					r[i].ordinal = r[j].ordinal;
					r[i].flags = r[j].flags;
				}
		char name[64];
		snprintf(name, sizeof name, "random bind %d", round);
		check(name, 0, r, n, NULL, 0);
		snprintf(name, sizeof name, "random weak %d", round);
		check(name, 1, r, n, NULL, 0);
	}

	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
