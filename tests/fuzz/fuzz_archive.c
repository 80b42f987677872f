/* fuzz_archive.c - libFuzzer harness for archive_parse. */
#include <stdint.h>

#include "input/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct archive a;
	if (archive_parse(&a, "fuzz.a", data, size, &d) == 0) {
		volatile unsigned sink = 0;
		for (size_t i = 0; i < a.nmembers; i++)
			for (size_t k = 0; k < a.members[i].size; k++)
				sink += a.members[i].data[k];
		for (size_t i = 0; i < a.nsymbols; i++)
			if (a.symbols[i].member >= a.nmembers)
				__builtin_trap();
		(void)sink;
		archive_release(&a);
	} else if (d.nerrors == 0) {
		__builtin_trap();
	}
	diag_release(&d);
	return 0;
}
