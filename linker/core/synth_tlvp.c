/*
 * synth_tlvp.c - __DATA,__thread_ptrs: one 8-byte slot per thread-local
 * variable that code reaches through a TLV load it cannot relax (an
 * imported or overridable variable). dyld binds each slot to the
 * variable's descriptor. Slots are numbered in the order scan.c asks.
 */
#include "ctx.h"

int tlvp_add(struct link_ctx *c, struct symbol *s)
{
	if (s->tlvp >= 0)
		return 0;
	if (huge_grow((void **)&c->tlvp_syms, &c->cap_tlvp, c->ntlvp + 1,
		     sizeof *c->tlvp_syms))
		return -1;
	s->tlvp = (int32_t)c->ntlvp;
	c->tlvp_syms[c->ntlvp++] = s;
	return 0;
}

uint64_t tlvp_size(const struct link_ctx *c)
{
	return 8 * (uint64_t)c->ntlvp;
}

int tlvp_write(struct link_ctx *c)
{
	for (size_t i = 0; i < c->ntlvp; i++)
		if (pointer_slot_write(c, c->thread_ptrs, c->thread_ptrs->addr + 8 * i,
				       c->tlvp_syms[i]))
			return -1;
	return 0;
}
