/*
 * mr-abi-arm64.c - the calling-convention table of the aarch64 build: which
 * imports cannot bind to the glibc function of the same name because Darwin
 * arm64 and AAPCS64 (Linux) call it differently.
 *
 * - Variadic functions and functions taking a va_list: Darwin passes the
 *   variadic arguments on the stack and its va_list is a pointer. The ones
 *   in mr_va_bridges (mr-varargs-arm64.c) are bridged; every other known
 *   variadic or va_list function of the C library is refused, naming the
 *   symbol, rather than bound to a function that would read garbage.
 * - long double is double on Darwin arm64: the C99 long double math
 *   functions, strtold and wcstold bind to their double versions.
 * - C++: the destructors of the runtime's exception classes get wrappers
 *   that return `this` (mr-cxx-arm64.c).
 *
 * Left out: long double functions outside <math.h>, <complex.h> and
 * strto*; variadic functions outside the C library and POSIX (a program's
 * own variadic functions are Darwin code and need nothing); non-variadic
 * calls with more than 8 integer or 8 floating-point arguments, whose stack
 * arguments Darwin packs by their natural size (none in libc that a C
 * program calls).
 */
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mr.h"

/* Darwin's nexttowardf(float, long double) passes a double in d1. */
static float mr_nexttowardf(float x, double y)
{
	return nexttowardf(x, (long double)y);
}

/* C library functions (names without the Mach-O '_') that are variadic or
 * take a va_list and have no bridge. */
static const char *const unbridged[] = {
	"syslog", "vsyslog", "err", "errx", "warn", "warnx", "verr", "verrx",
	"vwarn", "vwarnx", "error", "error_at_line", "execl", "execle",
	"execlp", "wprintf", "fwprintf", "swprintf", "vwprintf", "vfwprintf",
	"vswprintf", "wscanf", "fwscanf", "swscanf", "vwscanf", "vfwscanf",
	"vswscanf", "ulimit", "prctl", "ptrace", "syscall", "mq_open",
	"sem_open", "semctl", "strfmon", "strfmon_l", "makecontext",
	"obstack_printf", "obstack_vprintf", "mremap", "__printf_chk", "__fprintf_chk", "__dprintf_chk",
	"__asprintf_chk", "__vprintf_chk", "__vfprintf_chk", "__vdprintf_chk",
	"__vasprintf_chk", "__isoc99_scanf", "__isoc99_fscanf",
	"__isoc99_sscanf", "__isoc99_vscanf", "__isoc99_vfscanf",
	"__isoc99_vsscanf", "__open_2", "__openat_2",
};

/* long double functions: the Darwin name is the double version's + "l". */
static const char *const ldouble[] = {
	"acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt",
	"ceil", "copysign", "cos", "cosh", "erf", "erfc", "exp", "exp2",
	"expm1", "fabs", "fdim", "floor", "fma", "fmax", "fmin", "fmod",
	"frexp", "hypot", "ilogb", "ldexp", "lgamma", "llrint", "llround",
	"log", "log10", "log1p", "log2", "logb", "lrint", "lround", "modf",
	"nan", "nearbyint", "nextafter", "pow", "remainder", "remquo", "rint",
	"round", "scalbln", "scalbn", "sin", "sinh", "sqrt", "tan", "tanh",
	"tgamma", "trunc", "cabs", "cacos", "cacosh", "carg", "casin",
	"casinh", "catan", "catanh", "ccos", "ccosh", "cexp", "cimag", "clog",
	"conj", "cpow", "cproj", "creal", "csin", "csinh", "csqrt", "ctan",
	"ctanh",
};

/* Other long double names and the double function each becomes. */
static const char *const ldouble_other[][2] = {
	{ "strtold", "strtod" }, { "wcstold", "wcstod" },
	{ "nexttoward", "nextafter" }, { "nexttowardl", "nextafter" },
	{ "__fpclassifyl", "__fpclassify" }, { "__signbitl", "__signbit" },
};

static int host(const char *name, uint64_t *addr, const char **why)
{
	void *p = dlsym(RTLD_DEFAULT, name);
	if (!p) {
		*why = "its double equivalent is missing from the host C library";
		return -1;
	}
	*addr = (uint64_t)(uintptr_t)p;
	return 1;
}

int mr_abi_resolve(const char *name, uint64_t *addr, const char **why)
{
	for (unsigned i = 0; i < mr_va_nbridges; i++)
		if (!strcmp(mr_va_bridges[i].name, name)) {
			*addr = (uint64_t)(uintptr_t)mr_va_bridges[i].fn;
			return 1;
		}
	if (name[0] != '_')
		return 0;
	name++;
	int rc = mr_cxx_abi_resolve(name, addr, why);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(unbridged) / sizeof(unbridged[0]); i++)
		if (!strcmp(unbridged[i], name)) {
			*why = "it is variadic or takes a va_list, which Darwin arm64 "
				"passes differently from Linux, and macho-run has no "
				"bridge for it";
			return -1;
		}
	if (!strcmp(name, "nexttowardf")) {
		*addr = (uint64_t)(uintptr_t)mr_nexttowardf;
		return 1;
	}
	for (size_t i = 0; i < sizeof(ldouble_other) / sizeof(ldouble_other[0]);
	     i++)
		if (!strcmp(ldouble_other[i][0], name))
			return host(ldouble_other[i][1], addr, why);
	size_t n = strlen(name);
	if (n < 2 || name[n - 1] != 'l')
		return 0;
	for (size_t i = 0; i < sizeof(ldouble) / sizeof(ldouble[0]); i++)
		if (strlen(ldouble[i]) == n - 1 && !strncmp(ldouble[i], name, n - 1))
			return host(ldouble[i], addr, why);
	return 0;
}
