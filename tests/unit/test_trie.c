/*
 * test_trie.c - the export trie encoder: exact bytes plus a decoder walk.
 *
 * Node layout: terminal size (ULEB; 0 for a non-terminal node), then flags
 * and address (ULEBs) when terminal, a child count byte, and per child the
 * NUL-terminated edge label and the child's offset (ULEB). Nodes are laid
 * out root first, depth-first. Expected bytes are derived by hand next to
 * each case. A walker here reads every trie back and must list the
 * (name, flags, address) entries in strcmp order. Leaves out: comparison
 * with ld64.lld output (tests/link does that).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "dyld/leb.h"
#include "dyld/trie.h"

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

/* ---- the walker ---- */

struct found {
	char name[256];
	uint64_t flags, address;
};

struct walk {
	const uint8_t *p;
	size_t size;
	struct found *v;
	size_t n, max;
	char prefix[256];
};

/* Depth-first, children in stored order. Returns 0, or -1 if malformed. */
static int walk_node(struct walk *w, size_t off, size_t plen, int depth)
{
	const char *err = NULL;
	uint64_t tsize, flags, addr, child;
	if (depth > 255 || off >= w->size)
		return printf("  walk: bad node offset %zu\n", off), -1;
	size_t pos = off;
	if (uleb_get(w->p, w->size, &pos, &tsize, &err))
		return printf("  walk: %s\n", err), -1;
	if (tsize) {
		size_t start = pos;
		if (uleb_get(w->p, w->size, &pos, &flags, &err) ||
		    uleb_get(w->p, w->size, &pos, &addr, &err))
			return printf("  walk: %s\n", err), -1;
		if (pos - start != tsize)
			return printf("  walk: terminal size mismatch\n"), -1;
		if (w->n == w->max)
			return printf("  walk: too many terminals\n"), -1;
		struct found *f = &w->v[w->n++];
		memcpy(f->name, w->prefix, plen);
		f->name[plen] = 0;
		f->flags = flags;
		f->address = addr;
	}
	if (pos >= w->size)
		return printf("  walk: child count past end\n"), -1;
	unsigned nchild = w->p[pos++];
	for (unsigned i = 0; i < nchild; i++) {
		const uint8_t *nul = memchr(w->p + pos, 0, w->size - pos);
		if (!nul)
			return printf("  walk: label past end\n"), -1;
		size_t len = (size_t)(nul - (w->p + pos));
		if (len == 0 || plen + len >= sizeof w->prefix)
			return printf("  walk: bad label\n"), -1;
		memcpy(w->prefix + plen, w->p + pos, len);
		pos += len + 1;
		if (uleb_get(w->p, w->size, &pos, &child, &err))
			return printf("  walk: %s\n", err), -1;
		if (walk_node(w, (size_t)child, plen + len, depth + 1))
			return -1;
	}
	return 0;
}

