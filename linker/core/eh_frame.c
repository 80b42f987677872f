/*
 * eh_frame.c - the output's __TEXT,__eh_frame: the CIEs and FDEs of the
 * objects (unwind_input.c read them) that the output keeps, in input
 * order, with their pointers written again for the output's addresses.
 *
 * What is kept is lld's choice, so __unwind_info and __eh_frame agree
 * with ld64.lld's: an FDE stays when its function is live, is the copy
 * the link kept (not a coalesced weak definition) and has no compact
 * unwind entry of its own (the entry describes it; unwind.c gives the
 * functions whose FDE stays an entry in DWARF mode that points here).
 * A CIE stays when an FDE that stays uses it, or, without -dead_strip,
 * always. Records follow each other with no padding (a zero word between
 * them would end the section for an unwinder), as lld writes them; the
 * section is aligned as the most aligned input __eh_frame.
 *
 * Written: an FDE's CIE pointer, its function's address and its LSDA's
 * (pc-relative, 4 or 8 bytes as the CIE says), a CIE's personality (the
 * address of its GOT slot, pc-relative, 4 bytes). Everything else in a
 * record is copied as it is.
 */
#include <string.h>

#include "../base/bytes.h"
#include "ctx.h"
#include "unwind_input.h"

int eh_frame_select(struct link_ctx *c)
{
	uint64_t off = 0;
	uint32_t align = 0;
	c->eh_frame_size = 0;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		struct unwind_file *u = f->unwind;
		if (!u || !u->neh)
			continue;
		for (uint32_t i = 0; i < u->neh; i++)
			u->eh[i].kept = u->eh[i].is_cie && !c->opt->dead_strip;
		for (uint32_t i = 0; i < u->neh; i++) {
			struct eh_record *x = &u->eh[i];
			if (x->is_cie)
				continue;
			x->kept = x->fn->live && !x->fn->dup && !x->covered;
			if (x->kept)
				u->eh[x->cie].kept = 1;
		}
		uint32_t sa = f->obj.sections[u->eh_sect].align;
		for (uint32_t i = 0; i < u->neh; i++) {
			struct eh_record *x = &u->eh[i];
			if (!x->kept)
				continue;
			if (sa > align)
				align = sa;
			if (off + x->size > 0xffffffffu)
				return diag_error(c->diag, "__TEXT,__eh_frame would be over 4 GiB");
			x->out_off = (uint32_t)off;
			off += x->size;
		}
	}
	c->eh_frame_size = off;
	c->eh_frame_align = align;
	return 0;
}

/* Writes the pc-relative pointer of `size` bytes at output address p. */
static int put_pcrel(struct link_ctx *c, uint8_t *w, uint64_t p, uint64_t target,
		     uint8_t size, const struct input_file *f, uint32_t in_off)
{
	int64_t v = (int64_t)(target - p);
	if (size == 8) {
		wr64(w, (uint64_t)v);
		return 0;
	}
	if (v < INT32_MIN || v > INT32_MAX)
		return diag_error(c->diag, "'%s': __eh_frame offset 0x%x: the pointer's target is out of range of 32 bits",
				  f->name, in_off);
	wr32(w, (uint32_t)(int32_t)v);
	return 0;
}

static int write_file(struct link_ctx *c, struct input_file *f)
{
	const struct unwind_file *u = f->unwind;
	const struct obj_section *s = &f->obj.sections[u->eh_sect];
	uint8_t *base = c->out + c->eh_frame->fileoff;
	uint64_t addr = c->eh_frame->addr;
	int rc = 0;
	for (uint32_t i = 0; i < u->neh && !rc; i++) {
		const struct eh_record *x = &u->eh[i];
		if (!x->kept)
			continue;
		uint8_t *w = base + x->out_off;
		memcpy(w, s->data + x->off, x->size);
		if (x->is_cie) {
			if (x->pers)
				rc = put_pcrel(c, w + x->pers_field, addr + x->out_off + x->pers_field,
					       got_slot_addr(c, x->pers), 4, f,
					       x->off + x->pers_field);
			continue;
		}
		const struct eh_record *cie = &u->eh[x->cie];
		wr32(w + 4, x->out_off + 4 - cie->out_off);
		rc = put_pcrel(c, w + 8, addr + x->out_off + 8, x->fn->addr + x->fn_off,
			       cie->ptr_size, f, x->off + 8);
		if (!rc && x->lsda)
			rc = put_pcrel(c, w + x->lsda_field, addr + x->out_off + x->lsda_field,
				       atom_placed(x->lsda)->addr + x->lsda_off,
				       cie->lsda_size, f, x->off + x->lsda_field);
	}
	return rc;
}

int eh_frame_write(struct link_ctx *c)
{
	if (!c->eh_frame)
		return 0;
	for (size_t fi = 0; fi < c->nfiles; fi++)
		if (c->files[fi]->unwind && c->files[fi]->unwind->neh &&
		    write_file(c, c->files[fi]))
			return -1;
	return 0;
}
