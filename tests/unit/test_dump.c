/*
 * test_dump.c - exact-text tests of the dump renderers (linker/dump/).
 *
 * Builds link images by hand (segments, sections, records in an arena)
 * and compares every rendering byte for byte. The first image mirrors an
 * ld64.lld 19 link whose llvm-objdump / llvm-nm output is pasted below;
 * the second covers edge cases: empty tables, special ordinals, weak
 * imports, negative and positive addends, export flags, strong weak-bind
 * entries and control characters in names. Leaves out: linking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/macho.h"
#include "dump/dump.h"
#include "dump/dump_util.h"
#include "image.h"

static int failures;

static void check(const struct link_image *img, enum dump_kind k,
		  const char *want, int line)
{
	struct buf b;
	buf_init(&b);
	if (dump_render(img, k, &b) < 0) {
		fprintf(stderr, "line %d: dump_render(%s) failed\n", line,
			dump_kind_name(k));
		failures++;
	} else if (b.len != strlen(want) || (b.len && memcmp(b.data, want, b.len))) {
		fprintf(stderr, "line %d: %s differs\n--- want\n%s--- got\n%.*s---\n",
			line, dump_kind_name(k), want, (int)b.len,
			b.data ? (const char *)b.data : "");
		failures++;
	}
	buf_release(&b);
}
#define CHECK(img, k, want) check(img, k, want, __LINE__)

static void expect_str(const char *got, const char *want, int line)
{
	if ((got == NULL) != (want == NULL) || (got && strcmp(got, want))) {
		fprintf(stderr, "line %d: got '%s' want '%s'\n", line,
			got ? got : "(null)", want ? want : "(null)");
		failures++;
	}
}
#define EXPECT_STR(got, want) expect_str(got, want, __LINE__)
#define EXPECT_INT(got, want)                                               \
	do {                                                                \
		if ((got) != (want)) {                                      \
			fprintf(stderr, "line %d: got %d want %d\n", __LINE__, \
				(int)(got), (int)(want));                   \
			failures++;                                         \
		}                                                           \
	} while (0)

#define NEW(img, field, count)                                              \
	((img)->field = arena_alloc(&(img)->arena,                          \
				    (count) * sizeof *(img)->field),        \
	 (img)->n##field = (count), (img)->field)

static void seg(struct rec_segment *s, const char *name, uint64_t addr)
{
	snprintf(s->name, sizeof s->name, "%s", name);
	s->vmaddr = addr;
}

static void sect(struct rec_section *s, const char *segname, uint32_t segi,
		 const char *name, uint64_t addr, uint64_t size)
{
	snprintf(s->segname, sizeof s->segname, "%s", segname);
	snprintf(s->sectname, sizeof s->sectname, "%s", name);
	s->segment = segi;
	s->addr = addr;
	s->size = size;
}

/* Sections of the lld-linked example, in header order. */
enum { S_TEXT, S_STUBS, S_HELPER, S_CSTR, S_UNWIND, S_EH, S_GOT, S_LAZY,
       S_TVARS, S_DATA, S_TDATA, S_COUNT };

static void layout(struct link_image *img)
{
	struct rec_segment *g = NEW(img, segments, 5);
	struct rec_section *s = NEW(img, sections, S_COUNT);
	seg(&g[0], "__PAGEZERO", 0);
	seg(&g[1], "__TEXT", 0x100000000);
	seg(&g[2], "__DATA_CONST", 0x100002000);
	seg(&g[3], "__DATA", 0x100003000);
	seg(&g[4], "__LINKEDIT", 0x100004000);
	sect(&s[S_TEXT], "__TEXT", 1, "__text", 0x100000700, 0x7e);
	sect(&s[S_STUBS], "__TEXT", 1, "__stubs", 0x100000780, 0x18);
	sect(&s[S_HELPER], "__TEXT", 1, "__stub_helper", 0x100000798, 0x38);
	sect(&s[S_CSTR], "__TEXT", 1, "__cstring", 0x1000007d0, 0x10);
	sect(&s[S_UNWIND], "__TEXT", 1, "__unwind_info", 0x1000007e0, 0x1038);
	sect(&s[S_EH], "__TEXT", 1, "__eh_frame", 0x100001818, 0x18);
	sect(&s[S_GOT], "__DATA_CONST", 2, "__got", 0x100002000, 0x20);
	sect(&s[S_LAZY], "__DATA", 3, "__la_symbol_ptr", 0x100003000, 0x20);
	sect(&s[S_TVARS], "__DATA", 3, "__thread_vars", 0x100003020, 0x18);
	sect(&s[S_DATA], "__DATA", 3, "__data", 0x100003038, 0x30);
	sect(&s[S_TDATA], "__DATA", 3, "__thread_data", 0x100003068, 4);
}

