/*
 * linkfs-ld - the linkfs linker as a command-line tool. Accepts the ld64
 * options clang passes (so `clang -fuse-ld=.../linkfs-ld` works) and
 * produces the same bytes the filesystem serves for the same inputs.
 *
 * Response files (@FILE) are read as ld64.lld reads them (argv.h). An
 * option is either handled, accepted with no effect (the reason is at its
 * case below and in docs/usage.md), or refused with a message naming it:
 * never read as something else (-lto_library is not -l to_library).
 *
 * docs/options.md lists every ld64.lld option and what linkfs-ld does
 * with it (tools/options-coverage.py checks it). Binary dylib inputs'
 * re-exports are followed by reexports.c, LLVM bitcode inputs compiled
 * by libLTO (lto.c). Leaves out: -r, -load_hidden, -mllvm (accepted,
 * not passed on to LTO).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/bytes.h"
#include "../base/macho.h"
#include "../base/stats.h"
#include "../base/par.h"
#include "../dump/dump.h"
#include "../input/dylib.h"
#include "../image.h"
#include "../link.h"
#include "argv.h"
#include "inputs.h"
#include "lto.h"
#include "reexports.h"
#include "sectcreate.h"
#include "shipped.h"

#define LINKFS_VERSION "0.1.0"

/* Sanitizer builds free everything before exit, so the leak checker still
 * sees every allocation; other builds leave it to the kernel. */
#if defined(__SANITIZE_ADDRESS__)
#define FAST_EXIT 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FAST_EXIT 0
#endif
#endif
#ifndef FAST_EXIT
#define FAST_EXIT 1
#endif


struct cli {
	struct link_options opt;
	const char *output;
	const char *map_path;
	const char *dump;
	const char *syslibroot;
	char **lib_dirs; size_t nlib_dirs, cap_lib_dirs;
	char **fw_dirs; size_t nfw_dirs;   /* -F DIR, room: cap_lib_dirs */
	const char **names_u; size_t nu;   /* -u NAME, in order */
	const char **names_U; size_t nU;   /* -U NAME */
	char **exports; size_t nexports, cap_exports; /* export list patterns */
	int export_list;                   /* 1 exported, 2 unexported */
	char *order_text; size_t order_len; /* -order_file's contents */
	const char **rpaths; size_t nrpaths; /* -rpath PATH, room: cap_names */
	size_t cap_names;                  /* room in both */
	int verbose;                 /* -v: the version was printed */
	int pagezero_given;          /* -pagezero_size */
	const char *lto_library;     /* -lto_library */
	const char *lto_object_path; /* -object_path_lto */
	struct cli_input *in; size_t nin, cap_in;
	const char **why; size_t nwhy, cap_why; /* -why_live PATTERN */
	int in_lib;                  /* inside --start-lib ... --end-lib */
	struct sectcreate *sc; size_t nsc, cap_sc; /* -sectcreate */
	const char **renames; size_t nrenames, cap_renames; /* 4 per
					   -rename_section */
	const char **segrenames; size_t nsegrenames, cap_segrenames; /* 2 per
					   -rename_segment */
	struct link_segprot *segprots; size_t nsegprots, cap_segprots;
};

/* -sectcreate SEG SECT FILE: FILE's bytes, read when the option is. */
struct sectcreate {
	const char *seg, *sect, *path;
	char *bytes;
	size_t size;
	uint8_t *obj;                /* the object made of them (main) */
	size_t obj_size;
};

__attribute__((format(printf, 1, 2)))
static int err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "linkfs-ld: error: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return -1;
}

/* -print_statistics for the stages outside the linker library, in its
 * line format (base/stats.h). Returns the time now. */
static uint64_t cli_stage(const struct cli *c, const char *stage, uint64_t since)
{
	uint64_t now = stats_now_ns();
	if (c->opt.print_stats) {
		struct buf b;
		buf_init(&b);
		stats_line(&b, stage, now - since);
		if (b.len)
			fwrite(b.data, 1, b.len, stderr);
		buf_release(&b);
	}
	return now;
}

static void usage(FILE *f)
{
	fputs("usage: linkfs-ld [options] file...\n"
	      "  -o PATH                      output file (default a.out)\n"
	      "  -arch x86_64|arm64           target architecture\n"
	      "  -platform_version macos MIN SDK\n"
	      "  -macosx_version_min VERSION\n"
	      "  -e SYMBOL                    entry point (default _main)\n"
	      "  -dylib, -bundle              write a dylib, a bundle (default: an executable)\n"
	      "  -install_name NAME           a dylib's install name (default: the output's name)\n"
	      "  -current_version V, -compatibility_version V\n"
	      "                               a dylib's versions (default 0.0.0)\n"
	      "  -mark_dead_strippable_dylib  clients may drop the dylib when unused\n"
	      "  -bundle_loader EXECUTABLE    the executable a bundle binds to\n"
	      "  -reexport_library PATH, -reexport-lNAME, -reexport_framework NAME\n"
	      "                               a dylib the output re-exports\n"
	      "  -pagezero_size SIZE          an executable's __PAGEZERO size (hex; 0: none)\n"
	      "  -L DIR, -lNAME               library search (libNAME.tbd, libNAME.a);\n"
	      "                               -lSystem uses the shipped libSystem stub,\n"
	      "                               -lc++ / -lc++abi the shipped C++ runtime stubs\n"
	      "                               when no -L directory has them\n"
	      "  -syslibroot DIR              prefix for the default search path\n"
	      "  -map PATH                    write a link map\n"
	      "  -dead_strip                  remove unreachable code and data\n"
	      "  -x                           no local symbols in the symbol table\n"
	      "  -undefined error|dynamic_lookup\n"
	      "  -u NAME                      NAME must be defined (loads the archive\n"
	      "                               member that defines it)\n"
	      "  -U NAME                      NAME may stay undefined (dynamic lookup)\n"
	      "  -F DIR, -framework NAME      search DIR for NAME.framework/NAME[.tbd]\n"
	      "  -weak-lNAME, -weak_library PATH, -weak_framework NAME\n"
	      "                               a weak dylib (LC_LOAD_WEAK_DYLIB, weak imports)\n"
	      "  -needed-lNAME, -needed_library PATH, -needed_framework NAME\n"
	      "                               as -l, the library, -framework, kept by\n"
	      "                               -dead_strip_dylibs\n"
	      "  -dead_strip_dylibs           drop dylibs no live code imports from\n"
	      "  -rpath PATH                  add an LC_RPATH (@rpath's search path)\n"
	      "  -stack_size SIZE             the main thread's stack (hex, 16 KiB multiple)\n"
	      "  -all_load, -force_load PATH  load every member of every archive, of PATH\n"
	      "  -ObjC                        load the members with Objective-C classes\n"
	      "                               or categories\n"
	      "  -order_file FILE             put the symbols FILE names first in their\n"
	      "                               sections, in its order\n"
	      "  -exported_symbols_list FILE, -exported_symbol NAME\n"
	      "                               export only the globals matching these\n"
	      "  -unexported_symbols_list FILE, -unexported_symbol NAME\n"
	      "                               hide the globals matching these\n"
	      "  -fixup_chains, -no_fixup_chains\n"
	      "  -adhoc_codesign, -no_adhoc_codesign\n"
	      "                               sign the output ad hoc (default: arm64\n"
	      "                               yes, x86_64 no, as ld64)\n"
	      "  -print_statistics            print each stage's wall time and peak RSS on stderr\n"
	      "  --threads=N                  worker threads (default: one per CPU);\n"
	      "                               the output is the same for any N\n"
	      "  --dump=KIND                  print a table instead of only writing the\n"
	      "                               output: rebase bind lazy_bind weak_bind\n"
	      "                               exports got stubs symbols map\n"
	      "  -headerpad SIZE              at least SIZE (hex) free bytes after the\n"
	      "                               load commands\n"
	      "  -headerpad_max_install_names room for every dylib path to grow to 1024\n"
	      "  -t                           print each input as it is loaded\n"
	      "  -why_live PATTERN            with -dead_strip: why matching symbols stay\n"
	      "  --start-lib ... --end-lib    objects loaded as archive members would be\n"
	      "  -sectcreate SEG SECT FILE    a section of FILE's bytes (also -segcreate)\n"
	      "  -rename_section OSEG OSECT NSEG NSECT, -rename_segment OLD NEW\n"
	      "  -segprot SEG MAX INIT        a segment's protections (rwx letters or hex)\n"
	      "  --icf=LEVEL                  accepted; no identical code is folded (a\n"
	      "                               warning says so for safe, safe_thunks, all)\n"
	      "  -lazy-lNAME, -lazy_library PATH: as -lNAME, PATH\n"
	      "  @FILE                        read arguments from FILE\n"
	      "  -filelist FILE[,DIR]         inputs named in FILE, one per line\n"
	      "  -demangle, -dynamic, -no_deduplicate, -ld_classic, -ld_new, -ld64,\n"
	      "  -lto_library PATH            the libLTO that compiles LLVM bitcode inputs\n"
	      "                               (clang -flto; default: llvm-19's)\n"
	      "  -object_path_lto PATH        write the object LTO makes there\n"
	      "  -mllvm ARG                   accepted, not passed on\n"
	      "  -v                           print the version on stderr, then link\n"
	      "  --help, --version\n", f);
}

