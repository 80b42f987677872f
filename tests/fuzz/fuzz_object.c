/* fuzz_object.c - libFuzzer harness: obj_parse on arbitrary bytes must
 * either succeed (and then every invariant of object.h holds, which this
 * harness re-checks by touching every byte it promises) or fail with one
 * diagnostic. */
#include <stdint.h>
#include <string.h>

#include "input/object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct obj_file o;
	if (obj_parse(&o, "fuzz.o", data, size, &d) == 0) {
		volatile unsigned sink = 0;
		for (uint32_t s = 0; s < o.nsections; s++)
			for (uint64_t i = 0; o.sections[s].data && i < o.sections[s].size; i++)
				sink += o.sections[s].data[i];
		for (uint32_t i = 0; i < o.nsymbols; i++)
			sink += (unsigned)strlen(o.symbols[i].name);
		for (uint32_t i = 0; i < o.nrelocs; i++)
			sink += o.relocs[i].offset;
		(void)sink;
		obj_release(&o);
	} else if (d.nerrors == 0) {
		__builtin_trap(); /* failure without a message */
	}
	diag_release(&d);
	return 0;
}
