/*
 * arch_arm64.c - the arm64 architecture: its relocation table, the
 * instruction fields (BRANCH26, the adrp page deltas and the 12-bit page
 * offsets of add, ldr and str, scaled by the access size), the
 * relaxation of a GOT or TLV load of a local symbol from ldr to add, and
 * the stub and stub-helper instructions (lld's and ld64's).
 *
 * Addends are never embedded in instructions: an ARM64_RELOC_ADDEND entry
 * before the relocation carries it (relocate.c hands it over).
 * A call beyond +-128 MiB goes through a thunk (thunks.c) when its
 * island has one, else it is an error naming the symbol.
 * Leaves out: LC_LINKER_OPTIMIZATION_HINT (accepted, not
 * applied, as lld does), arm64e.
 */
#include <stdint.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "arch.h"
#include "ctx.h"
#include "relocate.h"

#define PL RELOC_PL

static const struct reloc_type_info arm64_relocs[16] = {
	[ARM64_RELOC_UNSIGNED] = { "ARM64_RELOC_UNSIGNED", RA_UNSIGNED | RA_ABSOLUTE |
		RA_EXTERN | RA_LOCAL | RA_BYTE4 | RA_BYTE8, PL(0, 2) | PL(0, 3), 0 },
	[ARM64_RELOC_SUBTRACTOR] = { "ARM64_RELOC_SUBTRACTOR", RA_SUBTRAHEND | RA_EXTERN |
		RA_LOCAL | RA_BYTE4 | RA_BYTE8, PL(0, 2) | PL(0, 3), 0 },
	[ARM64_RELOC_BRANCH26] = { "ARM64_RELOC_BRANCH26", RA_PCREL | RA_EXTERN | RA_LOCAL |
		RA_BRANCH | RA_BYTE4 | RA_TAKES_ADDEND, PL(1, 2), 0 },
	[ARM64_RELOC_PAGE21] = { "ARM64_RELOC_PAGE21", RA_PCREL | RA_EXTERN | RA_LOCAL |
		RA_PAGE | RA_BYTE4 | RA_TAKES_ADDEND, PL(1, 2), 0 },
	[ARM64_RELOC_PAGEOFF12] = { "ARM64_RELOC_PAGEOFF12", RA_ABSOLUTE | RA_EXTERN |
		RA_LOCAL | RA_PAGEOFF | RA_BYTE4 | RA_TAKES_ADDEND, PL(0, 2), 0 },
	[ARM64_RELOC_GOT_LOAD_PAGE21] = { "ARM64_RELOC_GOT_LOAD_PAGE21", RA_PCREL |
		RA_EXTERN | RA_GOT | RA_PAGE | RA_BYTE4, PL(1, 2), 0 },
	[ARM64_RELOC_GOT_LOAD_PAGEOFF12] = { "ARM64_RELOC_GOT_LOAD_PAGEOFF12", RA_ABSOLUTE |
		RA_EXTERN | RA_GOT | RA_LOAD | RA_PAGEOFF | RA_BYTE4, PL(0, 2), 0 },
	[ARM64_RELOC_POINTER_TO_GOT] = { "ARM64_RELOC_POINTER_TO_GOT", RA_PCREL | RA_EXTERN |
		RA_GOT | RA_POINTER | RA_BYTE4 | RA_BYTE8, PL(1, 2) | PL(0, 3), 0 },
	[ARM64_RELOC_TLVP_LOAD_PAGE21] = { "ARM64_RELOC_TLVP_LOAD_PAGE21", RA_PCREL |
		RA_EXTERN | RA_TLV | RA_PAGE | RA_BYTE4, PL(1, 2), 0 },
	[ARM64_RELOC_TLVP_LOAD_PAGEOFF12] = { "ARM64_RELOC_TLVP_LOAD_PAGEOFF12", RA_ABSOLUTE |
		RA_EXTERN | RA_TLV | RA_LOAD | RA_PAGEOFF | RA_BYTE4, PL(0, 2), 0 },
	[ARM64_RELOC_ADDEND] = { "ARM64_RELOC_ADDEND", RA_ADDEND, PL(0, 2), 0 },
	[ARM64_RELOC_AUTHENTICATED_POINTER] = { "ARM64_RELOC_AUTHENTICATED_POINTER",
		RA_ARM64E, 0, 0 },
};

