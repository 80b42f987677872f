/* fuzz_dylib.c - libFuzzer harness for dylib_macho_parse (thin and fat
 * binary dylibs) and dylib_macho_parse_loader (an executable read for
 * -bundle_loader): the first byte picks the architecture (bit 0) and the
 * reader (bit 1), the rest is the file. A success must give sorted,
 * unique exports and non-empty re-export and rpath names; a failure
 * exactly one error. */
#include <stdint.h>
#include <string.h>

#include "input/dylib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	enum link_arch arch = data[0] & 1 ? ARCH_ARM64 : ARCH_X86_64;
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	int rc = data[0] & 2 ? dylib_macho_parse_loader(&dl, "fuzz", data + 1, size - 1, arch, &d)
			     : dylib_macho_parse(&dl, "fuzz.dylib", data + 1, size - 1, arch, &d);
	if (rc == 0) {
		for (size_t i = 1; i < dl.nsymbols; i++)
			if (strcmp(dl.symbols[i - 1].name, dl.symbols[i].name) >= 0)
				__builtin_trap(); /* must be sorted and unique */
		for (size_t i = 0; i < dl.nreexports; i++)
			if (!dl.reexports[i][0])
				__builtin_trap();
		for (size_t i = 0; i < dl.nrpaths; i++)
			if (!dl.rpaths[i][0])
				__builtin_trap();
		if (!dl.install_name[0])
			__builtin_trap();
		dylib_release(&dl);
	} else if (d.nerrors != 1) {
		__builtin_trap();
	}
	diag_release(&d);
	return 0;
}
