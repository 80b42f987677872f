/*
 * mr-abi-x86_64.c - the calling-convention table of the x86_64 build: empty.
 * Darwin x86_64 and Linux x86_64 both follow the System V AMD64 ABI
 * (variadic calls, va_list and long double included), so every import
 * binds to the host function of the same name (mr-symbols.c).
 */
#include "mr.h"

int mr_abi_resolve(const char *name, uint64_t *addr, const char **why)
{
	(void)name;
	(void)addr;
	(void)why;
	return 0;
}