static void fix(struct rec_fixup *f, uint64_t addr, uint32_t sec,
		const char *sym, int32_t ord, int64_t addend, uint8_t flags)
{
	f->addr = addr;
	f->section = sec;
	f->symbol = sym;
	f->ordinal = ord;
	f->addend = addend;
	f->flags = flags;
}

static void symbol(struct rec_symbol *s, const char *name, uint64_t value,
		   uint8_t type, uint8_t sect_, uint16_t desc)
{
	s->name = name;
	s->value = value;
	s->type = type;
	s->sect = sect_;
	s->desc = desc;
}

static void atom(struct rec_map_atom *m, uint64_t addr, uint64_t size,
		 uint32_t file, const char *name)
{
	m->addr = addr;
	m->size = size;
	m->file = file;
	m->name = name;
}

/* The program of tests/unit/test_dump.c's comment, linked by ld64.lld. */
static void test_like_lld(void)
{
	struct link_image img = { 0 };
	arena_init(&img.arena);
	img.ok = 1;
	img.arch = ARCH_X86_64;
	img.output_name = "a.out";
	layout(&img);
	const char **d = NEW(&img, dylibs, 3);
	d[0] = "/usr/lib/libSystem.B.dylib";
	d[1] = "/System/Library/Frameworks/Foo.framework/Versions/A/Foo";
	d[2] = "/usr/lib/libbar_debug.A.dylib";
	const char **files = NEW(&img, files, 5);
	files[0] = "linker synthesized";
	files[1] = "a.o";
	files[2] = "/work/main/data/libSystem.tbd";
	files[3] = "foo.tbd";
	files[4] = "bar.tbd";

	struct rec_fixup *r = NEW(&img, rebases, 7);
	fix(&r[0], 0x100002000, S_GOT, NULL, 0, 0, 0);
	for (int i = 0; i < 4; i++)
		fix(&r[1 + i], 0x100003000 + 8u * i, S_LAZY, NULL, 0, 0, 0);
	fix(&r[5], 0x100003040, S_DATA, NULL, 0, 0, 0);
	fix(&r[6], 0x100003058, S_DATA, NULL, 0, 0, 0);

	struct rec_fixup *b = NEW(&img, binds, 4);
	fix(&b[0], 0x100002008, S_GOT, "_foo_func", 2, 0,
	    BIND_SYMBOL_FLAGS_WEAK_IMPORT);
	fix(&b[1], 0x100002010, S_GOT, "_stderr", 1, 0, 0);
	fix(&b[2], 0x100002018, S_GOT, "dyld_stub_binder", 1, 0, 0);
	fix(&b[3], 0x100003020, S_TVARS, "__tlv_bootstrap", 1, 0, 0);

	struct rec_fixup *l = NEW(&img, lazy_binds, 4);
	fix(&l[0], 0x100003000, S_LAZY, "_printf", 1, 0, 0);
	fix(&l[1], 0x100003008, S_LAZY, "_bar_func", 3, 0, 0);
	fix(&l[2], 0x100003010, S_LAZY, "_foo_func", 2, 0,
	    BIND_SYMBOL_FLAGS_WEAK_IMPORT);
	fix(&l[3], 0x100003018, S_LAZY, "_fprintf", 1, 0, 0);

	struct rec_fixup *w = NEW(&img, weak_binds, 1);
	fix(&w[0], 0x100002000, S_GOT, "_wd", 0, 0, 0);

	struct rec_export *e = NEW(&img, exports, 7);
	e[0] = (struct rec_export){ "_counter", 0x100003038, 0 };
	/* lld's trie lists these in another order; ours is sorted */
	e[1] = (struct rec_export){ "_main", 0x100000700, 0 };
	e[2] = (struct rec_export){ "__mh_execute_header", 0x100000000, 0 };
	e[3] = (struct rec_export){ "_wd", 0x100003048,
				    EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION };
	e[4] = (struct rec_export){ "_tl", 0x100003020,
				    EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL };
	e[5] = (struct rec_export){ "_pc", 0x100003040, 0 };
	e[6] = (struct rec_export){ "_pst", 0x100003058, 0 };

	/* symbol table order: locals, externals, undefined (by name) */
	struct rec_symbol *s = NEW(&img, symbols, 19);
	symbol(&s[0], "_hid", 0x10000304c, N_SECT | N_PEXT, 10, 0);
	symbol(&s[1], "_st", 0x100003050, N_SECT, 10, 0);
	symbol(&s[2], "_tl$tlv$init", 0x100003068, N_SECT, 11, 0);
	symbol(&s[3], "__dyld_private", 0x100003060, N_SECT, 10, 0);
	symbol(&s[4], "__mh_execute_header", 0x100000000, N_SECT | N_EXT, 1,
	       REFERENCED_DYNAMICALLY);
	symbol(&s[5], "_counter", 0x100003038, N_SECT | N_EXT, 10, 0);
	symbol(&s[6], "_main", 0x100000700, N_SECT | N_EXT, 1, 0);
	symbol(&s[7], "_pc", 0x100003040, N_SECT | N_EXT, 10, 0);
	symbol(&s[8], "_pst", 0x100003058, N_SECT | N_EXT, 10, 0);
	symbol(&s[9], "_tl", 0x100003020, N_SECT | N_EXT, 9, 0);
	symbol(&s[10], "_wd", 0x100003048, N_SECT | N_EXT, 10, N_WEAK_DEF);
	symbol(&s[11], "__tlv_bootstrap", 0, N_UNDF | N_EXT, 0, 1 << 8);
	symbol(&s[12], "_bar_func", 0, N_UNDF | N_EXT, 0, 3 << 8);
	symbol(&s[13], "_foo_func", 0, N_UNDF | N_EXT, 0, 2 << 8 | N_WEAK_REF);
	symbol(&s[14], "_fprintf", 0, N_UNDF | N_EXT, 0, 1 << 8);
	symbol(&s[15], "_printf", 0, N_UNDF | N_EXT, 0, 1 << 8);
	symbol(&s[16], "_stderr", 0, N_UNDF | N_EXT, 0, 1 << 8);
	symbol(&s[17], "dyld_stub_binder", 0, N_UNDF | N_EXT, 0, 1 << 8);
	symbol(&s[18], "radr://5614542", 0x5614542, N_STAB | 0x0c, 0, 0);

	struct rec_map_atom *m = NEW(&img, map, 5);
	atom(&m[0], 0x100000700, 0x7e, 1, "_main");
	atom(&m[1], 0x100000780, 6, 2, "_printf");
	atom(&m[2], 0x100000798, 0x38, 0, "helper helper");
	atom(&m[3], 0x1000007d0, 9, 1, "literal string: x %d %d\n");
	atom(&m[4], 0x100002000, 8, 0, "non-lazy-pointer-to-local: _wd");

	CHECK(&img, DUMP_REBASE,
	      "Rebase table:\n"
	      "segment  section            address     type\n"
	      "__DATA_CONST __got              0x100002000  pointer\n"
	      "__DATA   __la_symbol_ptr    0x100003000  pointer\n"
	      "__DATA   __la_symbol_ptr    0x100003008  pointer\n"
	      "__DATA   __la_symbol_ptr    0x100003010  pointer\n"
	      "__DATA   __la_symbol_ptr    0x100003018  pointer\n"
	      "__DATA   __data             0x100003040  pointer\n"
	      "__DATA   __data             0x100003058  pointer\n");
	CHECK(&img, DUMP_BIND,
	      "Bind table:\n"
	      "segment  section            address    type       addend dylib            symbol\n"
	      "__DATA_CONST __got              0x100002008 pointer         0 Foo              _foo_func (weak_import)\n"
	      "__DATA_CONST __got              0x100002010 pointer         0 libSystem        _stderr\n"
	      "__DATA_CONST __got              0x100002018 pointer         0 libSystem        dyld_stub_binder\n"
	      "__DATA   __thread_vars      0x100003020 pointer         0 libSystem        __tlv_bootstrap\n");
	/* llvm-objdump 19 prints no (weak_import) in the lazy bind table */
	CHECK(&img, DUMP_LAZY_BIND,
	      "Lazy bind table:\n"
	      "segment  section            address     dylib            symbol\n"
	      "__DATA   __la_symbol_ptr    0x100003000 libSystem        _printf\n"
	      "__DATA   __la_symbol_ptr    0x100003008 libbar           _bar_func\n"
	      "__DATA   __la_symbol_ptr    0x100003010 Foo              _foo_func\n"
	      "__DATA   __la_symbol_ptr    0x100003018 libSystem        _fprintf\n");
	CHECK(&img, DUMP_WEAK_BIND,
	      "Weak bind table:\n"
	      "segment  section            address     type       addend   symbol\n"
	      "__DATA_CONST __got              0x100002000 pointer         0   _wd\n");
	CHECK(&img, DUMP_EXPORTS,
	      "Exports trie:\n"
	      "0x100000000  __mh_execute_header\n"
	      "0x100003038  _counter\n"
	      "0x100000700  _main\n"
	      "0x100003040  _pc\n"
	      "0x100003058  _pst\n"
	      "0x100003020  _tl [per-thread]\n"
	      "0x100003048  _wd [weak_def]\n");
	CHECK(&img, DUMP_SYMBOLS,
	      "0000000100003060 (__DATA,__data) non-external __dyld_private\n"
	      "0000000100000000 (__TEXT,__text) [referenced dynamically] external __mh_execute_header\n"
	      "                 (undefined) external __tlv_bootstrap (from libSystem)\n"
	      "                 (undefined) external _bar_func (from libbar)\n"
	      "0000000100003038 (__DATA,__data) external _counter\n"
	      "                 (undefined) weak external _foo_func (from Foo)\n"
	      "                 (undefined) external _fprintf (from libSystem)\n"
	      "000000010000304c (__DATA,__data) non-external (was a private external) _hid\n"
	      "0000000100000700 (__TEXT,__text) external _main\n"
	      "0000000100003040 (__DATA,__data) external _pc\n"
	      "                 (undefined) external _printf (from libSystem)\n"
	      "0000000100003058 (__DATA,__data) external _pst\n"
	      "0000000100003050 (__DATA,__data) non-external _st\n"
	      "                 (undefined) external _stderr (from libSystem)\n"
	      "0000000100003020 (__DATA,__thread_vars) external _tl\n"
	      "0000000100003068 (__DATA,__thread_data) non-external _tl$tlv$init\n"
	      "0000000100003048 (__DATA,__data) weak external _wd\n"
	      "                 (undefined) external dyld_stub_binder (from libSystem)\n");
	CHECK(&img, DUMP_MAP,
	      "# Path: a.out\n"
	      "# Arch: x86_64\n"
	      "# Object files:\n"
	      "[  0] linker synthesized\n"
	      "[  1] a.o\n"
	      "[  2] /work/main/data/libSystem.tbd\n"
	      "[  3] foo.tbd\n"
	      "[  4] bar.tbd\n"
	      "# Sections:\n"
	      "# Address\tSize    \tSegment\tSection\n"
	      "0x100000700\t0x0000007E\t__TEXT\t__text\n"
	      "0x100000780\t0x00000018\t__TEXT\t__stubs\n"
	      "0x100000798\t0x00000038\t__TEXT\t__stub_helper\n"
	      "0x1000007D0\t0x00000010\t__TEXT\t__cstring\n"
	      "0x1000007E0\t0x00001038\t__TEXT\t__unwind_info\n"
	      "0x100001818\t0x00000018\t__TEXT\t__eh_frame\n"
	      "0x100002000\t0x00000020\t__DATA_CONST\t__got\n"
	      "0x100003000\t0x00000020\t__DATA\t__la_symbol_ptr\n"
	      "0x100003020\t0x00000018\t__DATA\t__thread_vars\n"
	      "0x100003038\t0x00000030\t__DATA\t__data\n"
	      "0x100003068\t0x00000004\t__DATA\t__thread_data\n"
	      "# Symbols:\n"
	      "# Address\tSize    \tFile  Name\n"
	      "0x100000700\t0x0000007E\t[  1] _main\n"
	      "0x100000780\t0x00000006\t[  2] _printf\n"
	      "0x100000798\t0x00000038\t[  0] helper helper\n"
	      "0x1000007D0\t0x00000009\t[  1] literal string: x %d %d\\n\n"
	      "0x100002000\t0x00000008\t[  0] non-lazy-pointer-to-local: _wd\n");
	arena_release(&img.arena);
}

