/*
 * obj_relocs.c - relocation entries of every section. Each entry must not
 * be scattered, must have a type known for the arch with a legal pcrel and
 * length for that type, must name a real symbol (extern) or section
 * (otherwise), must lie inside its section, and must obey the pair rules:
 * SUBTRACTOR is followed by UNSIGNED at the same r_address, arm64 ADDEND by
 * BRANCH26/PAGE21/PAGEOFF12 at the same r_address; neither may be last.
 * The per-arch rules are rows of a table, not code.
 * Leaves out: what the relocation does to the bytes (that is the linker's
 * reloc stage, which relies on these checks).
 */
#include "obj_ctx.h"

#include <inttypes.h>
#include <stdlib.h>

#include "../base/bytes.h"
#include "../base/macho.h"

/* allowed (pcrel, length) pairs as a bit mask: bit pcrel*4 + length */
#define PL(pcrel, len) (1u << ((pcrel) * 4 + (len)))

enum pair { PAIR_NONE, PAIR_UNSIGNED, PAIR_ADDEND };

struct rule {
	const char *name;   /* NULL: unknown type */
	uint8_t combos;     /* PL() bits */
	uint8_t want_extern; /* 1: must be extern; 2: must not be */
	uint8_t pair;
	uint8_t arm64e;     /* only meaningful on arm64e */
};

static const struct rule x86_64_rules[16] = {
	[X86_64_RELOC_UNSIGNED] = { "X86_64_RELOC_UNSIGNED", PL(0, 2) | PL(0, 3), 0, 0, 0 },
	[X86_64_RELOC_SIGNED] = { "X86_64_RELOC_SIGNED", PL(1, 2), 0, 0, 0 },
	[X86_64_RELOC_BRANCH] = { "X86_64_RELOC_BRANCH", PL(1, 2), 0, 0, 0 },
	[X86_64_RELOC_GOT_LOAD] = { "X86_64_RELOC_GOT_LOAD", PL(1, 2), 1, 0, 0 },
	[X86_64_RELOC_GOT] = { "X86_64_RELOC_GOT", PL(1, 2), 1, 0, 0 },
	[X86_64_RELOC_SUBTRACTOR] = { "X86_64_RELOC_SUBTRACTOR", PL(0, 2) | PL(0, 3), 0, PAIR_UNSIGNED, 0 },
	[X86_64_RELOC_SIGNED_1] = { "X86_64_RELOC_SIGNED_1", PL(1, 2), 0, 0, 0 },
	[X86_64_RELOC_SIGNED_2] = { "X86_64_RELOC_SIGNED_2", PL(1, 2), 0, 0, 0 },
	[X86_64_RELOC_SIGNED_4] = { "X86_64_RELOC_SIGNED_4", PL(1, 2), 0, 0, 0 },
	[X86_64_RELOC_TLV] = { "X86_64_RELOC_TLV", PL(1, 2), 1, 0, 0 },
};