static int cmp_name(const void *pa, const void *pb)
{
	const struct export_entry *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

/*
 * Encodes in[0..n) (a copy), compares bytes when want != NULL, and walks
 * the result. Returns 0 on success.
 */
static int check(const char *name, const struct export_entry *in, size_t n,
		 const uint8_t *want, size_t wn, struct buf *keep)
{
	int rc = -1;
	struct export_entry *e = malloc((n + 1) * sizeof *e);
	struct export_entry *ref = malloc((n + 1) * sizeof *ref);
	struct found *got = malloc((n + 1) * sizeof *got);
	memcpy(e, in, n * sizeof *e);
	memcpy(ref, in, n * sizeof *ref);
	struct buf out;
	buf_init(&out);
	if (trie_encode(e, n, &out)) {
		printf("FAIL %s: encode failed\n", name);
		failures++;
		goto done;
	}
	if (want && expect_bytes(name, out.data, out.len, want, wn))
		goto done;
	if (out.len % 8) {
		printf("FAIL %s: size %zu not a multiple of 8\n", name, out.len);
		failures++;
		goto done;
	}
	qsort(ref, n, sizeof *ref, cmp_name);
	struct walk w = { .p = out.data, .size = out.len, .v = got, .max = n };
	int ok = walk_node(&w, 0, 0, 0) == 0 && w.n == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = strcmp(got[i].name, ref[i].name) == 0 &&
		     got[i].flags == ref[i].flags &&
		     got[i].address == ref[i].address;
	if (!ok) {
		printf("FAIL %s: walk gives %zu entries, want %zu\n", name,
		       w.n, n);
		for (size_t i = 0; i < w.n && i < 8; i++)
			printf("  got  %s flags %llu addr 0x%llx\n",
			       got[i].name, (unsigned long long)got[i].flags,
			       (unsigned long long)got[i].address);
		for (size_t i = 0; i < n && i < 8; i++)
			printf("  want %s\n", ref[i].name);
		failures++;
		goto done;
	}
	rc = 0;
done:
	if (keep && rc == 0)
		*keep = out;
	else
		buf_release(&out);
	free(e);
	free(ref);
	free(got);
	return rc;
}

#define B(...) ((const uint8_t[]){ __VA_ARGS__ }), \
	sizeof((const uint8_t[]){ __VA_ARGS__ })
#define E(...) ((const struct export_entry[]){ __VA_ARGS__ }), \
	sizeof((const struct export_entry[]){ __VA_ARGS__ }) / \
	sizeof(struct export_entry)

/*
 * 26 leaves "_a".."_z" with address i: the fixed point crosses the
 * 127/128 boundary. Root "00 01 '_' 00 05" is 5 bytes. Node "_" is
 * 00 1a + 26 x (letter, 00, offset): 80 + k bytes, where k children need
 * a 2-byte offset. Leaves are 4 bytes (02 00 i 00) at 5 + 80 + k + 4j.
 * Iterating from all-zero offsets: k = 0 -> leaves 85+4j, 15 of them
 * >= 128; k = 15 -> 100+4j, 19; k = 19 -> 104+4j, 20; k = 20 -> 105+4j,
 * still 20 (j >= 6, since 105 + 24 = 129): fixed. (k = 19 cannot be a
 * fixed point: leaf 6 would sit at exactly 128.) So node "_" is 100
 * bytes, leaf j sits at 105 + 4j (0x69 ... 0xcd), offsets 0x69..0x7d
 * are one byte and 0x81 01 .. 0xcd 01 two; total 209, padded to 216.
 */
static void fixed_point_case(void)
{
	struct export_entry in[26];
	char names[26][3];
	uint8_t want[216] = { 0 };
	size_t k = 0;
	want[k++] = 0x00; /* root: not terminal */
	want[k++] = 0x01; /* one child */
	want[k++] = '_';
	want[k++] = 0x00;
	want[k++] = 0x05; /* node "_" right after the root */
	want[k++] = 0x00; /* node "_": not terminal */
	want[k++] = 26;
	for (int j = 0; j < 26; j++) {
		names[j][0] = '_';
		names[j][1] = (char)('a' + j);
		names[j][2] = 0;
		/* inserted in reverse: the encoder sorts */
		in[25 - j] = (struct export_entry){ names[j], 0, (uint64_t)j };
		unsigned off = 105 + 4 * (unsigned)j;
		want[k++] = (uint8_t)('a' + j);
		want[k++] = 0x00;
		if (off < 128) {
			want[k++] = (uint8_t)off;
		} else {
			want[k++] = (uint8_t)(0x80 | (off & 0x7f));
			want[k++] = (uint8_t)(off >> 7);
		}
	}
	if (k != 105) {
		printf("FAIL fixed point: derivation says 105, built %zu\n", k);
		failures++;
		return;
	}
	for (int j = 0; j < 26; j++) {
		want[k++] = 0x02; /* terminal size: flags + address */
		want[k++] = 0x00; /* flags */
		want[k++] = (uint8_t)j;
		want[k++] = 0x00; /* no children */
	}
	/* k == 209; the rest is padding */
	check("fixed point 127/128", in, 26, want, sizeof want, NULL);
}

int main(void)
{
	/* no entries: nothing */
	{
		struct buf out;
		buf_init(&out);
		struct export_entry none[1];
		if (trie_encode(none, 0, &out) || out.len) {
			printf("FAIL empty\n");
			failures++;
		}
		buf_release(&out);
	}

	/*
	 * _main at 0x1000. Root (0..8): 00, 01, "_main" 00, 09. Node at 9:
	 * terminal size 3 = flags 00 + address 80 20; then 00 children.
	 * 14 bytes, pad to 16.
	 */
	check("single", E({ "_main", 0, 0x1000 }),
	      B(0x00, 0x01, '_', 'm', 'a', 'i', 'n', 0x00, 0x09,
		0x03, 0x00, 0x80, 0x20, 0x00, 0x00, 0x00), NULL);

	/*
	 * __mh_execute_header at 0 and _main at 0x3f50: shared prefix "_".
	 *  root @0:  00 01 "_" 00 05                     (5 bytes)
	 *  "_"  @5:  00 02 "_mh_execute_header" 00 21 "main" 00 25
	 *            (2 + 19 + 1 + 5 + 1 = 28 bytes, ends at 33 = 0x21)
	 *  "__mh_execute_header" @0x21: 02 00 00 00
	 *  "_main" @0x25: 03 00 d0 7e 00 (0x3f50 = d0 7e); 42 -> 48 bytes.
	 * The first child sorts first: '_' (0x5f) < 'm' (0x6d).
	 */
	check("shared prefix",
	      E({ "_main", 0, 0x3f50 }, { "__mh_execute_header", 0, 0 }),
	      B(0x00, 0x01, '_', 0x00, 0x05,
		0x00, 0x02, '_', 'm', 'h', '_', 'e', 'x', 'e', 'c', 'u', 't',
		'e', '_', 'h', 'e', 'a', 'd', 'e', 'r', 0x00, 0x21,
		'm', 'a', 'i', 'n', 0x00, 0x25,
		0x02, 0x00, 0x00, 0x00,
		0x03, 0x00, 0xd0, 0x7e, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00), NULL);

	/*
	 * _a (0x10) and _asStr (0x20), inserted in both orders: the output
	 * is the same and lists _a before _asStr.
	 *  root @0: 00 01 "_a" 00 06                     (6 bytes)
	 *  "_a" @6: 02 00 10 | 01 "sStr" 00 10           (10 bytes)
	 *  "_asStr" @0x10: 02 00 20 00; 20 -> 24 bytes.
	 */
	{
		struct buf a, b;
		buf_init(&a);
		buf_init(&b);
		const uint8_t want[] = {
			0x00, 0x01, '_', 'a', 0x00, 0x06,
			0x02, 0x00, 0x10, 0x01, 's', 'S', 't', 'r', 0x00, 0x10,
			0x02, 0x00, 0x20, 0x00,
			0x00, 0x00, 0x00, 0x00,
		};
		int ra = check("_a then _asStr",
			       E({ "_a", 0, 0x10 }, { "_asStr", 0, 0x20 }), want,
			       sizeof want, &a);
		int rb = check("_asStr then _a",
			       E({ "_asStr", 0, 0x20 }, { "_a", 0, 0x10 }), want,
			       sizeof want, &b);
		if (!ra && !rb)
			expect_bytes("_a/_asStr order independent", a.data,
				     a.len, b.data, b.len);
		buf_release(&a);
		buf_release(&b);
	}

	/*
	 * A node that is both terminal and a branch, plus flags: _f (weak
	 * def, flags 4, 0x20), _foo (0x30), _fa (tlv, flags 1, 0x40).
	 *  root @0: 00 01 "_f" 00 06                     (6 bytes)
	 *  "_f" @6: 02 04 20 | 02 "a" 00 11 "oo" 00 15   (11 bytes, to 17)
	 *  "_fa" @0x11: 02 01 40 00; "_foo" @0x15: 02 00 30 00. 25 -> 32.
	 */
	check("terminal with children",
	      E({ "_foo", 0, 0x30 }, { "_f", 4, 0x20 }, { "_fa", 1, 0x40 }),
	      B(0x00, 0x01, '_', 'f', 0x00, 0x06,
		0x02, 0x04, 0x20, 0x02, 'a', 0x00, 0x11, 'o', 'o', 0x00, 0x15,
		0x02, 0x01, 0x40, 0x00,
		0x02, 0x00, 0x30, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), NULL);

	fixed_point_case();

	/* duplicate names and re-exports are refused */
	{
		struct export_entry dup[] = { { "_x", 0, 1 }, { "_x", 0, 2 } };
		struct export_entry rex[] = { { "_x", 8, 1 } };
		struct buf out;
		buf_init(&out);
		if (trie_encode(dup, 2, &out) != -1 ||
		    trie_encode(rex, 1, &out) != -1) {
			printf("FAIL duplicate / re-export accepted\n");
			failures++;
		}
		buf_release(&out);
	}

	/*
	 * Decode check on larger tries: names from a small alphabet so they
	 * share prefixes, including names that are prefixes of others, and
	 * addresses of every ULEB size. Fixed seed, no timing.
	 */
	uint64_t seed = 7;
	for (int round = 0; round < 100; round++) {
		size_t n = 1 + (size_t)round * 7;
		struct export_entry *r = malloc(n * sizeof *r);
		char (*nm)[16] = malloc(n * sizeof *nm);
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			size_t len = 1 + (seed >> 60) % 10;
			nm[m][0] = '_';
			for (size_t c = 1; c < len; c++)
				nm[m][c] = "abAB$_"[(seed >> (4 * c)) % 6];
			nm[m][len] = 0;
			int dup = 0;
			for (size_t j = 0; j < m && !dup; j++)
				dup = strcmp(nm[j], nm[m]) == 0;
			if (dup)
				continue;
			r[m] = (struct export_entry){ nm[m], (seed >> 8) % 5,
						      seed >> (seed % 64) };
			m++;
		}
		char name[64];
		snprintf(name, sizeof name, "random trie %d (%zu names)", round,
			 m);
		check(name, r, m, NULL, 0, NULL);
		free(r);
		free(nm);
	}

	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
