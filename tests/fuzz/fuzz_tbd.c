/* fuzz_tbd.c - libFuzzer harness for tbd_parse (YAML and JSON). */
#include <stdint.h>
#include <string.h>

#include "input/dylib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	if (tbd_parse(&dl, "fuzz.tbd", data, size, ARCH_X86_64, &d) == 0) {
		for (size_t i = 1; i < dl.nsymbols; i++)
			if (strcmp(dl.symbols[i - 1].name, dl.symbols[i].name) >= 0)
				__builtin_trap(); /* must be sorted and unique */
		dylib_release(&dl);
	} else if (d.nerrors == 0) {
		__builtin_trap();
	}
	diag_release(&d);
	return 0;
}
