/*
 * obj_ctx.h - private to the object parser (object.c and obj_*.c): the state
 * of one obj_parse() call and the helpers its steps share.
 *
 * Every step returns 0, or -1 after reporting exactly one error through
 * obj_fail(). Raw table positions (reloff, symoff, ...) are kept here until
 * every check has passed; only then are they turned into obj_file arrays.
 * Leaves out: anything that outlives obj_parse().
 */
#ifndef LINKFS_OBJ_CTX_H
#define LINKFS_OBJ_CTX_H

#include <stdint.h>

#include "object.h"

struct obj_sect_raw {      /* where a section's pieces live in the file */
	uint64_t hdr_off;  /* file offset of its section_64 */
	uint32_t reloff;
	uint32_t nreloc;
};

struct obj_ctx {
	struct obj_file *o;
	struct diag *d;
	const struct obj_alloc *al; /* never NULL (members may be) */
	const uint8_t *p;  /* == o->data */
	uint64_t size;     /* == o->size */
	uint64_t cmds_end; /* header + sizeofcmds */

	struct obj_sect_raw *raw; /* parallel to o->sections */
	uint32_t sect_cap;

	int have_symtab;
	uint64_t symtab_cmd;   /* file offset of LC_SYMTAB */
	uint32_t symoff, nsyms, stroff, strsize;

	int have_dysymtab;
	uint64_t dysymtab_cmd; /* file offset of LC_DYSYMTAB */
	uint32_t dysym[18];    /* the 18 fields after cmd/cmdsize */

	int have_dice;
	uint64_t dice_cmd;
	uint32_t dice_off, dice_size;

	int have_version;      /* LC_BUILD_VERSION or LC_VERSION_MIN_* seen */

	/* other linkedit blobs (LC_FUNCTION_STARTS, LOH, ...) for overlaps */
	struct obj_blob { uint32_t cmd, off, size; } blobs[8];
	uint32_t nblobs;
};

/* LC_DYSYMTAB field indices into obj_ctx.dysym */
enum {
	DY_ILOCAL, DY_NLOCAL, DY_IEXTDEF, DY_NEXTDEF, DY_IUNDEF, DY_NUNDEF,
	DY_TOCOFF, DY_NTOC, DY_MODTABOFF, DY_NMODTAB, DY_EXTREFOFF, DY_NEXTREF,
	DY_INDIRECTOFF, DY_NINDIRECT, DY_EXTRELOFF, DY_NEXTREL, DY_LOCRELOFF,
	DY_NLOCREL
};

/* Reports "'NAME': offset 0xOFF: <fmt...>" (the name escaped) and
 * returns -1. */
int obj_fail(struct obj_ctx *c, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "LC_SYMTAB" etc., or NULL for commands the parser has no name for. */
const char *obj_lc_name(uint32_t cmd);
/* Writes "load command N (LC_X)" or "load command N (0xCMD)" into out. */
void obj_lc_label(char *out, size_t n, uint32_t index, uint32_t cmd);
/* Writes "SEG,SECT" with unprintable bytes escaped into out (>= 140);
 * returns out. Call it only on the failure path: it costs a snprintf. */
const char *obj_sect_label(char *out, size_t n, const struct obj_section *s);
/* Copies `s` escaped, truncated with "..." to fit, into out; returns out. */
const char *obj_escape(char *out, size_t n, const char *s);

/* The steps, in the order obj_parse runs them. */
int obj_segment64(struct obj_ctx *c, uint64_t off, uint32_t index,
		  uint32_t cmdsize);
int obj_linkedit_cmd(struct obj_ctx *c, uint64_t off, uint32_t index,
		     uint32_t cmd, uint32_t cmdsize);
int obj_check_overlaps(struct obj_ctx *c);
int obj_read_symbols(struct obj_ctx *c);
int obj_check_dysymtab(struct obj_ctx *c);
int obj_read_relocs(struct obj_ctx *c);
int obj_read_dice(struct obj_ctx *c);

#endif
