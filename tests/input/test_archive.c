/*
 * test_archive.c - archive_parse on archives built here in memory (GNU
 * `/`, `/SYM64/` and `//`; BSD `#1/N`, `__.SYMDEF` and `__.SYMDEF_64`; no
 * index) and on malformed ones, and, given a directory, on gnu.a and bsd.a
 * that archive_test.sh made there with llvm-ar.
 *
 * usage: test_archive [DIR]. Leaves out: member extraction by the linker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "input/archive.h"

static int failures;

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n",      \
				__FILE__, __LINE__, #cond);               \
			failures++;                                       \
		}                                                         \
	} while (0)

enum fmt { GNU32, GNU64, BSD32, BSD64, NOINDEX };

struct mem { const char *name; const char *data; };
struct sym { const char *name; unsigned member; };

static void put_hdr(struct buf *b, const char *name, const char *size)
{
	char h[128];
	snprintf(h, sizeof h, "%-16s%-12s%-6s%-6s%-8s%-10s`\n", name, "0", "0",
		 "0", "644", size);
	buf_append(b, h, 60);
}

static void put_be(struct buf *b, uint64_t v, int w)
{
	for (int i = w - 1; i >= 0; i--)
		buf_u8(b, (uint8_t)(v >> (8 * i)));
}

static size_t bsd_name_len(const char *name)
{
	return (strlen(name) + 4) & ~(size_t)3; /* NUL-padded to 4 */
}

/* Appends one member (header, name, data, padding). */
static void put_member(struct buf *b, enum fmt f, const char *name,
		       const void *data, size_t n, struct buf *gnu_table)
{
	char field[32], size[32];
	size_t nl = strlen(name);
	if (f == BSD32 || f == BSD64 || (f == NOINDEX && nl > 15)) {
		size_t pad = bsd_name_len(name);
		snprintf(field, sizeof field, "#1/%zu", pad);
		snprintf(size, sizeof size, "%zu", pad + n);
		put_hdr(b, field, size);
		buf_append(b, name, nl);
		buf_zero(b, pad - nl);
	} else {
		if (nl > 15) {
			snprintf(field, sizeof field, "/%zu", gnu_table->len);
			buf_append(gnu_table, name, nl);
			buf_append(gnu_table, "/\n", 2);
		} else {
			snprintf(field, sizeof field, "%s/", name);
		}
		snprintf(size, sizeof size, "%zu", n);
		put_hdr(b, field, size);
	}
	buf_append(b, data, n);
	if (b->len & 1)
		buf_u8(b, '\n');
}

/* Builds an archive with members m[0..nm) and an index of s[0..ns). */
static struct buf build(enum fmt f, const struct mem *m, size_t nm,
			const struct sym *s, size_t ns)
{
	/* pass 1: the members alone, to learn their offsets */
	struct buf names, body;
	buf_init(&names);
	buf_init(&body);
	uint64_t rel[16];
	for (size_t i = 0; i < nm; i++) {
		rel[i] = body.len;
		put_member(&body, f, m[i].name, m[i].data, strlen(m[i].data),
			   &names);
	}
	/* the index, whose size does not depend on the offsets */
	size_t strsize = 0;
	for (size_t i = 0; i < ns; i++)
		strsize += strlen(s[i].name) + 1;
	int w = f == GNU64 || f == BSD64 ? 8 : 4;
	size_t isize = 0;
	const char *iname = NULL;
	if (f == GNU32 || f == GNU64)
		isize = w + ns * w + strsize, iname = f == GNU32 ? "/" : "/SYM64/";
	else if (f == BSD32 || f == BSD64)
		isize = w + ns * 2 * w + w + strsize,
		iname = f == BSD32 ? "__.SYMDEF" : "__.SYMDEF_64";
	uint64_t base = 8;
	if (iname) {
		base += 60 + isize + (f == BSD32 || f == BSD64 ?
				      bsd_name_len(iname) : 0);
		base += base & 1;
	}
	if (names.len) {
		base += 60 + names.len;
		base += base & 1;
	}

	struct buf out, idx;
	buf_init(&out);
	buf_init(&idx);
	buf_append(&out, "!<arch>\n", 8);
	if (f == GNU32 || f == GNU64) {
		put_be(&idx, ns, w);
		for (size_t i = 0; i < ns; i++)
			put_be(&idx, base + rel[s[i].member], w);
		for (size_t i = 0; i < ns; i++)
			buf_append(&idx, s[i].name, strlen(s[i].name) + 1);
		char size[32];
		snprintf(size, sizeof size, "%zu", idx.len);
		put_hdr(&out, iname, size);
		buf_append(&out, idx.data, idx.len);
		if (out.len & 1)
			buf_u8(&out, '\n');
	} else if (f == BSD32 || f == BSD64) {
		uint64_t strx = 0;
		if (w == 8)
			buf_u64(&idx, ns * 16);
		else
			buf_u32(&idx, (uint32_t)(ns * 8));
		for (size_t i = 0; i < ns; i++) {
			uint64_t o = base + rel[s[i].member];
			if (w == 8)
				buf_u64(&idx, strx), buf_u64(&idx, o);
			else
				buf_u32(&idx, (uint32_t)strx), buf_u32(&idx, (uint32_t)o);
			strx += strlen(s[i].name) + 1;
		}
		if (w == 8)
			buf_u64(&idx, strsize);
		else
			buf_u32(&idx, (uint32_t)strsize);
		for (size_t i = 0; i < ns; i++)
			buf_append(&idx, s[i].name, strlen(s[i].name) + 1);
		put_member(&out, BSD32, iname, idx.data, idx.len, NULL);
	}
	if (names.len) {
		char size[32];
		snprintf(size, sizeof size, "%zu", names.len);
		put_hdr(&out, "//", size);
		buf_append(&out, names.data, names.len);
		if (out.len & 1)
			buf_u8(&out, '\n');
	}
	CHECK(out.len == base);
	buf_append(&out, body.data, body.len);
	buf_release(&names);
	buf_release(&body);
	buf_release(&idx);
	return out;
}

