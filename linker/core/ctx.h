/*
 * ctx.h - the state of one link, passed to every pipeline stage (no
 * globals). Owned by link.c; freed with ctx_release.
 *
 * Invariants:
 *   - every struct symbol and struct atom lives in ctx->arena;
 *   - a global name maps to exactly one struct symbol in ctx->symtab;
 *     locals are per file (input_file.syms[i]) and never in symtab;
 *   - atoms of one input section are sorted by offset and cover it
 *     without gaps (sect_atoms[s][0].off == 0);
 *   - after layout, every live atom and synthetic section has an address.
 */
#ifndef LINKFS_CTX_H
#define LINKFS_CTX_H

#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/hugepage.h"
#include "../base/par.h"
#include "../input/archive.h"
#include "../input/dylib.h"
#include "../input/object.h"
#include "../link.h"
#include "arch.h"

struct atom;
struct out_section;
struct debug_map;
struct unwind_file;
struct eh_frame_state;
struct lazy_obj;

/* struct symbol's dylib for an import from -bundle_loader's executable */
#define DYLIB_EXECUTABLE 0xffffu

enum sym_kind {
	SYM_UNDEF = 0,   /* referenced, not (yet) defined */
	SYM_DEFINED,     /* in an atom of a loaded object */
	SYM_ABS,         /* N_ABS */
	SYM_COMMON,      /* tentative; becomes SYM_DEFINED when allocated */
	SYM_DYLIB,       /* imported from dylibs[dylib-1] */
	SYM_SYNTHETIC,   /* __mh_execute_header, __dyld_private */
};

struct input_file {
	const char *name;        /* "a.o" or "libx.a(m.o)" */
	uint32_t map_index;      /* index in image files[] (1-based) */
	uint32_t input;          /* 1-based index of the link input it is;
				    0: an archive member */
	struct obj_file obj;
	struct symbol **syms;    /* per nlist index; NULL for STABs */
	struct atom **atoms;     /* per section: first atom (array) */
	uint32_t *natoms;        /* per section */
	uint8_t *sect_kept;      /* per section: 1 if linked into output */
	uint8_t *sect_init;      /* per section: 1 if its initializers went to
				    __init_offsets (chained fixups); or NULL */
	struct unwind_file *unwind; /* its unwind sections (unwind_input.h),
				       or NULL */
};

/* 64 bytes: a large link has hundreds of thousands (locals included). */
struct symbol {
	const char *name;
	struct input_file *file; /* defining file (first referrer if undef) */
	struct atom *atom;       /* SYM_DEFINED */
	uint64_t atom_off;       /* offset of the symbol inside its atom */
	uint64_t value;          /* SYM_ABS value; SYM_COMMON size;
				    SYM_SYNTHETIC address */
	int32_t got;             /* slot index or -1 */
	int32_t stub;            /* stub index or -1 */
	int32_t tlvp;            /* __thread_ptrs slot or -1 */
	uint32_t out_index;      /* index in the output symbol table */
	uint16_t dylib;          /* SYM_DYLIB: 1-based ordinal (0: flat,
				    DYLIB_EXECUTABLE: -bundle_loader's) */
	uint8_t kind;            /* enum sym_kind */
	uint8_t common_align;    /* SYM_COMMON: log2 */
	/* flags: written by one thread at a time (bit-fields share bytes) */
	unsigned external : 1;       /* N_EXT and not private extern */
	unsigned private_extern : 1;
	unsigned weak_def : 1;
	unsigned weak_ref : 1;
	unsigned tlv : 1;            /* defined in / imported as thread-local */
	unsigned no_dead_strip : 1;
	unsigned is_global : 1;      /* in the global symbol table */
	unsigned alt_entry : 1;
	unsigned strong_ref : 1;     /* some object refers to it without
					N_WEAK_REF: never a weak import */
	unsigned dead_abs : 1;       /* an absolute symbol -dead_strip did
					not reach: left out, as ld64 */
	unsigned autohide : 1;       /* hidden only as a "can be hidden" weak
					definition: an export list may show it */
	unsigned why_seen : 1;       /* -why_live: the marker reached it
					(deadstrip.c) */
	uint8_t referenced;          /* some relocation or entry uses it; a
					byte of its own, which scan.c's
					threads set with an atomic store */
};

