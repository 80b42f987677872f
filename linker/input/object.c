/*
 * object.c - obj_parse(): validates a 64-bit MH_OBJECT (x86_64 or arm64)
 * and fills struct obj_file. This file checks the mach_header_64 and walks
 * the load commands; segments, linkedit commands, overlaps, symbols,
 * relocations and data-in-code are checked by the obj_*.c steps it calls.
 *
 * Leaves out: 32-bit, big-endian and fat files, archives, and every
 * filetype other than MH_OBJECT: they are rejected with a message saying
 * what the file is. Unknown load commands are skipped.
 */
#include "object.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "obj_ctx.h"

int section_is_zerofill(uint32_t flags)
{
	uint32_t t = flags & SECTION_TYPE;
	return t == S_ZEROFILL || t == S_GB_ZEROFILL ||
	       t == S_THREAD_LOCAL_ZEROFILL;
}

void obj_release(struct obj_file *o)
{
	if (o->borrowed) {
		memset(o, 0, sizeof *o);
		return;
	}
	if (!o->sections_in_arena)
		free(o->sections);
	if (!o->symbols_in_arena)
		free(o->symbols);
	if (!o->relocs_in_arena)
		free(o->relocs);
	free(o->dice);
	o->sections = NULL;
	o->symbols = NULL;
	o->relocs = NULL;
	o->dice = NULL;
	o->nsections = o->nsymbols = o->nrelocs = o->ndice = 0;
}

static const char *filetype_name(uint32_t t)
{
	static const char *const names[] = {
		NULL, "MH_OBJECT", "MH_EXECUTE", "MH_FVMLIB", "MH_CORE",
		"MH_PRELOAD", "MH_DYLIB", "MH_DYLINKER", "MH_BUNDLE",
		"MH_DYLIB_STUB", "MH_DSYM", "MH_KEXT_BUNDLE", "MH_FILESET",
	};
	if (t < sizeof names / sizeof names[0] && names[t])
		return names[t];
	return "unknown";
}

/* The magic number: everything that is not a little-endian 64-bit Mach-O
 * gets a message naming what it is instead. */
static int check_magic(struct obj_ctx *c)
{
	if (c->size < 4)
		return obj_fail(c, 0, "file is too small to contain a magic "
				"number (size %" PRIu64 ")", c->size);
	uint32_t m = rd32(c->p);
	if (m == MH_MAGIC_64)
		return 0;
	if (c->size >= 8 && memcmp(c->p, "!<arch>\n", 8) == 0)
		return obj_fail(c, 0, "file is a static archive ('!<arch>'), "
				"not an object; give it a .a name");
	if (m == MH_CIGAM_64)
		return obj_fail(c, 0, "byte-swapped (big-endian) 64-bit Mach-O "
				"is not supported");
	if (m == MH_MAGIC || m == 0xcefaedfeu)
		return obj_fail(c, 0, "32-bit Mach-O (magic 0x%08" PRIx32 ") is "
				"not supported", m);
	if (m == 0xbebafecau || m == 0xbfbafecau || m == FAT_MAGIC ||
	    m == 0xcafebabfu)
		return obj_fail(c, 0, "file is a fat/universal binary, not a "
				"single-architecture object; extract one "
				"slice with lipo -thin");
	return obj_fail(c, 0, "unknown magic 0x%08" PRIx32 " (not a Mach-O "
			"object)", m);
}

