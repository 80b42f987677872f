/*
 * link.h - the public interface of the linker library.
 *
 * Inputs go in as (name, bytes) pairs plus options; an immutable,
 * reference-counted link image comes out. The library has no globals and
 * knows nothing of FUSE or SQLite. It never exits, aborts or longjmps on bad
 * input: every problem becomes a diagnostic in the image's log.
 *
 * Thread safety: link_run may run concurrently on different inputs. An
 * image is immutable once returned, so any thread may read it; refcounting
 * is atomic. link_run itself starts up to options.threads worker threads
 * (linker/base/par.h) and joins them before it returns; the bytes and
 * records it produces do not depend on the number of threads.
 */
#ifndef LINKFS_LINK_H
#define LINKFS_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "input/object.h"

struct link_input {
	const char *name;      /* file name for diagnostics and the map */
	const uint8_t *data;   /* must stay valid during link_run only
				  (but see link_options.inputs_done);
				  NULL for a parse that needs no bytes
				  (parsed, below) */
	size_t size;
	const uint8_t *id;     /* optional: 16 bytes that change whenever the
				  contents do (a content hash); only
				  link_run_patchable and link_patch read it.
				  NULL: they hash the bytes. */
	const struct obj_file *parsed; /* optional: a successful obj_parse of
				  exactly these bytes (parsed->data == data,
				  parsed->size == size; else it is ignored),
				  which the link then reads instead of
				  parsing the object again. It and data must
				  stay valid until the link's work is done
				  (records_done; link_run: its return), not
				  only until inputs_done, since names point
				  into them. NULL: the link parses.
				  A parse that needs no bytes: data and
				  parsed->data both NULL (size is then not
				  read; give 0), and parsed->size the size
				  of the file it was made from (for sizing
				  the link's threads and memory). Its
				  sections' data point to copies of their
				  contents, which must stay valid until
				  inputs_done, its nlist entries until
				  nlists_done and its relocations until
				  inputs_done; its names, sections and
				  data-in-code until the link's work is
				  done. linkfs-ld makes
				  these as it reads (cli/inputs.c). A
				  patchable link of such inputs returns no
				  state, and link_patch refuses them. */
	int weak_dylib;        /* a dylib: weak (-weak-l, -weak_library):
				  LC_LOAD_WEAK_DYLIB, its imports weak */
	int needed_dylib;      /* a dylib: kept by -dead_strip_dylibs */
	int force_load;        /* an archive: load every member
				  (-force_load), not only those that
				  define an undefined symbol */
	int reexport;          /* a dylib the output re-exports
				  (-reexport-l, -reexport_library):
				  LC_REEXPORT_DYLIB */
	int bundle_loader;     /* the executable a bundle is loaded into
				  (-bundle_loader): an MH_EXECUTE whose
				  exports the bundle binds to with the
				  main-executable ordinal (-1), no load
				  command */
	int reexported_by;     /* a dylib another dylib input re-exports
				  (linkfs-ld finds it by install name):
				  1-based index of that input in the
				  inputs array, whose ordinal its
				  exports are bound with; 0: none */
	int lazy;              /* an object between --start-lib and
				  --end-lib: loaded only when it defines
				  a symbol still undefined, as an archive
				  member would be */
	int sectcreate;        /* an object linkfs-ld made for
				  -sectcreate: its atoms are dead-strip
				  roots and -t does not list it */
};

/* -segprot SEG MAX INIT: VM_PROT_* bits */
struct link_segprot {
	const char *seg;
	uint32_t maxprot, initprot;
};

#define LINK_MAX_HEADER_PAD 0x10000000u
/* The most links link.conf's `history` may keep (a generation's inode
 * number holds 16 bits of it: fs/names.h). */
#define LINK_MAX_HISTORY 1000

enum undefined_mode { UNDEFINED_ERROR = 0, UNDEFINED_DYNAMIC_LOOKUP = 1 };
/* FIXUPS_DEFAULT: as ld64.lld 19 decides, chained from macOS 13.0 on */
enum fixup_mode { FIXUPS_OPCODES = 0, FIXUPS_CHAINED = 1, FIXUPS_DEFAULT = 2 };
/* What the link writes: MH_EXECUTE, MH_DYLIB (-dylib), MH_BUNDLE (-bundle) */
enum output_kind { OUTPUT_EXECUTE = 0, OUTPUT_DYLIB = 1, OUTPUT_BUNDLE = 2 };
#define LINK_PAGEZERO_DEFAULT 0x100000000ull
#define LINK_PAGEZERO_MAX 0x7f0000000000ull /* below the top of user space */