/* 64 bytes; allocated as one array per input section. */
struct atom {
	struct input_file *file; /* NULL for synthetic atoms */
	uint64_t off;            /* offset inside the input section */
	uint64_t size;
	uint64_t addr;           /* output vm address */
	union {                  /* which one: dup */
		struct out_section *osec; /* !dup: where layout put it */
		struct atom *canon;  /* dup: the atom whose bytes are kept */
	};
	struct symbol *sym;      /* first symbol naming it (for the map) */
	struct atom *next_in_osec;
	uint32_t sect;           /* 0-based section index in file */
	uint8_t align;           /* log2 */
	uint8_t live;
	uint8_t dup;             /* merged literal: a copy of `canon` */
	uint8_t coalesced;       /* the losing copy of a weak definition:
				    never live (set with an atomic store:
				    load.c's shards may share an atom) */
};

enum osec_kind {
	OSEC_REGULAR = 0,
	OSEC_ZEROFILL,
	OSEC_GOT,
	OSEC_STUBS,
	OSEC_STUB_HELPER,
	OSEC_LAZY_PTR,
	OSEC_THREAD_PTRS,
	OSEC_UNWIND_INFO,
	OSEC_INIT_OFFSETS,
	OSEC_EH_FRAME,
};

struct out_section {
	char segname[17], sectname[17];
	uint32_t flags;          /* type | attributes for the header */
	uint32_t align;          /* log2 */
	enum osec_kind kind;
	int rank;                /* sort key inside the segment */
	uint32_t seg;            /* output segment index */
	uint32_t index;          /* 0-based index among output sections */
	uint64_t addr, size;
	uint64_t fileoff;
	uint32_t reserved1, reserved2;
	struct atom *first, *last; /* atoms in layout order */
	uint32_t natoms;
};

struct out_segment {
	char name[17];
	uint64_t vmaddr, vmsize, fileoff, filesize;
	uint32_t maxprot, initprot, flags;
	uint32_t first_sect, nsects; /* range in the sorted osecs */
};

struct symtab_slot {
	uint32_t idx;            /* 1 + index into list; 0: empty */
	uint32_t check;          /* high half of the name's symtab_hash */
};

enum { SYMTAB_SHARDS = 4 };  /* a fixed number: output never depends on threads */

struct symtab_shard {
	struct symtab_slot *slots;   /* garbage until zeroed (symtab.c) */
	size_t cap;
	int zeroed;
	int slots_own;           /* slots is its own block, not slot_block's */
	struct symbol **list;    /* its symbols, in the order first seen */
	size_t count;
	struct arena arena;      /* its symbols' memory */
};

struct symtab {
	struct symtab_shard shard[SYMTAB_SHARDS];
	struct symtab_slot *slot_block; /* the shards' first tables, in one
					   block (huge pages at 10,000 objects) */
	struct symbol **all;     /* symtab_all's cache */
	size_t nall;
	int frozen;              /* symtab_freeze: only symtab_all is left */
};

/* The globals in name order, for the symbol table and the export trie:
 * sorted on a thread of their own while layout runs on the link's
 * (linkedit_sort_start), taken by linkedit_build. */
struct sorted_globals {
	struct par_task task;
	struct symbol **g;       /* huge_malloc'd, ng of them; NULL on failure */
	size_t ng;
};

