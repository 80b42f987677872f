/*
 * obj_linkedit.c - the load commands other than LC_SEGMENT_64: LC_SYMTAB,
 * LC_DYSYMTAB, the linkedit-data commands (LC_DATA_IN_CODE and friends),
 * LC_BUILD_VERSION / LC_VERSION_MIN_*, and LC_DYLD_INFO. Checks exact
 * sizes, duplicates and that each table lies inside the file, and records
 * where the tables are. Also reads the data-in-code entries at the end.
 * Leaves out: the symbols themselves (obj_symbols.c); other load commands
 * are ignored.
 */
#include "obj_ctx.h"

#include <inttypes.h>
#include <stdlib.h>

#include "../base/bytes.h"
#include "../base/macho.h"

static int exact_size(struct obj_ctx *c, uint64_t off, const char *lc,
		      uint32_t cmdsize, uint32_t want)
{
	if (cmdsize == want)
		return 0;
	return obj_fail(c, off, "%s has incorrect cmdsize %" PRIu32
			" (expected %" PRIu32 ")", lc, cmdsize, want);
}

static int table_in_file(struct obj_ctx *c, uint64_t off, const char *lc,
			 const char *what, uint32_t toff, uint64_t count,
			 uint64_t entsize)
{
	if (range_ok(c->size, toff, count * entsize))
		return 0;
	return obj_fail(c, off, "%s %s (offset 0x%" PRIx32 ", %" PRIu64
			" bytes) extends past the end of the file (size 0x%"
			PRIx64 ")", lc, what, toff, count * entsize, c->size);
}

static int symtab(struct obj_ctx *c, uint64_t off, const char *lc,
		  uint32_t cmdsize)
{
	if (exact_size(c, off, lc, cmdsize, 24))
		return -1;
	if (c->have_symtab)
		return obj_fail(c, off, "%s: more than one LC_SYMTAB command", lc);
	c->have_symtab = 1;
	c->symtab_cmd = off;
	c->symoff = rd32(c->p + off + 8);
	c->nsyms = rd32(c->p + off + 12);
	c->stroff = rd32(c->p + off + 16);
	c->strsize = rd32(c->p + off + 20);
	if (table_in_file(c, off, lc, "symbol table", c->symoff, c->nsyms,
			  NLIST_64_SIZE))
		return -1;
	return table_in_file(c, off, lc, "string table", c->stroff,
			     c->strsize, 1);
}

static int dysymtab(struct obj_ctx *c, uint64_t off, const char *lc,
		    uint32_t cmdsize)
{
	if (exact_size(c, off, lc, cmdsize, 80))
		return -1;
	if (c->have_dysymtab)
		return obj_fail(c, off, "%s: more than one LC_DYSYMTAB command",
				lc);
	c->have_dysymtab = 1;
	c->dysymtab_cmd = off;
	for (int k = 0; k < 18; k++)
		c->dysym[k] = rd32(c->p + off + 8 + 4 * (uint64_t)k);
	static const struct { int off, n, size; const char *what; } t[] = {
		{ DY_TOCOFF, DY_NTOC, 8, "table of contents" },
		{ DY_MODTABOFF, DY_NMODTAB, 56, "module table" },
		{ DY_EXTREFOFF, DY_NEXTREF, 4, "external reference table" },
		{ DY_INDIRECTOFF, DY_NINDIRECT, 4, "indirect symbol table" },
		{ DY_EXTRELOFF, DY_NEXTREL, 8, "external relocation table" },
		{ DY_LOCRELOFF, DY_NLOCREL, 8, "local relocation table" },
	};
	for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
		if (table_in_file(c, off, lc, t[k].what, c->dysym[t[k].off],
				  c->dysym[t[k].n], (uint64_t)t[k].size))
			return -1;
	return 0;
}

