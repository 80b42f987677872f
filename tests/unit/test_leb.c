/*
 * test_leb.c - ULEB128/SLEB128 encoding and decoding, exact bytes.
 *
 * Each table row is a value and its encoding derived by hand: the value is
 * cut into 7-bit groups, low group first, bit 7 set on every byte but the
 * last; SLEB stops once the remaining value is all sign and bit 6 of the
 * last byte equals the sign. Also checks decoding errors (truncated input,
 * more than 64 bits). Leaves out: performance.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "dyld/leb.h"

static int failures;

static void hex(const char *label, const uint8_t *p, size_t n)
{
	printf("  %s:", label);
	for (size_t i = 0; i < n; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

static void expect_bytes(const char *name, const uint8_t *got, size_t gn,
			 const uint8_t *want, size_t wn)
{
	if (gn == wn && memcmp(got, want, gn) == 0)
		return;
	failures++;
	printf("FAIL %s\n", name);
	hex("want", want, wn);
	hex("got ", got, gn);
}

#define B(...) ((const uint8_t[]){ __VA_ARGS__ }), \
	sizeof((const uint8_t[]){ __VA_ARGS__ })

struct ucase {
	const char *name;
	uint64_t v;
	const uint8_t *enc;
	size_t len;
};

struct scase {
	const char *name;
	int64_t v;
	const uint8_t *enc;
	size_t len;
};

static const struct ucase ucases[] = {
	{ "uleb 0", 0, B(0x00) },
	{ "uleb 127 (largest single byte)", 127, B(0x7f) },
	{ "uleb 128 = 0 | 1<<7", 128, B(0x80, 0x01) },
	/* 624485 = 0x98765: groups 0x65, 0x0e, 0x26 */
	{ "uleb 624485", 624485, B(0xe5, 0x8e, 0x26) },
	/* 2^14: two zero groups then 1 */
	{ "uleb 0x4000", 0x4000, B(0x80, 0x80, 0x01) },
	/* 64 one bits: nine groups of 0x7f, then the top bit alone */
	{ "uleb UINT64_MAX", UINT64_MAX,
	  B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01) },
};

static const struct scase scases[] = {
	{ "sleb 0", 0, B(0x00) },
	{ "sleb 63 (bit 6 clear)", 63, B(0x3f) },
	/* 64 has bit 6 set: needs a 0 byte so it does not read as negative */
	{ "sleb 64", 64, B(0xc0, 0x00) },
	{ "sleb 127", 127, B(0xff, 0x00) },
	{ "sleb 128", 128, B(0x80, 0x01) },
	{ "sleb -1", -1, B(0x7f) },
	{ "sleb -64 (bit 6 set)", -64, B(0x40) },
	{ "sleb -65", -65, B(0xbf, 0x7f) },
	/* -123456: groups 0x40, 0x3b, 0x78 (the usual textbook example) */
	{ "sleb -123456", -123456, B(0xc0, 0xbb, 0x78) },
	/* INT64_MIN: nine zero groups, then bit 63 plus sign bits = 0x7f */
	{ "sleb INT64_MIN", INT64_MIN,
	  B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f) },
	{ "sleb INT64_MAX", INT64_MAX,
	  B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00) },
};

struct bad {
	const char *name;
	int is_sleb;
	const uint8_t *enc;
	size_t len;
	const char *err;
};

static const struct bad bads[] = {
	{ "uleb empty", 0, (const uint8_t *)"", 0,
	  "malformed uleb128, extends past end" },
	{ "uleb truncated", 0, B(0x80),
	  "malformed uleb128, extends past end" },
	{ "uleb truncated 3", 0, B(0xe5, 0x8e, 0xa6),
	  "malformed uleb128, extends past end" },
	/* tenth byte may only hold bit 63 */
	{ "uleb 65 bits", 0,
	  B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02),
	  "uleb128 too big for uint64" },
	{ "uleb 11 bytes, nonzero", 0,
	  B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
	  "uleb128 too big for uint64" },
	{ "sleb truncated", 1, B(0xff),
	  "malformed sleb128, extends past end" },
	/* tenth byte: bit 63 set but sign bits clear */
	{ "sleb 65 bits", 1,
	  B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
	  "sleb128 too big for int64" },
};