struct loaded_dylib {
	struct dylib dl;
	const char *name;        /* input name */
	struct dylib *same;      /* later inputs with the same install name:
				    one library, their exports merged (lld) */
	size_t nsame;
	uint32_t input;          /* 1-based link input it came from; 0: the
				    default libSystem (the map's file order) */
	uint8_t used;
	uint8_t weak;            /* every input naming it was weak
				    (-weak-l, -weak_library): LC_LOAD_WEAK_DYLIB,
				    its imports weak */
	uint8_t strong;          /* some input naming it was not */
	uint8_t needed;          /* -needed-l: -dead_strip_dylibs keeps it */
	uint8_t reexport;        /* the output re-exports it (LC_REEXPORT_DYLIB) */
};

/* The export of name in library d (any of its inputs), or NULL. */
const struct dylib_symbol *loaded_dylib_find(const struct loaded_dylib *d,
					     const char *name);

struct loaded_archive {
	struct archive ar;
	uint8_t *member_loaded;  /* per member */
	int force;               /* -force_load (or -all_load): every member */
};

/* One pointer-sized location dyld must touch. */
enum fixup_kind { FIX_REBASE, FIX_BIND, FIX_WEAK_BIND, FIX_LAZY_BIND };
struct fixup {
	uint8_t kind;
	uint64_t addr;
	struct symbol *sym;      /* binds */
	int64_t addend;
};

struct fixup_list {
	struct fixup *v;         /* malloc'd */
	size_t n, cap;
};

struct link_ctx {
	const struct link_options *opt;
	const struct arch_ops *ops; /* the target's (arch.h), set once the
				       architecture is known */
	uint64_t stage_start_ns; /* for stage_done; 0 unless opt->print_stats */
	enum link_arch arch;
	struct diag *diag;
	struct arena arena;      /* the link's thread (also par_for worker 0) */
	struct symtab symtab;
	struct sorted_globals sorted;
	int nthreads;            /* par_threads(opt->threads) */
	struct arena warena[PAR_MAX_THREADS]; /* par_for workers 1.. */
	/* per worker: the objects' nlist and relocation arrays, freed all at
	 * once when no stage reads them any more (link.c) */
	struct arena nlist_arena[PAR_MAX_THREADS];
	struct arena reloc_arena[PAR_MAX_THREADS];

	struct input_file **files; size_t nfiles, cap_files;
	struct loaded_archive *archives; size_t narchives;
	struct loaded_dylib *dylibs; size_t ndylibs;
	size_t last_dylib;       /* 1 + the entry add_dylib last added to */

	struct lit_table *lits;  /* merged literals (atoms.c) */

	struct out_section **osecs; size_t nosecs, cap_osecs;
	struct out_segment segs[8]; size_t nsegs;

	/* synthetic sections */
	struct out_section *got, *stubs, *stub_helper, *la_ptr, *thread_ptrs;
	struct out_section *unwind_info;
	struct out_section *eh_frame; /* __TEXT,__eh_frame (eh_frame.c) */
	uint64_t eh_frame_size;  /* eh_frame_select's */
	uint32_t eh_frame_align; /* log2 */
	struct out_section *text;    /* __TEXT,__text (thunks.c) */
	struct out_section *init_offsets; /* chained fixups' initializers */
	struct thunk_plan *thunks;   /* NULL: every call is in range */
	struct unwind_state *unwind; /* unwind.c, between layout and write */
	struct debug_map *debug_map; /* debugmap.c: the objects' source names,
					read before the inputs end; NULL
					when no object has debug info */
	struct symbol **got_syms; size_t ngot, cap_got;
	struct symbol **stub_syms; size_t nstubs, cap_stubs;
	struct symbol **tlvp_syms; size_t ntlvp, cap_tlvp;
	struct symbol *dyld_stub_binder;
	struct symbol *dyld_private;
	struct symbol *mh_header;
	struct symbol *dso_handle;   /* ___dso_handle when referenced */
	struct symbol *own_header;   /* __mh_dylib_header or
					__mh_bundle_header when referenced */
	struct symbol *entry;
	uint64_t tlv_template_start; /* address of the first TLV data section */
	int has_tlv, has_weak_defs, binds_to_weak;
	int flat_lookups;        /* some referenced import binds flat */