static int add_input(struct cli *c, const char *path)
{
	if (c->nin == c->cap_in) {
		size_t n = c->cap_in ? c->cap_in * 2 : 16;
		struct cli_input *p = realloc(c->in, n * sizeof *p);
		if (!p)
			return err("out of memory");
		c->in = p;
		c->cap_in = n;
	}
	struct cli_input *m = &c->in[c->nin];
	memset(m, 0, sizeof *m);
	m->path = strdup(path);
	if (!m->path)
		return err("out of memory");
	m->lazy = (uint8_t)c->in_lib;
	c->nin++;
	return 0;
}

static int file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int find_lib(struct cli *c, const char *name)
{
	static const char *const suffixes[] = { ".tbd", ".dylib", ".a" };
	char path[4096];
	for (size_t d = 0; d <= c->nlib_dirs; d++) {
		char dir[2048];
		if (d < c->nlib_dirs)
			snprintf(dir, sizeof dir, "%s", c->lib_dirs[d]);
		else if (c->syslibroot)
			snprintf(dir, sizeof dir, "%s/usr/lib", c->syslibroot);
		else
			break;
		for (size_t s = 0; s < 3; s++) {
			snprintf(path, sizeof path, "%s/lib%s%s", dir, name, suffixes[s]);
			if (file_exists(path))
				return add_input(c, path); /* .tbd, .dylib, .a: ld64 */
		}
	}
	/* the shipped stubs, when no -L directory or -syslibroot has the
	 * library: libSystem (also linked when no -lSystem is given, after
	 * every input) and the C++ runtime (data/libc++.tbd, libc++abi.tbd).
	 * Given here, a stub takes its place on the command line, so the
	 * dylib ordinals follow the command line as in ld64 and lld. */
	static const struct {
		const char *name, *label;
		const uint8_t *data;
		const size_t *size;
	} shipped[] = {
		{ "System", "libSystem.tbd (shipped with linkfs-ld)", libsystem_tbd,
		  &libsystem_tbd_size },
		{ "c++", "libc++.tbd (shipped with linkfs-ld)", shipped_libcxx_tbd,
		  &shipped_libcxx_tbd_size },
		{ "c++abi", "libc++abi.tbd (shipped with linkfs-ld)", shipped_libcxxabi_tbd,
		  &shipped_libcxxabi_tbd_size },
	};
	for (size_t i = 0; i < sizeof shipped / sizeof *shipped; i++) {
		if (strcmp(name, shipped[i].name))
			continue;
		if (add_input(c, shipped[i].label))
			return -1;
		c->in[c->nin - 1].shipped = shipped[i].data;
		c->in[c->nin - 1].shipped_size = *shipped[i].size;
		return 0;
	}
	return err("library not found for -l%s", name);
}

/* -framework NAME: NAME.framework/NAME.tbd, then NAME.framework/NAME
 * (a binary dylib), in each -F directory, then in
 * SYSLIBROOT/System/Library/Frameworks, as ld64 searches. */
static int find_framework(struct cli *c, const char *name)
{
	char path[4096];
	for (size_t d = 0; d <= c->nfw_dirs; d++) {
		char dir[2048];
		if (d < c->nfw_dirs)
			snprintf(dir, sizeof dir, "%s", c->fw_dirs[d]);
		else if (c->syslibroot)
			snprintf(dir, sizeof dir, "%s/System/Library/Frameworks", c->syslibroot);
		else
			break;
		static const char *const suffixes[] = { ".tbd", "" };
		for (size_t s = 0; s < 2; s++) {
			snprintf(path, sizeof path, "%s/%s.framework/%s%s", dir, name, name,
				 suffixes[s]);
			if (file_exists(path))
				return add_input(c, path);
		}
	}
	return err("framework not found %s", name);
}

static int need(const struct argv_list *args, size_t i, size_t n)
{
	if (i + n >= args->n)
		return err("missing argument to '%s'", args->v[i]);
	return 0;
}

/* A 64-bit hexadecimal number, with or without 0x (ld64's reading of
 * -stack_size): 0, or -1. */
