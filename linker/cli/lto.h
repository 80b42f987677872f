/*
 * lto.h - linkfs-ld's link-time optimization through libLTO (lto.c).
 */
#ifndef LINKFS_CLI_LTO_H
#define LINKFS_CLI_LTO_H

#include <stddef.h>
#include <stdint.h>

#include "../link.h"

struct lto_bitcode {
	const char *name;
	const uint8_t *data;
	size_t size;
};

/* The bitcode's definitions that must stay external (the rest may be
 * internalized, so inlined and dropped): every one (all: a dylib or
 * bundle, -export_dynamic), or those in names (sorted by strcmp). */
struct lto_keep {
	int all;
	const char *const *names;
	size_t n;
};

/*
 * Compiles the n bitcode files for arch into one Mach-O object with
 * libLTO (lib: -lto_library's path, or NULL), in *obj (malloc'd,
 * *obj_size bytes). 0, or -1 with a message in msg naming the file and
 * the problem.
 */
int lto_compile(const char *lib, const struct lto_bitcode *bc, size_t n,
		enum link_arch arch, const struct lto_keep *keep, uint8_t **obj,
		size_t *obj_size, char *msg, size_t len);

#endif