	int sign;                /* write an ad-hoc code signature */
	int chained;             /* LC_DYLD_CHAINED_FIXUPS, no lazy binding */
	uint64_t page_size;
	uint64_t header_size;    /* mach header + load commands, reserved */
	uint64_t base;           /* __TEXT vmaddr: __PAGEZERO's size */
	uint32_t pagezero;       /* 1 when __PAGEZERO is written (an
				    executable's, unless -pagezero_size 0):
				    segs[g] is load command g + pagezero */
	struct loaded_dylib *loader; /* -bundle_loader's executable, or NULL */

	/* __LINKEDIT pieces */
	struct buf chained_fixups; /* LC_DYLD_CHAINED_FIXUPS (c->chained) */
	struct buf rebase, bind, weak_bind, lazy_bind, exports;
	struct buf func_starts, dice, symtab_out, indirect, strtab;
	uint32_t *lazy_offsets;  /* per stub */
	uint32_t nlocal, nextdef, nundef;

	/* sorted entries kept for the image records (record.c) */
	struct rebase_entry *rebase_e; size_t nrebase_e;
	struct bind_entry *bind_e; size_t nbind_e;
	struct bind_entry *weak_e; size_t nweak_e;
	struct bind_entry *lazy_e; size_t nlazy_e;
	struct export_entry *exp_e; size_t nexp_e;
	struct out_nlist *nl; size_t nnl, cap_nl;

	/* fixups recorded while relocating (for dyld info and records) */
	struct fixup_list fixups;

	uint8_t *out;            /* the output file */
	int out_given;           /* out is the image's now (img->bytes):
				    read it (record_image), never free it */
	size_t out_size;
	size_t out_room;         /* bytes out was allocated with (see
				    alloc_output) */
	uint64_t strtab_off;     /* file offset of the string table */
	uint64_t uuid_off;       /* file offset of LC_UUID's 16 bytes */
	uint64_t sig_off;        /* file offset of the code signature (0: none) */
	struct link_patch_state *patch; /* link_run_patchable: being filled */
	const struct link_input *patch_in; /* the inputs' data and sizes, for
					      patch_finish (which clears it);
					      the relocations stay till then */
	struct lazy_obj *lazy; size_t nlazy; /* --start-lib objects (lazy.c) */
	const struct link_input *inputs; /* link_run's, until it returns */
	size_t ninputs;
	/* dead_strip, when the image gets records: what it left out, in
	 * ld64.lld's map order (names copied into arena; record.c reads
	 * them), and the -why_live lines it printed (why.txt) */
	struct dead_sym *dead; size_t ndead;
	struct buf why_text;
	/* record.c: the map's file index of each object (by map_index) and
	 * of each dylib (by dylibs[] index) */
	uint32_t *map_file, *map_dylib;
};

struct dead_sym {
	const char *name;        /* a literal string's: its text */
	uint64_t size;
	uint32_t file;           /* map_index */
	uint8_t literal;
};

struct rebase_entry;
struct bind_entry;
struct export_entry;

/* One output symbol-table entry, kept for symbols.txt. */
struct out_nlist {
	const char *name;
	uint32_t strx;           /* its offset in the string table */
	uint8_t type, sect;
	uint16_t desc;
	uint64_t value;
};


/* symtab.c */
int symtab_init(struct symtab *t, size_t expected);
void symtab_release(struct symtab *t);
/* Frees the index but keeps the symbols (their arenas) and symtab_all:
 * nothing may be looked up or interned afterwards. 0, or -1 on OOM. */
int symtab_freeze(struct symtab *t);
uint64_t symtab_hash(const char *name, size_t len);
/* The shard a name with this hash lives in. Interning into different
 * shards may run on different threads at once. */
unsigned symtab_shard(uint64_t hash);
size_t symtab_count(const struct symtab *t);
/* Every global: shard by shard, each in the order first seen (so the same
 * for any thread count). Cached until the next intern; NULL when out of
 * memory. */
