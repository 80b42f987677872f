/*
 * mr-cxx-arm64.c - the one C++ calling-convention difference between
 * Darwin arm64 and Linux aarch64 that crosses into the host C++ runtime:
 * Apple's arm64 C++ ABI (like ARM's) has complete and base-object
 * constructors and destructors return `this` in x0, and its callers rely
 * on it (a deleting destructor passes the x0 its base destructor returned
 * to operator delete). libstdc++'s return void. The image calls the
 * destructors of the runtime's std::exception family and std::type_info
 * directly (those of the classes derived from them), so each D1/D2 is bound
 * to a wrapper that calls libstdc++'s and returns `this`.
 *
 * Left out: the constructors (libstdc++ exports none of these), and
 * other classes of the C++ library (the runner binds no libc++ std::__1
 * names at all).
 */
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "mr.h"

/* X(index, host name) for every this-returning structor of the runtime */
#define THIS_RETURNING(X) \
	X(0, "_ZNSt9exceptionD1Ev") X(1, "_ZNSt9exceptionD2Ev") \
	X(2, "_ZNSt13bad_exceptionD1Ev") X(3, "_ZNSt13bad_exceptionD2Ev") \
	X(4, "_ZNSt9bad_allocD1Ev") X(5, "_ZNSt9bad_allocD2Ev") \
	X(6, "_ZNSt20bad_array_new_lengthD1Ev") \
	X(7, "_ZNSt20bad_array_new_lengthD2Ev") \
	X(8, "_ZNSt8bad_castD1Ev") X(9, "_ZNSt8bad_castD2Ev") \
	X(10, "_ZNSt10bad_typeidD1Ev") X(11, "_ZNSt10bad_typeidD2Ev") \
	X(12, "_ZNSt9type_infoD1Ev") X(13, "_ZNSt9type_infoD2Ev")
#define NSTRUCTORS 14

static void (*host_fn[NSTRUCTORS])(void *);

#define WRAPPER(i, name) \
	static void *wrap_##i(void *self) \
	{ \
		host_fn[i](self); \
		return self; \
	}
THIS_RETURNING(WRAPPER)

static const struct {
	const char *name;
	void *(*wrap)(void *);
} structors[NSTRUCTORS] = {
#define ENTRY(i, name) { name, wrap_##i },
	THIS_RETURNING(ENTRY)
};

int mr_cxx_abi_resolve(const char *name, uint64_t *addr, const char **why)
{
	for (unsigned i = 0; i < NSTRUCTORS; i++) {
		if (strcmp(structors[i].name, name))
			continue;
		void *p = mr_cxx_runtime_load() ? NULL :
			dlsym(RTLD_DEFAULT, name);
		if (!p) {
			*why = "the host C++ runtime does not define it";
			return -1;
		}
		host_fn[i] = (void (*)(void *))(uintptr_t)p;
		*addr = (uint64_t)(uintptr_t)structors[i].wrap;
		return 1;
	}
	return 0;
}