static const struct rule arm64_rules[16] = {
	[ARM64_RELOC_UNSIGNED] = { "ARM64_RELOC_UNSIGNED", PL(0, 2) | PL(0, 3), 0, 0, 0 },
	[ARM64_RELOC_SUBTRACTOR] = { "ARM64_RELOC_SUBTRACTOR", PL(0, 2) | PL(0, 3), 0, PAIR_UNSIGNED, 0 },
	[ARM64_RELOC_BRANCH26] = { "ARM64_RELOC_BRANCH26", PL(1, 2), 0, 0, 0 },
	[ARM64_RELOC_PAGE21] = { "ARM64_RELOC_PAGE21", PL(1, 2), 0, 0, 0 },
	[ARM64_RELOC_PAGEOFF12] = { "ARM64_RELOC_PAGEOFF12", PL(0, 2), 0, 0, 0 },
	[ARM64_RELOC_GOT_LOAD_PAGE21] = { "ARM64_RELOC_GOT_LOAD_PAGE21", PL(1, 2), 1, 0, 0 },
	[ARM64_RELOC_GOT_LOAD_PAGEOFF12] = { "ARM64_RELOC_GOT_LOAD_PAGEOFF12", PL(0, 2), 1, 0, 0 },
	[ARM64_RELOC_POINTER_TO_GOT] = { "ARM64_RELOC_POINTER_TO_GOT", PL(1, 2) | PL(0, 3), 1, 0, 0 },
	[ARM64_RELOC_TLVP_LOAD_PAGE21] = { "ARM64_RELOC_TLVP_LOAD_PAGE21", PL(1, 2), 1, 0, 0 },
	[ARM64_RELOC_TLVP_LOAD_PAGEOFF12] = { "ARM64_RELOC_TLVP_LOAD_PAGEOFF12", PL(0, 2), 1, 0, 0 },
	[ARM64_RELOC_ADDEND] = { "ARM64_RELOC_ADDEND", PL(0, 2), 2, PAIR_ADDEND, 0 },
	[ARM64_RELOC_AUTHENTICATED_POINTER] = { "ARM64_RELOC_AUTHENTICATED_POINTER", 0, 0, 0, 1 },
};

struct rel_at {            /* where we are, for messages */
	struct obj_ctx *c;
	uint32_t sect;     /* 0-based */
	uint32_t j;        /* index inside the section */
	uint64_t e;        /* file offset of the entry */
	char lbl[140];     /* the section's label, filled by RFAIL only */
};

/* Fills at->lbl (for the message RFAIL is about to format); returns it. */
static const char *rel_label(struct rel_at *at)
{
	return obj_sect_label(at->lbl, sizeof at->lbl, &at->c->o->sections[at->sect]);
}

#define RFAIL(at, ...) (rel_label(at), obj_fail((at)->c, (at)->e, __VA_ARGS__))

static void decode(const uint8_t *p, struct obj_reloc *r, uint32_t *raw0)
{
	uint32_t w0 = rd32(p), w1 = rd32(p + 4);
	*raw0 = w0;
	r->offset = w0;
	r->symbolnum = w1 & 0xffffffu;
	r->pcrel = (uint8_t)((w1 >> 24) & 1);
	r->length = (uint8_t)((w1 >> 25) & 3);
	r->is_extern = (uint8_t)((w1 >> 27) & 1);
	r->type = (uint8_t)(w1 >> 28);
}

/* The pair rule of entry j, given its successor in the same section. */
static int check_pair(struct rel_at *at, const struct rule *rl,
		      const struct obj_reloc *r, uint32_t nreloc,
		      const uint8_t *next)
{
	if (rl->pair == PAIR_NONE)
		return 0;
	const char *want = rl->pair == PAIR_UNSIGNED ? "an UNSIGNED" :
			   "a BRANCH26, PAGE21 or PAGEOFF12";
	if (at->j + 1 >= nreloc)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s is the "
			     "last relocation; it must be followed by %s "
			     "relocation", at->j, at->lbl, rl->name, want);
	struct obj_reloc n;
	uint32_t raw0;
	decode(next, &n, &raw0);
	int ok;
	if (rl->pair == PAIR_UNSIGNED)
		ok = n.type == 0; /* UNSIGNED is 0 on both arches */
	else
		ok = n.type == ARM64_RELOC_BRANCH26 ||
		     n.type == ARM64_RELOC_PAGE21 ||
		     n.type == ARM64_RELOC_PAGEOFF12;
	if (!ok)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s must "
			     "be followed by %s relocation, not type %u",
			     at->j, at->lbl, rl->name, want, n.type);
	if (raw0 != r->offset)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s at "
			     "r_address 0x%" PRIx32 " is followed by a "
			     "relocation at a different r_address 0x%" PRIx32,
			     at->j, at->lbl, rl->name, r->offset, raw0);
	return 0;
}