struct symbol **symtab_all(struct symtab *t, size_t *n);
struct symbol *symtab_find(const struct symtab *t, const char *name);
/* Returns the symbol for name, creating an SYM_UNDEF one; NULL on OOM.
 * name must stay valid for the link (input bytes or an arena). */
struct symbol *symtab_intern(struct link_ctx *c, const char *name);
/* The same with strlen(name) and symtab_hash(name, len) already known
 * (computed on a worker thread). */
struct symbol *symtab_intern_hashed(struct link_ctx *c, const char *name,
				    size_t len, uint64_t hash);
/* Starts loading the slot a lookup of `hash` probes first, so a loop over
 * many names can overlap the cache misses of the next ones. */
void symtab_prefetch(const struct symtab *t, uint64_t hash);

/* The atom whose bytes and place a symbol's atom stands for: a merged
 * literal (dup) has neither, its canonical copy has both. */
static inline const struct atom *atom_placed(const struct atom *a)
{
	return a->dup ? a->canon : a;
}

/* The bytes of output address addr, which lies in section o. */
static inline uint8_t *out_at(struct link_ctx *c, const struct out_section *o,
			      uint64_t addr)
{
	return c->out + o->fileoff + (addr - o->addr);
}

static inline uint64_t got_slot_addr(const struct link_ctx *c, const struct symbol *s)
{
	return c->got->addr + 8 * (uint64_t)s->got;
}

static inline uint64_t tlvp_slot_addr(const struct link_ctx *c, const struct symbol *s)
{
	return c->thread_ptrs->addr + 8 * (uint64_t)s->tlvp;
}

/* The i-th stub's address. */
uint64_t stub_addr(const struct link_ctx *c, size_t i);

/* The arena a par_for worker allocates from (link-lifetime memory). */
static inline struct arena *worker_arena(struct link_ctx *c, int worker)
{
	return worker == 0 ? &c->arena : &c->warena[worker];
}

/* load.c: objects in steps that may run on several threads (see there). */
struct load_ext;
struct obj_load {
	const char *name;        /* in: the input */
	uint32_t input;          /* in: 1-based input index (0: a member) */
	const uint8_t *data;
	size_t size;
	const struct obj_file *parsed_in; /* in: the caller's parse of data, or
					  NULL (link_input.parsed) */
	struct input_file *f;    /* out of load_prep */
	struct diag diag;        /* load_prep's messages */
	int parsed;              /* obj_parse succeeded: the file is added */
	int failed;              /* load_prep reported an error */
	int added;               /* load_add put it in c->files */
	struct load_ext *ext;    /* the externals, by shard, in the nlist
				    arena of the worker that prepared it */
	size_t next;             /* how many (also sizes the symtab) */
	uint32_t shard_start[SYMTAB_SHARDS + 1]; /* ext[shard_start[k]..[k+1]) */
};
/* Duplicate definitions a shard found, reported by load_finish. */
struct load_dups {
	struct load_dup *v;
	size_t n, cap, next;     /* next: load_finish's cursor */
	int oom;
};
/* Step 1, any thread, many objects at once; allocates from the arenas
 * of par_for worker `worker`. */
void load_prep(struct link_ctx *c, struct obj_load *l, int worker);
/* Step 2, the link's thread, input order: adds the parsed file. */
int load_add(struct link_ctx *c, struct obj_load *l);
/* Step 3: resolves l's externals of one symtab shard (load number li);
 * shards may run on different threads, each over the loads in order. */
void load_resolve_shard(struct link_ctx *c, struct obj_load *l, size_t li,
			unsigned shard, struct load_dups *dups);
/* Step 4, the link's thread, input order: l's messages (parse errors,
 * then duplicates in nlist order); frees what the steps kept. */
int load_finish(struct link_ctx *c, struct obj_load *l, size_t li,
		struct load_dups dups[SYMTAB_SHARDS]);