static uint64_t arm64_local_target(const struct obj_file *o, uint32_t sect,
				   const struct obj_reloc *r, const struct reloc_type_info *ri)
{
	if (ri->attrs & RA_UNSIGNED) {
		const uint8_t *p = o->sections[sect].data + r->offset;
		return r->length == 3 ? rd64(p) : (uint64_t)(int64_t)(int32_t)rd32(p);
	}
	/* an instruction's field holds nothing: the referent is the start of
	 * section r_symbolnum (checked by the parser), plus the ADDEND */
	return o->sections[r->symbolnum - 1].addr;
}

/* ldr Xt, [Xn, #imm] (64-bit, unsigned offset) */
static int is_ldr64(uint32_t insn)
{
	return (insn & 0xffc00000u) == 0xf9400000u;
}

static int arm64_relaxable_load(const struct input_file *f, uint32_t sect,
				const struct obj_reloc *r, const struct atom *a)
{
	const struct obj_section *s = &f->obj.sections[sect];
	return a && s->data && r->offset + 4 <= a->off + a->size &&
	       is_ldr64(rd32(s->data + r->offset));
}

static uint64_t page(uint64_t v)
{
	return v & ~(uint64_t)0xfff;
}

/* adrp: the 21-bit page delta from the page of pc to the page of t */
static uint32_t adrp(uint32_t insn, uint64_t pc, uint64_t t)
{
	uint32_t imm = (uint32_t)((int64_t)(page(t) - page(pc)) >> 12) & 0x1fffff;
	return (insn & 0x9f00001fu) | ((imm & 3) << 29) | ((imm >> 2) << 5);
}

/* an add, ldr or str: t's offset in its page, scaled */
static uint32_t pageoff(uint32_t insn, uint64_t t, int scale)
{
	return (insn & 0xffc003ffu) | ((uint32_t)((t & 0xfff) >> scale) << 10);
}

/* adrp, range-checked */
static int encode_page21(const struct reloc_site *rs, uint32_t insn, uint64_t t,
			 uint32_t *out)
{
	int64_t delta = (int64_t)(page(t) - page(rs->p)) >> 12;
	if (delta < -(1 << 20) || delta >= (1 << 20))
		return site_error(rs, "page delta out of range for adrp (+-4 GiB)");
	*out = adrp(insn, rs->p, t);
	return 0;
}

/* The log2 of the access size an add, ldr or str with a 12-bit unsigned
 * offset scales it by (add: 0); -1 for any other instruction. */
static int pageoff_scale(uint32_t insn)
{
	if ((insn & 0x1f000000u) == 0x11000000u)   /* add/sub (immediate) */
		return 0;
	if ((insn & 0x3b000000u) == 0x39000000u) { /* ldr/str (unsigned offset) */
		if ((insn & 0x04800000u) == 0x04800000u)
			return 4;                  /* 128-bit SIMD&FP q register */
		return (int)(insn >> 30);
	}
	return -1;
}

static int encode_pageoff12(const struct reloc_site *rs, uint32_t insn, uint64_t t,
			    uint32_t *out)
{
	int scale = pageoff_scale(insn);
	if (scale < 0)
		return site_error(rs, "the instruction is not an add, ldr or str with a 12-bit offset");
	uint32_t off = (uint32_t)(t & 0xfff);
	if (off & ((1u << scale) - 1))
		return site_error(rs, "the target is not aligned to the access size of the ldr or str");
	*out = pageoff(insn, t, scale);
	return 0;
}

static int encode_branch26(const struct reloc_site *rs, uint32_t insn, uint64_t t,
			   uint32_t *out)
{
	int64_t delta = (int64_t)(t - rs->p);
	if (delta & 3)
		return site_error(rs, "branch target is not 4-byte aligned");
	if (delta < -(1ll << 27) || delta >= (1ll << 27))
		return site_error(rs, "branch target out of range (+-128 MiB)");
	*out = (insn & 0xfc000000u) | ((uint32_t)(delta >> 2) & 0x03ffffffu);
	return 0;
}

/* ldr Xd, [Xn, #off] -> add Xd, Xn, #off: the load of a GOT or TLV slot
 * that is not there becomes the address it would have loaded */
