/*
 * reloc_attrs.c - per-architecture relocation attribute tables.
 * Also decodes where a section-relative relocation points.
 * Leaves out: arm64 (its table is declared but the arm64 back end is not
 * written yet, so arm64 links fail with a clear message in link.c).
 */
#include "../base/bytes.h"
#include "../base/macho.h"
#include "reloc_attrs.h"

static const struct reloc_type_info x86_64_relocs[] = {
	[X86_64_RELOC_UNSIGNED] = { "UNSIGNED", RA_UNSIGNED | RA_ABSOLUTE | RA_EXTERN |
				RA_LOCAL | RA_BYTE4 | RA_BYTE8, 0 },
	[X86_64_RELOC_SIGNED] = { "SIGNED", RA_PCREL | RA_EXTERN | RA_LOCAL | RA_BYTE4, 0 },
	[X86_64_RELOC_BRANCH] = { "BRANCH", RA_PCREL | RA_EXTERN | RA_BRANCH | RA_BYTE4, 0 },
	[X86_64_RELOC_GOT_LOAD] = { "GOT_LOAD", RA_PCREL | RA_EXTERN | RA_GOT | RA_LOAD |
				RA_BYTE4, 0 },
	[X86_64_RELOC_GOT] = { "GOT", RA_PCREL | RA_EXTERN | RA_GOT | RA_POINTER | RA_BYTE4, 0 },
	[X86_64_RELOC_SUBTRACTOR] = { "SUBTRACTOR", RA_SUBTRAHEND | RA_EXTERN | RA_LOCAL |
				RA_BYTE4 | RA_BYTE8, 0 },
	[X86_64_RELOC_SIGNED_1] = { "SIGNED_1", RA_PCREL | RA_EXTERN | RA_LOCAL | RA_BYTE4, 1 },
	[X86_64_RELOC_SIGNED_2] = { "SIGNED_2", RA_PCREL | RA_EXTERN | RA_LOCAL | RA_BYTE4, 2 },
	[X86_64_RELOC_SIGNED_4] = { "SIGNED_4", RA_PCREL | RA_EXTERN | RA_LOCAL | RA_BYTE4, 4 },
	[X86_64_RELOC_TLV] = { "TLV", RA_PCREL | RA_EXTERN | RA_TLV | RA_LOAD | RA_BYTE4, 0 },
};

const struct reloc_type_info *reloc_info(enum link_arch arch, uint8_t type)
{
	if (arch == ARCH_X86_64 && type < sizeof x86_64_relocs / sizeof x86_64_relocs[0])
		return &x86_64_relocs[type];
	return NULL;
}

uint64_t reloc_local_target(const struct obj_section *s, const struct obj_reloc *r,
			    const struct reloc_type_info *ri)
{
	const uint8_t *p = s->data + r->offset;
	if (ri->attrs & RA_PCREL)
		return s->addr + r->offset + 4 + ri->pcrel_bias +
		       (uint64_t)(int64_t)(int32_t)rd32(p);
	if (r->length == 3)
		return rd64(p);
	return (uint64_t)(int64_t)(int32_t)rd32(p);
}
