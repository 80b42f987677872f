/*
 * synth_init_offsets.c - __TEXT,__init_offsets: under chained fixups, as
 * in lld, the initializers of __mod_init_func sections become 32-bit
 * offsets from the image's header in an S_INIT_FUNC_OFFSETS section, so
 * they need no fixups. layout.c gives the input __mod_init_func sections
 * no place (init_offsets_take) and this section 4 bytes per pointer;
 * init_offsets_write fills it in input order once addresses are final,
 * while the inputs' bytes are still there (a section-relative pointer
 * keeps its target in them).
 * Leaves out: an initializer that is an import (an error, as in lld).
 */
#include "../base/bytes.h"
#include "../base/macho.h"
#include "ctx.h"

static int is_init_section(const struct obj_section *s)
{
	return (s->flags & SECTION_TYPE) == S_MOD_INIT_FUNC_POINTERS && s->data;
}

uint64_t init_offsets_take(struct link_ctx *c)
{
	uint64_t n = 0;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			if (!f->sect_kept[si] || !is_init_section(&f->obj.sections[si]))
				continue;
			if (!f->sect_init)
				f->sect_init = arena_alloc(&c->arena, f->obj.nsections + 1u);
			if (!f->sect_init)
				return UINT64_MAX;
			n += f->obj.sections[si].size / 8;
			/* no atoms placed, none relocated; symbols there (the
			 * assembler's ltmpN) are dropped like dead ones */
			f->sect_kept[si] = 0;
			for (uint32_t k = 0; k < f->natoms[si]; k++)
				f->atoms[si][k].live = 0;
			f->sect_init[si] = 1;
		}
	}
	return 4 * n;
}

/* The address initializer slot `k` of section si points at. */
static int slot_target(struct link_ctx *c, struct input_file *f, uint32_t si, uint64_t k,
		       uint64_t *out)
{
	const struct obj_section *s = &f->obj.sections[si];
	const struct obj_reloc *rel = f->obj.relocs + s->reloc_first;
	char lb[40];
	for (uint32_t i = 0; i < s->nrelocs; i++) {
		if (rel[i].offset != 8 * k || rel[i].length != 3)
			continue;
		if (!rel[i].is_extern)
			return obj_sect_addr_to_out(c->diag, f, rel[i].symbolnum,
						    rd64(s->data + 8 * k), out);
		struct symbol *sym = f->syms[rel[i].symbolnum];
		if (!sym || sym->kind == SYM_UNDEF || sym->kind == SYM_DYLIB)
			return diag_error(c->diag, "'%s': initializer %llu of %s is %s; it must be defined in the image",
					  f->name, (unsigned long long)k,
					  sect_label(f, si, lb, sizeof lb),
					  sym ? sym->name : "not a symbol");
		*out = symbol_addr(c, sym) + rd64(s->data + 8 * k);
		return 0;
	}
	return diag_error(c->diag, "'%s': initializer %llu of %s has no relocation",
			  f->name, (unsigned long long)k, sect_label(f, si, lb, sizeof lb));
}

int init_offsets_write(struct link_ctx *c)
{
	if (!c->init_offsets)
		return 0;
	uint64_t at = c->init_offsets->addr;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			if (!f->sect_init || !f->sect_init[si])
				continue;
			for (uint64_t k = 0; k < f->obj.sections[si].size / 8; k++, at += 4) {
				uint64_t t;
				if (slot_target(c, f, si, k, &t))
					return -1;
				if (t < c->base || t - c->base > UINT32_MAX)
					return diag_error(c->diag, "'%s': initializer %llu is out of range of a 32-bit offset",
							  f->name, (unsigned long long)k);
				wr32(out_at(c, c->init_offsets, at), (uint32_t)(t - c->base));
			}
		}
	}
	return 0;
}
