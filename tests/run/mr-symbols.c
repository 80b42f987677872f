/*
 * mr-symbols.c - resolve the imports of a Mach-O image against the host C
 * library: first a table of Darwin names that differ from glibc's (or that
 * the runner provides itself), then the architecture's calling-convention
 * table (mr_abi_resolve: bridges, or a refusal), then dlsym(RTLD_DEFAULT,
 * name without its leading '_'). A name dlsym does not find is looked up
 * again after the host C++ runtime (libstdc++.so.6, which brings
 * libgcc_s.so.1) is loaded with RTLD_GLOBAL: C++ images import ___cxa_*,
 * operator new and the typeinfo vtables, whose Itanium names are the same
 * on Linux.
 *
 * The alias table is documented in docs/runner.md; keep the two in step.
 * The program's dlopen family goes to the runner's own (mr-load.c), which
 * opens Mach-O files. Two-level namespace lookups into Mach-O dylibs are
 * mr-load.c's; every system dylib ends here. Left out: symbol versions,
 * Darwin-only functions without a glibc equivalent.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mr.h"

/* ___stack_chk_guard: the canary compared by -fstack-protector code. */
uintptr_t mr_stack_chk_guard = 0x2f8a9c3e5d7b1604u;

static void mr_stack_chk_fail(void)
{
	fputs("macho-run: stack smashing detected (___stack_chk_fail)\n", stderr);
	abort();
}

static void mr_dyld_stub_binder(void)
{
	fputs("macho-run: dyld_stub_binder was called, but lazy binds are "
		"bound eagerly: a lazy pointer was left unbound\n", stderr);
	abort();
}

/* Darwin's assert: __assert_rtn(func, file, line, expr). */
static void mr_assert_rtn(const char *func, const char *file, int line,
	const char *expr)
{
	fprintf(stderr, "Assertion failed: (%s), function %s, file %s, line %d.\n",
		expr, func, file, line);
	abort();
}

static void mr_bzero(void *p, size_t n)
{
	memset(p, 0, n);
}

static void fill_pattern(void *b, const void *pat, size_t plen, size_t len)
{
	unsigned char *d = b;
	for (size_t i = 0; i < len; i++)
		d[i] = ((const unsigned char *)pat)[i % plen];
}

static void mr_memset_pattern4(void *b, const void *pat, size_t len)
{
	fill_pattern(b, pat, 4, len);
}

static void mr_memset_pattern8(void *b, const void *pat, size_t len)
{
	fill_pattern(b, pat, 8, len);
}

static void mr_memset_pattern16(void *b, const void *pat, size_t len)
{
	fill_pattern(b, pat, 16, len);
}

/* glibc keeps atexit in libc_nonshared.a, so dlsym cannot find it. */
static int mr_atexit(void (*fn)(void))
{
	return atexit(fn);
}

struct alias {
	const char *name; /* Mach-O name, with its leading '_' */
	void *data;       /* address of a variable, or NULL */
	mr_fn fn;         /* address of a function, or NULL */
};

static const struct alias aliases[] = {
	{ "___stderrp", &stderr, NULL },
	{ "___stdoutp", &stdout, NULL },
	{ "___stdinp", &stdin, NULL },
	{ "___error", NULL, (mr_fn)__errno_location },
	{ "___stack_chk_guard", &mr_stack_chk_guard, NULL },
	{ "___stack_chk_fail", NULL, mr_stack_chk_fail },
	{ "dyld_stub_binder", NULL, mr_dyld_stub_binder },
	{ "__tlv_bootstrap", NULL, mr_tlv_get_addr },
	{ "___chkstk_darwin", NULL, mr_chkstk_darwin },
	{ "___assert_rtn", NULL, (mr_fn)mr_assert_rtn },
	{ "___bzero", NULL, (mr_fn)mr_bzero },
	{ "_bzero", NULL, (mr_fn)mr_bzero },
	{ "_memset_pattern4", NULL, (mr_fn)mr_memset_pattern4 },
	{ "_memset_pattern8", NULL, (mr_fn)mr_memset_pattern8 },
	{ "_memset_pattern16", NULL, (mr_fn)mr_memset_pattern16 },
	{ "_atexit", NULL, (mr_fn)mr_atexit },
	{ "_dlopen", NULL, (mr_fn)mr_dlopen },
	{ "_dlsym", NULL, (mr_fn)mr_dlsym },
	{ "_dlclose", NULL, (mr_fn)mr_dlclose },
	{ "_dlerror", NULL, (mr_fn)mr_dlerror },
};

/* libstdc++.so.6 brings libgcc_s.so.1; RTLD_GLOBAL lets dlsym(RTLD_DEFAULT)
 * find both. */
int mr_cxx_runtime_load(void)
{
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	if (!state)
		state = dlopen(MR_CXX_RUNTIME, RTLD_NOW | RTLD_GLOBAL) ? 1 : -1;
	return state > 0 ? 0 : -1;
}

int mr_symbol_resolve(const char *name, uint64_t *addr, const char **why)
{
	*why = NULL;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(aliases[i].name, name))
			continue;
		*addr = aliases[i].data ? (uint64_t)(uintptr_t)aliases[i].data
			: (uint64_t)(uintptr_t)aliases[i].fn;
		return 0;
	}
	switch (mr_abi_resolve(name, addr, why)) {
	case 1:
		return 0;
	case -1:
		return -1;
	}
	if (name[0] != '_' || !name[1])
		return -1;
	void *p = dlsym(RTLD_DEFAULT, name + 1);
	if (!p && !mr_cxx_runtime_load())
		p = dlsym(RTLD_DEFAULT, name + 1);
	if (!p)
		return -1;
	*addr = (uint64_t)(uintptr_t)p;
	return 0;
}
