/*
 * test_dylib.c - dylib_macho_parse on binary dylibs.
 *
 *   test_dylib dump FILE ARCH   prints what the reader found: "id NAME
 *                               CUR COMPAT", "reexport NAME" and one
 *                               "sym NAME KIND" per export (dylib_test.sh
 *                               compares it with llvm-objdump)
 *   test_dylib check DIR        fixed expectations on the dylibs
 *                               dylib_test.sh built in DIR, the symbol
 *                               table fallback, fat slices, and hand-made
 *                               tries (re-exports, resolvers, loops)
 *
 * Leaves out: one case per malformed check (tests/malformed/gen-dylibs.py)
 * and linking against dylibs (tests/link/cases/dylib-input.s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "input/dylib.h"

static int failures;

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n",      \
				__FILE__, __LINE__, #cond);               \
			failures++;                                       \
		}                                                         \
	} while (0)

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
			uint8_t *q = realloc(p, cap);
			if (!q)
				break;
			p = q;
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

static const char *kind_name(uint8_t k)
{
	return k == DYSYM_WEAK ? "weak" : k == DYSYM_TLV ? "tlv" : "regular";
}

static void version(char *out, size_t n, uint32_t v)
{
	snprintf(out, n, "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
}

static enum link_arch arch_of(const char *s)
{
	return !strcmp(s, "arm64") ? ARCH_ARM64 : ARCH_X86_64;
}

static int dump(const char *file, const char *arch)
{
	size_t size;
	uint8_t *data = slurp(file, &size);
	if (!data) {
		fprintf(stderr, "cannot read '%s'\n", file);
		return 2;
	}
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	int rc = dylib_macho_parse(&dl, file, data, size, arch_of(arch), &d);
	if (rc) {
		fprintf(stderr, "%.*s", (int)d.text.len, (const char *)d.text.data);
	} else {
		char cur[32], compat[32];
		version(cur, sizeof cur, dl.current_version);
		version(compat, sizeof compat, dl.compat_version);
		printf("id %s %s %s\n", dl.install_name, cur, compat);
		for (size_t i = 0; i < dl.nreexports; i++)
			printf("reexport %s\n", dl.reexports[i]);
		for (size_t i = 0; i < dl.nsymbols; i++)
			printf("sym %s %s\n", dl.symbols[i].name,
			       kind_name(dl.symbols[i].kind));
		dylib_release(&dl);
	}
	diag_release(&d);
	free(data);
	return rc ? 1 : 0;
}

/* Parses bytes; on success returns 0 with *dl filled, else -1 with the
 * message in msg. */
static int parse(struct dylib *dl, const uint8_t *p, size_t n,
		 enum link_arch arch, char *msg, size_t msgsz)
{
	struct diag d;
	diag_init(&d);
	int rc = dylib_macho_parse(dl, "t.dylib", p, n, arch, &d);
	snprintf(msg, msgsz, "%.*s", (int)d.text.len,
		 d.text.data ? (const char *)d.text.data : "");
	CHECK(rc == 0 || d.nerrors == 1);
	diag_release(&d);
	return rc;
}

static uint8_t *load(const char *dir, const char *name, size_t *size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	uint8_t *p = slurp(path, size);
	if (!p) {
		fprintf(stderr, "cannot read '%s'\n", path);
		failures++;
	}
	return p;
}

static int has(const struct dylib *dl, const char *name, int kind)
{
	const struct dylib_symbol *s = dylib_find(dl, name);
	return s && s->kind == kind;
}

/* Zeroes the export trie's size (LC_DYLD_INFO_ONLY or
 * LC_DYLD_EXPORTS_TRIE), so the reader falls back to the symbol table. */
static void drop_trie(uint8_t *p)
{
	uint32_t ncmds = rd32(p + 16);
	size_t off = 32;
	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd = rd32(p + off), sz = rd32(p + off + 4);
		if (cmd == 0x80000022u || cmd == 0x22u)
			wr32(p + off + 44, 0);
		if (cmd == 0x80000033u)
			wr32(p + off + 12, 0);
		off += sz;
	}
}