static uint32_t relax_to_add(uint32_t ldr, uint64_t t)
{
	uint32_t rd = ldr & 0x1f, rn = (ldr >> 5) & 0x1f;
	return 0x91000000u | ((uint32_t)(t & 0xfff) << 10) | (rn << 5) | rd;
}

/* The address a GOT or TLV field refers to: its slot when it has one,
 * else the symbol itself (the load is relaxed). */
static uint64_t slot_or_symbol(const struct link_ctx *c, const struct reloc_site *rs,
			       const struct symbol *s, int *slot)
{
	if ((rs->ri->attrs & RA_GOT) && s->got >= 0) {
		*slot = 1;
		return got_slot_addr(c, s);
	}
	if ((rs->ri->attrs & RA_TLV) && s->tlvp >= 0) {
		*slot = 1;
		return tlvp_slot_addr(c, s);
	}
	*slot = 0;
	return symbol_addr(c, s);
}

static int pointer_to_got(struct link_ctx *c, const struct reloc_site *rs, uint64_t got)
{
	if (rs->r->length == 3) {
		wr64(rs->loc, got);
		return site_fixup(rs, FIX_REBASE, NULL, 0);
	}
	int64_t v = (int64_t)(got - rs->p);
	(void)c;
	if (v < INT32_MIN || v > INT32_MAX)
		return site_error(rs, "GOT slot out of range for a 32-bit pc-relative field");
	wr32(rs->loc, (uint32_t)(int32_t)v);
	return 0;
}

static int arm64_relocate(struct link_ctx *c, const struct reloc_site *rs)
{
	uint32_t at = rs->ri->attrs;
	uint32_t insn = rd32(rs->loc), out = 0;
	struct symbol *s = site_symbol(rs);
	uint64_t t;
	int slot = 0;
	if (!s) {
		if (at & (RA_GOT | RA_TLV))
			return site_error(rs, "must be extern");
		if (site_local_target(c, rs, &t))
			return -1;
	} else if (at & RA_BRANCH) {
		if (branch_target(c, rs, s, &t))
			return -1;
		t += (uint64_t)rs->addend;
		uint64_t thunk;
		int64_t d = (int64_t)(t - rs->p);
		if ((d < -(1ll << 27) || d >= (1ll << 27)) && !rs->addend &&
		    thunk_for(c, rs->p, s, &thunk) == 0)
			t = thunk;
	} else if (at & (RA_GOT | RA_TLV)) {
		t = slot_or_symbol(c, rs, s, &slot);
		if ((at & RA_POINTER) && slot)
			return pointer_to_got(c, rs, t);
		if (at & RA_POINTER)
			return site_error(rs, "no GOT slot for the symbol");
	} else {
		if (s->kind == SYM_DYLIB)
			return site_error(rs, "direct reference to an imported symbol (it needs a GOT load)");
		t = symbol_addr(c, s) + (uint64_t)rs->addend;
	}
	int rc;
	if (at & RA_BRANCH)
		rc = encode_branch26(rs, insn, t, &out);
	else if (at & RA_PAGE)
		rc = encode_page21(rs, insn, t, &out);
	else if ((at & RA_LOAD) && !slot)
		rc = is_ldr64(insn) ? (out = relax_to_add(insn, t), 0)
				    : site_error(rs, "the load to relax is not a 64-bit ldr");
	else if (at & RA_PAGEOFF)
		rc = encode_pageoff12(rs, insn, t, &out);
	else
		rc = site_error(rs, "unexpected relocation type here");
	if (!rc)
		wr32(rs->loc, out);
	return rc;
}

static const uint32_t thunk_tmpl[] = {
	0x90000010u, /* adrp x16, target@page */
	0x91000210u, /* add  x16, x16, target@pageoff */
	0xd61f0200u, /* br   x16 */
};

_Static_assert(sizeof thunk_tmpl == 12, "arm64 thunk");

static const uint32_t stub_tmpl[] = {
	0x90000010u, /* adrp x16, lazy_ptr@page */
	0xf9400210u, /* ldr  x16, [x16, lazy_ptr@pageoff] */
	0xd61f0200u, /* br   x16 */
};

