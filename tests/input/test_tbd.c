/*
 * test_tbd.c - tbd_parse on the shipped libSystem.tbd (and the build-time
 * baked copy of it, which must be identical), on v3/v4/v5 examples
 * in tests/input/tbd/, and on malformed TBDs that must fail with a message
 * naming the file (and line) and the problem.
 *
 * usage: test_tbd SRCDIR (the project source root). Leaves out: fuzzing
 * (tests/fuzz) and linking against the stubs (tests/link).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int parse_file(struct dylib *dl, const char *dir, const char *name,
		      enum link_arch arch, struct diag *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/input/tbd/%s", dir, name);
	size_t size = 0;
	uint8_t *data = slurp(path, &size);
	if (!data) {
		fprintf(stderr, "cannot read '%s'\n", path);
		failures++;
		memset(dl, 0, sizeof *dl);
		return -1;
	}
	int rc = tbd_parse(dl, name, data, size, arch, d);
	free(data);
	return rc;
}

static int kind_of(const struct dylib *dl, const char *name)
{
	const struct dylib_symbol *s = dylib_find(dl, name);
	return s ? s->kind : -1;
}

static void check_sorted(const struct dylib *dl)
{
	for (size_t i = 1; i < dl->nsymbols; i++)
		CHECK(strcmp(dl->symbols[i - 1].name, dl->symbols[i].name) < 0);
}

static void test_libsystem(enum link_arch arch)
{
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	int rc = tbd_parse(&dl, "libSystem.tbd", libsystem_tbd,
			   libsystem_tbd_size, arch, &d);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "%.*s", (int)d.text.len, (char *)d.text.data);
	CHECK(dl.install_name &&
	      strcmp(dl.install_name, "/usr/lib/libSystem.B.dylib") == 0);
	CHECK(dl.current_version == 1311u << 16);
	CHECK(dl.compat_version == 1u << 16);
	CHECK(dl.nsymbols > 500);
	check_sorted(&dl);
	const char *must[] = { "_printf", "dyld_stub_binder", "__tlv_bootstrap",
			       "___stack_chk_guard", "___stack_chk_fail",
			       "_malloc", "_free", "_memcpy", "_sin", "_longjmp",
			       "_pthread_create", "___stderrp", "_stdout",
			       "___errno_location", "_write", "_vsnprintf" };
	for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
		if (!dylib_find(&dl, must[i])) {
			fprintf(stderr, "libSystem lacks %s\n", must[i]);
			failures++;
		}
	}
	CHECK(dylib_find(&dl, "_no_such_function") == NULL);
	CHECK(dylib_find(&dl, "") == NULL);
	CHECK(dylib_find(&dl, "~") == NULL);

	/* the baked tables (tools/tbd-bake.c) are exactly what we parsed */
	struct dylib baked;
	CHECK(dylib_libsystem(&baked, arch) == 0);
	CHECK(baked.install_name && dl.install_name &&
	      !strcmp(baked.install_name, dl.install_name));
	CHECK(baked.current_version == dl.current_version);
	CHECK(baked.compat_version == dl.compat_version);
	CHECK(baked.nsymbols == dl.nsymbols);
	for (size_t i = 0; i < baked.nsymbols && i < dl.nsymbols; i++) {
		if (strcmp(baked.symbols[i].name, dl.symbols[i].name) ||
		    baked.symbols[i].kind != dl.symbols[i].kind) {
			fprintf(stderr, "baked libSystem symbol %zu: %s/%u, parsed %s/%u\n",
				i, baked.symbols[i].name, baked.symbols[i].kind,
				dl.symbols[i].name, dl.symbols[i].kind);
			failures++;
			break;
		}
	}
	dylib_release(&baked);
	CHECK(dylib_libsystem(&baked, ARCH_NONE) == -1);
	dylib_release(&dl);
	diag_release(&d);
}