static void test_edge_cases(void)
{
	struct link_image img = { 0 };
	arena_init(&img.arena);
	img.ok = 1;
	img.arch = ARCH_ARM64;
	img.output_name = "out\tput";
	layout(&img);

	/* every table empty: only the header lines */
	CHECK(&img, DUMP_REBASE, "Rebase table:\n"
				 "segment  section            address     type\n");
	CHECK(&img, DUMP_BIND,
	      "Bind table:\n"
	      "segment  section            address    type       addend dylib            symbol\n");
	CHECK(&img, DUMP_LAZY_BIND,
	      "Lazy bind table:\n"
	      "segment  section            address     dylib            symbol\n");
	CHECK(&img, DUMP_WEAK_BIND,
	      "Weak bind table:\n"
	      "segment  section            address     type       addend   symbol\n");
	CHECK(&img, DUMP_EXPORTS, "Exports trie:\n");
	CHECK(&img, DUMP_GOT, "address       slot  symbol                    filled by\n");
	CHECK(&img, DUMP_STUBS,
	      "stub         lazy_ptr     helper       symbol                    dylib\n");
	CHECK(&img, DUMP_SYMBOLS, "");

	const char **d = NEW(&img, dylibs, 5);
	d[0] = "/usr/lib/libc++.1.dylib";
	d[1] = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";
	d[2] = "libnoslash.dylib";
	d[3] = "/opt/odd/name";
	d[4] = "/usr/lib/libATS.A_profile.dylib";

	struct rec_fixup *b = NEW(&img, binds, 9);
	fix(&b[0], 0x100003038, S_DATA, "_self", 0, 0, 0);
	fix(&b[1], 0x100003040, S_DATA, "_main_exe", -1, -8, 0);
	fix(&b[2], 0x100003048, S_DATA, "_flat", -2, 123456789, 0);
	fix(&b[3], 0x100003050, S_DATA, "_weaklookup", -3, 0, 0);
	fix(&b[4], 0x100003058, S_DATA, "_bad", 6, 0, 0);
	fix(&b[5], 0x100003060, S_DATA, "_unknown", -4, 0, 0);
	fix(&b[6], 0x100002000, S_GOT, "__ZNSt3__14coutE", 1, 16,
	    BIND_SYMBOL_FLAGS_WEAK_IMPORT);
	fix(&b[7], 0x100002008, S_GOT, "_CFRelease", 2, -2147483648LL, 0);
	fix(&b[8], 0x100002010, S_GOT, "_x", 5, 0, 0);
	CHECK(&img, DUMP_BIND,
	      "Bind table:\n"
	      "segment  section            address    type       addend dylib            symbol\n"
	      "__DATA   __data             0x100003038 pointer         0 this-image       _self\n"
	      "__DATA   __data             0x100003040 pointer        -8 main-executable  _main_exe\n"
	      "__DATA   __data             0x100003048 pointer  123456789 flat-namespace   _flat\n"
	      "__DATA   __data             0x100003050 pointer         0 weak             _weaklookup\n"
	      "__DATA   __data             0x100003058 pointer         0 <<bad library ordinal>> _bad\n"
	      "__DATA   __data             0x100003060 pointer         0 <<unknown special ordinal>> _unknown\n"
	      "__DATA_CONST __got              0x100002000 pointer        16 libc++           __ZNSt3__14coutE (weak_import)\n"
	      "__DATA_CONST __got              0x100002008 pointer  -2147483648 CoreFoundation   _CFRelease\n"
	      "__DATA_CONST __got              0x100002010 pointer         0 libATS           _x\n");

	struct rec_fixup *l = NEW(&img, lazy_binds, 2);
	fix(&l[0], 0x100003000, S_LAZY, "_n", 3, 0, 0);
	fix(&l[1], 0x100003008, S_LAZY, "_o", 4, 0, 0);
	CHECK(&img, DUMP_LAZY_BIND,
	      "Lazy bind table:\n"
	      "segment  section            address     dylib            symbol\n"
	      "__DATA   __la_symbol_ptr    0x100003000 libnoslash       _n\n"
	      "__DATA   __la_symbol_ptr    0x100003008 /opt/odd/name    _o\n");

	struct rec_fixup *w = NEW(&img, weak_binds, 3);
	fix(&w[0], 0, 0, "__ZdlPv", 0, 0, BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION);
	fix(&w[1], 0x100003038, S_DATA, "_w", 0, -4, 0);
	fix(&w[2], 0x10000303a, S_DATA, "_v", 0, 4096, 0);
	CHECK(&img, DUMP_WEAK_BIND,
	      "Weak bind table:\n"
	      "segment  section            address     type       addend   symbol\n"
	      "                                        strong              __ZdlPv\n"
	      "__DATA   __data             0x100003038 pointer        -4   _w\n"
	      "__DATA   __data             0x10000303A pointer      4096   _v\n");

	struct rec_export *e = NEW(&img, exports, 7);
	/* a name a prefix of others is listed after them (trie post-order) */
	e[4] = (struct rec_export){ "_f_1", 0x100000710, 0 };
	e[5] = (struct rec_export){ "_f_10", 0x100000720, 0 };
	e[6] = (struct rec_export){ "_f_2", 0x100000730, 0 };
	e[0] = (struct rec_export){ "_abs", 0x2a, EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE };
	e[1] = (struct rec_export){ "_wtl", 0x1000030ab,
				    EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL |
					    EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION };
	e[2] = (struct rec_export){ "_big", 0x1234567890abcdef, 0 };
	e[3] = (struct rec_export){ "_wabs", 0x10,
				    EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE |
					    EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION };
	CHECK(&img, DUMP_EXPORTS,
	      "Exports trie:\n"
	      "0x0000002A  _abs [absolute]\n"
	      "0x1234567890ABCDEF  _big\n"
	      "0x100000720  _f_10\n"
	      "0x100000710  _f_1\n"
	      "0x100000730  _f_2\n"
	      "0x00000010  _wabs [weak_def, absolute]\n"
	      "0x1000030AB  _wtl [weak_def, per-thread]\n");

	struct rec_got *g = NEW(&img, got, 4);
	g[0] = (struct rec_got){ 0x100002000, "_stderr", 1, 0, 0 };
	g[1] = (struct rec_got){ 0x100002008, "_counter", 0, 0x100003018, 0 };
	g[2] = (struct rec_got){ 0x100002010, "_evil\n\x01name\\", 2, 0, 1 };
	g[3] = (struct rec_got){ 0x100002018, "_wd", 0, 0x100003048, 1 };
	CHECK(&img, DUMP_GOT,
	      "address       slot  symbol                    filled by\n"
	      "0x100002000      0  _stderr                   bind libc++\n"
	      "0x100002008      1  _counter                  rebase 0x100003018\n"
	      "0x100002010      2  _evil\\x0a\\x01name\\\\       bind CoreFoundation weak\n"
	      "0x100002018      3  _wd                       rebase 0x100003048 weak\n");

	struct rec_stub *st = NEW(&img, stubs, 2);
	st[0] = (struct rec_stub){ 0x100000780, 0x100003000, 0x1000007a8,
				   "_printf", 1, 0 };
	st[1] = (struct rec_stub){ 0x100000786, 0, 0,
				   "_a_rather_long_symbol_name_here\x7f", -2, 0 };
	CHECK(&img, DUMP_STUBS,
	      "stub         lazy_ptr     helper       symbol                    dylib\n"
	      "0x100000780  0x100003000  0x1000007A8  _printf                   libc++\n"
	      "0x100000786  -            -            _a_rather_long_symbol_name_here\\x7f  flat-namespace\n");

	struct rec_symbol *s = NEW(&img, symbols, 9);
	symbol(&s[0], "_b", 0x42, N_ABS | N_EXT, 0, 0);
	symbol(&s[1], "_a", 0x100003038, N_SECT | N_EXT | N_PEXT, 10, 0);
	symbol(&s[2], "_c", 0, N_UNDF | N_EXT, 0, 0xfe << 8);
	symbol(&s[3], "_d", 0, N_UNDF | N_EXT, 0, 0xff << 8);
	symbol(&s[4], "_e", 0, N_UNDF | N_EXT, 0, 9 << 8);
	symbol(&s[5], "_f", 0x100003040, N_SECT | N_EXT, 10,
	       N_WEAK_DEF | N_WEAK_REF);
	symbol(&s[6], "_g", 0x100003040, N_SECT | N_EXT | N_PEXT, 10, N_WEAK_DEF);
	symbol(&s[7], "_h", 0x100003040, N_SECT, 99, 0);
	symbol(&s[8], "_a", 0x100003030, N_SECT, 10, 0);
	CHECK(&img, DUMP_SYMBOLS,
	      "0000000100003030 (__DATA,__data) non-external _a\n"
	      "0000000100003038 (__DATA,__data) private external _a\n"
	      "0000000000000042 (absolute) external _b\n"
	      "                 (undefined) external _c (dynamically looked up)\n"
	      "                 (undefined) external _d (from executable)\n"
	      "                 (undefined) external _e (from bad library ordinal 9)\n"
	      "0000000100003040 (__DATA,__data) weak external automatically hidden _f\n"
	      "0000000100003040 (__DATA,__data) weak private external _g\n"
	      "0000000100003040 (?,?) non-external _h\n");

	const char **files = NEW(&img, files, 2);
	files[0] = "linker synthesized";
	files[1] = "dir/x\x1b.o";
	img.nsections = 1;
	struct rec_map_atom *m = NEW(&img, map, 1);
	atom(&m[0], 0x100000700, 0, 1, "_q\"\\");
	CHECK(&img, DUMP_MAP,
	      "# Path: out\\tput\n"
	      "# Arch: arm64\n"
	      "# Object files:\n"
	      "[  0] linker synthesized\n"
	      "[  1] dir/x\\033.o\n"
	      "# Sections:\n"
	      "# Address\tSize    \tSegment\tSection\n"
	      "0x100000700\t0x0000007E\t__TEXT\t__text\n"
	      "# Symbols:\n"
	      "# Address\tSize    \tFile  Name\n"
	      "0x100000700\t0x00000000\t[  1] _q\\\"\\\\\n");
	arena_release(&img.arena);
}

