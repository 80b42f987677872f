/*
 * obj_symbols.c - the nlist_64 entries of LC_SYMTAB and the index ranges
 * of LC_DYSYMTAB. Each name must be a NUL-terminated string inside the
 * string table; N_SECT symbols must name a real section and lie inside it;
 * N_INDR and N_PBUD are rejected; STAB entries are kept as they are (their
 * n_sect must still be 0 or a real section, so indexing by it is safe).
 * Leaves out: meaning (weak, common, private extern): that is resolution.
 */
#include "obj_ctx.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"

/* strtab: the string table, in the file or copied (obj_alloc.keep) */
static int one_symbol(struct obj_ctx *c, const uint8_t *strtab, uint32_t i,
		      struct obj_symbol *y)
{
	const struct obj_file *o = c->o;
	uint64_t e = c->symoff + (uint64_t)i * NLIST_64_SIZE;
	uint32_t strx = rd32(c->p + e);
	y->type = c->p[e + 4];
	y->sect = c->p[e + 5];
	y->desc = rd16(c->p + e + 6);
	y->value = rd64(c->p + e + 8);
	y->namelen = 0;
	if (strx == 0) {
		y->name = "";
	} else {
		if (strx >= c->strsize)
			return obj_fail(c, e, "symbol %" PRIu32 " n_strx 0x%"
					PRIx32 " is past the end of the string "
					"table (strsize 0x%" PRIx32 ")", i, strx,
					c->strsize);
		const uint8_t *s = strtab + strx;
		const uint8_t *nul = memchr(s, 0, c->strsize - strx);
		if (!nul)
			return obj_fail(c, e, "symbol %" PRIu32 " name at n_strx "
					"0x%" PRIx32 " is not NUL-terminated "
					"inside the string table", i, strx);
		y->name = (const char *)s;
		y->namelen = (uint32_t)(nul - s);
	}
	char nm[80]; /* filled only when reporting */
	if (y->type & N_STAB) {
		if (y->sect > o->nsections)
			return obj_fail(c, e, "debug symbol %" PRIu32 " ('%s') "
					"n_sect %u is not a section (nsects %"
					PRIu32 ")", i,
					obj_escape(nm, sizeof nm, y->name),
					y->sect, o->nsections);
		return 0;
	}
	switch (y->type & N_TYPE) {
	case N_UNDF:
		if (!(y->type & N_EXT))
			return obj_fail(c, e, "symbol %" PRIu32 " ('%s') is "
					"undefined but not external", i,
					obj_escape(nm, sizeof nm, y->name));
		return 0;
	case N_ABS:
		return 0;
	case N_SECT:
		break;
	case N_INDR:
		return obj_fail(c, e, "symbol %" PRIu32 " ('%s') is N_INDR "
				"(an indirect alias), which is not supported",
				i, obj_escape(nm, sizeof nm, y->name));
	case N_PBUD:
		return obj_fail(c, e, "symbol %" PRIu32 " ('%s') is N_PBUD "
				"(prebound undefined), which is not supported",
				i, obj_escape(nm, sizeof nm, y->name));
	default:
		return obj_fail(c, e, "symbol %" PRIu32 " ('%s') has unknown "
				"n_type 0x%02x", i,
				obj_escape(nm, sizeof nm, y->name), y->type);
	}
	if (y->sect == NO_SECT || y->sect > o->nsections)
		return obj_fail(c, e, "symbol %" PRIu32 " ('%s') n_sect %u is "
				"not a valid section index (1..%" PRIu32 ")", i,
				obj_escape(nm, sizeof nm, y->name), y->sect,
				o->nsections);
	const struct obj_section *s = &o->sections[y->sect - 1];
	if (y->value < s->addr || y->value - s->addr > s->size) {
		char lbl[140];
		obj_sect_label(lbl, sizeof lbl, s);
		return obj_fail(c, e, "symbol %" PRIu32 " ('%s') n_value 0x%"
				PRIx64 " is outside its section %s (0x%" PRIx64
				"-0x%" PRIx64 ")", i,
				obj_escape(nm, sizeof nm, y->name), y->value,
				lbl, s->addr,
				s->addr + s->size);
	}
	return 0;
}

int obj_read_symbols(struct obj_ctx *c)
{
	struct obj_file *o = c->o;
	if (!c->have_symtab || c->nsyms == 0)
		return 0;
	if (c->al->symbols) {
		o->symbols = arena_alloc(c->al->symbols, (size_t)c->nsyms * sizeof *o->symbols);
		o->symbols_in_arena = 1;
	} else {
		o->symbols = calloc(c->nsyms, sizeof *o->symbols);
	}
	if (!o->symbols)
		return obj_fail(c, c->symtab_cmd, "out of memory for %" PRIu32
				" symbols", c->nsyms);
	const uint8_t *strtab = c->p + c->stroff;
	if (c->al->keep && c->strsize) {
		uint8_t *copy = arena_alloc(c->al->keep, c->strsize);
		if (!copy)
			return obj_fail(c, c->symtab_cmd, "out of memory for a "
					"string table of %" PRIu32 " bytes",
					c->strsize);
		memcpy(copy, strtab, c->strsize);
		strtab = copy;
	}
	for (uint32_t i = 0; i < c->nsyms; i++)
		if (one_symbol(c, strtab, i, &o->symbols[i]))
			return -1;
	o->nsymbols = c->nsyms;
	return 0;
}

static int sym_range(struct obj_ctx *c, const char *what, uint32_t first,
		     uint32_t count)
{
	if ((uint64_t)first + count <= c->nsyms)
		return 0;
	return obj_fail(c, c->dysymtab_cmd, "LC_DYSYMTAB %s symbols %" PRIu32
			"+%" PRIu32 " extend past the end of the symbol table "
			"(nsyms %" PRIu32 ")", what, first, count, c->nsyms);
}

int obj_check_dysymtab(struct obj_ctx *c)
{
	if (!c->have_dysymtab)
		return 0;
	const uint32_t *y = c->dysym;
	if (sym_range(c, "local", y[DY_ILOCAL], y[DY_NLOCAL]) ||
	    sym_range(c, "external defined", y[DY_IEXTDEF], y[DY_NEXTDEF]) ||
	    sym_range(c, "undefined", y[DY_IUNDEF], y[DY_NUNDEF]))
		return -1;
	for (uint32_t i = 0; i < y[DY_NINDIRECT]; i++) {
		uint64_t e = y[DY_INDIRECTOFF] + 4 * (uint64_t)i;
		uint32_t v = rd32(c->p + e);
		if (v & (INDIRECT_SYMBOL_LOCAL | INDIRECT_SYMBOL_ABS))
			continue;
		if (v >= c->nsyms)
			return obj_fail(c, e, "indirect symbol %" PRIu32 " index "
					"%" PRIu32 " is past the end of the symbol "
					"table (nsyms %" PRIu32 ")", i, v,
					c->nsyms);
	}
	return 0;
}
