/*
 * lto.c - link-time optimization for linkfs-ld: the LLVM bitcode inputs
 * (clang -flto) go to libLTO, LLVM's C API (llvm-c/lto.h, from Debian's
 * llvm-19-dev), which optimizes them together and compiles them into one
 * Mach-O object; that object is then linked like any other input.
 *
 * libLTO is loaded (dlopen) only when a bitcode input is given, so links
 * without one do not pay for loading LLVM: the library -lto_library
 * names when it loads, else the one found at build time
 * (LINKFS_LIBLTO_PATH).
 *
 * What stays external is what ld64.lld keeps visible: for an executable,
 * the definitions a native object refers to, the entry point and the
 * names of -u and of an exported list (main.c gathers them); every
 * definition of a dylib or bundle, or with -export_dynamic. The rest
 * may be internalized, so inlined and dropped.
 *
 * Leaves out: ThinLTO (clang -flto=thin makes bitcode this API links as
 * full LTO), bitcode inside archives (an archive member that is bitcode
 * is refused by the link), LTO's cache, and -mllvm options (LLVM's option
 * parser exits the process on one it does not know).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lto.h"

#ifdef LINKFS_HAVE_LTO
#include <llvm-c/lto.h>

/* The entry points used, looked up once per link. */
struct lto_api {
	void *handle;
	const char *(*get_version)(void);
	const char *(*get_error_message)(void);
	lto_module_t (*module_create_from_memory_with_path)(const void *, size_t,
							     const char *);
	void (*module_dispose)(lto_module_t);
	const char *(*module_get_target_triple)(lto_module_t);
	unsigned (*module_get_num_symbols)(lto_module_t);
	const char *(*module_get_symbol_name)(lto_module_t, unsigned);
	lto_symbol_attributes (*module_get_symbol_attribute)(lto_module_t, unsigned);
	lto_code_gen_t (*codegen_create)(void);
	void (*codegen_dispose)(lto_code_gen_t);
	lto_bool_t (*codegen_add_module)(lto_code_gen_t, lto_module_t);
	lto_bool_t (*codegen_set_pic_model)(lto_code_gen_t, lto_codegen_model);
	lto_bool_t (*codegen_set_debug_model)(lto_code_gen_t, lto_debug_model);
	void (*codegen_add_must_preserve_symbol)(lto_code_gen_t, const char *);
	const void *(*codegen_compile)(lto_code_gen_t, size_t *);
};

static int load_api(struct lto_api *a, const char *lib, char *msg, size_t len)
{
	memset(a, 0, sizeof *a);
	const char *tried = lib;
	if (lib)
		a->handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!a->handle) {
		tried = LINKFS_LIBLTO_PATH;
		a->handle = dlopen(LINKFS_LIBLTO_PATH, RTLD_NOW | RTLD_LOCAL);
	}
	if (!a->handle) {
		snprintf(msg, len, "cannot load libLTO ('%s'): %s", tried, dlerror());
		return -1;
	}
	struct { void **fn; const char *name; } syms[] = {
		{ (void **)&a->get_version, "lto_get_version" },
		{ (void **)&a->get_error_message, "lto_get_error_message" },
		{ (void **)&a->module_create_from_memory_with_path,
		  "lto_module_create_from_memory_with_path" },
		{ (void **)&a->module_dispose, "lto_module_dispose" },
		{ (void **)&a->module_get_target_triple, "lto_module_get_target_triple" },
		{ (void **)&a->module_get_num_symbols, "lto_module_get_num_symbols" },
		{ (void **)&a->module_get_symbol_name, "lto_module_get_symbol_name" },
		{ (void **)&a->module_get_symbol_attribute, "lto_module_get_symbol_attribute" },
		{ (void **)&a->codegen_create, "lto_codegen_create" },
		{ (void **)&a->codegen_dispose, "lto_codegen_dispose" },
		{ (void **)&a->codegen_add_module, "lto_codegen_add_module" },
		{ (void **)&a->codegen_set_pic_model, "lto_codegen_set_pic_model" },
		{ (void **)&a->codegen_set_debug_model, "lto_codegen_set_debug_model" },
		{ (void **)&a->codegen_add_must_preserve_symbol,
		  "lto_codegen_add_must_preserve_symbol" },
		{ (void **)&a->codegen_compile, "lto_codegen_compile" },
	};
	for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
		*syms[i].fn = dlsym(a->handle, syms[i].name);
		if (!*syms[i].fn) {
			snprintf(msg, len, "libLTO ('%s') has no %s", tried, syms[i].name);
			dlclose(a->handle);
			a->handle = NULL;
			return -1;
		}
	}
	return 0;
}