static int check_header(struct obj_ctx *c)
{
	struct obj_file *o = c->o;
	if (check_magic(c))
		return -1;
	if (c->size < MACH_HEADER_64_SIZE)
		return obj_fail(c, 0, "file is too small for a mach_header_64 "
				"(size %" PRIu64 ", need 32)", c->size);
	o->cputype = rd32(c->p + 4);
	o->cpusubtype = rd32(c->p + 8);
	uint32_t sub = o->cpusubtype & ~CPU_SUBTYPE_MASK;
	if (o->cputype == CPU_TYPE_X86_64) {
		if (sub == CPU_SUBTYPE_X86_64_H)
			return obj_fail(c, 8, "cpusubtype x86_64h is not "
					"supported (only x86_64)");
		if (sub != CPU_SUBTYPE_X86_64_ALL)
			return obj_fail(c, 8, "x86_64 cpusubtype 0x%" PRIx32
					" is not supported", o->cpusubtype);
		o->arch = ARCH_X86_64;
	} else if (o->cputype == CPU_TYPE_ARM64) {
		if (sub == CPU_SUBTYPE_ARM64E)
			return obj_fail(c, 8, "cpusubtype arm64e is not "
					"supported (only arm64)");
		if (sub != CPU_SUBTYPE_ARM64_ALL && sub != 1 /* V8 */)
			return obj_fail(c, 8, "arm64 cpusubtype 0x%" PRIx32
					" is not supported", o->cpusubtype);
		o->arch = ARCH_ARM64;
	} else {
		return obj_fail(c, 4, "unsupported cputype 0x%" PRIx32
				" (only x86_64 and arm64)", o->cputype);
	}
	uint32_t ft = rd32(c->p + 12);
	if (ft != MH_OBJECT)
		return obj_fail(c, 12, "filetype %" PRIu32 " (%s) is not "
				"MH_OBJECT; only object files are linked",
				ft, filetype_name(ft));
	uint32_t sizeofcmds = rd32(c->p + 20);
	if (!range_ok(c->size, MACH_HEADER_64_SIZE, sizeofcmds))
		return obj_fail(c, 20, "load commands extend past the end of "
				"the file (sizeofcmds 0x%" PRIx32 ", file size "
				"0x%" PRIx64 ")", sizeofcmds, c->size);
	c->cmds_end = MACH_HEADER_64_SIZE + (uint64_t)sizeofcmds;
	o->flags = rd32(c->p + 24);
	return 0;
}

/* Walks the load commands, bounded by both ncmds and sizeofcmds. */
static int walk_commands(struct obj_ctx *c)
{
	uint32_t ncmds = rd32(c->p + 16);
	uint64_t off = MACH_HEADER_64_SIZE;
	char lc[64];
	for (uint32_t i = 0; i < ncmds; i++) {
		if (c->cmds_end - off < 8)
			return obj_fail(c, off, "load command %" PRIu32 " extends "
					"past the end of all load commands "
					"(ncmds %" PRIu32 ", sizeofcmds 0x%"
					PRIx64 ")", i, ncmds,
					c->cmds_end - MACH_HEADER_64_SIZE);
		uint32_t cmd = rd32(c->p + off);
		uint32_t cmdsize = rd32(c->p + off + 4);
		obj_lc_label(lc, sizeof lc, i, cmd);
		if (cmdsize < 8)
			return obj_fail(c, off, "%s cmdsize %" PRIu32 " is too "
					"small (at least 8)", lc, cmdsize);
		if (cmdsize % 8 != 0)
			return obj_fail(c, off, "%s cmdsize %" PRIu32 " is not a "
					"multiple of 8", lc, cmdsize);
		if (cmdsize > c->cmds_end - off)
			return obj_fail(c, off, "%s cmdsize %" PRIu32 " extends "
					"past the end of all load commands", lc,
					cmdsize);
		int r;
		if (cmd == LC_SEGMENT_64)
			r = obj_segment64(c, off, i, cmdsize);
		else if (cmd == 0x1)
			r = obj_fail(c, off, "%s: 32-bit segment in a 64-bit "
				     "object", lc);
		else
			r = obj_linkedit_cmd(c, off, i, cmd, cmdsize);
		if (r)
			return r;
		off += cmdsize;
	}
	return 0;
}

int obj_parse(struct obj_file *out, const char *name, const uint8_t *data,
	      size_t size, struct diag *d)
{
	static const struct obj_alloc plain = { NULL, NULL, NULL };
	return obj_parse_in(out, name, data, size, d, &plain);
}

int obj_parse_in(struct obj_file *out, const char *name, const uint8_t *data,
		 size_t size, struct diag *d, const struct obj_alloc *al)
{
	struct obj_ctx c;
	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.al = al;
	out->name = name;
	out->data = data;
	out->size = size;
	c.o = out;
	c.d = d;
	c.p = data;
	c.size = size;
	int r = check_header(&c);
	if (!r)
		r = walk_commands(&c);
	if (!r)
		r = obj_check_overlaps(&c);
	if (!r)
		r = obj_read_symbols(&c);
	if (!r)
		r = obj_check_dysymtab(&c);
	if (!r)
		r = obj_read_relocs(&c);
	if (!r)
		r = obj_read_dice(&c);
	free(c.raw);
	if (r) {
		obj_release(out);
		return -1;
	}
	return 0;
}