/* The keys of link.conf, in the order link.log lists them. */
enum link_conf_key {
	CONF_ARCH, CONF_ENTRY, CONF_OUTPUT, CONF_PLATFORM_VERSION, CONF_FIXUPS,
	CONF_DEAD_STRIP, CONF_UNDEFINED, CONF_PRINT_STATISTICS,
	CONF_ADHOC_CODESIGN, CONF_HEADERPAD_MAX_INSTALL_NAMES, CONF_INPUTS,
	CONF_KIND, CONF_INSTALL_NAME, CONF_CURRENT_VERSION,
	CONF_COMPATIBILITY_VERSION, CONF_LIBS, CONF_RPATH,
	CONF_WHY_LIVE,
	CONF_KEY_COUNT
};

struct link_options {
	enum link_arch arch;         /* ARCH_NONE: taken from the first object */
	enum output_kind kind;       /* default OUTPUT_EXECUTE */
	char entry[256];             /* default "_main"; an executable's only */
	char install_name[1024];     /* a dylib's LC_ID_DYLIB name; empty:
					output_name, as ld64 */
	uint32_t current_version;    /* a dylib's, packed xxxx.yy.zz */
	uint32_t compat_version;     /* (both 0.0.0 by default, as ld64) */
	int dead_strippable_dylib;   /* -mark_dead_strippable_dylib:
					MH_DEAD_STRIPPABLE_DYLIB */
	uint64_t pagezero_size;      /* an executable's __PAGEZERO, a
					multiple of the page size; default
					LINK_PAGEZERO_DEFAULT, 0: none */
	char output_name[256];       /* default "a.out" (used in map.txt) */
	uint32_t platform;           /* default PLATFORM_MACOS */
	uint32_t minos;              /* default 11.0.0 */
	uint32_t sdk;                /* default 11.0.0 */
	enum fixup_mode fixups;
	int dead_strip;
	int strip_debug;             /* 1: no debug map (the STABS that point
					dsymutil at the objects' DWARF), as
					ld64's -S */
	int strip_locals;            /* 1: no local or private extern symbol
					in the symbol table (ld64's -x) */
	const char *oso_dir;         /* the directory relative input names
					are taken against in the debug map's
					N_OSO (linkfs-ld: the working
					directory, as lld makes them
					absolute); NULL: names as given */
	enum undefined_mode undefined;
	const char *const *force_undefined; /* -u NAME: each must be defined;
					an archive member defining it is
					loaded */
	size_t nforce_undefined;
	const char *const *allow_undefined; /* -U NAME: each may stay
					undefined, bound by dynamic lookup */
	size_t nallow_undefined;
	/* -exported_symbols_list / -exported_symbol (export_list 1): only
	 * globals matching one of these patterns stay visible; the
	 * -unexported_ ones (export_list 2): those matching are hidden.
	 * Patterns as ld64's: *, ?, [...] (fnmatch). */
	const char *const *rpaths;   /* -rpath PATH: one LC_RPATH each */
	size_t nrpaths;
	uint64_t stack_size;         /* -stack_size: LC_MAIN's stacksize
					(0: the system's default) */
	int dead_strip_dylibs;       /* drop the dylibs nothing live imports
					from (but -needed ones) */
	int export_dynamic;          /* -export_dynamic: exported symbols are
					dead-strip roots, as for a dylib */
	int all_load;                /* -all_load: every archive member */
	int objc;                    /* -ObjC: the members that define an
					Objective-C class or category */
	const char *order_file;      /* -order_file's text (order.c): NULL
					or order_file_len bytes */
	size_t order_file_len;
	int export_list;
	const char *const *export_patterns;
	size_t nexport_patterns;
	int codesign;                /* ad-hoc code signature: 1 yes, 0 no,
					-1 (default) as ld64: arm64 yes,
					x86_64 no (-adhoc_codesign,
					-no_adhoc_codesign) */
	int no_default_libsystem;    /* 1: do not add the shipped libSystem */
	uint32_t header_pad;         /* free bytes after the load commands,
					at least (linkfs-ld -headerpad; at
					most LINK_MAX_HEADER_PAD); default 0 */
	int header_pad_max_install_names; /* 1: at least 1024 free bytes per
					dylib load command, as ld64.lld
					(-headerpad_max_install_names) */
	/* link.conf's `inputs`: patterns the daemon collects the unit's
	 * inputs by (fs/collect.c), separated by one space; "" when none.
	 * The linker itself never reads it. */
	char inputs[1024];
	/* link.conf's `libs`: paths relative to the unit's directory of the
	 * files (often other units' outputs) the daemon links after the
	 * unit's own inputs (fs/unit.c), one space apart; "" when none.
	 * The linker itself never reads it. */
	char libs[1024];
	/* link.conf's `rpath`: the LC_RPATH paths, one space apart; "" when
	 * none. The daemon points rpaths at them; the linker reads only
	 * rpaths. */
	char rpath_list[1024];
	/* the link.conf line that set each key (enum link_conf_key), 0 for
	 * a default; link.log's first lines say which (link_options_log) */
	uint32_t conf_line[CONF_KEY_COUNT];
	int no_records;              /* 1: the image gets the executable and
					the log only, no records (nothing to
					render tables from); saves their
					time and memory for a plain link */
	int no_cleanup;              /* 1: the caller exits right after the
					link, so link_run leaves its working
					memory (not the image) to the
					kernel instead of freeing it piece
					by piece, as lld does */
	int history;                 /* link.conf `history`: how many links
					of the unit the daemon keeps in its
					.history (-1, the default: its own
					default; 0: none). The link ignores
					it. */
	int print_stats;             /* 1: the log also gets one line per
					stage, "stats: <stage> <ms> ms, peak
					RSS <n> MiB", its wall time and the
					peak memory so far (linkfs-ld
					-print_statistics) */
	int threads;                 /* worker threads; 0 (default): one per
					online CPU for links of 512 KiB of
					input or more, else 1. The output is
					the same for any value. */
	int defer_records;           /* 1 (the daemon): link_run_patchable
					returns once the executable is
					written; a thread of the link's own
					then makes the records and frees the
					working memory. dump_render waits for
					the records (link_image_wait_records).
					The log then has no "records" and
					"free" stage lines. */
	/* With defer_records: called exactly once per link_run_patchable
	 * call, when it has done all its work (possibly after it returned,
	 * from its own thread), so a caller can wait for that before it
	 * exits. NULL: not called. */
	void (*records_done)(void *arg);
	void *records_done_arg;
	/* Called once when the link will read no more input bytes; the
	 * caller may then free them (names were copied). link_run: from
	 * its thread, after relocation, before the synthetic sections and
	 * __LINKEDIT, which lowers the link's peak memory by the size of
	 * its inputs. link_run_patchable with a state: exactly once per
	 * call, after the patch state has read the inputs; with
	 * defer_records that is after the call returned, from the link's
	 * own thread (before records_done), and the inputs' data must stay
	 * valid until then (names and ids are copied during the call).
	 * NULL: not called, and link_run_patchable reads the inputs before
	 * it returns. */
	void (*inputs_done)(void *arg);
	void *inputs_done_arg;
	/* Called once when the link will read no more nlist entries of the
	 * inputs' parses (link_input.parsed), from the link's thread after
	 * resolution and dead stripping, before layout; the caller may free
	 * them then (the link frees its own parses' entries there). NULL:
	 * not called. Not called when the link stops earlier. */
	void (*nlists_done)(void *arg);
	void *nlists_done_arg;
	/* -t: each input as it is loaded, one line each ("a.o",
	 * "lib.a(m.o)", "x.tbd(install name)"), as ld64.lld prints them */
	int trace_inputs;
	/* -why_live PATTERN (fnmatch, as the export lists): with dead_strip,
	 * for each symbol matching that becomes live, the chain of atoms
	 * that made it live (deadstrip.c), in ld64.lld's lines */
	const char *const *why_live;
	size_t nwhy_live;
	/* link.conf's `why_live`: more such patterns, separated by one
	 * space; "" when none. With dead_strip, the image records the
	 * chains of the symbols either list matches (why.txt). */
	char why_live_conf[1024];
	/* Where -t and -why_live lines go: text of len bytes, whole lines
	 * ending in '\n', from the link's thread. NULL: nowhere. */
	void (*message)(void *arg, const char *text, size_t len);
	void *message_arg;
	/* -rename_section OLDSEG OLDSECT NEWSEG NEWSECT: 4 names each,
	 * for input sections; -rename_segment OLD NEW: 2 names each, for
	 * every output section of OLD, the linker's own too (not __TEXT);
	 * the last given for a name wins, as in ld64.lld (sectopts.c) */
	const char *const *rename_sections;
	size_t nrename_sections;
	const char *const *rename_segments;
	size_t nrename_segments;
	/* -segprot: each output segment named gets these protections */
	const struct link_segprot *segprots;
	size_t nsegprots;
};

