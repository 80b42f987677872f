/*
 * arch.h - the one interface between the link and an architecture (lld's
 * TargetInfo). An architecture is a table of relocation types, each a row
 * of attribute bits that both the object parser (input/obj_relocs.c) and
 * the link read, plus a struct arch_ops: constants (CPU type, page size,
 * stub and stub-helper sizes) and the few functions whose bytes differ
 * (relocate one field, relax a load, write a stub and the helper).
 * link.c picks the ops once (arch_ops_for); generic code asks "is it a
 * branch? does it use the GOT?" and never switches on an architecture.
 *
 * To add an architecture: a table and an ops struct in arch_<name>.c, a
 * line in arch.c. docs/architecture.md ("Architectures") says more.
 */
#ifndef LINKFS_ARCH_H
#define LINKFS_ARCH_H

#include <stdint.h>

#include "../input/object.h"

enum reloc_attr {
	RA_PCREL = 1u << 0,
	RA_ABSOLUTE = 1u << 1,
	RA_EXTERN = 1u << 2,     /* may be extern */
	RA_LOCAL = 1u << 3,      /* may be section-relative (non-extern) */
	RA_BRANCH = 1u << 4,
	RA_GOT = 1u << 5,
	RA_LOAD = 1u << 6,       /* the instruction of a GOT or TLV load,
				    which may be relaxed */
	RA_POINTER = 1u << 7,    /* the GOT slot's address itself is used */
	RA_UNSIGNED = 1u << 8,   /* a plain address (pointer) field */
	RA_SUBTRAHEND = 1u << 9, /* first of a pair: UNSIGNED follows */
	RA_TLV = 1u << 10,
	RA_BYTE4 = 1u << 11,
	RA_BYTE8 = 1u << 12,
	RA_ADDEND = 1u << 13,    /* carries the addend of the next entry in
				    r_symbolnum; never extern */
	RA_TAKES_ADDEND = 1u << 14, /* may follow an RA_ADDEND entry */
	RA_ARM64E = 1u << 15,    /* only arm64e uses it (refused) */
	RA_PAGE = 1u << 16,      /* the field holds a page delta (adrp) */
	RA_PAGEOFF = 1u << 17,   /* the field holds an offset in a page */
};

/* Allowed (pcrel, length) pairs of a type, as a mask: bit pcrel*4+length. */
#define RELOC_PL(pcrel, len) (1u << ((pcrel) * 4 + (len)))

struct reloc_type_info {
	const char *name;        /* NULL: no such type */
	uint32_t attrs;
	uint8_t combos;          /* RELOC_PL bits the parser accepts */
	uint8_t pcrel_bias;      /* x86_64 SIGNED_1/2/4: bytes between the
				    field's end and the instruction's end */
};

/* The row for (arch, type), or NULL if the type is unknown. */
const struct reloc_type_info *reloc_info(enum link_arch arch, uint8_t type);

struct link_ctx;
struct input_file;
struct atom;
struct symbol;
struct diag;
struct fixup_list;

/* One relocated field, as the generic driver (relocate.c) found it. */
struct reloc_site {
	struct input_file *f;
	uint32_t sect;           /* 0-based section of f */
	const struct obj_reloc *r;
	const struct reloc_type_info *ri;
	int64_t addend;          /* from a preceding RA_ADDEND entry, else 0 */
	uint64_t p;              /* output address of the field */
	uint8_t *loc;            /* the field in the output buffer */
	int tlv_section;         /* the field is in a __thread_vars section */
	struct diag *d;          /* the file's messages (merged in input order) */
	struct fixup_list *fx;   /* the file's fixups (concatenated likewise) */
};

struct arch_ops {
	enum link_arch arch;
	const char *name;            /* "x86_64", "arm64" */
	uint32_t cputype, cpusubtype;
	uint64_t page_size;          /* segment alignment */
	const struct reloc_type_info *relocs; /* indexed by r_type */
	uint32_t nrelocs;
	/* __stubs: one stub per import called; __stub_helper: a header,
	 * then one entry per lazily bound stub */
	uint32_t stub_size, stub_align;          /* align: log2 */
	uint32_t helper_header_size, helper_entry_size, helper_align;
	/* bytes before a relocated field that the link may read or rewrite
	 * (x86_64: the opcode of a GOT load); patch.c masks them */
	uint32_t reloc_window_before;
	/* the instruction a relaxable load must be, for messages */
	const char *load_insn;
	/* compact unwind: the mode that means "see __eh_frame", and the
	 * mode whose runs must not be folded (0: none) */
	uint32_t unwind_mode_dwarf, unwind_mode_nofold;
	/* the reach of a call (0: no thunks are ever needed), and a thunk
	 * that jumps to any target within +-4 GiB */
	uint64_t branch_range;
	uint32_t thunk_size;
	void (*write_thunk)(uint8_t *p, uint64_t thunk, uint64_t target);
	/* 1: the output carries an ad-hoc code signature by default */
	int sign_by_default;

	/* The object-space address a section-relative relocation r of
	 * section `sect` of o (which has contents) points at, before adding
	 * an ADDEND entry's value. */
	uint64_t (*local_target)(const struct obj_file *o, uint32_t sect,
				 const struct obj_reloc *r, const struct reloc_type_info *ri);
	/* 1 if the GOT or TLV load r (an RA_LOAD type) in atom a of section
	 * sect can be relaxed into an address computation, reading only bytes
	 * inside a (files are relocated in parallel). */
	int (*relaxable_load)(const struct input_file *f, uint32_t sect,
			      const struct obj_reloc *r, const struct atom *a);
	/* Everything but RA_UNSIGNED and RA_SUBTRAHEND pairs (relocate.c
	 * does those): computes the target and writes the field, range-
	 * checked; 0, or -1 with a message naming the symbol. */
	int (*relocate)(struct link_ctx *c, const struct reloc_site *rs);
	/* A stub at `stub` jumping through the lazy pointer at `lazy_ptr`. */
	void (*write_stub)(uint8_t *p, uint64_t stub, uint64_t lazy_ptr);
	/* The helper's header: hands __dyld_private to dyld_stub_binder,
	 * whose GOT slot is at binder_got. */
	void (*write_helper_header)(uint8_t *p, uint64_t helper, uint64_t dyld_private,
				    uint64_t binder_got);
	/* One helper entry: pushes lazy_off and jumps to the header. */
	void (*write_helper_entry)(uint8_t *p, uint64_t entry, uint64_t helper,
				   uint32_t lazy_off);
};

/* The ops of arch, or NULL for ARCH_NONE or an unknown value. */
const struct arch_ops *arch_ops_for(enum link_arch arch);

extern const struct arch_ops arch_x86_64;
extern const struct arch_ops arch_arm64;

#endif