static const struct mem members[] = {
	{ "a.o", "AAAA" },
	{ "a_very_long_member_name.o", "BBBBB" },
	{ "c.o", "C" },
};
static const struct sym syms[] = {
	{ "_alpha", 0 }, { "_beta", 1 }, { "_gamma", 1 }, { "_delta", 2 },
};

static void check_parsed(const char *what, const struct archive *a, int index)
{
	CHECK(a->nmembers == 3);
	if (a->nmembers != 3) {
		fprintf(stderr, "%s: %zu members\n", what, a->nmembers);
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		CHECK(strcmp(a->members[i].name, members[i].name) == 0);
		CHECK(a->members[i].size == strlen(members[i].data));
		CHECK(memcmp(a->members[i].data, members[i].data,
			     a->members[i].size) == 0);
	}
	CHECK(a->has_index == index);
	CHECK(a->nsymbols == (index ? 4u : 0u));
	for (size_t i = 0; i < a->nsymbols && i < 4; i++) {
		CHECK(strcmp(a->symbols[i].name, syms[i].name) == 0);
		CHECK(a->symbols[i].member == syms[i].member);
	}
}

static void test_formats(void)
{
	static const char *names[] = { "gnu32", "gnu64", "bsd32", "bsd64",
				       "none" };
	for (int f = GNU32; f <= NOINDEX; f++) {
		struct buf b = build((enum fmt)f, members, 3, syms, 4);
		struct diag d;
		diag_init(&d);
		struct archive a;
		CHECK(archive_is(b.data, b.len));
		int rc = archive_parse(&a, names[f], b.data, b.len, &d);
		CHECK(rc == 0);
		if (rc)
			fprintf(stderr, "%s: %.*s", names[f], (int)d.text.len,
				(char *)d.text.data);
		else
			check_parsed(names[f], &a, f != NOINDEX);
		archive_release(&a);
		diag_release(&d);
		buf_release(&b);
	}
}

static void expect_fail(const char *what, const uint8_t *p, size_t n,
			const char *want)
{
	struct diag d;
	diag_init(&d);
	struct archive a;
	int rc = archive_parse(&a, "bad.a", p, n, &d);
	buf_u8(&d.text, 0);
	const char *msg = (const char *)d.text.data;
	if (rc != -1 || !strstr(msg, "'bad.a': offset 0x") ||
	    !strstr(msg, want)) {
		fprintf(stderr, "malformed case '%s': rc %d, message: %s\n", what,
			rc, msg);
		failures++;
	}
	CHECK(a.members == NULL && a.symbols == NULL);
	if (rc == 0)
		archive_release(&a);
	diag_release(&d);
}

