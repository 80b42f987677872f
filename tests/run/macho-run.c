/*
 * macho-run.c - run a Mach-O PIE executable on Linux of the same
 * architecture: x86_64 on x86_64, arm64 on aarch64 (macho-run-aarch64):
 *
 *   macho-run [--slide-seed N] [--verbose] [--load-only] [--no-eh-frame]
 *             [--dylib-dir DIR]... [--map INSTALL_NAME=PATH]...
 *             EXE [ARGS...]
 *
 * Maps EXE at a random slide (reproducible with --slide-seed), applies its
 * LC_DYLD_INFO rebase and bind opcodes or its LC_DYLD_CHAINED_FIXUPS,
 * binds imports to the host libc (and C++ runtime), sets
 * up thread-local variables and page protections, registers its unwind
 * information (__eh_frame, __unwind_info) with the host unwinder (not with
 * --no-eh-frame, so that a test can show a throw then fails), runs
 * initializers and
 * LC_MAIN, and exits with main's status. The Mach-O dylibs EXE names are
 * loaded too, each at its own slide (mr-load.c); --map and --dylib-dir say
 * where to find those whose install names do not exist here. --load-only
 * stops after loading (exit 0) without running any code of EXE: the loader
 * fuzz test uses it. Anything it cannot run is refused
 * with status 125 and a message on stderr. The program's stdout, stderr and
 * exit status pass through unchanged. See docs/runner.md.
 *
 * Left out: everything listed in mr.h; this file only drives the steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mr.h"

extern char **environ;

static _Noreturn void usage(void)
{
	fputs("usage: macho-run [--slide-seed N] [--verbose] [--load-only] "
		"[--no-eh-frame] [--dylib-dir DIR]... [--map INSTALL_NAME=PATH]... "
		"EXE [ARGS...]\n", stderr);
	exit(MR_EXIT_LOAD);
}

int main(int argc, char **argv)
{
	static struct mr_image img;
	uint64_t seed = 0;
	int seeded = 0, load_only = 0, no_eh_frame = 0, verbose = 0, i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--load-only") == 0) {
			load_only = 1;
		} else if (strcmp(argv[i], "--no-eh-frame") == 0) {
			no_eh_frame = 1;
		} else if (strcmp(argv[i], "--verbose") == 0) {
			verbose = 1;
		} else if (strcmp(argv[i], "--dylib-dir") == 0 && i + 1 < argc) {
			if (mr_load_dir(argv[++i]))
				return MR_EXIT_LOAD;
		} else if (strcmp(argv[i], "--map") == 0 && i + 1 < argc) {
			if (mr_load_map(argv[++i]))
				return MR_EXIT_LOAD;
		} else if (strcmp(argv[i], "--slide-seed") == 0 && i + 1 < argc) {
			char *end;
			seed = strtoull(argv[++i], &end, 0);
			if (!*argv[i] || *end) {
				fprintf(stderr, "macho-run: bad --slide-seed '%s'\n",
					argv[i]);
				return MR_EXIT_LOAD;
			}
			seeded = 1;
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();

	if (mr_load_program(&img, argv[i], seed, seeded, verbose, no_eh_frame))
		return MR_EXIT_LOAD;
	if (load_only)
		return 0;
	mr_start(&img, argc - i, argv + i, environ);
}