int main(void)
{
	char name[128];

	for (size_t i = 0; i < sizeof ucases / sizeof ucases[0]; i++) {
		const struct ucase *c = &ucases[i];
		struct buf b;
		buf_init(&b);
		if (uleb_put(&b, c->v))
			failures++;
		expect_bytes(c->name, b.data, b.len, c->enc, c->len);
		if (uleb_size(c->v) != c->len) {
			printf("FAIL %s: uleb_size %zu, want %zu\n", c->name,
			       uleb_size(c->v), c->len);
			failures++;
		}
		/* decode after one byte of junk, with junk after */
		uint8_t in[16] = { 0xaa };
		memcpy(in + 1, c->enc, c->len);
		in[c->len + 1] = 0xbb;
		size_t pos = 1;
		uint64_t v = 0;
		const char *err = NULL;
		if (uleb_get(in, c->len + 2, &pos, &v, &err) || v != c->v ||
		    pos != c->len + 1) {
			printf("FAIL %s: decode (pos %zu, err %s)\n", c->name,
			       pos, err ? err : "none");
			failures++;
		}
		buf_release(&b);
	}

	for (size_t i = 0; i < sizeof scases / sizeof scases[0]; i++) {
		const struct scase *c = &scases[i];
		struct buf b;
		buf_init(&b);
		if (sleb_put(&b, c->v))
			failures++;
		expect_bytes(c->name, b.data, b.len, c->enc, c->len);
		size_t pos = 0;
		int64_t v = 0;
		const char *err = NULL;
		if (sleb_get(c->enc, c->len, &pos, &v, &err) || v != c->v ||
		    pos != c->len) {
			printf("FAIL %s: decode (got %lld, err %s)\n", c->name,
			       (long long)v, err ? err : "none");
			failures++;
		}
		buf_release(&b);
	}

	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		const struct bad *c = &bads[i];
		size_t pos = 0;
		const char *err = NULL;
		int rc;
		if (c->is_sleb) {
			int64_t v;
			rc = sleb_get(c->enc, c->len, &pos, &v, &err);
		} else {
			uint64_t v;
			rc = uleb_get(c->enc, c->len, &pos, &v, &err);
		}
		if (rc != -1 || pos != 0 || !err || strcmp(err, c->err) != 0) {
			printf("FAIL %s: rc %d pos %zu err '%s', want '%s'\n",
			       c->name, rc, pos, err ? err : "(none)", c->err);
			failures++;
		}
	}

	/* round trip over a spread of values, both signs */
	for (int shift = 0; shift < 64; shift++) {
		for (int d = -1; d <= 1; d++) {
			uint64_t u = ((uint64_t)1 << shift) + (uint64_t)d;
			int64_t s = (int64_t)u;
			int64_t ns = (int64_t)(0 - u); /* -s without overflow */
			struct buf b;
			buf_init(&b);
			uleb_put(&b, u);
			sleb_put(&b, s);
			sleb_put(&b, ns);
			size_t pos = 0;
			uint64_t gu = 0;
			int64_t gs = 0, gn = 0;
			const char *err = NULL;
			int rc = uleb_get(b.data, b.len, &pos, &gu, &err) |
				 sleb_get(b.data, b.len, &pos, &gs, &err) |
				 sleb_get(b.data, b.len, &pos, &gn, &err);
			if (rc || gu != u || gs != s || gn != ns ||
			    pos != b.len) {
				snprintf(name, sizeof name,
					 "round trip 2^%d%+d", shift, d);
				printf("FAIL %s\n", name);
				failures++;
			}
			buf_release(&b);
		}
	}

	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
