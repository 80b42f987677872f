/*
 * arch_x86_64.c - the x86_64 architecture: its relocation table, the
 * pc-relative fields (branches, GOT and TLV loads, SIGNED with their
 * biases), the relaxation of a GOT or TLV load of a local symbol from
 * movq to leaq, and the stub and stub-helper instructions.
 *
 * For a pc-relative field the value is target - (P + 4 + bias), bias
 * being 1, 2 or 4 for SIGNED_1/2/4 (the bytes of the instruction after
 * the field); the addend is embedded in the field.
 */
#include <stdint.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "arch.h"
#include "ctx.h"
#include "relocate.h"

#define PL RELOC_PL

static const struct reloc_type_info x86_64_relocs[16] = {
	[X86_64_RELOC_UNSIGNED] = { "X86_64_RELOC_UNSIGNED", RA_UNSIGNED | RA_ABSOLUTE |
		RA_EXTERN | RA_LOCAL | RA_BYTE4 | RA_BYTE8, PL(0, 2) | PL(0, 3), 0 },
	[X86_64_RELOC_SIGNED] = { "X86_64_RELOC_SIGNED", RA_PCREL | RA_EXTERN | RA_LOCAL |
		RA_BYTE4, PL(1, 2), 0 },
	[X86_64_RELOC_BRANCH] = { "X86_64_RELOC_BRANCH", RA_PCREL | RA_EXTERN | RA_LOCAL |
		RA_BRANCH | RA_BYTE4, PL(1, 2), 0 },
	[X86_64_RELOC_GOT_LOAD] = { "X86_64_RELOC_GOT_LOAD", RA_PCREL | RA_EXTERN | RA_GOT |
		RA_LOAD | RA_BYTE4, PL(1, 2), 0 },
	[X86_64_RELOC_GOT] = { "X86_64_RELOC_GOT", RA_PCREL | RA_EXTERN | RA_GOT |
		RA_POINTER | RA_BYTE4, PL(1, 2), 0 },
	[X86_64_RELOC_SUBTRACTOR] = { "X86_64_RELOC_SUBTRACTOR", RA_SUBTRAHEND | RA_EXTERN |
		RA_LOCAL | RA_BYTE4 | RA_BYTE8, PL(0, 2) | PL(0, 3), 0 },
	[X86_64_RELOC_SIGNED_1] = { "X86_64_RELOC_SIGNED_1", RA_PCREL | RA_EXTERN | RA_LOCAL |
		RA_BYTE4, PL(1, 2), 1 },
	[X86_64_RELOC_SIGNED_2] = { "X86_64_RELOC_SIGNED_2", RA_PCREL | RA_EXTERN | RA_LOCAL |
		RA_BYTE4, PL(1, 2), 2 },
	[X86_64_RELOC_SIGNED_4] = { "X86_64_RELOC_SIGNED_4", RA_PCREL | RA_EXTERN | RA_LOCAL |
		RA_BYTE4, PL(1, 2), 4 },
	[X86_64_RELOC_TLV] = { "X86_64_RELOC_TLV", RA_PCREL | RA_EXTERN | RA_TLV | RA_LOAD |
		RA_BYTE4, PL(1, 2), 0 },
};

static uint64_t x86_local_target(const struct obj_file *o, uint32_t sect,
				 const struct obj_reloc *r, const struct reloc_type_info *ri)
{
	const struct obj_section *s = &o->sections[sect];
	const uint8_t *p = s->data + r->offset;
	if (ri->attrs & RA_PCREL)
		return s->addr + r->offset + 4 + ri->pcrel_bias +
		       (uint64_t)(int64_t)(int32_t)rd32(p);
	if (r->length == 3)
		return rd64(p);
	return (uint64_t)(int64_t)(int32_t)rd32(p);
}

/* movq whose opcode byte (two before the field) is in the same atom */
static int x86_relaxable_load(const struct input_file *f, uint32_t sect,
			      const struct obj_reloc *r, const struct atom *a)
{
	const struct obj_section *s = &f->obj.sections[sect];
	return a && r->offset - a->off >= 2 && s->data &&
	       s->data[r->offset - 2] == 0x8b;
}

static int write_pcrel32(const struct reloc_site *rs, uint64_t target, int64_t addend)
{
	int64_t v = (int64_t)(target + (uint64_t)addend -
			      (rs->p + 4 + rs->ri->pcrel_bias));
	if (v < INT32_MIN || v > INT32_MAX)
		return site_error(rs, "displacement out of range for a 32-bit field");
	wr32(rs->loc, (uint32_t)(int32_t)v);
	return 0;
}

