/*
 * synth_got.c - __DATA_CONST,__got: one 8-byte slot per symbol that some
 * relocation loads through the GOT (and dyld_stub_binder, for lazy
 * binding). Slots are numbered in the order scan.c asks for them. A slot
 * of an import is bound by dyld; a slot of a local symbol holds its
 * address, rebased (and weakly bound when the definition may be
 * overridden). The writer of such pointer slots serves __thread_ptrs and
 * the non-lazy __la_symbol_ptr entries too.
 */
#include "../base/bytes.h"
#include "ctx.h"

int got_add(struct link_ctx *c, struct symbol *s)
{
	if (s->got >= 0)
		return 0;
	if (huge_grow((void **)&c->got_syms, &c->cap_got, c->ngot + 1, sizeof *c->got_syms))
		return -1;
	s->got = (int32_t)c->ngot;
	c->got_syms[c->ngot++] = s;
	return 0;
}

uint64_t got_size(const struct link_ctx *c)
{
	return 8 * (uint64_t)c->ngot;
}

int pointer_slot_write(struct link_ctx *c, struct out_section *o, uint64_t addr,
		       struct symbol *s)
{
	uint8_t *p = out_at(c, o, addr);
	if (s->kind == SYM_DYLIB) {
		wr64(p, 0);
		if (fixup_add(c, FIX_BIND, addr, s, 0))
			return -1;
		return s->weak_def ? fixup_add(c, FIX_WEAK_BIND, addr, s, 0) : 0;
	}
	if (s->kind == SYM_ABS) {
		wr64(p, s->value);
		return 0;
	}
	wr64(p, symbol_addr(c, s));
	if (fixup_add(c, FIX_REBASE, addr, NULL, 0))
		return -1;
	return needs_binding(s) ? fixup_add(c, FIX_WEAK_BIND, addr, s, 0) : 0;
}

int got_write(struct link_ctx *c)
{
	for (size_t i = 0; i < c->ngot; i++)
		if (pointer_slot_write(c, c->got, c->got->addr + 8 * i, c->got_syms[i]))
			return -1;
	return 0;
}