static int linkedit_data(struct obj_ctx *c, uint64_t off, const char *lc,
			 uint32_t cmd, uint32_t cmdsize)
{
	if (exact_size(c, off, lc, cmdsize, 16))
		return -1;
	uint32_t doff = rd32(c->p + off + 8);
	uint32_t dsize = rd32(c->p + off + 12);
	if (table_in_file(c, off, lc, "data", doff, dsize, 1))
		return -1;
	if (cmd == LC_DATA_IN_CODE) {
		if (c->have_dice)
			return obj_fail(c, off, "%s: more than one "
					"LC_DATA_IN_CODE command", lc);
		if (dsize % 8 != 0)
			return obj_fail(c, off, "%s datasize %" PRIu32 " is not "
					"a multiple of 8 (the entry size)", lc,
					dsize);
		c->have_dice = 1;
		c->dice_cmd = off;
		c->dice_off = doff;
		c->dice_size = dsize;
		return 0;
	}
	if (c->nblobs == sizeof c->blobs / sizeof c->blobs[0])
		return obj_fail(c, off, "%s: too many linkedit data commands",
				lc);
	c->blobs[c->nblobs].cmd = cmd;
	c->blobs[c->nblobs].off = doff;
	c->blobs[c->nblobs].size = dsize;
	c->nblobs++;
	return 0;
}

static int version(struct obj_ctx *c, uint64_t off, const char *lc,
		   uint32_t cmd, uint32_t cmdsize)
{
	struct obj_file *o = c->o;
	if (cmd == LC_BUILD_VERSION) {
		if (cmdsize < 24)
			return obj_fail(c, off, "%s cmdsize %" PRIu32 " is too "
					"small (need 24)", lc, cmdsize);
		uint32_t ntools = rd32(c->p + off + 20);
		if (24 + (uint64_t)ntools * 8 != cmdsize)
			return obj_fail(c, off, "%s ntools %" PRIu32 " does not "
					"match cmdsize %" PRIu32, lc, ntools,
					cmdsize);
	} else if (exact_size(c, off, lc, cmdsize, 16)) {
		return -1;
	}
	if (c->have_version)
		return obj_fail(c, off, "%s: more than one LC_BUILD_VERSION or "
				"LC_VERSION_MIN_* command", lc);
	c->have_version = 1;
	if (cmd == LC_BUILD_VERSION) {
		o->platform = rd32(c->p + off + 8);
		o->minos = rd32(c->p + off + 12);
		o->sdk = rd32(c->p + off + 16);
		return 0;
	}
	switch (cmd) {
	case LC_VERSION_MIN_MACOSX: o->platform = 1; break;  /* MACOS */
	case 0x25: o->platform = 2; break;                    /* IOS */
	case 0x2f: o->platform = 3; break;                    /* TVOS */
	default: o->platform = 4; break;                      /* WATCHOS */
	}
	o->minos = rd32(c->p + off + 8);
	o->sdk = rd32(c->p + off + 12);
	return 0;
}

int obj_linkedit_cmd(struct obj_ctx *c, uint64_t off, uint32_t index,
		     uint32_t cmd, uint32_t cmdsize)
{
	char lc[64];
	obj_lc_label(lc, sizeof lc, index, cmd);
	switch (cmd) {
	case LC_SYMTAB:
		return symtab(c, off, lc, cmdsize);
	case LC_DYSYMTAB:
		return dysymtab(c, off, lc, cmdsize);
	case LC_CODE_SIGNATURE: case 0x1e: case LC_FUNCTION_STARTS:
	case LC_DATA_IN_CODE: case 0x2b: case 0x2e: case LC_DYLD_EXPORTS_TRIE:
	case LC_DYLD_CHAINED_FIXUPS: case 0x36:
		return linkedit_data(c, off, lc, cmd, cmdsize);
	case LC_BUILD_VERSION: case LC_VERSION_MIN_MACOSX: case 0x25:
	case 0x2f: case 0x30:
		return version(c, off, lc, cmd, cmdsize);
	case LC_DYLD_INFO: case LC_DYLD_INFO_ONLY:
		return exact_size(c, off, lc, cmdsize, 48);
	default:
		return 0; /* unknown or irrelevant to objects: ignored */
	}
}

int obj_read_dice(struct obj_ctx *c)
{
	struct obj_file *o = c->o;
	uint32_t n = c->dice_size / 8;
	if (n == 0)
		return 0;
	o->dice = calloc(n, sizeof *o->dice);
	if (!o->dice)
		return obj_fail(c, c->dice_cmd, "out of memory for %" PRIu32
				" data-in-code entries", n);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = c->p + c->dice_off + 8 * (uint64_t)i;
		o->dice[i].offset = rd32(e);
		o->dice[i].length = rd16(e + 4);
		o->dice[i].kind = rd16(e + 6);
	}
	o->ndice = n;
	return 0;
}
