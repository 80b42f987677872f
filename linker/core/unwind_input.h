/*
 * unwind_input.h - what an object says about unwinding its functions,
 * read once before dead stripping (unwind_input.c): its __compact_unwind
 * entries and the records of its __TEXT,__eh_frame, each tied to the atoms
 * and symbols of the link. Dead stripping keeps the LSDAs and
 * personalities of live functions (deadstrip.c), eh_frame.c chooses and
 * writes the records the output keeps, unwind.c builds __unwind_info.
 */
#ifndef LINKFS_UNWIND_INPUT_H
#define LINKFS_UNWIND_INPUT_H

#include <stdint.h>

struct atom;
struct symbol;
struct link_ctx;

/* One __compact_unwind entry whose function is in the link (not coalesced
 * away). Entries in DWARF mode are left out: the function's FDE stands
 * for them, as in lld. */
struct cu_entry {
	struct atom *fn;         /* the function's atom and offset in it */
	uint64_t fn_off;
	struct atom *lsda;       /* its LSDA, or NULL */
	uint64_t lsda_off;
	struct symbol *pers;     /* its personality function, or NULL */
	uint32_t len, enc;       /* enc without personality bits */
};

/* One CIE or FDE of __eh_frame. Offsets are the record's own (from its
 * length field). */
struct eh_record {
	uint32_t off, size;      /* in the input section; size with length */
	uint32_t cie;            /* FDE: index of its CIE in the file's list */
	uint32_t out_off;        /* in the output __eh_frame (kept ones) */
	uint8_t is_cie;
	uint8_t kept;            /* eh_frame_select's decision */
	uint8_t ptr_size;        /* CIE: its FDEs' pc_begin/range size */
	uint8_t lsda_size;       /* CIE: its FDEs' LSDA pointer size, or 0 */
	uint8_t covered;         /* FDE: its function has a compact entry */
	uint32_t pers_field;     /* CIE: personality pointer's offset, or 0 */
	uint32_t pers_reloc;     /* CIE: index of its GOT relocation in the
				    section's relocations */
	struct symbol *pers;     /* CIE: the personality function, or NULL */
	uint32_t lsda_field;     /* FDE: LSDA pointer's offset, or 0 */
	struct atom *fn;         /* FDE: its function, or NULL (dropped) */
	uint64_t fn_off;
	uint64_t pc_range;
	struct atom *lsda;       /* FDE: its LSDA, or NULL */
	uint64_t lsda_off;
};

struct unwind_file {
	struct cu_entry *cu;
	uint32_t ncu;
	struct eh_record *eh;
	uint32_t neh;
	uint32_t eh_sect;        /* 0-based section index of __eh_frame */
};

/* Reads every object's unwind sections (on the link's threads); errors
 * name the file, the offset and the problem. After resolution (weak
 * definitions coalesced), before dead stripping. */
int unwind_read_inputs(struct link_ctx *c);

/* eh_frame.c: which records the output keeps and where (after dead
 * stripping, before the relocation scan): the size of __eh_frame, 0 for
 * none. eh_frame_write fills it once addresses are final, while the
 * inputs' bytes are still there. */
int eh_frame_select(struct link_ctx *c);
int eh_frame_write(struct link_ctx *c);

#endif