static int one_reloc(struct rel_at *at, const struct obj_section *s,
		     uint32_t nreloc, uint64_t reloff, struct obj_reloc *r)
{
	const struct obj_ctx *c = at->c;
	const struct obj_file *o = c->o;
	uint32_t raw0;
	decode(c->p + at->e, r, &raw0);
	if (raw0 & 0x80000000u)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: "
			     "r_scattered bit is set (scattered relocations "
			     "are not used on 64-bit arches)", at->j, at->lbl);
	const struct rule *rl = o->arch == ARCH_ARM64 ? &arm64_rules[r->type]
						      : &x86_64_rules[r->type];
	if (rl->arm64e)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s is "
			     "only used by arm64e, which is not supported",
			     at->j, at->lbl, rl->name);
	if (!rl->name)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: unknown "
			     "%s relocation type %u", at->j, at->lbl,
			     o->arch == ARCH_ARM64 ? "arm64" : "x86_64",
			     r->type);
	if (!(rl->combos & PL(r->pcrel, r->length)))
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s with "
			     "pcrel %u and length %u (%u bytes) is not legal",
			     at->j, at->lbl, rl->name, r->pcrel, r->length,
			     1u << r->length);
	if (rl->want_extern == 1 && !r->is_extern)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s must "
			     "be extern", at->j, at->lbl, rl->name);
	if (rl->want_extern == 2 && r->is_extern)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s must "
			     "not be extern", at->j, at->lbl, rl->name);
	if (r->is_extern && r->symbolnum >= o->nsymbols)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: symbol "
			     "index %" PRIu32 " is past the end of the symbol "
			     "table (nsyms %" PRIu32 ")", at->j, at->lbl,
			     r->symbolnum, o->nsymbols);
	if (!r->is_extern && rl->pair != PAIR_ADDEND &&
	    (r->symbolnum == 0 || r->symbolnum > o->nsections))
		return RFAIL(at, "relocation %" PRIu32 " of section %s: section "
			     "ordinal %" PRIu32 " is out of range (1..%" PRIu32
			     ")", at->j, at->lbl, r->symbolnum, o->nsections);
	if (r->offset >= s->size)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: "
			     "r_address 0x%" PRIx32 " is past the end of the "
			     "section (size 0x%" PRIx64 ")", at->j, at->lbl,
			     r->offset, s->size);
	if ((1u << r->length) > s->size - r->offset)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: "
			     "r_address 0x%" PRIx32 " + %u bytes extends past "
			     "the end of the section (size 0x%" PRIx64 ")",
			     at->j, at->lbl, r->offset, 1u << r->length,
			     s->size);
	return check_pair(at, rl, r, nreloc,
			  c->p + reloff + 8 * ((uint64_t)at->j + 1));
}

int obj_read_relocs(struct obj_ctx *c)
{
	struct obj_file *o = c->o;
	uint64_t total = 0;
	for (uint32_t i = 0; i < o->nsections; i++)
		total += c->raw[i].nreloc;
	if (total > UINT32_MAX)
		return obj_fail(c, 0, "too many relocations (%" PRIu64 ")",
				total);
	if (total == 0)
		return 0;
	if (c->al->relocs) {
		o->relocs = arena_alloc(c->al->relocs, (size_t)total * sizeof *o->relocs);
		o->relocs_in_arena = 1;
	} else {
		o->relocs = calloc(total, sizeof *o->relocs);
	}
	if (!o->relocs)
		return obj_fail(c, 0, "out of memory for %" PRIu64
				" relocations", total);
	uint32_t n = 0;
	for (uint32_t i = 0; i < o->nsections; i++) {
		struct obj_section *s = &o->sections[i];
		const struct obj_sect_raw *raw = &c->raw[i];
		struct rel_at at = { .c = c, .sect = i };
		s->reloc_first = n;
		s->nrelocs = raw->nreloc;
		for (uint32_t j = 0; j < raw->nreloc; j++) {
			at.j = j;
			at.e = raw->reloff + 8 * (uint64_t)j;
			if (one_reloc(&at, s, raw->nreloc, raw->reloff,
				      &o->relocs[n]))
				return -1;
			n++;
		}
	}
	o->nrelocs = n;
	return 0;
}
