/*
 * mr.h - shared declarations of macho-run, the test runner that executes a
 * Mach-O MH_EXECUTE on Linux: an x86_64 image when built for x86_64, an
 * arm64 image when built for aarch64 (run under qemu-aarch64 in the tests).
 *
 * The runner is a test oracle: it is written independently of the linker
 * library (it never links to it and keeps its own Mach-O constants), so a bug
 * in the linker's understanding of the format is not repeated here.
 *
 * Invariants: an image's segments are recorded in load-command order (the
 * order dyld opcodes index them by); a segment with mapped == 0 (__PAGEZERO)
 * has no host memory and every fixup into it is an error. Every pointer into
 * the mapping is obtained through mr_image_ptr(), which checks bounds.
 *
 * Fixups come either from the LC_DYLD_INFO opcode streams (mr-fixups.c) or
 * from LC_DYLD_CHAINED_FIXUPS (mr-chained.c); both resolve imports through
 * mr_import_resolve().
 *
 * Dylibs and bundles of ours (MH_DYLIB, MH_BUNDLE) that an image names are
 * loaded by mr-load.c, each at its own slide; binds resolve by dylib
 * ordinal through their export tries. System dylibs (/usr/lib/...,
 * /System/...) stay bound to the host libraries.
 *
 * Left out: fat files, 32-bit images, arm64e (and its pointer formats).
 */
#ifndef MACHO_RUN_MR_H
#define MACHO_RUN_MR_H

#include <stddef.h>
#include <stdint.h>

#define MR_EXIT_LOAD 125 /* exit status for anything the runner rejects */
#define MR_MAX_SEGS 32

/* header */
#define MR_MH_MAGIC_64 0xfeedfacfu
#define MR_CPU_X86_64 0x01000007u
#define MR_CPU_ARM64 0x0100000cu
#define MR_CPU_SUBTYPE_MASK 0xff000000u /* capability bits */
#define MR_CPU_SUBTYPE_ARM64_ALL 0u
#define MR_CPU_SUBTYPE_ARM64_V8 1u
#define MR_MH_OBJECT 1u
#define MR_MH_EXECUTE 2u
#define MR_MH_DYLIB 6u
#define MR_MH_BUNDLE 8u
#define MR_MH_PIE 0x200000u

/* load commands */
#define MR_LC_SEGMENT 0x1u
#define MR_LC_SEGMENT_64 0x19u
#define MR_LC_LOAD_DYLIB 0xcu
#define MR_LC_ID_DYLIB 0xdu
#define MR_LC_RPATH 0x8000001cu
#define MR_LC_LOAD_WEAK_DYLIB 0x80000018u
#define MR_LC_REEXPORT_DYLIB 0x8000001fu
#define MR_LC_LAZY_LOAD_DYLIB 0x20u
#define MR_LC_LOAD_UPWARD_DYLIB 0x80000023u
#define MR_LC_DYLD_INFO 0x22u
#define MR_LC_DYLD_INFO_ONLY 0x80000022u
#define MR_LC_MAIN 0x80000028u
#define MR_LC_UNIXTHREAD 0x5u
#define MR_LC_DYLD_CHAINED_FIXUPS 0x80000034u
#define MR_LC_DYLD_EXPORTS_TRIE 0x80000033u

/* section types (low byte of flags) */
#define MR_S_TYPE_MASK 0xffu
#define MR_S_ZEROFILL 0x1u
#define MR_S_MOD_INIT_FUNC_POINTERS 0x9u
#define MR_S_GB_ZEROFILL 0xcu
#define MR_S_THREAD_LOCAL_REGULAR 0x11u
#define MR_S_THREAD_LOCAL_ZEROFILL 0x12u
#define MR_S_THREAD_LOCAL_VARIABLES 0x13u
#define MR_S_INIT_FUNC_OFFSETS 0x16u

/* segment flags and protections (VM_PROT_* equal PROT_* on Linux) */
#define MR_SG_READ_ONLY 0x10u
#define MR_VM_READ 1u
#define MR_VM_WRITE 2u
#define MR_VM_EXEC 4u

/* The one architecture this build runs: the host's. MR_PAGE is the Darwin
 * page size of that architecture; segments must be aligned to it and the
 * slide is a multiple of it. */