void load_dups_release(struct load_dups dups[SYMTAB_SHARDS]);
/* Every step for one object (archive members). */
int load_object(struct link_ctx *c, const char *name, const uint8_t *data,
		size_t size);
/* The same for an object the caller described in *l (its name, bytes,
 * parse and input number; the rest zero), as --start-lib's. */
int load_one_object(struct link_ctx *c, struct obj_load *l);

/* resolve.c: load inputs, resolve symbols, load archive members. */
int resolve_inputs(struct link_ctx *c, const struct link_input *in, size_t n);
/* Reports every undefined and duplicate symbol; returns -1 if any. */
int resolve_check(struct link_ctx *c);
/* -dead_strip_dylibs, after the relocation scan: drops the dylibs no
 * referenced import comes from (but -needed ones) and renumbers the
 * ordinals. */
int strip_unused_dylibs(struct link_ctx *c);

/* atoms.c */
void atoms_release(struct link_ctx *c);
/* What a link does with an input section: copies it (cut into atoms), or
 * drops it: debug sections, whose bytes nothing reads, and the unwind
 * sections __compact_unwind (unwind.c reads it into __unwind_info) and
 * __eh_frame. */
enum section_fate { SECT_LINKED, SECT_DEBUG, SECT_UNWIND };
enum section_fate section_fate(const struct obj_section *s);
/* Cuts f's sections into atoms (in ar, messages in d); touches nothing
 * but f, so it may run for many files at once. */
int atoms_split(struct input_file *f, struct arena *ar, struct diag *d);
/* Merges f's literal atoms with identical ones seen before (the first in
 * input order is kept); call in input order, from one thread at a time. */
int atoms_merge_literals(struct link_ctx *c, struct input_file *f, struct diag *d);
/* The atom of section `sect` containing offset `off` (end allowed). */
struct atom *atom_at(struct input_file *f, uint32_t sect, uint64_t off);
/* The atom of 0-based section si holding object address addr (taken
 * relative to the nearest atom if just outside); NULL if the section is
 * dropped. Liveness is not checked. */
struct atom *atom_for_addr(struct input_file *f, uint32_t si, uint64_t addr);
/* Output address for an address in the object's address space. */
int obj_addr_to_out(struct diag *d, struct input_file *f, uint64_t addr,
		    uint64_t *out);
/* The same, for an address known to be in 1-based section sect1 (the
 * r_symbolnum of a section-relative relocation); 0 = search. */
int obj_sect_addr_to_out(struct diag *d, struct input_file *f, uint32_t sect1,
			 uint64_t addr, uint64_t *out);
/* The same without a diagnostic: -1 if the address has no live atom. */
int obj_addr_lookup(struct input_file *f, uint64_t addr, uint64_t *out);
uint64_t symbol_addr(const struct link_ctx *c, const struct symbol *s);