static void test_malformed(void)
{
	struct buf g = build(GNU32, members, 3, syms, 4);
	uint8_t *p = malloc(g.len);
	size_t first = 8; /* the header of the `/` index */

	expect_fail("thin", (const uint8_t *)"!<thin>\n", 8, "thin archive");
	expect_fail("magic", (const uint8_t *)"!<arch]\n", 8, "bad magic");
	expect_fail("short", (const uint8_t *)"!<ar", 4, "bad magic");

	expect_fail("truncated header", g.data, first + 59,
		    "offset 0x8: truncated archive member header");

	memcpy(p, g.data, g.len);
	p[first + 58] = '\'';
	expect_fail("bad fmag", p, g.len, "offset 0x8: bad member header");

	memcpy(p, g.data, g.len);
	memcpy(p + first + 48, "99999     ", 10);
	expect_fail("size past EOF", p, g.len, "offset 0x8: member size past end");

	memcpy(p, g.data, g.len);
	memcpy(p + first + 48, "1x        ", 10);
	expect_fail("non-decimal size", p, g.len, "malformed member size");
	memcpy(p + first + 48, "-1        ", 10);
	expect_fail("negative size", p, g.len, "malformed member size");
	memcpy(p + first + 48, " 12       ", 10);
	expect_fail("leading space size", p, g.len, "malformed member size");
	memcpy(p + first + 48, "          ", 10);
	expect_fail("blank size", p, g.len, "malformed member size");

	/* the first index entry's offset (big endian, after the count) */
	memcpy(p, g.data, g.len);
	p[first + 60 + 7] ^= 2;
	expect_fail("symbol not at a member", p, g.len,
		    "offset 0x8: index entry 0 points at");

	memcpy(p, g.data, g.len);
	p[first + 60 + 3] = 200; /* count far beyond the member */
	expect_fail("index count", p, g.len, "count past the member");

	/* a truncated last member */
	expect_fail("last member cut", g.data, g.len - 2, "past end of file");
	free(p);
	buf_release(&g);

	/* BSD: index string offset and long-name length */
	struct buf b = build(BSD32, members, 3, syms, 4);
	p = malloc(b.len);
	memcpy(p, b.data, b.len);
	p[8 + 60 + 12 + 4] = 0xff; /* strx of entry 0 */
	expect_fail("bsd strx", p, b.len, "past the string table");
	memcpy(p, b.data, b.len);
	memcpy(p + 8 + 3, "9999 ", 5); /* "#1/12" -> "#1/9999" */
	expect_fail("bsd long name", p, b.len, "longer than the member");
	memcpy(p, b.data, b.len);
	p[8 + 60 + 12] = 7; /* ranlib size not a multiple of 8 */
	expect_fail("bsd ranlib size", p, b.len, "symbol index size");
	free(p);
	buf_release(&b);

	/* GNU long-name reference past the `//` table */
	struct buf n = build(NOINDEX, members, 3, NULL, 0);
	struct buf gl = build(GNU32, members, 3, NULL, 0);
	/* gnu with no symbols: "/", "//", members; find "/0 " */
	uint8_t *q = malloc(gl.len);
	memcpy(q, gl.data, gl.len);
	uint8_t *ref = memmem(q, gl.len, "/0              0 ", 18);
	CHECK(ref != NULL);
	if (ref) {
		memcpy(ref, "/999", 4);
		expect_fail("long name ref", q, gl.len, "past the '//' table");
		memcpy(ref, "/0x ", 4);
		expect_fail("long name ref junk", q, gl.len,
			    "malformed long name reference");
	}
	free(q);
	buf_release(&gl);
	buf_release(&n);

	/* an empty archive is fine and has no members */
	struct diag d;
	diag_init(&d);
	struct archive a;
	CHECK(archive_parse(&a, "empty.a", (const uint8_t *)"!<arch>\n", 8,
			    &d) == 0);
	CHECK(a.nmembers == 0 && !a.has_index);
	archive_release(&a);
	diag_release(&d);
}

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *p = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *np = realloc(p, cap);
			if (!np)
				break;
			p = np;
		}
		size_t r = fread(p + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	*size = n;
	return p;
}

/* gnu.a / bsd.a from archive_test.sh: a.o, a_very_long_member_name.o, c.o */
static void test_llvm_ar(const char *dir, const char *file)
{
	static const char *objs[] = { "a.o", "a_very_long_member_name.o", "c.o" };
	static const struct sym want[] = {
		{ "_alpha", 0 }, { "_shared_a", 0 }, { "_beta", 1 },
		{ "_gamma_", 1 }, { "_delta", 2 },
	};
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	size_t size;
	uint8_t *data = slurp(path, &size);
	if (!data) {
		fprintf(stderr, "cannot read '%s'\n", path);
		failures++;
		return;
	}
	struct diag d;
	diag_init(&d);
	struct archive a;
	int rc = archive_parse(&a, file, data, size, &d);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "%.*s", (int)d.text.len, (char *)d.text.data);
	CHECK(a.nmembers == 3 && a.has_index && a.nsymbols == 5);
	for (size_t i = 0; i < a.nmembers && i < 3; i++) {
		CHECK(strcmp(a.members[i].name, objs[i]) == 0);
		snprintf(path, sizeof path, "%s/%s", dir, objs[i]);
		size_t osize;
		uint8_t *o = slurp(path, &osize);
		CHECK(o && osize == a.members[i].size &&
		      memcmp(o, a.members[i].data, osize) == 0);
		free(o);
	}
	for (size_t i = 0; i < a.nsymbols && i < 5; i++) {
		int found = 0;
		for (size_t k = 0; k < 5; k++)
			if (!strcmp(a.symbols[i].name, want[k].name)) {
				found = 1;
				CHECK(a.symbols[i].member == want[k].member);
			}
		CHECK(found);
	}
	archive_release(&a);
	diag_release(&d);
	free(data);
}

int main(int argc, char **argv)
{
	test_formats();
	test_malformed();
	if (argc > 1) {
		test_llvm_ar(argv[1], "gnu.a");
		test_llvm_ar(argv[1], "bsd.a");
	}
	if (failures)
		fprintf(stderr, "test_archive: %d failures\n", failures);
	return failures ? 1 : 0;
}