#if defined(__x86_64__)
#define MR_HOST_CPU MR_CPU_X86_64
#define MR_HOST_ARCH "x86_64"
#define MR_OTHER_CPU MR_CPU_ARM64
#define MR_OTHER_ARCH "arm64"
#define MR_PAGE 0x1000u
#elif defined(__aarch64__)
#define MR_HOST_CPU MR_CPU_ARM64
#define MR_HOST_ARCH "arm64"
#define MR_OTHER_CPU MR_CPU_X86_64
#define MR_OTHER_ARCH "x86_64"
#define MR_PAGE 0x4000u /* Darwin arm64 pages are 16 KiB */
#else
#error "macho-run is built for x86_64 or aarch64 only"
#endif

struct mr_segment {
	char name[17];
	uint64_t vmaddr, vmsize, fileoff, filesize;
	uint32_t maxprot, initprot, flags;
	int mapped;
};

struct mr_section {
	char segname[17], sectname[17];
	uint64_t addr, size;
	uint32_t offset, flags;
	unsigned seg; /* index into mr_image.seg */
};

/* A dylib an image names: its N-th LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB,
 * LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB or LC_LOAD_UPWARD_DYLIB is dylib
 * ordinal N + 1. mr-load.c decides where its symbols come from. */
struct mr_dep {
	const char *name;     /* install name, inside mr_image.file */
	uint32_t cmd;         /* the load command */
	struct mr_image *img; /* the Mach-O dylib loaded for it, or NULL */
	int host;             /* a system dylib: the host libraries */
	int missing;          /* a weak dylib that was not found */
};

struct mr_image {
	const char *path;
	int verbose;
	uint8_t *file;
	size_t file_size;
	int is_main;       /* set before parsing: the MH_EXECUTE to run */
	uint32_t filetype; /* MH_EXECUTE, or MH_DYLIB / MH_BUNDLE */

	struct mr_segment seg[MR_MAX_SEGS];
	unsigned nseg;
	struct mr_section *sect;
	unsigned nsect;
	unsigned ndylibs;
	struct mr_dep *dep;      /* ndylibs entries */
	const char *install_name; /* LC_ID_DYLIB, inside file, or NULL */
	const char **rpath;      /* LC_RPATH paths, inside file */
	unsigned nrpath;

	/* mr-load.c */
	char *real;              /* realpath of path: identifies the image */
	struct mr_image *loader; /* the image that first named it, or NULL */
	int state;               /* 0 new, 1 loading its dylibs, 2 loaded */
	int inited;              /* its initializers have run */
	unsigned searched;       /* the lookup that last searched it */

	int has_main;
	uint64_t entryoff;
	int has_dyld_info;
	uint32_t rebase_off, rebase_size, bind_off, bind_size;
	uint32_t weak_off, weak_size, lazy_off, lazy_size;
	int has_chained, has_exports;
	uint32_t chained_off, chained_size; /* LC_DYLD_CHAINED_FIXUPS */
	uint32_t exports_off, exports_size; /* LC_DYLD_EXPORTS_TRIE, or the
					     * export stream of LC_DYLD_INFO */
	uint32_t sizeofcmds;
	uint64_t hdr_vm; /* unslid address of the Mach-O header: the vmaddr of
			  * the segment that maps file offset 0 */
	int has_hdr;

	uint64_t vm_lo, vm_hi; /* unslid range of the mapped segments */
	uint8_t *base;         /* host address of vm_lo */
	uint64_t slide;        /* host address - unslid address (mod 2^64) */
};