static int parse_hex64(const char *s, uint64_t *out)
{
	const char *p = s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!*p || strlen(p) > 16)
		return -1;
	uint64_t v = 0;
	for (; *p; p++) {
		int d = isdigit((unsigned char)*p) ? *p - '0'
			: (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
			: (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* -headerpad SIZE: hex, with or without 0x, as ld64 and ld64.lld read it. */
static int parse_headerpad(const char *s, uint32_t *out)
{
	const char *p = s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!*p)
		return -1;
	uint64_t v = 0;
	for (; *p; p++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return -1;
		v = v * 16 + (uint64_t)d;
		if (v > LINK_MAX_HEADER_PAD)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Keeps the command-line position of -lNAME; the name is resolved after
 * every -L directory is known. */
static int add_lib(struct cli *c, char **libs, size_t *nlibs, const char *opt,
		   const char *name)
{
	if (!*name)
		return err("missing library name after '%s'", opt);
	libs[(*nlibs)++] = (char *)name;
	if (add_input(c, ""))
		return -1;
	free(c->in[c->nin - 1].path);
	c->in[c->nin - 1].path = NULL;
	c->in[c->nin - 1].size = *nlibs - 1; /* index into libs */
	return 0;
}

/* The next line of a list file (-filelist, the symbol lists) from *pos:
 * its start in *b and length in *n, blanks around it dropped, empty
 * lines and lines that begin with '#' skipped, as ld64.lld reads them.
 * 0 when there is none left. */
static int list_line(const char *text, size_t len, size_t *pos, size_t *b, size_t *n)
{
	while (*pos < len) {
		size_t s = *pos, e = s;
		while (e < len && text[e] != '\n')
			e++;
		*pos = e + 1;
		while (s < e && isspace((unsigned char)text[s]))
			s++;
		while (e > s && isspace((unsigned char)text[e - 1]))
			e--;
		if (s < e && text[s] != '#') {
			*b = s;
			*n = e - s;
			return 1;
		}
	}
	return 0;
}

/* One export-list pattern (kind 1: exported, 2: unexported); ld64
 * refuses a link given both kinds. */
static int add_export(struct cli *c, int kind, const char *opt, const char *p, size_t n)
{
	if (c->export_list && c->export_list != kind)
		return err("%s: an exported and an unexported symbols list cannot both be given", opt);
	c->export_list = kind;
	if (c->nexports == c->cap_exports) {
		size_t cap = c->cap_exports ? 2 * c->cap_exports : 16;
		char **v = realloc(c->exports, cap * sizeof *v);
		if (!v)
			return err("out of memory");
		c->exports = v;
		c->cap_exports = cap;
	}
	if (!(c->exports[c->nexports] = strndup(p, n)))
		return err("out of memory");
	c->nexports++;
	return 0;
}

/* -exported_symbols_list FILE (and -unexported_): one name or pattern a
 * line, blanks around it dropped, empty lines and '#' comments skipped,
 * as ld64 reads it. */
static int add_export_file(struct cli *c, int kind, const char *opt, const char *path)
{
	char *text = NULL;
	size_t len;
	if (argv_read_file(path, ARGV_MAX_BYTES, &text, &len))
		return err("%s: cannot read '%s': %s", opt, path, strerror(errno));
	int rc = 0;
	size_t pos = 0, b, n;
	while (!rc && list_line(text, len, &pos, &b, &n))
		rc = add_export(c, kind, opt, text + b, n);
	if (!rc && !c->export_list)
		c->export_list = kind;   /* an empty exported list hides all */
	free(text);
	return rc;
}

/*
 * -filelist FILE[,DIR]: the inputs FILE names, one per line, each under
 * DIR if given (as ld64: the whole argument is FILE if that opens, else
 * DIR is what follows its last comma). Lines are read as ld64.lld reads
 * them: blanks around a path are dropped, and empty lines and lines that
 * begin with '#' skipped. clang passes one for a long link line when it
 * takes the linker for an ld64 older than 705.
 */
static int add_filelist(struct cli *c, const char *arg)
{
	char *text = NULL, *file = NULL;
	size_t len;
	const char *dir = NULL;
	int rc = argv_read_file(arg, ARGV_MAX_BYTES, &text, &len);
	const char *comma = strrchr(arg, ',');
	if (rc && comma && errno == ENOENT) {
		file = strndup(arg, (size_t)(comma - arg));
		if (!file)
			return err("out of memory");
		dir = comma + 1;
		rc = argv_read_file(file, ARGV_MAX_BYTES, &text, &len);
	}
	const char *shown = file ? file : arg;
	if (rc) {
		rc = err("-filelist: cannot read '%s': %s", shown, strerror(errno));
		free(file);
		return rc;
	}
	const char *nul = memchr(text, 0, len);
	if (nul)
		rc = err("-filelist '%s': offset 0x%zx: NUL byte", shown,
			 (size_t)(nul - text));
	size_t pos = 0, b, n;
	while (!rc && list_line(text, len, &pos, &b, &n)) {
		char *path = NULL;
		if (!dir)
			path = strndup(text + b, n);
		else if (asprintf(&path, "%s/%.*s", dir, (int)n, text + b) < 0)
			path = NULL;
		if (!path) {
			rc = err("out of memory");
			break;
		}
		rc = add_input(c, path);
		free(path);
	}
	free(text);
	free(file);
	return rc;
}

/* The options that only one kind of output takes, as ld64.lld checks
 * them; -install_name and the versions are ignored without -dylib, as
 * lld does (it warns only with --warn-dylib-install-name). */
static int check_output_kind(struct cli *c)
{
	int dylib = c->opt.kind == OUTPUT_DYLIB;
	for (size_t k = 0; k < c->nin; k++) {
		if (c->in[k].reexport && !dylib)
			return err("-reexport-l, -reexport_library and -reexport_framework "
				   "need -dylib (only a dylib re-exports)");
		if (c->in[k].bundle_loader && c->opt.kind != OUTPUT_BUNDLE)
			return err("-bundle_loader can only be used with -bundle");
	}
	if (c->opt.dead_strippable_dylib && !dylib)
		return err("-mark_dead_strippable_dylib: only a dylib can be dead-strippable");
	if (c->pagezero_given) {
		if (c->opt.kind != OUTPUT_EXECUTE)
			return err("-pagezero_size can only be used when linking an executable");
		if (c->opt.pagezero_size > LINK_PAGEZERO_MAX)
			return err("-pagezero_size 0x%llx: larger than the address space "
				   "the output can use", (unsigned long long)c->opt.pagezero_size);
	}
	return 0;
}

/* Room for `need` elements of `size` bytes in *v (capacity *cap). */
static int grow(void *v, size_t *cap, size_t need, size_t size)
{
	void **pv = v;
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(*pv, n * size);
	if (!p)
		return err("out of memory");
	*pv = p;
	*cap = n;
	return 0;
}

/* A segment or section name: 1 to 16 bytes; `strict` (the renames, as
 * ld64.lld checks them): no special character but '.', '$' and '_'. */
static int check_name(const char *opt, const char *s, int strict)
{
	if (!*s || strlen(s) > 16)
		return err("%s: '%s' is not a segment or section name of 1 to 16 "
			   "characters", opt, s);
	if (strict && strpbrk(s, "!\"#%&'()*+,-/:;<=>?@[\\]^`{|}~ "))
		return err("%s: invalid name for segment or section: %s", opt, s);
	return 0;
}

/* -segprot's MAX or INIT: letters r, w, x and '-' (ld64.lld), or a hex
 * number up to 7 (ld64). 0, or -1. */
static int parse_prot(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	if (!*s)
		return -1;
	if (isdigit((unsigned char)*s)) {
		uint64_t h;
		if (parse_hex64(s, &h) || h > 7)
			return -1;
		*out = (uint32_t)h;
		return 0;
	}
	for (; *s; s++) {
		if (*s == 'r')
			v |= 1;
		else if (*s == 'w')
			v |= 2;
		else if (*s == 'x')
			v |= 4;
		else if (*s != '-')
			return -1;
	}
	*out = v;
	return 0;
}

/* 1 if a is one of the options parse_section_opt reads. */
static int is_section_opt(const char *a)
{
	static const char *const names[] = {
		"-t", "-why_live", "--start-lib", "--end-lib", "-sectcreate",
		"-segcreate", "-rename_section", "-rename_segment", "-segprot",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(a, names[i]))
			return 1;
	return !strncmp(a, "--icf=", 6);
}

/* -t, -why_live, --start-lib, --end-lib, -sectcreate (-segcreate),
 * -rename_section, -rename_segment, -segprot, --icf=: reads args->v[*ip]
 * and its values (*ip moves past them). 0, or -1 with a message. */
static int parse_section_opt(struct cli *c, const struct argv_list *args, size_t *ip)
{
	size_t i = *ip;
	const char *a = args->v[i];
	int rc = 0;
	if (!strcmp(a, "-t")) {
		c->opt.trace_inputs = 1;
	} else if (!strcmp(a, "-why_live")) {
		if ((rc = need(args, i, 1)) || (rc = grow(&c->why, &c->cap_why, c->nwhy + 1,
							sizeof *c->why)))
			return rc;
		c->why[c->nwhy++] = args->v[++i];
	} else if (!strcmp(a, "--start-lib")) {
		if (c->in_lib)
			return err("nested --start-lib");
		c->in_lib = 1;
	} else if (!strcmp(a, "--end-lib")) {
		if (!c->in_lib)
			return err("stray --end-lib");
		c->in_lib = 0;
	} else if (!strcmp(a, "-sectcreate") || !strcmp(a, "-segcreate")) {
		if ((rc = need(args, i, 3)) || (rc = check_name(a, args->v[i + 1], 0)) ||
		    (rc = check_name(a, args->v[i + 2], 0)) ||
		    (rc = grow(&c->sc, &c->cap_sc, c->nsc + 1, sizeof *c->sc)))
			return rc;
		struct sectcreate *s = &c->sc[c->nsc];
		memset(s, 0, sizeof *s);
		s->seg = args->v[i + 1];
		s->sect = args->v[i + 2];
		s->path = args->v[i + 3];
		if (argv_read_file(s->path, ARGV_MAX_BYTES, &s->bytes, &s->size))
			return err("%s %s %s: cannot read '%s': %s", a, s->seg, s->sect,
				   s->path, strerror(errno));
		c->nsc++;
		i += 3;
	} else if (!strcmp(a, "-rename_section")) {
		if ((rc = need(args, i, 4)))
			return rc;
		for (int k = 1; k <= 4; k++)
			if ((rc = check_name(a, args->v[i + k], 1)))
				return rc;
		if ((rc = grow(&c->renames, &c->cap_renames, c->nrenames + 4,
			       sizeof *c->renames)))
			return rc;
		for (int k = 1; k <= 4; k++)
			c->renames[c->nrenames++] = args->v[i + k];
		i += 4;
	} else if (!strcmp(a, "-rename_segment")) {
		if ((rc = need(args, i, 2)) || (rc = check_name(a, args->v[i + 1], 1)) ||
		    (rc = check_name(a, args->v[i + 2], 1)) ||
		    (rc = grow(&c->segrenames, &c->cap_segrenames, c->nsegrenames + 2,
			       sizeof *c->segrenames)))
			return rc;
		static const char *const fixed[] = { "__TEXT", "__PAGEZERO", "__LINKEDIT" };
		for (size_t k = 0; k < 3; k++)
			if (!strcmp(args->v[i + 1], fixed[k]))
				return err("-rename_segment %s is not supported (linkfs-ld "
					   "keeps __TEXT, __PAGEZERO and __LINKEDIT as they "
					   "are)", fixed[k]);
		c->segrenames[c->nsegrenames++] = args->v[i + 1];
		c->segrenames[c->nsegrenames++] = args->v[i + 2];
		i += 2;
	} else if (!strcmp(a, "-segprot")) {
		if ((rc = need(args, i, 3)) || (rc = check_name(a, args->v[i + 1], 0)) ||
		    (rc = grow(&c->segprots, &c->cap_segprots, c->nsegprots + 1,
			       sizeof *c->segprots)))
			return rc;
		struct link_segprot *p = &c->segprots[c->nsegprots];
		const char *seg = args->v[i + 1], *mx = args->v[i + 2], *in = args->v[i + 3];
		if (parse_prot(mx, &p->maxprot) || parse_prot(in, &p->initprot))
			return err("-segprot %s %s %s: a protection is letters r, w, x, - "
				   "or a hex number up to 7, not '%s'", seg, mx, in,
				   parse_prot(mx, &p->maxprot) ? mx : in);
		/* ld64.lld's restrictions for x86_64 and arm64 */
		if (p->maxprot != p->initprot)
			return err("-segprot %s %s %s: max and init must be the same "
				   "for non-i386 archs", seg, mx, in);
		if (!strcmp(seg, "__LINKEDIT"))
			return err("-segprot cannot be used to change __LINKEDIT's protections");
		if (!strcmp(seg, "__PAGEZERO"))
			return err("-segprot __PAGEZERO is not supported");
		p->seg = seg;
		c->nsegprots++;
		i += 3;
	} else if (!strncmp(a, "--icf=", 6)) {
		/* no identical code folding: none is what we do; a level that
		 * asks for folding links (folding is a size optimization, the
		 * output is correct without it) with a warning saying so */
		const char *v = a + 6;
		if (strcmp(v, "none") && strcmp(v, "safe") && strcmp(v, "all") &&
		    strcmp(v, "safe_thunks"))
			return err("'%s': unknown level (none, safe, safe_thunks, all)", a);
		if (strcmp(v, "none"))
			fprintf(stderr, "linkfs-ld: warning: %s: linkfs-ld folds no identical "
				"code; the output is correct but not smaller\n", a);
	}
	*ip = i;
	return 0;
}

/*
 * Reads the options. 0: link; 1: done, exit 0 (--help, --version, or -v
 * with no inputs); -1: an error was printed. Response files are expanded
 * where an argument starts (argv.h), which can grow args.
 */
static int parse_args(struct cli *c, struct argv_list *args)
{
	int rc = 0, done = 0;
	char **libs = NULL;
	size_t nlibs = 0, cap_libs = 0;
	for (size_t i = 1; i < args->n && !rc && !done; i++) {
		const char *a = args->v[i];
		if (a[0] == '@') {
			char msg[4400];
			if (argv_expand(args, i, msg, sizeof msg))
				rc = err("%s", msg);
			i--;   /* read what replaced it */
			continue;
		}
		/* the library names are kept in libs, one per argument at most */
		if (cap_libs < args->n) {
			char **p = realloc(libs, args->n * sizeof *p);
			if (!p) {
				rc = err("out of memory");
				break;
			}
			libs = p;
			cap_libs = args->n;
		}
		if (!c->lib_dirs || c->cap_lib_dirs < args->n) {
			char **p = realloc(c->lib_dirs, args->n * sizeof *p);
			if (p)
				c->lib_dirs = p;
			char **q = p ? realloc(c->fw_dirs, args->n * sizeof *q) : NULL;
			if (!q) {
				rc = err("out of memory");
				break;
			}
			c->fw_dirs = q;
			c->cap_lib_dirs = args->n;
		}
		if (c->cap_names < args->n) {
			const char **u = realloc(c->names_u, args->n * sizeof *u);
			if (u)
				c->names_u = u;
			const char **U = u ? realloc(c->names_U, args->n * sizeof *U) : NULL;
			if (U)
				c->names_U = U;
			const char **r = U ? realloc(c->rpaths, args->n * sizeof *r) : NULL;
			if (!r) {
				rc = err("out of memory");
				break;
			}
			c->rpaths = r;
			c->cap_names = args->n;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-help")) {
			usage(stdout);
			done = 1;
		} else if (!strcmp(a, "--version")) {
			printf("linkfs-ld %s (Mach-O linker; compatible with ld64 options)\n",
			       LINKFS_VERSION);
			done = 1;
		} else if (!strcmp(a, "-v")) {
			/* as ld64: the version on stderr, then the link */
			if (!c->verbose)
				fprintf(stderr, "linkfs-ld %s (Mach-O linker; compatible "
					"with ld64 options)\n", LINKFS_VERSION);
			c->verbose = 1;
		} else if (!strcmp(a, "-o")) {
			if (!(rc = need(args, i, 1)))
				c->output = args->v[++i];
		} else if (!strcmp(a, "-arch")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *v = args->v[++i];
			if (!strcmp(v, "x86_64"))
				c->opt.arch = ARCH_X86_64;
			else if (!strcmp(v, "arm64"))
				c->opt.arch = ARCH_ARM64;
			else
				rc = err("unsupported architecture '%s'", v);
		} else if (!strcmp(a, "-platform_version")) {
			if ((rc = need(args, i, 3)))
				break;
			const char *p = args->v[i + 1];
			if (link_platform_parse(p, &c->opt.platform))
				rc = err("unknown platform '%s' (one of macos, ios, tvos, watchos, "
					 "bridgeos, mac-catalyst, ios-simulator, tvos-simulator, "
					 "watchos-simulator, driverkit, xros, xros-simulator, or its number)", p);
			else if (parse_version(args->v[i + 2], &c->opt.minos) ||
				 parse_version(args->v[i + 3], &c->opt.sdk))
				rc = err("malformed version in -platform_version %s %s",
					 args->v[i + 2], args->v[i + 3]);
			i += 3;
		} else if (!strcmp(a, "-search_paths_first") ||
			   !strcmp(a, "-application_extension") ||
			   !strcmp(a, "-no_application_extension")) {
			/* -search_paths_first is ld64's default (CMake passes it);
			 * an app extension's limits are checked against dylib
			 * flags linkfs-ld does not read */
		} else if (!strcmp(a, "-export_dynamic")) {
			c->opt.export_dynamic = 1;
		} else if (!strcmp(a, "-dylib") || !strcmp(a, "-bundle")) {
			c->opt.kind = a[1] == 'd' ? OUTPUT_DYLIB : OUTPUT_BUNDLE;
		} else if (!strcmp(a, "-install_name") || !strcmp(a, "-dylib_install_name") ||
			   !strcmp(a, "-dylinker_install_name")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *v = args->v[++i];
			if (strlen(v) >= sizeof c->opt.install_name)
				rc = err("%s: name longer than %zu bytes", a,
					 sizeof c->opt.install_name - 1);
			else
				strcpy(c->opt.install_name, v);
		} else if (!strcmp(a, "-current_version") || !strcmp(a, "-dylib_current_version") ||
			   !strcmp(a, "-compatibility_version") ||
			   !strcmp(a, "-dylib_compatibility_version")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *v = args->v[++i];
			uint32_t *to = strstr(a, "current") ? &c->opt.current_version
							    : &c->opt.compat_version;
			if (parse_version(v, to))
				rc = err("%s: malformed version '%s' (X[.Y[.Z]], X at most "
					 "65535, Y and Z at most 255)", a, v);
		} else if (!strcmp(a, "-mark_dead_strippable_dylib")) {
			c->opt.dead_strippable_dylib = 1;
		} else if (!strcmp(a, "-bundle_loader")) {
			if (!(rc = need(args, i, 1)) && !(rc = add_input(c, args->v[++i])))
				c->in[c->nin - 1].bundle_loader = 1;
		} else if (!strcmp(a, "-pagezero_size")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *v = args->v[++i];
			if (parse_hex64(v, &c->opt.pagezero_size))
				rc = err("-pagezero_size '%s': not a hexadecimal number", v);
			c->pagezero_given = 1;
		} else if (!strcmp(a, "-reexport_library")) {
			if (!(rc = need(args, i, 1)) && !(rc = add_input(c, args->v[++i])))
				c->in[c->nin - 1].reexport = 1;
		} else if (!strncmp(a, "-reexport-l", 11)) {
			if (!(rc = add_lib(c, libs, &nlibs, "-reexport-l", a + 11)))
				c->in[c->nin - 1].reexport = 1;
		} else if (!strcmp(a, "-reexport_framework")) {
			if (!(rc = need(args, i, 1)) &&
			    !(rc = add_lib(c, libs, &nlibs, a, args->v[++i]))) {
				c->in[c->nin - 1].framework = 1;
				c->in[c->nin - 1].reexport = 1;
			}
		} else if (!strcmp(a, "-macosx_version_min") || !strcmp(a, "-macos_version_min")) {
			if ((rc = need(args, i, 1)))
				break;
			if (parse_version(args->v[++i], &c->opt.minos))
				rc = err("malformed version '%s'", args->v[i]);
			c->opt.sdk = c->opt.minos;
		} else if (!strcmp(a, "-e")) {
			if ((rc = need(args, i, 1)))
				break;
			if (strlen(args->v[++i]) >= sizeof c->opt.entry)
				rc = err("entry symbol name too long: '%s'", args->v[i]);
			else
				strcpy(c->opt.entry, args->v[i]);
		} else if (!strcmp(a, "-L")) {
			if (!(rc = need(args, i, 1)))
				c->lib_dirs[c->nlib_dirs++] = args->v[++i];
		} else if (!strncmp(a, "-L", 2)) {
			c->lib_dirs[c->nlib_dirs++] = (char *)a + 2;
		/*
		 * Options that begin with "-l" come before -lNAME, as in ld64:
		 * "-lto_library x" is not the library "to_library".
		 */
		} else if (!strcmp(a, "-lto_library")) {
			/* the libLTO to load for bitcode inputs (lto.c) */
			if (!(rc = need(args, i, 1)))
				c->lto_library = args->v[++i];
		} else if (!strcmp(a, "-load_hidden")) {
			rc = err("'-load_hidden' is not supported (linkfs-ld cannot give an "
				 "archive's symbols hidden visibility)");
		} else if (!strcmp(a, "-lazy_library") || !strncmp(a, "-lazy-l", 7)) {
			/* as ld64 (609 on): a plain library, with a warning;
			 * dyld no longer loads libraries lazily */
			int path = a[5] == '_';
			if (path && (rc = need(args, i, 1)))
				break;
			if (path || a[7])
				fprintf(stderr, "linkfs-ld: warning: %s is deprecated, "
					"changing to regular link\n", path ? a : "-lazy-l");
			rc = path ? add_input(c, args->v[++i])
				  : add_lib(c, libs, &nlibs, "-lazy-l", a + 7);
		} else if (!strcmp(a, "-lazy_framework")) {
			rc = err("'-lazy_framework' is not supported (dyld no longer loads "
				 "libraries lazily; give -framework)");
		} else if (!strcmp(a, "-F")) {
			if (!(rc = need(args, i, 1)))
				c->fw_dirs[c->nfw_dirs++] = args->v[++i];
		} else if (!strncmp(a, "-F", 2) && a[2]) {
			c->fw_dirs[c->nfw_dirs++] = (char *)a + 2;
		} else if (!strcmp(a, "-framework") || !strcmp(a, "-weak_framework") ||
			   !strcmp(a, "-needed_framework")) {
			if (!(rc = need(args, i, 1)) &&
			    !(rc = add_lib(c, libs, &nlibs, a, args->v[++i]))) {
				c->in[c->nin - 1].framework = 1;
				c->in[c->nin - 1].weak_dylib = a[1] == 'w';
				c->in[c->nin - 1].needed_dylib = a[1] == 'n';
			}
		} else if (!strncmp(a, "-weak-l", 7) || !strncmp(a, "-needed-l", 9)) {
			int weak = a[1] == 'w';
			if (!(rc = add_lib(c, libs, &nlibs, weak ? "-weak-l" : "-needed-l",
					   a + (weak ? 7 : 9)))) {
				c->in[c->nin - 1].weak_dylib = weak;
				c->in[c->nin - 1].needed_dylib = !weak;
			}
		} else if (!strcmp(a, "-weak_library") || !strcmp(a, "-needed_library")) {
			if (!(rc = need(args, i, 1)) && !(rc = add_input(c, args->v[++i]))) {
				c->in[c->nin - 1].weak_dylib = a[1] == 'w';
				c->in[c->nin - 1].needed_dylib = a[1] == 'n';
			}
		} else if (!strcmp(a, "-dead_strip_dylibs")) {
			c->opt.dead_strip_dylibs = 1;
		} else if (!strcmp(a, "-ld_classic") || !strcmp(a, "-ld_new") ||
			   !strcmp(a, "-ld64")) {
			/* Xcode 15's ld picks its implementation: no effect here */
		} else if (!strncmp(a, "-l", 2)) {
			rc = add_lib(c, libs, &nlibs, "-l", a + 2);
		} else if (!strncmp(a, "-hidden-l", 9)) {
			rc = err("'%s' is not supported (linkfs-ld cannot give a library's "
				 "symbols hidden visibility)", a);
		} else if (!strcmp(a, "-filelist")) {
			if (!(rc = need(args, i, 1)))
				rc = add_filelist(c, args->v[++i]);
		} else if (!strcmp(a, "-syslibroot")) {
			if (!(rc = need(args, i, 1)))
				c->syslibroot = args->v[++i];
		} else if (!strcmp(a, "-map")) {
			if (!(rc = need(args, i, 1)))
				c->map_path = args->v[++i];
		} else if (!strcmp(a, "-print_statistics")) {
			c->opt.print_stats = 1;
		} else if (!strcmp(a, "-dead_strip")) {
			c->opt.dead_strip = 1;
		} else if (!strcmp(a, "-x")) {
			c->opt.strip_locals = 1;  /* no local symbols, as ld64 */
		} else if (!strcmp(a, "-S")) {
			c->opt.strip_debug = 1;   /* no debug map, as ld64 */
		} else if (!strcmp(a, "-undefined")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *v = args->v[++i];
			if (!strcmp(v, "error"))
				c->opt.undefined = UNDEFINED_ERROR;
			else if (!strcmp(v, "dynamic_lookup"))
				c->opt.undefined = UNDEFINED_DYNAMIC_LOOKUP;
			else
				rc = err("unsupported -undefined treatment '%s'", v);
		} else if (!strcmp(a, "-exported_symbols_list") ||
			   !strcmp(a, "-unexported_symbols_list")) {
			if ((rc = need(args, i, 1)))
				break;
			rc = add_export_file(c, a[1] == 'e' ? 1 : 2, a, args->v[++i]);
		} else if (!strcmp(a, "-exported_symbol") || !strcmp(a, "-unexported_symbol")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *v = args->v[++i];
			rc = add_export(c, a[1] == 'e' ? 1 : 2, a, v, strlen(v));
		} else if (!strcmp(a, "-rpath")) {
			if ((rc = need(args, i, 1)))
				break;
			c->rpaths[c->nrpaths++] = args->v[++i];
		} else if (!strcmp(a, "-stack_size")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *v = args->v[++i];
			/* hex as ld64 reads it, a multiple of the page size */
			if (parse_hex64(v, &c->opt.stack_size) || !c->opt.stack_size ||
			    c->opt.stack_size % 0x4000)
				rc = err("-stack_size '%s': not a hexadecimal multiple of 0x4000", v);
		} else if (!strcmp(a, "-all_load")) {
			c->opt.all_load = 1;
		} else if (!strcmp(a, "-noall_load")) {
			/* ld64's default: nothing to do */
		} else if (!strcmp(a, "-ObjC")) {
			c->opt.objc = 1;
		} else if (!strcmp(a, "-force_load")) {
			if ((rc = need(args, i, 1)))
				break;
			if (!(rc = add_input(c, args->v[++i])))
				c->in[c->nin - 1].force_load = 1;
		} else if (!strcmp(a, "-order_file")) {
			if ((rc = need(args, i, 1)))
				break;
			const char *path = args->v[++i];
			free(c->order_text);
			c->order_text = NULL;
			if (argv_read_file(path, ARGV_MAX_BYTES, &c->order_text, &c->order_len))
				rc = err("-order_file: cannot read '%s': %s", path, strerror(errno));
		} else if (!strcmp(a, "-u") || !strcmp(a, "-U")) {
			if ((rc = need(args, i, 1)))
				break;
			if (a[1] == 'u')
				c->names_u[c->nu++] = args->v[++i];
			else
				c->names_U[c->nU++] = args->v[++i];
		} else if (!strcmp(a, "-adhoc_codesign")) {
			c->opt.codesign = 1;
		} else if (!strcmp(a, "-no_adhoc_codesign")) {
			c->opt.codesign = 0;
		} else if (!strcmp(a, "-fixup_chains")) {
			c->opt.fixups = FIXUPS_CHAINED;
		} else if (!strcmp(a, "-no_fixup_chains")) {
			c->opt.fixups = FIXUPS_OPCODES;
		} else if (!strcmp(a, "-headerpad")) {
			if ((rc = need(args, i, 1)))
				break;
			if (parse_headerpad(args->v[++i], &c->opt.header_pad))
				rc = err("-headerpad wants a hex size of at most 0x%x, not '%s'",
					 LINK_MAX_HEADER_PAD, args->v[i]);
		} else if (!strcmp(a, "-headerpad_max_install_names")) {
			c->opt.header_pad_max_install_names = 1;
		} else if (!strncmp(a, "--threads=", 10)) {
			const char *v = strchr(a, '=') + 1;
			char *end;
			long t = strtol(v, &end, 10);
			if (!*v || *end || t < 1 || t > PAR_MAX_THREADS)
				rc = err("--threads wants a number from 1 to 64, not '%s'", v);
			else
				c->opt.threads = (int)t;
		} else if (!strncmp(a, "--dump=", 7)) {
			c->dump = a + 7;
			if (dump_kind_from_name(c->dump) < 0)
				rc = err("unknown --dump kind '%s'", c->dump);
		} else if (is_section_opt(a)) {
			rc = parse_section_opt(c, args, &i);
		} else if (!strcmp(a, "-dynamic") || !strcmp(a, "-no_deduplicate") ||
			   !strcmp(a, "-execute") || !strcmp(a, "-pie")) {
			/* accepted: these are already our behaviour (no
			 * identical code folding to turn off) */
		} else if (!strcmp(a, "-demangle")) {
			/* accepted, no effect: messages keep names as the
			 * objects spell them */
		} else if (!strcmp(a, "-object_path_lto")) {
			/* where the object LTO makes is written, as ld64 */
			if (!(rc = need(args, i, 1)))
				c->lto_object_path = args->v[++i];
		} else if (!strcmp(a, "-mllvm")) {
			/* an option of LTO's code generator: not passed on, since
			 * LLVM's option parser exits on one it does not know */
			if (!(rc = need(args, i, 1)))
				i++;
		} else if (a[0] == '-' && a[1]) {
			rc = err("unknown option '%s' (see --help)", a);
		} else {
			rc = add_input(c, a);
		}
	}
	if (!rc && !done && c->verbose && c->nin == 0)
		done = 1;   /* `ld -v`: the version only */
	if (!rc && !done)
		rc = check_output_kind(c);
	/* resolve -l in place */
	for (size_t k = 0; k < c->nin && !rc && !done; k++) {
		if (c->in[k].path)
			continue;
		struct cli tmp = *c;
		tmp.in = NULL;
		tmp.nin = tmp.cap_in = 0;
		rc = c->in[k].framework ? find_framework(&tmp, libs[c->in[k].size])
					: find_lib(&tmp, libs[c->in[k].size]);
		c->in[k].size = 0;
		if (!rc && tmp.nin) {
			c->in[k].path = tmp.in[0].path;
			c->in[k].shipped = tmp.in[0].shipped;
			c->in[k].shipped_size = tmp.in[0].shipped_size;
		}
		free(tmp.in);
	}
	free(libs);
	return rc ? -1 : done;
}

/*
 * Writing the output (-o, -map). What PATH names decides how:
 *   - a directory: refused;
 *   - a FIFO, a character or block device, or anything else that is not a
 *     regular file (following symlinks): written in place, as `cat > PATH`
 *     would (`-o /dev/null` leaves /dev/null a device);
 *   - a symlink: written through to its target (the link stays a link), a
 *     chain resolved hop by hop, a dangling one creating its target; a
 *     link that lives in /proc (/dev/stdout is /proc/self/fd/1) is a
 *     "magic" link whose text is no path: written in place;
 *   - a regular file or nothing: replaced atomically. The bytes go to a
 *     temporary file next to the target (`TARGET.linkfs-tmp.XXXXXX`), which
 *     then takes the target's name: a reader sees the old file or the new
 *     one, never a part, and a failure leaves the old file as it was and no
 *     temporary file (a fatal signal during the write removes it too).
 */

/* The temporary file being written, for the signal handler (which may
 * only unlink it: async-signal-safe). */
static char tmp_path[4200];
static volatile sig_atomic_t tmp_live;
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void on_fatal_signal(int sig)
{
	if (tmp_live)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fatal_signals_mask(int how)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(how, &set, NULL);
}

static int write_all(int fd, const void *data, size_t size)
{
	const uint8_t *p = data;
	while (size) {
		ssize_t w = write(fd, p, size);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		size -= (size_t)w;
	}
	return 0;
}

/* Writes into path as it is (FIFO, device, magic link); regular files
 * reached that way are truncated first. */
static int write_in_place(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return err("cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(fd, 0)) {
		int e = errno;
		close(fd);
		return err("cannot truncate '%s': %s", path, strerror(e));
	}
	if (write_all(fd, data, size)) {
		int e = errno;
		close(fd);
		return err("cannot write '%s': %s", path, strerror(e));
	}
	if (close(fd) && errno != EINTR)
		return err("cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/*
 * Follows the symlinks at path itself (not in its directories) to the name
 * a write through it reaches: *out, which need not exist. *magic is set
 * when a link lives in /proc (its text is not a path). 0, or -1 and errno.
 */
static int resolve_links(const char *path, char *out, size_t cap, int *magic)
{
	*magic = 0;
	if (snprintf(out, cap, "%s", path) >= (int)cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		if (lstat(out, &st))
			return errno == ENOENT ? 0 : -1;
		if (!S_ISLNK(st.st_mode))
			return 0;
		if (!strncmp(out, "/proc/", 6)) {
			*magic = 1;
			return 0;
		}
		char target[4096];
		ssize_t n = readlink(out, target, sizeof target - 1);
		if (n < 0)
			return -1;
		target[n] = 0;
		char *slash = strrchr(out, '/');
		if (target[0] == '/' || !slash) {
			if ((size_t)n >= cap) {
				errno = ENAMETOOLONG;
				return -1;
			}
			memcpy(out, target, (size_t)n + 1);
		} else {   /* relative to the link's directory */
			size_t dir = (size_t)(slash - out) + 1;
			if (dir + (size_t)n >= cap) {
				errno = ENAMETOOLONG;
				return -1;
			}
			memcpy(out + dir, target, (size_t)n + 1);
		}
	}
	errno = ELOOP;
	return -1;
}

/*
 * Replaces the regular file target (or creates it) atomically. Over an
 * existing file, ext4 (auto_da_alloc) makes a plain rename() flush the new
 * file's data first, which costs ~15 ms for a 12 MiB executable;
 * exchanging the two names (RENAME_EXCHANGE) and then unlinking the old
 * file is just as atomic and does not flush. A file system without
 * RENAME_EXCHANGE (a linkfs mount) gets rename().
 */
static int replace_file(const char *path, const char *target, const void *data,
			size_t size, mode_t mode)
{
	if (snprintf(tmp_path, sizeof tmp_path, "%s.linkfs-tmp.XXXXXX", target) >=
	    (int)sizeof tmp_path)
		return err("cannot write '%s': %s", path, strerror(ENAMETOOLONG));
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++) {
		struct sigaction old, sa = { .sa_handler = on_fatal_signal };
		sigemptyset(&sa.sa_mask);
		/* an ignored signal stays ignored (nohup) */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
	}
	fatal_signals_mask(SIG_BLOCK);
	int fd = mkostemp(tmp_path, O_CLOEXEC);
	tmp_live = fd >= 0;
	int e = errno;
	fatal_signals_mask(SIG_UNBLOCK);
	if (fd < 0)
		return err("cannot create a temporary file for '%s' ('%s'): %s",
			   path, tmp_path, strerror(e));
	const char *what = "write";
	int rc = write_all(fd, data, size);
	if (!rc && (rc = fchmod(fd, mode)))
		what = "set the mode of";
	e = errno;
	if (close(fd) && !rc && errno != EINTR) {
		rc = -1;
		e = errno;
	}
	if (!rc) {
		struct stat st;
		what = "rename the temporary file to";
		if (lstat(target, &st) == 0 && S_ISREG(st.st_mode) &&
		    renameat2(AT_FDCWD, tmp_path, AT_FDCWD, target,
			      RENAME_EXCHANGE) == 0) {
			/* the old file now has the temporary name: if it
			 * stays, the output is still in place */
		} else if (rename(tmp_path, target)) {
			rc = -1;
			e = errno;
		} else {
			tmp_live = 0;
		}
	}
	fatal_signals_mask(SIG_BLOCK);
	if (tmp_live)
		unlink(tmp_path);
	tmp_live = 0;
	fatal_signals_mask(SIG_UNBLOCK);
	if (rc)
		return err("cannot %s '%s': %s", what, path, strerror(e));
	return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What LTO must keep external (lto.h): for an executable, the names the
 * native objects among in[0..n) refer to (their undefined externals),
 * the entry point, -u's and an exported list's; all for a dylib, a
 * bundle or -export_dynamic. Names point into the parses and c. An
 * object read whole is parsed here for its names. 0, or -1 (OOM). */
static int lto_keep_gather(const struct cli *c, const struct link_input *in, size_t n,
			   struct lto_keep *k)
{
	memset(k, 0, sizeof *k);
	k->all = c->opt.kind != OUTPUT_EXECUTE || c->opt.export_dynamic;
	if (k->all)
		return 0;
	size_t cap = 16 + c->nu + c->nexports, cnt = 0;
	for (size_t i = 0; i < n; i++)
		if (in[i].parsed)
			cap += in[i].parsed->nsymbols;
		else if (in[i].data && in[i].size >= 32 && rd32(in[i].data) == MH_MAGIC_64 &&
			 rd32(in[i].data + 12) == MH_OBJECT)
			cap += in[i].size / 16;   /* at most one per nlist's bytes */
	const char **v = malloc(cap * sizeof *v);
	if (!v)
		return -1;
	v[cnt++] = c->opt.entry;
	for (size_t i = 0; i < c->nu; i++)
		v[cnt++] = c->names_u[i];
	for (size_t i = 0; c->export_list == 1 && i < c->nexports; i++)
		v[cnt++] = c->exports[i];
	for (size_t i = 0; i < n; i++) {
		struct obj_file tmp;
		const struct obj_file *o = in[i].parsed;
		if (!o && in[i].data && in[i].size >= 32 && rd32(in[i].data) == MH_MAGIC_64 &&
		    rd32(in[i].data + 12) == MH_OBJECT) {
			struct diag d;
			diag_init(&d);
			int bad = obj_parse(&tmp, in[i].name, in[i].data, in[i].size, &d);
			diag_release(&d);
			if (bad)
				continue;   /* the link reports it */
			o = &tmp;
		}
		for (uint32_t s = 0; o && s < o->nsymbols && cnt < cap; s++)
			if ((o->symbols[s].type & (N_STAB | N_TYPE | N_EXT)) == (N_UNDF | N_EXT))
				v[cnt++] = o->symbols[s].name;   /* into the input's bytes */
		if (o == &tmp)
			obj_release(&tmp);
	}
	qsort(v, cnt, sizeof *v, cmp_cstr);
	k->names = v;
	k->n = cnt;
	return 0;
}

static int write_file(const char *path, const void *data, size_t size, mode_t mode)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return err("cannot write '%s': %s", path, strerror(EISDIR));
		if (!S_ISREG(st.st_mode))   /* FIFO, device: in place */
			return write_in_place(path, data, size);
	}
	char target[4096];
	int magic;
	if (resolve_links(path, target, sizeof target, &magic))
		return err("cannot write '%s': %s", path, strerror(errno));
	if (magic)
		return write_in_place(path, data, size);
	return replace_file(path, target, data, size, mode);
}

static void print_message(void *arg, const char *text, size_t len)
{
	(void)arg;
	fwrite(text, 1, len, stdout);
}

/* The architecture of the first Mach-O object among the inputs read. */
static enum link_arch first_object_arch(const struct cli *c)
{
	for (size_t i = 0; i < c->nin; i++) {
		const struct cli_input *x = &c->in[i];
		if (x->parsed)
			return x->parsed->arch;
		if (x->data && x->size >= 8 && x->data[0] == 0xcf && x->data[1] == 0xfa &&
		    x->data[2] == 0xed && x->data[3] == 0xfe && x->data[12] == 1) {
			uint32_t cpu = (uint32_t)x->data[4] | (uint32_t)x->data[7] << 24;
			return cpu == 0x0100000cu ? ARCH_ARM64 : ARCH_X86_64;
		}
	}
	return ARCH_X86_64;
}

/* -sectcreate's sections, each an object after every other input, as
 * ld64.lld adds them (sectcreate.h). */
static int add_sectcreate_inputs(struct cli *c, struct link_input *in, size_t *n)
{
	enum link_arch arch = c->opt.arch != ARCH_NONE ? c->opt.arch : first_object_arch(c);
	for (size_t i = 0; i < c->nsc; i++) {
		struct sectcreate *s = &c->sc[i];
		if (sectcreate_object(arch, s->seg, s->sect, (const uint8_t *)s->bytes,
				      s->size, &s->obj, &s->obj_size))
			return err("-sectcreate %s %s: '%s' is too large for a section, "
				   "or out of memory", s->seg, s->sect, s->path);
		in[*n].name = s->path;
		in[*n].data = s->obj;
		in[*n].size = s->obj_size;
		in[*n].sectcreate = 1;
		(*n)++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* A fixed threshold: glibc would otherwise raise it each time a big
	 * block is freed, and the link's large temporaries (sort and trie
	 * buffers, per-stage arrays) would stay resident after their free. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	struct cli c;
	memset(&c, 0, sizeof c);
	link_options_init(&c.opt);
	struct argv_list args;
	size_t n = 0;
	struct link_input *in = NULL;
	struct link_image *img = NULL;
	struct input_store *store = NULL;
	struct reexports reexp;
	memset(&reexp, 0, sizeof reexp);
	struct lto_bitcode *bc = NULL;
	size_t nbc = 0;
	uint8_t *lto_obj = NULL;
	size_t lto_size = 0;
	int rc = argv_init(&args, argc, argv) ? err("out of memory") : parse_args(&c, &args);
	if (rc) {
		rc = rc < 0 ? -1 : 0;   /* 1: done */
		goto out;
	}
	if (c.nwhy && !c.opt.dead_strip)   /* as ld64.lld */
		fprintf(stderr, "linkfs-ld: warning: -why_live has no effect without "
			"-dead_strip, ignoring\n");
	c.output = c.output ? c.output : "a.out";
	const char *slash = strrchr(c.output, '/');
	snprintf(c.opt.output_name, sizeof c.opt.output_name, "%s", slash ? slash + 1 : c.output);
	/* the records are only for the text tables */
	c.opt.no_records = !c.map_path && !c.dump;
	c.opt.no_cleanup = FAST_EXIT;
	in = calloc(c.nin + c.nsc + 2, sizeof *in);   /* and LTO's object */
	bc = calloc(c.nin + 1, sizeof *bc);
	if (!in || !bc) {
		rc = err("out of memory");
		goto out;
	}
	/* Opening and reading 10,000 small files costs ~8 us of system time
	 * each on a VM: spread it over the link's threads (inputs.c). */
	uint64_t t = stats_now_ns();
	store = inputs_read(c.in, c.nin, par_threads(c.opt.threads));
	t = cli_stage(&c, "read", t);
	if (!store) {
		rc = err("out of memory");
		goto out;
	}
	for (size_t i = 0; i < c.nin; i++) {
		if (!c.in[i].path)
			continue; /* an -l that named nothing (not reached) */
		if (c.in[i].shipped) {
			in[n].name = c.in[i].path;
			in[n].data = c.in[i].shipped;
			in[n].size = c.in[i].shipped_size;
			in[n].parsed = NULL;
			in[n].weak_dylib = c.in[i].weak_dylib;
			in[n].needed_dylib = c.in[i].needed_dylib;
			in[n].reexport = c.in[i].reexport;
			n++;
			continue;
		}
		if (c.in[i].status != IN_READ_OK) {
			char msg[4300];
			fprintf(stderr, "linkfs-ld: error: %s\n",
				input_error(&c.in[i], msg, sizeof msg));
			rc = -1;
			goto out;
		}
		if (!c.in[i].parsed && link_is_bitcode(c.in[i].data, c.in[i].size)) {
			/* compiled by libLTO below, into one object */
			bc[nbc].name = c.in[i].path;
			bc[nbc].data = c.in[i].data;
			bc[nbc++].size = c.in[i].size;
			continue;
		}
		in[n].name = c.in[i].path;
		in[n].data = c.in[i].data;
		in[n].size = c.in[i].size;
		in[n].parsed = c.in[i].parsed;
		in[n].force_load = c.in[i].force_load;
		in[n].weak_dylib = c.in[i].weak_dylib;
		in[n].needed_dylib = c.in[i].needed_dylib;
		in[n].reexport = c.in[i].reexport;
		in[n].bundle_loader = c.in[i].bundle_loader;
		in[n].lazy = c.in[i].lazy;
		n++;
	}
	/* the architecture LTO compiles for and re-exported dylibs are read
	 * for: the link's (the objects LTO and -sectcreate add are of it) */
	enum link_arch arch = c.opt.arch != ARCH_NONE ? c.opt.arch : link_guess_arch(in, n);
	if (nbc) {   /* the bitcode, optimized and compiled into one object */
		char lmsg[8400];
		struct lto_keep keep;
		if (lto_keep_gather(&c, in, n, &keep)) {
			rc = err("out of memory");
			goto out;
		}
		int bad = lto_compile(c.lto_library, bc, nbc, arch, &keep, &lto_obj, &lto_size,
				      lmsg, sizeof lmsg);
		free((void *)keep.names);
		if (bad) {
			rc = err("%s", lmsg);
			goto out;
		}
		if (c.lto_object_path &&
		    (rc = write_file(c.lto_object_path, lto_obj, lto_size, 0644)))
			goto out;
		memset(&in[n], 0, sizeof in[n]);
		in[n].name = c.lto_object_path ? c.lto_object_path : "lto.o";
		in[n].data = lto_obj;
		in[n].size = lto_size;
		n++;
	}
	if (c.nsc && add_sectcreate_inputs(&c, in, &n)) {
		rc = -1;
		goto out;
	}
	/* the libraries binary dylib inputs re-export, after every input */
	char rmsg[8400];
	if (reexports_follow(in, n, arch, c.syslibroot, &reexp, rmsg, sizeof rmsg)) {
		rc = err("%s", rmsg);
		goto out;
	}
	if (reexp.n) {
		struct link_input *all = realloc(in, (n + reexp.n + 1) * sizeof *all);
		if (!all) {
			rc = err("out of memory");
			goto out;
		}
		in = all;
		for (size_t i = 0; i < reexp.n; i++)
			in[n++] = reexp.v[i].in;
	}
	/* the link frees the inputs' bytes once it has read them for the
	 * last time, before building __LINKEDIT: a lower peak */
	c.opt.inputs_done = inputs_drop_bytes;
	c.opt.inputs_done_arg = store;
	c.opt.nlists_done = inputs_drop_nlists;
	c.opt.nlists_done_arg = store;
	/* the debug map names objects by absolute path, as lld does, so
	 * dsymutil finds them from any directory */
	char cwd[4096];
	if (getcwd(cwd, sizeof cwd))
		c.opt.oso_dir = cwd;
	c.opt.force_undefined = c.names_u;
	c.opt.nforce_undefined = c.nu;
	c.opt.allow_undefined = c.names_U;
	c.opt.nallow_undefined = c.nU;
	c.opt.rpaths = c.rpaths;
	c.opt.nrpaths = c.nrpaths;
	c.opt.order_file = c.order_text;
	c.opt.order_file_len = c.order_len;
	c.opt.export_list = c.export_list;
	c.opt.export_patterns = (const char *const *)c.exports;
	c.opt.nexport_patterns = c.nexports;
	c.opt.why_live = c.why;
	c.opt.nwhy_live = c.nwhy;
	c.opt.message = print_message;   /* -t, -why_live: stdout, as lld */
	if (c.dump && dump_kind_from_name(c.dump) == DUMP_WHY)
		c.opt.message = NULL;    /* --dump=why prints the same lines */
	c.opt.rename_sections = c.renames;
	c.opt.nrename_sections = c.nrenames / 4;
	c.opt.rename_segments = c.segrenames;
	c.opt.nrename_segments = c.nsegrenames / 2;
	c.opt.segprots = c.segprots;
	c.opt.nsegprots = c.nsegprots;
	img = link_run(in, n, &c.opt);
	if (!img) {
		rc = err("out of memory");
		goto out;
	}
	if (img->log_len)
		fwrite(img->log, 1, img->log_len, stderr);
	if (!img->ok) {
		rc = -1;
		goto out;
	}
	t = stats_now_ns();
	rc = write_file(c.output, img->bytes, img->size, 0755);
	cli_stage(&c, "write", t);
	if (!rc && c.map_path) {
		struct buf b;
		buf_init(&b);
		rc = dump_render(img, DUMP_MAP, &b) ? err("out of memory")
						    : write_file(c.map_path, b.data ? (void *)b.data : "", b.len, 0644);
		buf_release(&b);
	}
	if (!rc && c.dump) {
		struct buf b;
		buf_init(&b);
		if (dump_render(img, (enum dump_kind)dump_kind_from_name(c.dump), &b))
			rc = err("out of memory");
		else if (b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
			rc = err("cannot write to standard output");
		buf_release(&b);
	}
out:
	if (FAST_EXIT) {
		/* Freeing a large link piece by piece (the inputs, the image,
		 * thousands of blocks) costs more than the kernel's tearing the
		 * whole address space down at once. */
		if (fflush(stdout) || fflush(stderr))
			rc = -1;
		_exit(rc ? 1 : 0);
	}
	link_image_unref(img);
	inputs_release(store);
	reexports_release(&reexp);
	free(bc);
	free(lto_obj);
	for (size_t i = 0; i < c.nin; i++)
		free(c.in[i].path);
	free(c.in);
	free(c.lib_dirs);
	free(c.fw_dirs);
	free(c.order_text);
	free(c.rpaths);
	free(c.names_u);
	free(c.names_U);
	for (size_t i = 0; i < c.nexports; i++)
		free(c.exports[i]);
	free(c.exports);
	free(c.why);
	for (size_t i = 0; i < c.nsc; i++) {
		free(c.sc[i].bytes);
		free(c.sc[i].obj);
	}
	free(c.sc);
	free(c.renames);
	free(c.segrenames);
	free(c.segprots);
	free(in);
	argv_release(&args);
	return rc ? 1 : 0;
}