static void check_built(const char *dir)
{
	static const char *const arches[] = { "x86_64", "arm64" };
	char msg[512], name[256];
	for (int a = 0; a < 2; a++) {
		enum link_arch arch = arch_of(arches[a]);
		size_t n;
		struct dylib dl;
		snprintf(name, sizeof name, "libbar-%s.dylib", arches[a]);
		uint8_t *p = load(dir, name, &n);
		if (!p)
			continue;
		CHECK(parse(&dl, p, n, arch, msg, sizeof msg) == 0);
		CHECK(!strcmp(dl.install_name, "@rpath/libbar.dylib"));
		CHECK(dl.current_version == 0x10203);
		CHECK(dl.compat_version == 0x10000);
		CHECK(dl.nsymbols == 3 && dl.nreexports == 0);
		CHECK(has(&dl, "_bar_a", DYSYM_REGULAR));
		CHECK(has(&dl, "_bar_b", DYSYM_REGULAR));
		CHECK(has(&dl, "_bar_data", DYSYM_REGULAR));
		dylib_release(&dl);
		/* the other arch's dylib is refused */
		CHECK(parse(&dl, p, n, a ? ARCH_X86_64 : ARCH_ARM64, msg,
			    sizeof msg) != 0);
		CHECK(strstr(msg, "'t.dylib': offset 0x4: dylib is for") != NULL);
		/* no trie: the symbol table's external definitions */
		drop_trie(p);
		CHECK(parse(&dl, p, n, arch, msg, sizeof msg) == 0);
		CHECK(dl.nsymbols == 3 && has(&dl, "_bar_data", DYSYM_REGULAR));
		dylib_release(&dl);
		free(p);

		snprintf(name, sizeof name, "libbar-old-%s.dylib", arches[a]);
		if ((p = load(dir, name, &n))) {
			CHECK(parse(&dl, p, n, arch, msg, sizeof msg) == 0);
			CHECK(!strcmp(dl.install_name, "/usr/lib/libbar.dylib"));
			CHECK(dl.current_version == 0x70000);
			CHECK(dl.compat_version == 0x20104);
			CHECK(dl.nsymbols == 3 && has(&dl, "_bar_b", DYSYM_REGULAR));
			dylib_release(&dl);
			free(p);
		}

		snprintf(name, sizeof name, "libweak-%s.dylib", arches[a]);
		if ((p = load(dir, name, &n))) {
			for (int pass = 0; pass < 2; pass++) {
				CHECK(parse(&dl, p, n, arch, msg, sizeof msg) == 0);
				CHECK(dl.nsymbols == 3);
				CHECK(has(&dl, "_weak_fn", DYSYM_WEAK));
				CHECK(has(&dl, "_weak_data", DYSYM_WEAK));
				CHECK(has(&dl, "_strong_fn", DYSYM_REGULAR));
				dylib_release(&dl);
				drop_trie(p); /* second pass: the symbol table */
			}
			free(p);
		}

		snprintf(name, sizeof name, "libtls-%s.dylib", arches[a]);
		if ((p = load(dir, name, &n))) {
			for (int pass = 0; pass < 2; pass++) {
				CHECK(parse(&dl, p, n, arch, msg, sizeof msg) == 0);
				CHECK(has(&dl, "_tls_var", DYSYM_TLV));
				CHECK(has(&dl, "_tls_zero", DYSYM_TLV));
				CHECK(has(&dl, "_tls_get", DYSYM_REGULAR));
				dylib_release(&dl);
				drop_trie(p);
			}
			free(p);
		}

		snprintf(name, sizeof name, "libre-%s.dylib", arches[a]);
		if ((p = load(dir, name, &n))) {
			CHECK(parse(&dl, p, n, arch, msg, sizeof msg) == 0);
			CHECK(!strcmp(dl.install_name, "@rpath/libre.dylib"));
			CHECK(dl.nreexports == 1 &&
			      !strcmp(dl.reexports[0], "@rpath/libbar.dylib"));
			CHECK(dl.nsymbols == 1 && has(&dl, "_re_own", DYSYM_REGULAR));
			dylib_release(&dl);
			free(p);
		}

		static const char *const fats[] = { "libbar-fat.dylib",
			"libtls-fat.dylib", "libweak-fat64.dylib" };
		for (int f = 0; f < 3; f++) {
			if (!(p = load(dir, fats[f], &n)))
				continue;
			CHECK(parse(&dl, p, n, arch, msg, sizeof msg) == 0);
			CHECK(dl.nsymbols == 3);
			dylib_release(&dl);
			if (f == 0) {
				/* keep only the entry of the other arch */
				uint8_t *q = malloc(n);
				memcpy(q, p, n);
				q[7] = 1;
				if (((uint32_t)q[8] << 24 | q[11]) ==
				    (a ? 0x0100000cu : 0x01000007u))
					memmove(q + 8, q + 28, 20);
				CHECK(parse(&dl, q, n, arch, msg, sizeof msg) != 0);
				CHECK(strstr(msg, "offset 0x0: fat file has no") != NULL);
				CHECK(strstr(msg, a ? "(it has x86_64)" : "(it has arm64)") != NULL);
				free(q);
			}
			free(p);
		}
	}
}

/* A minimal dylib: header, LC_ID_DYLIB "libsyn.dylib" (48 bytes),
 * LC_DYLD_EXPORTS_TRIE (16), then the trie at offset 96. */