/* The architecture a link of these inputs is for when options.arch is
 * ARCH_NONE: the one most objects are for (the first one's on a tie, so
 * that a link with one odd object reports that object), x86_64 without
 * objects. */
enum link_arch link_guess_arch(const struct link_input *in, size_t n);

/* 1 if the bytes are LLVM bitcode: raw ("BC" 0xC0DE), or in the wrapper
 * clang writes for Darwin targets (0x0B17C0DE). The link refuses it;
 * linkfs-ld compiles it with libLTO first. */
int link_is_bitcode(const uint8_t *p, size_t size);

/* Fills the defaults listed above. */
void link_options_init(struct link_options *o);
/* A platform named as ld64 and ld64.lld name it ("macos", "macOS", "ios",
 * "ios-simulator", "mac-catalyst", ... or its number): 0 and its
 * LC_BUILD_VERSION number in *out, or -1. */
int link_platform_parse(const char *name, uint32_t *out);
/* The platform's name in TBD targets ("macos", "ios-simulator", ...). */
const char *link_platform_tbd_name(uint32_t platform);

/*
 * Parses link.conf text ("key = value" per line, '#' comments, blank lines
 * ignored) into o. Keys: arch, entry, output, platform_version
 * ("macos 11.0 11.0" or "11.0 11.0"), fixups (opcodes|chained), dead_strip
 * (yes|no|1|0|true|false), undefined (error|dynamic_lookup), adhoc_codesign
 * (yes|no), print_statistics, headerpad_max_install_names (yes|no),
 * inputs (patterns relative to the directory, no "." or ".." names;
 * several lines add up), kind (executable|dylib|bundle), install_name,
 * current_version and compatibility_version (X[.Y[.Z]]), libs (relative
 * paths; several lines add up), rpath (paths; several lines add up),
 * why_live (fnmatch patterns; several lines add up). Returns 0, or
 * -1 with one error per bad line in d ("link.conf:3: unknown key 'foo'").
 */