static int x86_relocate(struct link_ctx *c, const struct reloc_site *rs)
{
	uint32_t at = rs->ri->attrs;
	uint64_t t;
	if (!rs->r->is_extern) {
		if (site_local_target(c, rs, &t))
			return -1;
		return write_pcrel32(rs, t, 0);
	}
	struct symbol *s = site_symbol(rs);
	/* lld's embedded addend */
	int64_t a = (int64_t)(int32_t)rd32(rs->loc) + rs->ri->pcrel_bias;
	if (at & RA_BRANCH) {
		if (branch_target(c, rs, s, &t))
			return -1;
	} else if (at & RA_GOT) {
		if (s->got >= 0) {
			t = got_slot_addr(c, s);
		} else {
			rs->loc[-2] = 0x8d; /* movq -> leaq */
			t = symbol_addr(c, s);
		}
	} else if (at & RA_TLV) {
		if (s->tlvp >= 0) {
			t = tlvp_slot_addr(c, s);
		} else {
			rs->loc[-2] = 0x8d;
			t = symbol_addr(c, s);
		}
	} else {
		if (s->kind == SYM_DYLIB)
			return site_error(rs, "direct pc-relative reference to an imported symbol (it needs a GOT load)");
		t = symbol_addr(c, s);
	}
	return write_pcrel32(rs, t, a);
}

static const uint8_t stub_tmpl[] = {
	0xff, 0x25, 0, 0, 0, 0,       /* jmpq *lazy_ptr(%rip) */
};

static const uint8_t helper_header_tmpl[] = {
	0x4c, 0x8d, 0x1d, 0, 0, 0, 0, /* leaq __dyld_private(%rip), %r11 */
	0x41, 0x53,                   /* pushq %r11 */
	0xff, 0x25, 0, 0, 0, 0,       /* jmpq *dyld_stub_binder@GOT(%rip) */
	0x90,                         /* nop */
};

static const uint8_t helper_entry_tmpl[] = {
	0x68, 0, 0, 0, 0,             /* pushq $lazy_bind_offset */
	0xe9, 0, 0, 0, 0,             /* jmp stub_helper_header */
};

_Static_assert(sizeof stub_tmpl == 6, "x86_64 stub");
_Static_assert(sizeof helper_header_tmpl == 16, "x86_64 helper header");
_Static_assert(sizeof helper_entry_tmpl == 10, "x86_64 helper entry");

/* The rel32 from the end of an instruction at `end` to target. */
static uint32_t rel32(uint64_t target, uint64_t end)
{
	return (uint32_t)(int32_t)(int64_t)(target - end);
}

static void x86_write_stub(uint8_t *p, uint64_t stub, uint64_t lazy_ptr)
{
	memcpy(p, stub_tmpl, sizeof stub_tmpl);
	wr32(p + 2, rel32(lazy_ptr, stub + 6));
}

static void x86_write_helper_header(uint8_t *p, uint64_t helper, uint64_t dyld_private,
				    uint64_t binder_got)
{
	memcpy(p, helper_header_tmpl, sizeof helper_header_tmpl);
	wr32(p + 3, rel32(dyld_private, helper + 7));
	wr32(p + 11, rel32(binder_got, helper + 15));
}

static void x86_write_helper_entry(uint8_t *p, uint64_t entry, uint64_t helper,
				   uint32_t lazy_off)
{
	memcpy(p, helper_entry_tmpl, sizeof helper_entry_tmpl);
	wr32(p + 1, lazy_off);
	wr32(p + 6, rel32(helper, entry + 10));
}

const struct arch_ops arch_x86_64 = {
	.arch = ARCH_X86_64,
	.name = "x86_64",
	.cputype = CPU_TYPE_X86_64,
	.cpusubtype = CPU_SUBTYPE_X86_64_ALL, /* an executable's: | CPU_SUBTYPE_LIB64 */
	.page_size = 4096,
	.relocs = x86_64_relocs,
	.nrelocs = sizeof x86_64_relocs / sizeof x86_64_relocs[0],
	.stub_size = sizeof stub_tmpl,
	.stub_align = 1,
	.helper_header_size = sizeof helper_header_tmpl,
	.helper_entry_size = sizeof helper_entry_tmpl,
	.helper_align = 2,
	.reloc_window_before = 2,
	.load_insn = "movq",
	.unwind_mode_dwarf = 0x04000000u,    /* UNWIND_X86_64_MODE_DWARF */
	.unwind_mode_nofold = 0x03000000u,   /* UNWIND_X86_64_MODE_STACK_IND */
	.sign_by_default = 0,
	.local_target = x86_local_target,
	.relaxable_load = x86_relaxable_load,
	.relocate = x86_relocate,
	.write_stub = x86_write_stub,
	.write_helper_header = x86_write_helper_header,
	.write_helper_entry = x86_write_helper_entry,
};