static void test_names(void)
{
	static const char *const names[DUMP_KIND_COUNT] = { "rebase", "bind",
		"lazy_bind", "weak_bind", "exports", "got", "stubs", "symbols", "map",
		"fixups", "chained_fixups", "codesign", "why" };
	for (int k = 0; k < DUMP_KIND_COUNT; k++) {
		char file[32];
		snprintf(file, sizeof file, "%s.txt", names[k]);
		EXPECT_STR(dump_kind_name(k), names[k]);
		EXPECT_STR(dump_file_name(k), file);
		EXPECT_INT(dump_kind_from_name(names[k]), k);
		EXPECT_INT(dump_kind_from_name(file), k);
	}
	EXPECT_INT(dump_kind_from_name("lazy-bind"), DUMP_LAZY_BIND);
	EXPECT_INT(dump_kind_from_name("weak-bind"), DUMP_WEAK_BIND);
	EXPECT_INT(dump_kind_from_name("exports-trie"), DUMP_EXPORTS);
	EXPECT_INT(dump_kind_from_name("dyld-info"), DUMP_FIXUPS);
	EXPECT_INT(dump_kind_from_name("chained-fixups"), DUMP_CHAINED_FIXUPS);
	EXPECT_INT(dump_kind_from_name("nope"), -1);
	EXPECT_INT(dump_kind_from_name("rebase.tx"), -1);
	EXPECT_INT(dump_kind_from_name(""), -1);
	EXPECT_INT(dump_kind_from_name(NULL), -1);
	EXPECT_STR(dump_kind_name(DUMP_KIND_COUNT), NULL);
	EXPECT_STR(dump_file_name((enum dump_kind)-1), NULL);
}

