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
 * Left out: fat files, 32-bit images, arm64e (and its pointer formats),
 * dylibs.
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
#define MR_MH_PIE 0x200000u

/* load commands */
#define MR_LC_SEGMENT 0x1u
#define MR_LC_SEGMENT_64 0x19u
#define MR_LC_LOAD_DYLIB 0xcu
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

struct mr_image {
	const char *path;
	int verbose;
	uint8_t *file;
	size_t file_size;

	struct mr_segment seg[MR_MAX_SEGS];
	unsigned nseg;
	struct mr_section *sect;
	unsigned nsect;
	unsigned ndylibs;

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

/* mr-image.c: parse and map. Each returns 0, or -1 after printing why. */
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
 * address: checks the dylib ordinal (0 and -1, the image itself, are
 * refused; -2 flat lookup; -3 weak lookup, which tries the image's own
 * export trie first), then mr_symbol_resolve(); an unresolvable weak import
 * is 0. ctx prefixes every message (may be ""). Returns 0, or -1 after
 * printing why. */
int mr_import_resolve(struct mr_image *img, const char *ctx, const char *sym,
	int64_t ordinal, int weak_import, uint64_t *addr);

/* mr-chained.c: apply LC_DYLD_CHAINED_FIXUPS (DYLD_CHAINED_PTR_64 and
 * _64_OFFSET). Returns 0, or -1 after printing why. */
int mr_chained_apply(struct mr_image *img);

/* mr-chained.c: look name up in the image's export trie. Returns 1 and sets
 * *addr (a host address), 0 when the trie does not export name, or -1 after
 * printing why (a malformed trie, or an export the runner cannot bind). */
int mr_export_lookup(struct mr_image *img, const char *name, uint64_t *addr);

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

/* mr-start.c: initializers and LC_MAIN. Does not return. */
_Noreturn void mr_start(struct mr_image *img, int argc, char **argv,
	char **envp);

#endif