static const uint32_t helper_header_tmpl[] = {
	0x90000011u, /* adrp x17, __dyld_private@page */
	0x91000231u, /* add  x17, x17, __dyld_private@pageoff */
	0xa9bf47f0u, /* stp  x16, x17, [sp, #-16]! */
	0x90000010u, /* adrp x16, dyld_stub_binder@GOTpage */
	0xf9400210u, /* ldr  x16, [x16, dyld_stub_binder@GOTpageoff] */
	0xd61f0200u, /* br   x16 */
};

static const uint32_t helper_entry_tmpl[] = {
	0x18000050u, /* ldr  w16, 1f (the word after the branch) */
	0x14000000u, /* b    stub_helper_header */
	0x00000000u, /* 1: .long lazy_bind_offset */
};

_Static_assert(sizeof stub_tmpl == 12, "arm64 stub");
_Static_assert(sizeof helper_header_tmpl == 24, "arm64 helper header");
_Static_assert(sizeof helper_entry_tmpl == 12, "arm64 helper entry");

static void put_insns(uint8_t *p, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wr32(p + 4 * i, v[i]);
}

static void arm64_write_thunk(uint8_t *p, uint64_t thunk, uint64_t target)
{
	uint32_t v[3];
	memcpy(v, thunk_tmpl, sizeof v);
	v[0] = adrp(v[0], thunk, target);
	v[1] = pageoff(v[1], target, 0);
	put_insns(p, v, 3);
}

/* Synthetic code is laid out by the link itself, which keeps __TEXT and
 * __DATA within adrp's +-4 GiB and branch range of the helper. */
static void arm64_write_stub(uint8_t *p, uint64_t stub, uint64_t lazy_ptr)
{
	uint32_t v[3];
	memcpy(v, stub_tmpl, sizeof v);
	v[0] = adrp(v[0], stub, lazy_ptr);
	v[1] = pageoff(v[1], lazy_ptr, 3);
	put_insns(p, v, 3);
}

static void arm64_write_helper_header(uint8_t *p, uint64_t helper, uint64_t dyld_private,
				      uint64_t binder_got)
{
	uint32_t v[6];
	memcpy(v, helper_header_tmpl, sizeof v);
	v[0] = adrp(v[0], helper, dyld_private);
	v[1] = pageoff(v[1], dyld_private, 0);
	v[3] = adrp(v[3], helper + 12, binder_got);
	v[4] = pageoff(v[4], binder_got, 3);
	put_insns(p, v, 6);
}

static void arm64_write_helper_entry(uint8_t *p, uint64_t entry, uint64_t helper,
				     uint32_t lazy_off)
{
	uint32_t v[3];
	memcpy(v, helper_entry_tmpl, sizeof v);
	v[1] |= (uint32_t)((int64_t)(helper - (entry + 4)) >> 2) & 0x03ffffffu;
	v[2] = lazy_off;
	put_insns(p, v, 3);
}

const struct arch_ops arch_arm64 = {
	.arch = ARCH_ARM64,
	.name = "arm64",
	.cputype = CPU_TYPE_ARM64,
	.cpusubtype = CPU_SUBTYPE_ARM64_ALL,
	.page_size = 16384,
	.relocs = arm64_relocs,
	.nrelocs = sizeof arm64_relocs / sizeof arm64_relocs[0],
	.stub_size = sizeof stub_tmpl,
	.stub_align = 2,
	.helper_header_size = sizeof helper_header_tmpl,
	.helper_entry_size = sizeof helper_entry_tmpl,
	.helper_align = 2,
	.reloc_window_before = 0,
	.load_insn = "64-bit ldr",
	.unwind_mode_dwarf = 0x03000000u,    /* UNWIND_ARM64_MODE_DWARF */
	.unwind_mode_nofold = 0,
	.sign_by_default = 1,
	.branch_range = 128u << 20,
	.thunk_size = sizeof thunk_tmpl,
	.write_thunk = arm64_write_thunk,
	.local_target = arm64_local_target,
	.relaxable_load = arm64_relaxable_load,
	.relocate = arm64_relocate,
	.write_stub = arm64_write_stub,
	.write_helper_header = arm64_write_helper_header,
	.write_helper_entry = arm64_write_helper_entry,
};