static size_t synth(uint8_t *out, const uint8_t *trie, size_t tn)
{
	memset(out, 0, 96 + tn);
	wr32(out, 0xfeedfacfu);
	wr32(out + 4, 0x01000007u);
	wr32(out + 8, 3);
	wr32(out + 12, 6);
	wr32(out + 16, 2);
	wr32(out + 20, 64);
	wr32(out + 32, 0xd);
	wr32(out + 36, 48);
	wr32(out + 40, 24);
	wr32(out + 48, 0x10000);
	wr32(out + 52, 0x10000);
	memcpy(out + 56, "libsyn.dylib", 12);
	wr32(out + 80, 0x80000033u);
	wr32(out + 84, 16);
	wr32(out + 88, 96);
	wr32(out + 92, (uint32_t)tn);
	memcpy(out + 96, trie, tn);
	return 96 + tn;
}

static void check_tries(void)
{
	uint8_t buf[256];
	char msg[512];
	struct dylib dl;
	/* a re-export, a stub-and-resolver and an absolute entry */
	static const uint8_t good[] = {
		0, 3, '_', 'r', 'e', 0, 17, '_', 'r', 's', 0, 28,
		'_', 'a', 'b', 0, 33,
		9, 0x08, 1, '_', 'o', 't', 'h', 'e', 'r', 0, 0,    /* 17 */
		3, 0x10, 0x10, 0x20, 0,                            /* 28 */
		2, 0x02, 0x40, 0,                                  /* 33 */
	};
	size_t n = synth(buf, good, sizeof good);
	CHECK(parse(&dl, buf, n, ARCH_X86_64, msg, sizeof msg) == 0);
	CHECK(dl.nsymbols == 3 && has(&dl, "_re", DYSYM_REGULAR) &&
	      has(&dl, "_rs", DYSYM_REGULAR) && has(&dl, "_ab", DYSYM_REGULAR));
	CHECK(!strcmp(dl.install_name, "libsyn.dylib"));
	dylib_release(&dl);

	static const struct {
		uint8_t t[16];
		size_t n;
		const char *want;
	} bad[] = {
		{ { 0, 1, '_', 'a', 0, 0 }, 6,
		  "offset 0x62: export trie node at 0x0 is reached twice" },
		{ { 0, 1, '_', 'a', 0, 40 }, 6,
		  "offset 0x62: export trie child offset 0x28 is outside" },
		{ { 0, 1, '_', 'a', 0, 0x80 }, 6,
		  "offset 0x65: export trie node at 0x0: child offset: malformed uleb128" },
		{ { 0, 1, '_', 'a', 0, 6, 2, 3, 0x40, 0 }, 10,
		  "offset 0x66: export trie node at 0x6: unknown export kind 3" },
		{ { 0, 1, '_', 'a', 0, 6, 9, 0, 0x40, 0 }, 10,
		  "offset 0x66: export trie node at 0x6: terminal size 9 runs past" },
		{ { 0, 2, '_', 'a', 0, 7 }, 6,
		  "export trie child offset 0x7 is outside" },
		{ { 2, 0, 0, 0 }, 4, "offset 0x60: empty exported symbol name" },
		{ { 0, 1, '_', 'a' }, 4, "edge label runs past the end" },
		{ { 0, 1, '_', 'a', 0, 6, 3, 8, 1, 'x', 0 }, 11,
		  "re-exported name runs past its terminal info" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		n = synth(buf, bad[i].t, bad[i].n);
		int rc = parse(&dl, buf, n, ARCH_X86_64, msg, sizeof msg);
		CHECK(rc != 0);
		if (rc == 0)
			dylib_release(&dl);
		if (!strstr(msg, bad[i].want)) {
			fprintf(stderr, "trie case %zu: want '%s', got '%s'\n", i,
				bad[i].want, msg);
			failures++;
		}
	}
	/* a chain deeper than 128 levels: "a" edges, each to the next node */
	uint8_t deep[160 * 6 + 8];
	/* every node 6 bytes: offsets past 127 take two ULEB bytes */
	size_t k = 0;
	for (int lvl = 0; lvl < 160; lvl++) {
		size_t next = k + 6;
		deep[k] = 0;
		deep[k + 1] = 1;
		deep[k + 2] = 'a';
		deep[k + 3] = 0;
		deep[k + 4] = (uint8_t)(0x80 | (next & 0x7f));
		deep[k + 5] = (uint8_t)(next >> 7);
		k = next;
	}
	deep[k] = 0;
	deep[k + 1] = 0;
	uint8_t *big = malloc(96 + k + 2);
	n = synth(big, deep, k + 2);
	CHECK(parse(&dl, big, n, ARCH_X86_64, msg, sizeof msg) != 0);
	CHECK(strstr(msg, "export trie is deeper than 128 levels") != NULL);
	free(big);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "dump"))
		return dump(argv[2], argv[3]);
	if (argc != 3 || strcmp(argv[1], "check")) {
		fprintf(stderr, "usage: test_dylib dump FILE ARCH | check DIR\n");
		return 2;
	}
	check_tries();
	check_built(argv[2]);
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("ok test_dylib check\n");
	return 0;
}