static const char *lto_error(const struct lto_api *a)
{
	const char *e = a->get_error_message();
	return e && *e ? e : "unknown error";
}

/* The architecture part of a target triple: 1 if it is arch's. */
static int triple_is(const char *triple, enum link_arch arch)
{
	size_t n = strcspn(triple, "-");
	if (arch == ARCH_X86_64)
		return n == 6 && !strncmp(triple, "x86_64", 6);
	return (n == 5 && !strncmp(triple, "arm64", 5)) ||
	       (n == 7 && !strncmp(triple, "aarch64", 7));
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int lto_compile(const char *lib, const struct lto_bitcode *bc, size_t n,
		enum link_arch arch, const struct lto_keep *keep, uint8_t **obj,
		size_t *obj_size, char *msg, size_t len)
{
	struct lto_api a;
	*obj = NULL;
	*obj_size = 0;
	if (load_api(&a, lib, msg, len))
		return -1;
	int rc = -1;
	size_t nm = 0;
	lto_module_t *mods = calloc(n + 1, sizeof *mods);
	lto_code_gen_t cg = mods ? a.codegen_create() : NULL;
	if (!cg) {
		snprintf(msg, len, "libLTO: %s", mods ? lto_error(&a) : "out of memory");
		goto out;
	}
	a.codegen_set_pic_model(cg, LTO_CODEGEN_PIC_MODEL_DYNAMIC);
	a.codegen_set_debug_model(cg, LTO_DEBUG_MODEL_DWARF);
	for (size_t i = 0; i < n; i++) {
		lto_module_t m = a.module_create_from_memory_with_path(bc[i].data, bc[i].size,
								      bc[i].name);
		if (!m) {
			snprintf(msg, len, "'%s': offset 0x0: LLVM bitcode that libLTO cannot read: %s",
				 bc[i].name, lto_error(&a));
			goto out;
		}
		const char *triple = a.module_get_target_triple(m);
		if (!triple || !triple_is(triple, arch)) {
			snprintf(msg, len, "'%s': LLVM bitcode for '%s', not %s", bc[i].name,
				 triple ? triple : "(no target)", arch == ARCH_ARM64 ? "arm64" : "x86_64");
			a.module_dispose(m);
			goto out;
		}
		unsigned ns = a.module_get_num_symbols(m);
		for (unsigned k = 0; k < ns; k++) {
			lto_symbol_attributes at = a.module_get_symbol_attribute(m, k);
			const char *name = a.module_get_symbol_name(m, k);
			if (name && (at & LTO_SYMBOL_DEFINITION_MASK) != LTO_SYMBOL_DEFINITION_UNDEFINED &&
			    (at & LTO_SYMBOL_SCOPE_MASK) != LTO_SYMBOL_SCOPE_INTERNAL &&
			    (keep->all || bsearch(&name, keep->names, keep->n, sizeof *keep->names,
						  cmp_name)))
				a.codegen_add_must_preserve_symbol(cg, name);
		}
		mods[nm++] = m;   /* disposed after the code is made */
		if (a.codegen_add_module(cg, m)) {
			snprintf(msg, len, "'%s': libLTO cannot link it: %s", bc[i].name,
				 lto_error(&a));
			goto out;
		}
	}
	size_t size = 0;
	const void *out = a.codegen_compile(cg, &size);
	if (!out || !size) {
		snprintf(msg, len, "libLTO: code generation failed: %s", lto_error(&a));
		goto out;
	}
	*obj = malloc(size);
	if (!*obj) {
		snprintf(msg, len, "out of memory");
		goto out;
	}
	memcpy(*obj, out, size);
	*obj_size = size;
	rc = 0;
out:
	if (cg)
		a.codegen_dispose(cg);
	for (size_t i = 0; i < nm; i++)
		a.module_dispose(mods[i]);
	free(mods);
	/* libLTO stays loaded: LLVM's static state is not made to unload */
	return rc;
}

#else

int lto_compile(const char *lib, const struct lto_bitcode *bc, size_t n,
		enum link_arch arch, const struct lto_keep *keep, uint8_t **obj,
		size_t *obj_size, char *msg, size_t len)
{
	(void)lib;
	(void)arch;
	(void)keep;
	*obj = NULL;
	*obj_size = 0;
	snprintf(msg, len, "'%s': offset 0x0: LLVM bitcode (clang -flto); this linkfs-ld "
		 "was built without libLTO (llvm-19-dev): compile without -flto",
		 n ? bc[0].name : "?");
	return -1;
}

#endif