static void test_weak_tlv_objc(const char *dir)
{
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	CHECK(parse_file(&dl, dir, "weak_tlv_objc.tbd", ARCH_X86_64, &d) == 0);
	CHECK(dl.install_name && !strcmp(dl.install_name, "/usr/lib/libFoo.dylib"));
	CHECK(dl.current_version == (1u << 16 | 2u << 8 | 3u));
	CHECK(dl.compat_version == 1u << 16);
	CHECK(kind_of(&dl, "_foo") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_bar") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_weakling") == DYSYM_WEAK);
	CHECK(kind_of(&dl, "_tls_var") == DYSYM_TLV);
	CHECK(kind_of(&dl, "_OBJC_CLASS_$_Widget") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_OBJC_METACLASS_$_Widget") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_OBJC_EHTYPE_$_Oops") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_OBJC_IVAR_$_Widget.count") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_only_x86") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_only_arm") == -1);
	CHECK(kind_of(&dl, "_reexported_sym") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_not_exported") == -1);
	CHECK(dl.nsymbols == 10); /* _foo listed twice, kept once */
	check_sorted(&dl);
	dylib_release(&dl);

	CHECK(parse_file(&dl, dir, "weak_tlv_objc.tbd", ARCH_ARM64, &d) == 0);
	CHECK(kind_of(&dl, "_only_arm") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_only_x86") == -1);
	CHECK(kind_of(&dl, "_reexported_sym") == -1);
	dylib_release(&dl);
	CHECK(d.nerrors == 0);
	diag_release(&d);
}

static void test_multi(const char *dir)
{
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	CHECK(parse_file(&dl, dir, "multi.tbd", ARCH_X86_64, &d) == 0);
	CHECK(dl.install_name &&
	      !strcmp(dl.install_name, "/usr/lib/libUmbrella.dylib"));
	CHECK(dl.current_version == 2u << 16);
	CHECK(kind_of(&dl, "_umbrella_fn") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_a_fn") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_a_weak") == DYSYM_WEAK);
	CHECK(kind_of(&dl, "_b_fn") == -1);  /* not re-exported */
	CHECK(kind_of(&dl, "_c_fn") == DYSYM_REGULAR); /* through libA */
	CHECK(dl.nsymbols == 4);
	dylib_release(&dl);

	/* libA re-exports libC only for x86_64 */
	CHECK(parse_file(&dl, dir, "multi.tbd", ARCH_ARM64, &d) == 0);
	CHECK(kind_of(&dl, "_a_fn") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_c_fn") == -1);
	dylib_release(&dl);
	CHECK(d.nerrors == 0);
	diag_release(&d);
}

static void test_v5(const char *dir)
{
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	CHECK(parse_file(&dl, dir, "v5.tbd", ARCH_X86_64, &d) == 0);
	if (d.nerrors)
		fprintf(stderr, "%.*s", (int)d.text.len, (char *)d.text.data);
	CHECK(dl.install_name && !strcmp(dl.install_name, "/usr/lib/libJson.dylib"));
	CHECK(dl.current_version == (3u << 16 | 4u << 8 | 5u));
	CHECK(dl.compat_version == (1u << 16 | 1u << 8));
	CHECK(kind_of(&dl, "_jfunc") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_jother") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_jweak") == DYSYM_WEAK);
	CHECK(kind_of(&dl, "_jtls") == DYSYM_TLV);
	CHECK(kind_of(&dl, "_OBJC_CLASS_$_JClass") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_OBJC_METACLASS_$_JClass") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_jre") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_jarm") == -1);
	CHECK(kind_of(&dl, "_inner_fn") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_other_fn") == -1);
	check_sorted(&dl);
	dylib_release(&dl);
	CHECK(parse_file(&dl, dir, "v5.tbd", ARCH_ARM64, &d) == 0);
	CHECK(kind_of(&dl, "_jarm") == DYSYM_REGULAR);
	dylib_release(&dl);
	CHECK(d.nerrors == 0);
	diag_release(&d);
}

static void test_v3(const char *dir)
{
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	CHECK(parse_file(&dl, dir, "v3.tbd", ARCH_X86_64, &d) == 0);
	CHECK(dl.install_name && !strcmp(dl.install_name, "/usr/lib/libOld.dylib"));
	CHECK(dl.current_version == (10u << 16 | 1u << 8));
	CHECK(kind_of(&dl, "_old_fn") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_old_weak") == DYSYM_WEAK);
	CHECK(kind_of(&dl, "_OBJC_CLASS_$_OldClass") == DYSYM_REGULAR);
	CHECK(kind_of(&dl, "_old_arm") == -1);
	dylib_release(&dl);
	CHECK(d.nerrors == 0);
	diag_release(&d);
}

#define V4HEAD "--- !tapi-tbd\ntbd-version: 4\ntargets: [ x86_64-macos ]\n"

/* Parses `text` (of length n) as x86_64 and expects failure with each of
 * the substrings in the message. */
static void expect_fail(const char *what, const char *text, size_t n,
			const char *want1, const char *want2)
{
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	int rc = tbd_parse(&dl, "bad.tbd", (const uint8_t *)text, n, ARCH_X86_64,
			   &d);
	buf_u8(&d.text, 0);
	const char *msg = (const char *)d.text.data;
	int ok = rc == -1 && d.nerrors >= 1 && strstr(msg, "'bad.tbd'") &&
		 (!want1 || strstr(msg, want1)) && (!want2 || strstr(msg, want2));
	if (!ok) {
		fprintf(stderr, "malformed case '%s': rc %d, message: %s\n", what,
			rc, msg ? msg : "(none)");
		failures++;
	}
	if (rc == 0)
		dylib_release(&dl);
	CHECK(dl.install_name == NULL && dl.symbols == NULL);
	diag_release(&d);
}

#define FAIL(what, s, w1, w2) expect_fail(what, s, sizeof s - 1, w1, w2)

static void test_malformed(void)
{
	FAIL("empty", "", "empty", NULL);
	FAIL("blank", "  \n\n ", "empty", NULL);
	FAIL("not yaml", "key: [ unclosed\n  : :\n", "line", "not a TBD");
	FAIL("plain text", "hello world\n", "line 1", "not a mapping");
	FAIL("no tag", "install-name: /x\n", "line 1", "not a TBD");
	FAIL("other tag", "--- !foo\ninstall-name: /x\n", "unknown tag", "!foo");
	FAIL("wrong version", "--- !tapi-tbd\ntbd-version: 7\n", "line 2",
	     "unsupported tbd-version '7'");
	FAIL("missing version", "--- !tapi-tbd\ninstall-name: /x\n",
	     "missing tbd-version", NULL);
	FAIL("missing install-name", V4HEAD "current-version: 1\n",
	     "line 1", "missing install-name");
	FAIL("no target",
	     "--- !tapi-tbd\ntbd-version: 4\ntargets: [ arm64-macos ]\n"
	     "install-name: /x\n",
	     "no target for x86_64-macos", NULL);
	FAIL("catalyst only",
	     "--- !tapi-tbd\ntbd-version: 4\ntargets: [ x86_64-maccatalyst ]\n"
	     "install-name: /x\n",
	     "no target for x86_64-macos", NULL);
	FAIL("version overflow", V4HEAD "install-name: /x\n"
	     "current-version: 99999999.0\n",
	     "line 5", "version out of range '99999999.0'");
	FAIL("minor overflow", V4HEAD "install-name: /x\n"
	     "compatibility-version: 1.256\n", "out of range", NULL);
	FAIL("malformed version", V4HEAD "install-name: /x\n"
	     "current-version: 1.2.3.4\n", "malformed version '1.2.3.4'", NULL);
	FAIL("version junk", V4HEAD "install-name: /x\n"
	     "current-version: 1.x\n", "malformed version", NULL);
	FAIL("exports not a list", V4HEAD "install-name: /x\nexports: 3\n",
	     "line 5", "'exports' must be a sequence");
	FAIL("section without targets", V4HEAD "install-name: /x\n"
	     "exports:\n  - symbols: [ _a ]\n", "has no 'targets'", NULL);
	FAIL("symbol not a string", V4HEAD "install-name: /x\n"
	     "exports:\n  - targets: [ x86_64-macos ]\n    symbols: [ [ _a ] ]\n",
	     "'symbols' must be a string", NULL);
	FAIL("empty symbol", V4HEAD "install-name: /x\n"
	     "exports:\n  - targets: [ x86_64-macos ]\n    symbols: [ '' ]\n",
	     "empty symbol name", NULL);
	FAIL("NUL in symbol", V4HEAD "install-name: /x\n"
	     "exports:\n  - targets: [ x86_64-macos ]\n    symbols: [ \"_a\\0b\" ]\n",
	     "NUL byte", NULL);
	FAIL("alias", V4HEAD "install-name: &a /x\ncurrent-version: *a\n",
	     "aliases are not supported", NULL);
	FAIL("self alias", "--- &r !tapi-tbd [ *r ]\n", "aliases", NULL);

	/* deeply nested junk, in YAML and JSON */
	char deep[4096 + 64];
	size_t n = 0;
	n += (size_t)sprintf(deep, V4HEAD "install-name: /x\nexports: ");
	for (int i = 0; i < 2000; i++)
		deep[n++] = '[';
	expect_fail("deep yaml", deep, n, "line 5", "nesting too deep");
	n = 0;
	for (int i = 0; i < 4000; i++)
		deep[n++] = i == 0 ? '{' : '[';
	expect_fail("deep json", deep, n, "line 1", "not a TBD");

	/* truncated: every prefix of a valid v4 file must fail or succeed
	 * cleanly; the cut inside the header must fail */
	static const char good[] = V4HEAD "install-name: '/usr/lib/libX.dylib'\n"
		"current-version: 1.2\nexports:\n  - targets: [ x86_64-macos ]\n"
		"    symbols: [ _a, _b ]\n";
	for (size_t cut = 0; cut < sizeof good - 1; cut++) {
		struct diag d;
		diag_init(&d);
		struct dylib dl;
		int rc = tbd_parse(&dl, "cut.tbd", (const uint8_t *)good, cut,
				   ARCH_X86_64, &d);
		if (rc == 0)
			dylib_release(&dl);
		if (cut < 60)
			CHECK(rc == -1);
		diag_release(&d);
	}
	expect_fail("truncated in flow list", good, sizeof good - 6, "line 9",
		    NULL);

	FAIL("json trailing junk", "{ \"tapi_tbd_version\": 5 } junk",
	     "line 1", "not a TBD");
	FAIL("json truncated", "{ \"tapi_tbd_version\": 5, \"main_lib",
	     "line 1", "unexpected end");
	FAIL("json bad syntax", "{\n\"a\": [1, 2,, 3]\n}", "line 2", NULL);
	FAIL("json wrong version", "{ \"tapi_tbd_version\": 4 }",
	     "unsupported tapi_tbd_version '4'", NULL);
	FAIL("json no main", "{ \"tapi_tbd_version\": 5 }", "main_library", NULL);
	FAIL("json no target",
	     "{ \"tapi_tbd_version\": 5, \"main_library\": { \"target_info\": "
	     "[ { \"target\": \"arm64-macos\" } ], \"install_names\": "
	     "[ { \"name\": \"/x\" } ] } }",
	     "no target for x86_64-macos", NULL);
	FAIL("json no install name",
	     "{ \"tapi_tbd_version\": 5, \"main_library\": { \"target_info\": "
	     "[ { \"target\": \"x86_64-macos\" } ] } }",
	     "missing install-name", NULL);
	FAIL("json version overflow",
	     "{ \"tapi_tbd_version\": 5, \"main_library\": { \"target_info\": "
	     "[ { \"target\": \"x86_64-macos\" } ], \"install_names\": "
	     "[ { \"name\": \"/x\" } ], \"current_versions\": [ { \"version\": "
	     "\"99999999.0\" } ] } }",
	     "version out of range", NULL);
	FAIL("json symbols not strings",
	     "{ \"tapi_tbd_version\": 5, \"main_library\": { \"target_info\": "
	     "[ { \"target\": \"x86_64-macos\" } ], \"install_names\": "
	     "[ { \"name\": \"/x\" } ], \"exported_symbols\": [ { \"text\": "
	     "{ \"global\": [ 1 ] } } ] } }",
	     "global", "must hold strings");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_tbd SRCDIR\n");
		return 2;
	}
	test_libsystem(ARCH_X86_64);
	test_libsystem(ARCH_ARM64);
	test_weak_tlv_objc(argv[1]);
	test_multi(argv[1]);
	test_v5(argv[1]);
	test_v3(argv[1]);
	test_malformed();
	if (failures)
		fprintf(stderr, "test_tbd: %d failures\n", failures);
	return failures ? 1 : 0;
}
