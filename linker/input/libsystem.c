/*
 * libsystem.c - the shipped libSystem as a read-only struct dylib, from the
 * tables tools/tbd-bake.c generated at build time (libsystem_baked.c).
 * Parsing the 22 KB YAML stub cost more than a small link itself; the
 * baked tables cost nothing and are shared, immutable, by every link.
 *
 * tests/input/test_tbd.c checks that the tables equal what tbd_parse
 * reads from data/libSystem.tbd, so the two can never disagree.
 */
#include <string.h>

#include "dylib.h"

int dylib_libsystem(struct dylib *out, enum link_arch arch)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < libsystem_baked_count; i++) {
		const struct dylib_baked *b = &libsystem_baked[i];
		if (b->arch != arch)
			continue;
		out->install_name = b->install_name;
		out->current_version = b->current_version;
		out->compat_version = b->compat_version;
		out->symbols = b->symbols;
		out->nsymbols = b->nsymbols;
		return 0;
	}
	return -1;
}