/* trace.c: -t and -why_live's lines (link_options.message). */
void link_message(struct link_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* -t: the input just loaded, named as ld64.lld names it. */
void trace_input(struct link_ctx *c, const char *name, const char *install_name);
/* The name -why_live gives s's file. */
const char *trace_file_name(const struct link_ctx *c, const struct symbol *s,
			    char *buf, size_t n);

/* lazy.c: --start-lib objects. lazy_add records input i (in[i].lazy);
 * lazy_load loads those that define a symbol still undefined: 1 if it
 * loaded one, 0 if none, -1 on error. */
int lazy_add(struct link_ctx *c, size_t i);
int lazy_load(struct link_ctx *c);
void lazy_release(struct link_ctx *c);

/* sectopts.c: -rename_section for an input section's names (in place):
 * 1 if one applies; -rename_segment for an output section's segment
 * name (in place; the linker's own sections too); -segprot for an
 * output segment. */
int section_rename(const struct link_options *o, const char **seg,
		   const char **sect);
void segment_rename(const struct link_options *o, const char **seg);
void segment_protect(const struct link_options *o, struct out_segment *g);

/* deadstrip.c: marks atoms unreachable from the roots dead. */
int dead_strip(struct link_ctx *c);

/* scan.c: decide GOT, stubs and TLV pointers from relocations. */
int scan_relocs(struct link_ctx *c);
int needs_binding(const struct symbol *s);

/* layout.c */
int layout_sections(struct link_ctx *c);
/* order.c: -order_file's order inside the output sections (before
 * addresses are given). */
int order_sections(struct link_ctx *c);
struct out_section *osec_get(struct link_ctx *c, const char *seg,
			     const char *sect, uint32_t flags);

/* link.c: with opt->print_stats, logs "stats: <stage> <ms> ms, peak RSS
 * <n> MiB" (base/stats.h), the wall time since the previous call (or the
 * link's start) and the process's peak resident memory so far, and
 * starts the next. */
void stage_done(struct link_ctx *c, const char *stage);

/* relocate.c: copies the live atoms and applies every relocation. */
int relocate_all(struct link_ctx *c);

/* synth_got.c, synth_tlvp.c, synth_stubs.c: the synthetic sections. Each
 * numbers its symbols as scan.c asks (*_add: 0, or -1 on OOM), sizes its
 * section for layout and writes it once addresses are final. */
int got_add(struct link_ctx *c, struct symbol *s);
uint64_t got_size(const struct link_ctx *c);
int got_write(struct link_ctx *c);
int tlvp_add(struct link_ctx *c, struct symbol *s);
uint64_t tlvp_size(const struct link_ctx *c);
int tlvp_write(struct link_ctx *c);
/* An 8-byte slot holding s: bound (an import), rebased (a local) or a
 * constant (absolute), with its fixups. */
int pointer_slot_write(struct link_ctx *c, struct out_section *o, uint64_t addr,
		       struct symbol *s);
int stub_add(struct link_ctx *c, struct symbol *s);
/* 1 if s's stub binds lazily (through the stub helper) */
int stub_is_lazy(const struct symbol *s);
size_t stubs_nlazy(const struct link_ctx *c);
uint64_t stubs_size(const struct link_ctx *c);
uint64_t stub_helper_size(const struct link_ctx *c, size_t nlazy);
uint64_t lazy_ptrs_size(const struct link_ctx *c);
uint64_t lazy_ptr_addr(const struct link_ctx *c, size_t i);
/* the k-th lazy stub's helper entry */
uint64_t helper_entry_addr(const struct link_ctx *c, size_t k);
/* Encodes the lazy binds, then writes stubs, helper and lazy pointers. */
int stubs_write(struct link_ctx *c);
/* synth_init_offsets.c: under chained fixups, takes the __mod_init_func
 * sections out of the layout (their size for __init_offsets) and, after
 * relocation while the inputs' bytes are there, writes the offsets. */
uint64_t init_offsets_take(struct link_ctx *c);
int init_offsets_write(struct link_ctx *c);

/* layout.c: addresses for every section and atom (again after thunks
 * are added). */
void assign_addresses(struct link_ctx *c);

/* thunks.c: islands of branch thunks in a __text too large for the
 * architecture's branch range (none otherwise). thunks_plan runs after
 * layout; thunk_for gives the thunk a call at p to s goes through (0), or
 * -1 when it has none; thunks_write fills them after relocation. */
struct thunk_plan;
int thunks_plan(struct link_ctx *c);
int thunk_for(const struct link_ctx *c, uint64_t p, const struct symbol *s,
	      uint64_t *out);
int thunks_write(struct link_ctx *c);
void thunks_release(struct link_ctx *c);

/* unwind.c: __TEXT,__unwind_info from the objects' __compact_unwind.
 * unwind_collect (before layout) reads the entries and gives the section's
 * size (0: no section); unwind_write fills it once addresses are final. */
struct unwind_state;
int unwind_collect(struct link_ctx *c, uint64_t *size);
/* Once the functions have their addresses (they all come before
 * __unwind_info): plans the table and gives the section its exact size;
 * the caller then places what follows it again. */
int unwind_finalize(struct link_ctx *c);
int unwind_write(struct link_ctx *c);
/* Frees what unwind_collect kept for unwind_write. */
void unwind_release(struct link_ctx *c);

/* linkedit.c */
/* Sorts the globals by name beside the caller (on a thread of its own when
 * the link has threads): the symbol table must be frozen and no global's
 * name may change after it. linkedit_sort_join waits for the sort;
 * linkedit_sort_end joins it and frees what linkedit_build did not take
 * (for any link that started one, on every path). */
void linkedit_sort_start(struct link_ctx *c);
void linkedit_sort_join(struct link_ctx *c);
void linkedit_sort_end(struct link_ctx *c);
int linkedit_build(struct link_ctx *c);
int fixup_add(struct link_ctx *c, enum fixup_kind k, uint64_t addr,
	      struct symbol *s, int64_t addend);
/* fixup_add for a list of one file (no message): 0, or -1 on OOM. */
int fixup_push(struct fixup_list *l, enum fixup_kind k, uint64_t addr,
	       struct symbol *s, int64_t addend);
/* Room for n fixups in all: 0, or -1 on OOM. */
int fixup_reserve(struct fixup_list *l, size_t n);
/* The output segment index (counting __PAGEZERO when there is one)
 * holding addr, and addr's offset in it; -1 when no segment does. */
int32_t seg_of(const struct link_ctx *c, uint64_t addr, uint64_t *off);
/* chained_fixups.c: c->fixups as LC_DYLD_CHAINED_FIXUPS in c->chained_fixups,
 * with every pointer of the output chained; frees c->fixups. */
int build_chained_fixups(struct link_ctx *c, struct diag *d);
/* The dylib ordinal dyld binds s with: >0 a dylib, 0 the image itself,
 * BIND_SPECIAL_DYLIB_FLAT_LOOKUP (-2) for dynamic lookup. */
int32_t bind_ordinal(const struct symbol *s);

/* patch.c: what link_patch needs (link_run_patchable), in two parts.
 * patch_record, after layout: the names, sizes and given ids, and
 * c->patch_in; on failure (out of memory) it frees c->patch and leaves
 * it NULL: the link goes on. patch_hand_out marks the state pending once
 * the caller has it; patch_finish then reads the inputs and the
 * relocations for the rest (a failure leaves a state that patches
 * nothing) and ends the wait of link_patch and link_patch_state_free. */
struct link_patch_state *patch_state_new(void);
void patch_record(struct link_ctx *c, const struct link_input *in, size_t n);
void patch_hand_out(struct link_patch_state *st);
void patch_finish(struct link_ctx *c, struct link_patch_state *st);
/* After write_output: the output's size and where its UUID is. */
void patch_set_output(struct link_ctx *c);

/* writer.c */
int write_output(struct link_ctx *c);
/* Sets the 16 bytes at uuid_off to the UUID of out (hashed with them 0). */
void stamp_uuid(uint8_t *out, size_t size, uint64_t uuid_off);
uint64_t load_commands_size(const struct link_ctx *c);

/* record.c: fill the image records. */
int record_image(struct link_ctx *c, struct link_image *img);

/* helpers */
const char *sect_label(struct input_file *f, uint32_t sect, char *buf,
		       size_t n);

/* 1 if input x is a parse that needs no bytes (link_input.parsed). */
static inline int input_bytesless(const struct link_input *x)
{
	return !x->data && x->parsed && !x->parsed->data;
}

/* The bytes input x stands for: its size, or for a parse that needs no
 * bytes the size of the file it was made from. A measure of the link's
 * work, for sizing threads and memory. */
static inline size_t input_bytes(const struct link_input *x)
{
	return input_bytesless(x) ? x->parsed->size : x->size;
}

/* 0 if some input is a parse without bytes, which a patchable link
 * cannot hash or copy from. */
static inline int inputs_have_bytes(const struct link_input *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (input_bytesless(&in[i]))
			return 0;
	return 1;
}

#endif
