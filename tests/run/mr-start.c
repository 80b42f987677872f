/*
 * mr-start.c - hand control to a mapped, fixed-up Mach-O image: run the
 * initializers of S_MOD_INIT_FUNC_POINTERS (and S_INIT_FUNC_OFFSETS)
 * sections in order with (argc, argv, envp, apple), those of the loaded
 * dylibs first (mr_load_run_inits), then call the LC_MAIN
 * entry as int main(argc, argv, envp, apple) and exit() with its result
 * through libc, so stdio buffers are flushed.
 *
 * Every initializer and the entry point must lie in an executable mapped
 * segment (after rebasing); otherwise the runner stops with status 125
 * instead of jumping to a wild address. Left out: terminators
 * (S_MOD_TERM_FUNC_POINTERS; clang uses atexit instead).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mr.h"

typedef void (*init_fn)(int, char **, char **, char **);
typedef int (*main_fn)(int, char **, char **, char **);

int mr_run_inits(struct mr_image *img, int argc, char **argv, char **envp,
	char **apple)
{
	const uint64_t text_vm = img->hdr_vm;

	for (unsigned i = 0; i < img->nsect; i++) {
		const struct mr_section *x = &img->sect[i];
		uint32_t t = x->flags & MR_S_TYPE_MASK;
		unsigned width = t == MR_S_MOD_INIT_FUNC_POINTERS ? 8 :
			t == MR_S_INIT_FUNC_OFFSETS ? 4 : 0;
		if (!width)
			continue;
		if (x->size % width) {
			mr_error(img, "section '%s,%s' has a partial entry",
				x->segname, x->sectname);
			return -1;
		}
		const uint8_t *p = mr_image_ptr(img, x->seg,
			x->addr - img->seg[x->seg].vmaddr, x->size, 0, "initializers");
		if (!p)
			return -1;
		for (uint64_t k = 0; k < x->size; k += width) {
			uint64_t fn = 0;
			if (width == 8) {
				memcpy(&fn, p + k, 8);
			} else {
				uint32_t off;
				memcpy(&off, p + k, 4);
				/* offsets are from the mach header (__TEXT) */
				fn = text_vm + img->slide + off;
			}
			if (!mr_image_exec_addr(img, fn)) {
				mr_error(img, "initializer %" PRIu64 " of '%s,%s' points "
					"outside the executable segments (0x%" PRIx64 ")",
					k / width, x->segname, x->sectname, fn);
				return -1;
			}
			mr_note(img, "initializer at 0x%" PRIx64, fn);
			((init_fn)(uintptr_t)fn)(argc, argv, envp, apple);
		}
	}
	return 0;
}

_Noreturn void mr_start(struct mr_image *img, int argc, char **argv,
	char **envp)
{
	static char exec_path[4200];
	char *apple[2] = { exec_path, NULL };
	uint64_t text_vm = 0, entry;
	int found = 0;

	snprintf(exec_path, sizeof(exec_path), "executable_path=%s", img->path);
	for (unsigned i = 0; i < img->nseg; i++)
		if (img->seg[i].mapped && img->seg[i].fileoff == 0 &&
		    img->seg[i].filesize) {
			text_vm = img->seg[i].vmaddr;
			found = 1;
			break;
		}
	entry = text_vm + img->entryoff + img->slide;
	if (!found || !mr_image_exec_addr(img, entry)) {
		mr_error(img, "LC_MAIN entry offset 0x%" PRIx64 " is not in an "
			"executable segment", img->entryoff);
		exit(MR_EXIT_LOAD);
	}
	if (mr_load_run_inits(argc, argv, envp, apple) ||
	    mr_run_inits(img, argc, argv, envp, apple))
		exit(MR_EXIT_LOAD);
	mr_note(img, "calling main at 0x%" PRIx64, entry);
	fflush(NULL);
	exit(((main_fn)(uintptr_t)entry)(argc, argv, envp, apple));
}
