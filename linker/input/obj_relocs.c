/*
 * obj_relocs.c - relocation entries of every section. Each entry must not
 * be scattered, must have a type known for the arch with a legal pcrel and
 * length for that type, must name a real symbol (extern) or section
 * (otherwise), must lie inside its section, and must obey the pair rules:
 * SUBTRACTOR is followed by UNSIGNED at the same r_address, arm64 ADDEND by
 * BRANCH26/PAGE21/PAGEOFF12 at the same r_address; neither may be last,
 * and a SUBTRACTOR and its UNSIGNED have one length.
 * The per-arch rules are the rows of core/arch.h's tables, not code.
 * Leaves out: what the relocation does to the bytes (that is the linker's
 * reloc stage, which relies on these checks).
 */
#include "obj_ctx.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "../core/arch.h"

/* The rules are the rows of the architecture's relocation table
 * (core/arch.h), the same rows the link reads: which (pcrel, length)
 * pairs a type allows, whether it must (not) be extern, what must follow
 * it. */
enum pair { PAIR_NONE, PAIR_UNSIGNED, PAIR_ADDEND };

static enum pair pair_rule(const struct reloc_type_info *ri)
{
	if (ri->attrs & RA_SUBTRAHEND)
		return PAIR_UNSIGNED;
	if (ri->attrs & RA_ADDEND)
		return PAIR_ADDEND;
	return PAIR_NONE;
}

/* 1: must be extern; 2: must not be; 0: either */
static int extern_rule(const struct reloc_type_info *ri)
{
	if (ri->attrs & RA_ADDEND)
		return 2;
	return (ri->attrs & RA_EXTERN) && !(ri->attrs & RA_LOCAL);
}

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
static int check_pair(struct rel_at *at, const struct reloc_type_info *rl,
		      const struct obj_reloc *r, uint32_t nreloc,
		      const uint8_t *next)
{
	enum pair pair = pair_rule(rl);
	if (pair == PAIR_NONE)
		return 0;
	const char *want = pair == PAIR_UNSIGNED ? "an UNSIGNED" :
			   "a BRANCH26, PAGE21 or PAGEOFF12";
	if (at->j + 1 >= nreloc)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s is the "
			     "last relocation; it must be followed by %s "
			     "relocation", at->j, at->lbl, rl->name, want);
	struct obj_reloc n;
	uint32_t raw0;
	decode(next, &n, &raw0);
	const struct reloc_type_info *nri = reloc_info(at->c->o->arch, n.type);
	int ok;
	if (pair == PAIR_UNSIGNED)
		ok = nri && (nri->attrs & RA_UNSIGNED);
	else
		ok = nri && (nri->attrs & RA_TAKES_ADDEND);
	if (!ok && nri)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s must "
			     "be followed by %s relocation, not %s (type %u)",
			     at->j, at->lbl, rl->name, want, nri->name, n.type);
	if (!ok)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s must "
			     "be followed by %s relocation, not unknown type %u",
			     at->j, at->lbl, rl->name, want, n.type);
	if (raw0 != r->offset)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s at "
			     "r_address 0x%" PRIx32 " is followed by a "
			     "relocation at a different r_address 0x%" PRIx32,
			     at->j, at->lbl, rl->name, r->offset, raw0);
	/* the link reads and writes the field with the SUBTRACTOR's length;
	 * an illegal length of the UNSIGNED is reported at its own entry */
	if (pair == PAIR_UNSIGNED && n.length != r->length &&
	    (nri->combos & RELOC_PL(n.pcrel, n.length)))
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s of "
			     "length %u (%u bytes) is followed by %s of length "
			     "%u (%u bytes); the two entries of a pair must "
			     "have the same length", at->j, at->lbl, rl->name,
			     r->length, 1u << r->length, nri->name, n.length,
			     1u << n.length);
	return 0;
}

/* The (pcrel, length) pairs a type takes, for messages: "pcrel 1 and
 * length 2", "pcrel 0 and length 2 or 3", "pcrel 0 and length 3, or
 * pcrel 1 and length 2". */
static const char *legal_combos(char *buf, size_t size, uint8_t combos)
{
	int k = 0;
	buf[0] = 0;
	for (unsigned pcrel = 0; pcrel < 2; pcrel++) {
		int first = 1;
		for (unsigned len = 0; len < 4; len++) {
			if (!(combos & RELOC_PL(pcrel, len)))
				continue;
			int w = first ? snprintf(buf + k, size - (size_t)k,
						 "%spcrel %u and length %u",
						 k ? ", or " : "", pcrel, len)
				      : snprintf(buf + k, size - (size_t)k,
						 " or %u", len);
			if (w < 0 || (size_t)w >= size - (size_t)k)
				return buf;
			k += w;
			first = 0;
		}
	}
	return buf;
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
	const struct reloc_type_info *rl = reloc_info(o->arch, r->type);
	if (rl && (rl->attrs & RA_ARM64E))
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s is "
			     "only used by arm64e, which is not supported",
			     at->j, at->lbl, rl->name);
	/* LLVM's assembler stores a negative ARM64_RELOC_ADDEND without
	 * masking it to 24 bits: the sign bits fill the second word's top
	 * byte (pcrel 1, length 3, extern 1, type 15). Say so. */
	if (!rl && o->arch == ARCH_ARM64 && r->type == 15 && r->pcrel &&
	    r->length == 3 && r->is_extern && (r->symbolnum & 0x800000u))
		return RFAIL(at, "relocation %" PRIu32 " of section %s: unknown "
			     "arm64 relocation type 15 (the second word "
			     "0x%08" PRIx32 " looks like an ARM64_RELOC_ADDEND "
			     "of %" PRId32 " that was not masked to 24 bits, "
			     "which some assemblers write for a negative "
			     "addend)", at->j, at->lbl,
			     rd32(c->p + at->e + 4),
			     (int32_t)rd32(c->p + at->e + 4));
	if (!rl)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: unknown "
			     "%s relocation type %u", at->j, at->lbl,
			     o->arch == ARCH_ARM64 ? "arm64" : "x86_64",
			     r->type);
	if (!(rl->combos & RELOC_PL(r->pcrel, r->length))) {
		char legal[96];
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s with "
			     "pcrel %u and length %u (%u bytes) is not legal "
			     "(it takes %s)", at->j, at->lbl, rl->name,
			     r->pcrel, r->length, 1u << r->length,
			     legal_combos(legal, sizeof legal, rl->combos));
	}
	if (extern_rule(rl) == 1 && !r->is_extern)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s must "
			     "be extern (it refers to a symbol's GOT or TLV slot)",
			     at->j,
			     at->lbl, rl->name);
	if (extern_rule(rl) == 2 && r->is_extern)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: %s must "
			     "not be extern (its r_symbolnum is the addend of "
			     "the next relocation)", at->j, at->lbl, rl->name);
	if (r->is_extern && r->symbolnum >= o->nsymbols)
		return RFAIL(at, "relocation %" PRIu32 " of section %s: symbol "
			     "index %" PRIu32 " is past the end of the symbol "
			     "table (nsyms %" PRIu32 ")", at->j, at->lbl,
			     r->symbolnum, o->nsymbols);
	if (!r->is_extern && pair_rule(rl) != PAIR_ADDEND &&
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
