/*
 * reloc_attrs.h - relocation types as rows of attribute bits (lld's idea):
 * generic code asks "is it a branch? does it use the GOT?" and never
 * switches on an architecture's type numbers.
 */
#ifndef LINKFS_RELOC_ATTRS_H
#define LINKFS_RELOC_ATTRS_H

#include <stdint.h>

#include "../input/object.h"

enum reloc_attr {
	RA_PCREL = 1u << 0,
	RA_ABSOLUTE = 1u << 1,
	RA_EXTERN = 1u << 2,     /* must be extern */
	RA_LOCAL = 1u << 3,      /* may be non-extern */
	RA_BRANCH = 1u << 4,
	RA_GOT = 1u << 5,
	RA_LOAD = 1u << 6,       /* a GOT or TLV load that may be relaxed */
	RA_POINTER = 1u << 7,    /* the GOT slot's address itself is used */
	RA_UNSIGNED = 1u << 8,
	RA_SUBTRAHEND = 1u << 9,
	RA_TLV = 1u << 10,
	RA_BYTE4 = 1u << 11,
	RA_BYTE8 = 1u << 12,
};

struct reloc_type_info {
	const char *name;
	uint32_t attrs;
	uint8_t pcrel_bias;      /* bytes between the field's end and the
				    instruction's end (SIGNED_1/2/4) */
};

/* The row for (arch, type), or NULL if the type is unknown. */
const struct reloc_type_info *reloc_info(enum link_arch arch, uint8_t type);

/* The object-space address a section-relative (non-extern) relocation
 * points at, read from its field in section s (which has contents): for a
 * pc-relative field the end of the instruction plus the displacement,
 * otherwise the stored address (sign-extended if 4 bytes). */
uint64_t reloc_local_target(const struct obj_section *s, const struct obj_reloc *r,
			    const struct reloc_type_info *ri);

#endif