/* mr-util.c */
void mr_error(const struct mr_image *img, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mr_note(const struct mr_image *img, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* mr-image.c: parse and map. Each returns 0, or -1 after printing why.
 * mr_image_parse accepts an MH_EXECUTE (PIE, with LC_MAIN) when is_main is
 * set, else an MH_DYLIB or MH_BUNDLE. */
int mr_image_read(struct mr_image *img, const char *path);
int mr_image_parse(struct mr_image *img);
int mr_image_map(struct mr_image *img, uint64_t seed, int seeded);
int mr_image_protect(struct mr_image *img);
void *mr_image_ptr(const struct mr_image *img, unsigned segi, uint64_t off,
	uint64_t size, int write, const char *what);
int mr_image_exec_addr(const struct mr_image *img, uint64_t host_addr);

/* mr-fixups.c: interpret the LC_DYLD_INFO opcode streams, or hand over to
 * mr_chained_apply() when the image has LC_DYLD_CHAINED_FIXUPS. */
int mr_fixups_apply(struct mr_image *img);

/* mr-fixups.c: resolve the target of a bind (opcode or chained) to a host
 * address by its dylib ordinal: 0 the image itself, -1 the main
 * executable, -2 flat lookup and -3 weak lookup (every loaded image in load
 * order, main executable first, then the host), N > 0 the image's N-th
 * dylib (mr_dep_lookup); an unresolvable weak import is 0. ctx prefixes
 * every message (may be ""). Returns 0, or -1 after printing why. */
int mr_import_resolve(struct mr_image *img, const char *ctx, const char *sym,
	int64_t ordinal, int weak_import, uint64_t *addr);

/* mr-chained.c: apply LC_DYLD_CHAINED_FIXUPS (DYLD_CHAINED_PTR_64 and
 * _64_OFFSET). Returns 0, or -1 after printing why. */
int mr_chained_apply(struct mr_image *img);

/* mr-chained.c: look name up in the image's export trie, following a
 * re-export entry to the dylib it names (depth counts the re-exports
 * followed so far). Returns 1 and sets *addr (a host address), 0 when the
 * trie does not export name, or -1 after printing why (a malformed trie,
 * or an export the runner cannot bind). */
int mr_export_lookup(struct mr_image *img, const char *name, uint64_t *addr);
int mr_export_lookup_depth(struct mr_image *img, const char *name,
	uint64_t *addr, unsigned depth);

/* mr-load.c: the loader of the dylibs an image names (docs/runner.md,
 * Dylibs). Options first: --map NAME=PATH and --dylib-dir DIR. */
int mr_load_map(const char *spec);
int mr_load_dir(const char *dir);
/* Loads the main executable at path into img and every dylib it needs,
 * applies all fixups, thread-local setup, protections and unwind
 * registration. Returns 0, or -1 after printing why. */
int mr_load_program(struct mr_image *img, const char *path, uint64_t seed,
	int seeded, int verbose, int no_eh_frame);
/* Look name up in img's dylib of ordinal ord (1-based): in a Mach-O
 * dylib's export trie and then in the dylibs it re-exports, or in the host
 * libraries for a system dylib. Returns 1 (found, *addr set), 0 (not
 * found; *where names the dylib) or -1 after printing why. */
int mr_dep_lookup(struct mr_image *img, int64_t ord, const char *name,
	uint64_t *addr, unsigned depth, const char **where);
/* Look name up in a loaded image and the dylibs it re-exports: 1, 0, -1. */
int mr_image_lookup(struct mr_image *img, const char *name, uint64_t *addr,
	unsigned depth);
/* Flat lookup: every loaded image in load order (the main executable
 * first), own exports only, then the host. 1, 0, -1. */
int mr_flat_lookup(struct mr_image *from, const char *name, uint64_t *addr);
/* The main executable. */
struct mr_image *mr_main_image(void);
/* Runs the initializers of every loaded dylib not yet initialized, in
 * dependency order (a dylib after the dylibs it loads). Returns 0, or -1
 * after printing why. */
int mr_load_run_inits(int argc, char **argv, char **envp, char **apple);
/* The runner's dlopen family, bound to the program's _dlopen, _dlsym,
 * _dlclose and _dlerror imports. */
void *mr_dlopen(const char *path, int mode);
void *mr_dlsym(void *handle, const char *name);
int mr_dlclose(void *handle);
char *mr_dlerror(void);

/* mr-symbols.c: resolve an imported Mach-O symbol name to a host address.
 * Returns 0 and sets *addr, or -1 (nothing printed). On -1, *why is NULL
 * when the name is simply unknown, or says why the runner refuses to bind
 * it (a weak import is then refused too). */
int mr_symbol_resolve(const char *name, uint64_t *addr, const char **why);

/* An entry point of the runner that Mach-O code may call, under a name. */
typedef void (*mr_fn)(void);
struct mr_bridge {
	const char *name; /* Mach-O name, with its leading '_' */
	mr_fn fn;
};

/* mr-varargs-arm64.c: the Darwin arm64 variadic and va_list bridges. */
extern const struct mr_bridge mr_va_bridges[];
extern const unsigned mr_va_nbridges;

/* mr-abi-<arch>.c: the names whose Darwin calling convention differs from
 * the host's. Returns 1 and sets *addr (a bridge or an equivalent host
 * function), -1 and sets *why (the runner cannot call it), or 0: not
 * special, bind the host function of the same name. */
int mr_abi_resolve(const char *name, uint64_t *addr, const char **why);

/* mr-tlv.c: thread-local variable descriptors. */
int mr_tlv_setup(struct mr_image *img);
extern void mr_tlv_get_addr(void);  /* mr-tlv*.S: the descriptor thunk */
extern void mr_chkstk_darwin(void); /* mr-tlv*.S: ___chkstk_darwin */

/* mr-symbols.c: the host C++ runtime, loaded when a name is not found in
 * the C library. mr_cxx_runtime_load loads it into the global scope, once;
 * returns 0, or -1 when it is not installed. */
#define MR_CXX_RUNTIME "libstdc++.so.6"
int mr_cxx_runtime_load(void);

/* mr-cxx-arm64.c: this-returning wrappers for the runtime's destructors
 * (name without the Mach-O '_'). Returns 1 and sets *addr, -1 and sets *why,
 * or 0: not one of them. */
int mr_cxx_abi_resolve(const char *name, uint64_t *addr, const char **why);

/* mr-unwind-info.c: the functions of __TEXT,__unwind_info, sorted, with
 * host addresses (lsda and personality 0 when absent; personality is the
 * address of the slot that holds the routine). */
struct mr_cu_entry {
	uint64_t start, end;
	uint32_t enc;
	uint64_t lsda, personality;
};
struct mr_cu_table {
	struct mr_cu_entry *e; /* malloc'd; the caller frees it */
	size_t n, cap;
	uint64_t end;
};
/* Fills t (empty without the section). Returns 0, or -1 after printing
 * why. */
int mr_unwind_info_read(struct mr_image *img, struct mr_cu_table *t);
/* The entry whose function contains pc, or NULL. */
const struct mr_cu_entry *mr_unwind_info_find(const struct mr_cu_table *t,
	uint64_t pc);

/* DWARF call frame instructions being built (mr-unwind.c); why is set when
 * they could not be. */
struct mr_cfa {
	uint8_t b[96];
	size_t n;
	const char *why;
};
void mr_cfa_byte(struct mr_cfa *c, uint8_t b);
void mr_cfa_uleb(struct mr_cfa *c, uint64_t v);
void mr_cfa_def(struct mr_cfa *c, unsigned reg, uint64_t off);
void mr_cfa_offset(struct mr_cfa *c, unsigned reg, uint64_t factored);
int mr_cfa_bad(struct mr_cfa *c, const char *why); /* returns -1 */

/* mr-cu-<arch>.c: the DWARF register of the return address, and the CFA
 * instructions equivalent to e's compact encoding. Returns 1 (written), 0
 * (nothing to write: no unwind info, or DWARF mode) or -1 (out->why says
 * why the encoding cannot be expressed). */
extern const unsigned mr_cu_ra_reg;
int mr_cu_instructions(struct mr_image *img, const struct mr_cu_entry *e,
	struct mr_cfa *out);

/* mr-eh-frame.c: the image's __TEXT,__eh_frame, or NULL. */
const struct mr_section *mr_eh_frame_section(const struct mr_image *img);
/* mr-eh-frame.c: copies __eh_frame to dst (room for its size), moving its
 * pc-relative pointers, and gives pc_range 0 to the FDEs of functions that
 * t describes by a compact encoding. Returns 0, or -1 after printing why. */
int mr_eh_frame_copy(struct mr_image *img, const struct mr_cu_table *t,
	uint8_t *dst, unsigned *nfde, unsigned *ndisabled);

/* mr-unwind.c: registers the image's unwind information with the host
 * unwinder (libgcc_s __register_frame) unless skip is set. Returns 0, or
 * -1 after printing why. */
int mr_unwind_register(struct mr_image *img, int skip);

/* mr-start.c: run an image's initializers with (argc, argv, envp, apple).
 * Returns 0, or -1 after printing why. */
int mr_run_inits(struct mr_image *img, int argc, char **argv, char **envp,
	char **apple);

/* mr-start.c: initializers (the dylibs' first) and LC_MAIN. Does not
 * return. */
_Noreturn void mr_start(struct mr_image *img, int argc, char **argv,
	char **envp);

#endif