int link_options_parse_conf(struct link_options *o, const char *text,
			    size_t len, struct diag *d);

/*
 * Appends link.log's first lines to out: one per link.conf key, in enum
 * link_conf_key order, "option KEY = VALUE (WHERE)", WHERE being
 * "link.conf:N" or "default" with the rule that gave the value
 * (docs/formats.md, "link.log"). arch is the architecture the link took
 * (ARCH_NONE when it stopped before choosing one). Returns 0, or -1 when
 * out of memory (out's sticky flag).
 */
struct buf;
int link_options_log(const struct link_options *o, enum link_arch arch,
		     struct buf *out);

/* ld64.lld 19's rule for FIXUPS_DEFAULT: 1 when the platform version
 * gets chained fixups (minos is xxxx.yy.zz packed). */
int link_chained_by_default(uint32_t platform, uint32_t minos);

/* Packs "11.0.1" as xxxx.yy.zz; returns -1 if malformed. */
int parse_version(const char *s, uint32_t *out);

struct link_image;

/*
 * Links. Returns a new image with refcount 1 (even when the link failed:
 * then image->ok is 0 and the log says why), or NULL only when memory for
 * the image itself could not be had. Release with link_image_unref.
 */
struct link_image *link_run(const struct link_input *inputs, size_t n,
			    const struct link_options *opts);

/*
 * Incremental relinks. link_run_patchable links as link_run does and,
 * when the link succeeds, also returns in *state what link_patch needs to
 * patch this output later (NULL after a failed link, or when there was no
 * memory for it: then relink in full).
 *
 * link_patch writes to `out` the output of linking `inputs`, starting
 * from `prev`, the output `state` describes (both `size` bytes; out may
 * be prev itself, to patch in place), when the only change is inside the
 * contents of plain sections of objects (code and data, outside every
 * byte a relocation reads or writes): a new constant, a different
 * instruction of the same length, debug info. The result is byte for
 * byte what link_run writes for `inputs`. It returns 1 when it patched
 * (state now describes the new inputs), 0 when the change needs a full
 * link, -1 when out of memory; then out is untouched (prev is only read
 * once the patch is known to apply).
 * Inputs must come in the same order with the same names and options;
 * threads may differ. docs/architecture.md "Incremental relinks" says why
 * the result is exact. Not thread-safe on one state. With defer_records
 * and inputs_done the state is finished by the link's own thread after
 * the call returned; link_patch and link_patch_state_free wait for that.
 */
struct link_patch_state;
struct link_image *link_run_patchable(const struct link_input *inputs,
				      size_t n, const struct link_options *opts,
				      struct link_patch_state **state);
int link_patch(struct link_patch_state *state, const struct link_input *inputs,
	       size_t n, const struct link_options *opts, const uint8_t *prev,
	       uint8_t *out, size_t size);
void link_patch_state_free(struct link_patch_state *state);

void link_image_ref(struct link_image *img);
void link_image_unref(struct link_image *img);

/* Waits until img's records are made (link_options.defer_records);
 * returns at once for any other image. 0, or -1 when they could not be
 * made (out of memory): there are none to read. */
int link_image_wait_records(const struct link_image *img);

#endif