static void short_name(const char *install, const char *want, int line)
{
	struct strview s = dylib_short_name(install);
	if (s.n != strlen(want) || memcmp(s.p, want, s.n)) {
		fprintf(stderr, "line %d: short name of '%s' is '%.*s', want '%s'\n",
			line, install, (int)s.n, s.p, want);
		failures++;
	}
}
#define SHORT(i, w) short_name(i, w, __LINE__)

static void test_short_names(void)
{
	SHORT("/usr/lib/libSystem.B.dylib", "libSystem");
	SHORT("/usr/lib/libobjc.A.dylib", "libobjc");
	SHORT("/usr/lib/libz.1.dylib", "libz");
	SHORT("/usr/lib/libc++.1.dylib", "libc++");
	SHORT("/usr/lib/libSystem.dylib", "libSystem");
	SHORT("/System/Library/Frameworks/Foo.framework/Versions/A/Foo", "Foo");
	SHORT("/System/Library/Frameworks/Foo.framework/Foo", "Foo");
	SHORT("/System/Library/Frameworks/Foo.framework/Foo_debug", "Foo");
	SHORT("/usr/lib/libbar_debug.A.dylib", "libbar");
	SHORT("/usr/lib/libbar_x.A.dylib", "libbar_x");
	SHORT("/usr/lib/libATS.A_profile.dylib", "libATS");
	SHORT("/a/QT.A.qtx", "QT");
	SHORT("libnoslash.dylib", "libnoslash");
	SHORT("/opt/odd/name", "/opt/odd/name");
	SHORT(".dylib", ".dylib");
	SHORT("/x/y_debug", "/x/y_debug");
	SHORT("/x/.dylib", "/x/.dylib");
	SHORT("/usr/lib/libfoo_profile.dylib", "libfoo");
	SHORT("/Foo.framework/Foo", "Foo");
	SHORT("/a/b/Foo.framework/Versions/Foo", "/a/b/Foo.framework/Versions/Foo");
	SHORT("", "");
}

int main(void)
{
	test_names();
	test_short_names();
	test_like_lld();
	test_edge_cases();
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
