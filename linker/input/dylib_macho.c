/*
 * dylib_macho.c - dylib_macho_parse(): reads a binary dylib into a struct
 * dylib. This file picks the slice of a fat file, checks the
 * mach_header_64, walks the load commands (LC_ID_DYLIB, LC_REEXPORT_DYLIB,
 * LC_SYMTAB, LC_SEGMENT_64 section types, LC_DYLD_INFO[_ONLY],
 * LC_DYLD_EXPORTS_TRIE) and builds the sorted result; dylib_exports.c
 * reads the exports themselves.
 *
 * It also reads the executable -bundle_loader names, whose exports a
 * bundle links against (no LC_ID_DYLIB: named by its file).
 *
 * Leaves out: 32-bit and big-endian slices, MH_DYLIB_STUB, code, fixups,
 * LC_LOAD_DYLIB dependencies, umbrella/client checks, and loading the
 * re-exported libraries (their install names and the LC_RPATHs that find
 * them are recorded; linkfs-ld follows them, cli/reexports.c).
 */
#include "dylib_macho.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/bytes.h"
#include "../base/hugepage.h"
#include "../base/macho.h"

int dylib_macho_is(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	uint32_t be = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
		      (uint32_t)data[2] << 8 | data[3];
	if (be == FAT_MAGIC || be == FAT_MAGIC_64)
		return 1;
	return size >= 16 && rd32(data) == MH_MAGIC_64 &&
	       rd32(data + 12) == MH_DYLIB;
}

int dm_fail(struct dm_ctx *c, uint64_t off, const char *fmt, ...)
{
	struct buf b;
	buf_init(&b);
	buf_u8(&b, '\'');
	buf_put_escaped(&b, c->file ? c->file : "");
	buf_printf(&b, "': offset 0x%" PRIx64 ": ", c->base + off);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_u8(&b, 0);
	if (buf_failed(&b))
		diag_error(c->d, "out of memory reporting a malformed dylib");
	else
		diag_error(c->d, "%s", (const char *)b.data);
	buf_release(&b);
	return -1;
}

static int oom(struct dm_ctx *c)
{
	return diag_error(c->d, "'%s': out of memory", c->file);
}

int dm_add_symbol(struct dm_ctx *c, const char *name, size_t len,
		  enum dylib_sym_kind kind, uint64_t off)
{
	if (len == 0)
		return dm_fail(c, off, "empty exported symbol name");
	char *s = arena_strndup(c->arena, name, len);
	if (!s || huge_grow((void **)&c->syms, &c->capsyms, c->nsyms + 1,
			    sizeof *c->syms))
		return oom(c);
	c->syms[c->nsyms].name = s;
	c->syms[c->nsyms].kind = (uint8_t)kind;
	c->nsyms++;
	return 0;
}

static const char *arch_name(uint32_t cputype, uint32_t sub)
{
	sub &= ~CPU_SUBTYPE_MASK;
	switch (cputype) {
	case CPU_TYPE_X86_64:
		return sub == CPU_SUBTYPE_X86_64_H ? "x86_64h" : "x86_64";
	case CPU_TYPE_ARM64:
		return sub == CPU_SUBTYPE_ARM64E ? "arm64e" : "arm64";
	case 7: return "i386";
	case 12: return "arm";
	case 18: return "ppc";
	case 0x0200000cu: return "arm64_32";
	default: return NULL;
	}
}

/* The (cputype, cpusubtype) pair the link wants: x86_64 (subtype ALL) or
 * arm64 (ALL or V8); x86_64h and arm64e are other architectures. */
static int arch_matches(enum link_arch arch, uint32_t cputype, uint32_t sub)
{
	sub &= ~CPU_SUBTYPE_MASK;
	if (arch == ARCH_X86_64)
		return cputype == CPU_TYPE_X86_64 && sub == CPU_SUBTYPE_X86_64_ALL;
	if (arch == ARCH_ARM64)
		return cputype == CPU_TYPE_ARM64 &&
		       (sub == CPU_SUBTYPE_ARM64_ALL || sub == 1 /* V8 */);
	return 0;
}

static const char *link_arch_name(enum link_arch arch)
{
	return arch == ARCH_X86_64 ? "x86_64" : arch == ARCH_ARM64 ? "arm64" : "none";
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/*
 * A fat file: finds the slice for the link's architecture and narrows
 * c->p / c->size / c->base to it. The fat header and its table are
 * big-endian; FAT_MAGIC entries are 20 bytes, FAT_MAGIC_64 ones 32.
 */
static int pick_slice(struct dm_ctx *c, enum link_arch arch)
{
	int wide = be32(c->p) == FAT_MAGIC_64;
	uint64_t ent = wide ? 32 : 20;
	if (c->size < 8)
		return dm_fail(c, 0, "file is too small for a fat header "
			       "(size %" PRIu64 ", need 8)", c->size);
	uint32_t n = be32(c->p + 4);
	if (n == 0)
		return dm_fail(c, 4, "fat file has no architectures");
	if (!range_ok(c->size, 8, (uint64_t)n * ent))
		return dm_fail(c, 4, "fat_arch table (%" PRIu32 " entries of %"
			       PRIu64 " bytes) runs past the end of the file "
			       "(size %" PRIu64 ")", n, ent, c->size);
	uint64_t table_end = 8 + (uint64_t)n * ent;
	struct buf have;
	buf_init(&have);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = c->p + 8 + (uint64_t)i * ent;
		uint64_t eoff = 8 + (uint64_t)i * ent;
		uint32_t cpu = be32(e), sub = be32(e + 4);
		uint64_t off = wide ? be64(e + 8) : be32(e + 8);
		uint64_t sz = wide ? be64(e + 16) : be32(e + 12);
		if (!arch_matches(arch, cpu, sub)) {
			const char *nm = arch_name(cpu, sub);
			if (nm)
				buf_printf(&have, "%s%s", have.len ? ", " : "", nm);
			else
				buf_printf(&have, "%scputype 0x%" PRIx32,
					   have.len ? ", " : "", cpu);
			continue;
		}
		buf_release(&have);
		if (!range_ok(c->size, off, sz))
			return dm_fail(c, eoff, "fat slice for %s (offset 0x%"
				       PRIx64 ", size 0x%" PRIx64 ") runs past "
				       "the end of the file (size 0x%" PRIx64 ")",
				       link_arch_name(arch), off, sz, c->size);
		if (off < table_end)
			return dm_fail(c, eoff, "fat slice for %s (offset 0x%"
				       PRIx64 ") overlaps the fat header",
				       link_arch_name(arch), off);
		c->p += off;
		c->size = sz;
		c->base = off;
		return 0;
	}
	buf_u8(&have, 0);
	int rc = dm_fail(c, 0, "fat file has no %s slice (it has %s)",
			 link_arch_name(arch),
			 buf_failed(&have) ? "?" : (const char *)have.data);
	buf_release(&have);
	return rc;
}

static int check_header(struct dm_ctx *c, enum link_arch arch)
{
	if (c->size < 4)
		return dm_fail(c, 0, "file is too small to contain a magic "
			       "number (size %" PRIu64 ")", c->size);
	uint32_t m = rd32(c->p);
	if (m == MH_CIGAM_64)
		return dm_fail(c, 0, "byte-swapped (big-endian) 64-bit Mach-O "
			       "is not supported");
	if (m == MH_MAGIC || m == 0xcefaedfeu)
		return dm_fail(c, 0, "32-bit Mach-O (magic 0x%08" PRIx32 ") is "
			       "not supported", m);
	if (m != MH_MAGIC_64)
		return dm_fail(c, 0, "unknown magic 0x%08" PRIx32 " (not a "
			       "Mach-O dylib)", m);
	if (c->size < MACH_HEADER_64_SIZE)
		return dm_fail(c, 0, "file is too small for a mach_header_64 "
			       "(size %" PRIu64 ", need 32)", c->size);
	uint32_t cpu = rd32(c->p + 4), sub = rd32(c->p + 8);
	if (!arch_matches(arch, cpu, sub)) {
		const char *nm = arch_name(cpu, sub);
		if (nm)
			return dm_fail(c, 4, "dylib is for %s, not %s", nm,
				       link_arch_name(arch));
		return dm_fail(c, 4, "unsupported cputype 0x%" PRIx32
			       " (cpusubtype 0x%" PRIx32 "); the link is for %s",
			       cpu, sub, link_arch_name(arch));
	}
	uint32_t ft = rd32(c->p + 12);
	if (c->executable && ft != MH_EXECUTE)
		return dm_fail(c, 12, "filetype %" PRIu32 " is not MH_EXECUTE "
			       "(a bundle loader must be an executable)", ft);
	if (!c->executable && ft != MH_DYLIB)
		return dm_fail(c, 12, "filetype %" PRIu32 " is not MH_DYLIB (%s)",
			       ft, ft == MH_OBJECT ? "an object in a fat file "
			       "is not supported" : "not a dynamic library");
	uint32_t sizeofcmds = rd32(c->p + 20);
	if (!range_ok(c->size, MACH_HEADER_64_SIZE, sizeofcmds))
		return dm_fail(c, 20, "sizeofcmds %" PRIu32 " runs past the end "
			       "of the file (size %" PRIu64 ")", sizeofcmds,
			       c->size);
	return 0;
}

/* A command's string (a dylib_command's name, hdr 24; an rpath_command's
 * path, hdr 12): lc.str offset inside the command, past its fixed part,
 * NUL-terminated before its end. *out is an arena copy. */
static int cmd_string(struct dm_ctx *c, uint64_t off, uint32_t cmdsize,
		      const char *what, uint32_t hdr, const char **out)
{
	if (cmdsize < hdr)
		return dm_fail(c, off, "%s cmdsize %" PRIu32 " is too small "
			       "(need %" PRIu32 ")", what, cmdsize, hdr);
	uint32_t noff = rd32(c->p + off + 8);
	if (noff < hdr || noff >= cmdsize)
		return dm_fail(c, off, "%s name offset %" PRIu32 " is outside "
			       "the command (%" PRIu32 "..%" PRIu32 ")", what, noff,
			       hdr, cmdsize - 1);
	const uint8_t *s = c->p + off + noff;
	const uint8_t *nul = memchr(s, 0, cmdsize - noff);
	if (!nul)
		return dm_fail(c, off + noff, "%s name is not NUL-terminated "
			       "inside the command", what);
	if (nul == s)
		return dm_fail(c, off + noff, "%s name is empty", what);
	*out = arena_strndup(c->arena, (const char *)s, (size_t)(nul - s));
	return *out ? 0 : oom(c);
}

/* A linkedit range [off, off+size) named by the command at `cmd`. */
static int blob_in_file(struct dm_ctx *c, uint64_t cmd, const char *what,
			uint32_t off, uint64_t size)
{
	if (!range_ok(c->size, off, size))
		return dm_fail(c, cmd, "%s (offset 0x%" PRIx32 ", size 0x%"
			       PRIx64 ") runs past the end of the file "
			       "(size 0x%" PRIx64 ")", what, off, size, c->size);
	return 0;
}

static int set_trie(struct dm_ctx *c, uint64_t cmd, uint32_t off, uint32_t size)
{
	if (size == 0)
		return 0;
	if (c->have_trie)
		return dm_fail(c, cmd, "a second export trie (the first is "
			       "named at offset 0x%" PRIx64 ")",
			       c->base + c->trie_cmd);
	if (blob_in_file(c, cmd, "export trie", off, size))
		return -1;
	c->have_trie = 1;
	c->trie_cmd = cmd;
	c->trie_off = off;
	c->trie_size = size;
	return 0;
}

static int segment_sections(struct dm_ctx *c, uint64_t off, uint32_t cmdsize)
{
	if (cmdsize < SEGMENT_COMMAND_64_SIZE)
		return dm_fail(c, off, "LC_SEGMENT_64 cmdsize %" PRIu32 " is too "
			       "small (need 72)", cmdsize);
	uint32_t nsects = rd32(c->p + off + 64);
	if ((uint64_t)nsects * SECTION_64_SIZE > cmdsize - SEGMENT_COMMAND_64_SIZE)
		return dm_fail(c, off, "LC_SEGMENT_64 with %" PRIu32 " sections "
			       "does not fit in cmdsize %" PRIu32, nsects, cmdsize);
	for (uint32_t i = 0; i < nsects; i++) {
		uint64_t h = off + SEGMENT_COMMAND_64_SIZE + (uint64_t)i * SECTION_64_SIZE;
		if (c->nsects < 255)
			c->sect_type[++c->nsects] = (uint8_t)rd32(c->p + h + 64);
		else
			c->nsects++; /* past n_sect's range: never looked up */
	}
	return 0;
}

static int one_command(struct dm_ctx *c, uint64_t off, uint32_t cmd,
		       uint32_t cmdsize, const char **id)
{
	switch (cmd) {
	case LC_ID_DYLIB:
		if (*id)
			return dm_fail(c, off, "a second LC_ID_DYLIB");
		return cmd_string(c, off, cmdsize, "LC_ID_DYLIB", 24, id);
	case LC_REEXPORT_DYLIB: {
		const char *nm;
		if (cmd_string(c, off, cmdsize, "LC_REEXPORT_DYLIB", 24, &nm))
			return -1;
		if (huge_grow((void **)&c->reexports, &c->capreexports,
			      c->nreexports + 1, sizeof *c->reexports))
			return oom(c);
		c->reexports[c->nreexports++] = nm;
		return 0;
	}
	case LC_RPATH: {
		const char *path;
		if (cmd_string(c, off, cmdsize, "LC_RPATH", 12, &path))
			return -1;
		if (huge_grow((void **)&c->rpaths, &c->caprpaths, c->nrpaths + 1,
			      sizeof *c->rpaths))
			return oom(c);
		c->rpaths[c->nrpaths++] = path;
		return 0;
	}
	case LC_SYMTAB:
		if (cmdsize != 24)
			return dm_fail(c, off, "LC_SYMTAB cmdsize %" PRIu32
				       " is not 24", cmdsize);
		if (c->have_symtab)
			return dm_fail(c, off, "a second LC_SYMTAB");
		c->have_symtab = 1;
		c->symtab_cmd = off;
		c->symoff = rd32(c->p + off + 8);
		c->nsyms_tab = rd32(c->p + off + 12);
		c->stroff = rd32(c->p + off + 16);
		c->strsize = rd32(c->p + off + 20);
		if (blob_in_file(c, off, "symbol table", c->symoff,
				 (uint64_t)c->nsyms_tab * NLIST_64_SIZE) ||
		    blob_in_file(c, off, "string table", c->stroff, c->strsize))
			return -1;
		return 0;
	case LC_DYLD_INFO:
	case LC_DYLD_INFO_ONLY:
		if (cmdsize != 48)
			return dm_fail(c, off, "LC_DYLD_INFO cmdsize %" PRIu32
				       " is not 48", cmdsize);
		return set_trie(c, off, rd32(c->p + off + 40),
				rd32(c->p + off + 44));
	case LC_DYLD_EXPORTS_TRIE:
		if (cmdsize != 16)
			return dm_fail(c, off, "LC_DYLD_EXPORTS_TRIE cmdsize %"
				       PRIu32 " is not 16", cmdsize);
		return set_trie(c, off, rd32(c->p + off + 8),
				rd32(c->p + off + 12));
	case LC_SEGMENT_64:
		return segment_sections(c, off, cmdsize);
	default:
		return 0; /* everything else is not needed to link against */
	}
}

/* Walks the load commands, bounded by both ncmds and sizeofcmds. */
static int walk_commands(struct dm_ctx *c, const char **id, uint32_t *cur,
			 uint32_t *compat)
{
	uint32_t ncmds = rd32(c->p + 16);
	uint64_t end = MACH_HEADER_64_SIZE + (uint64_t)rd32(c->p + 20);
	uint64_t off = MACH_HEADER_64_SIZE, id_off = 0;
	for (uint32_t i = 0; i < ncmds; i++) {
		if (end - off < 8)
			return dm_fail(c, off, "load command %" PRIu32 " of %"
				       PRIu32 " starts past the end of the load "
				       "commands (sizeofcmds %" PRIu32 ")", i,
				       ncmds, rd32(c->p + 20));
		uint32_t cmd = rd32(c->p + off), cmdsize = rd32(c->p + off + 4);
		if (cmdsize < 8 || cmdsize % 8)
			return dm_fail(c, off, "load command %" PRIu32 " (0x%"
				       PRIx32 ") has cmdsize %" PRIu32 " (must be "
				       "a multiple of 8, at least 8)", i, cmd,
				       cmdsize);
		if (cmdsize > end - off)
			return dm_fail(c, off, "load command %" PRIu32 " (0x%"
				       PRIx32 ") cmdsize %" PRIu32 " runs past the "
				       "end of the load commands", i, cmd, cmdsize);
		const char *had = *id;
		if (one_command(c, off, cmd, cmdsize, id))
			return -1;
		if (!had && *id)
			id_off = off;
		off += cmdsize;
	}
	if (!*id && c->executable) {   /* named by its file */
		*id = c->file;
		return 0;
	}
	if (!*id)
		return dm_fail(c, 16, "no LC_ID_DYLIB (not a dynamic library's "
			       "load commands)");
	*cur = rd32(c->p + id_off + 16);
	*compat = rd32(c->p + id_off + 20);
	return 0;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct dylib_symbol *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	return r ? r : (int)x->kind - (int)y->kind;
}

/* Sorts and deduplicates the exports and hands everything to *out. */
static int finish(struct dm_ctx *c, struct dylib *out, const char *id,
		  uint32_t cur, uint32_t compat)
{
	out->own_name = strdup(id);
	if (!out->own_name)
		return oom(c);
	out->install_name = out->own_name;
	out->current_version = cur;
	out->compat_version = compat;
	if (c->nsyms)
		qsort(c->syms, c->nsyms, sizeof *c->syms, sym_cmp);
	size_t n = 0;
	for (size_t i = 0; i < c->nsyms; i++)
		if (n == 0 || strcmp(c->syms[n - 1].name, c->syms[i].name))
			c->syms[n++] = c->syms[i];
	out->own_syms = c->syms;
	out->symbols = c->syms;
	out->nsymbols = n;
	c->syms = NULL;
	if (c->nreexports) {
		const char **r = arena_alloc(c->arena, c->nreexports * sizeof *r);
		if (!r)
			return oom(c);
		memcpy(r, c->reexports, c->nreexports * sizeof *r);
		out->reexports = r;
		out->nreexports = c->nreexports;
	}
	if (c->nrpaths) {
		const char **r = arena_alloc(c->arena, c->nrpaths * sizeof *r);
		if (!r)
			return oom(c);
		memcpy(r, c->rpaths, c->nrpaths * sizeof *r);
		out->rpaths = r;
		out->nrpaths = c->nrpaths;
	}
	out->arena = c->arena;
	c->arena = NULL;
	return 0;
}

static int parse(struct dylib *out, const char *name, const uint8_t *data,
		 size_t size, enum link_arch arch, int executable, struct diag *d)
{
	memset(out, 0, sizeof *out);
	struct dm_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return diag_error(d, "'%s': out of memory", name);
	c->executable = executable;
	c->file = name;
	c->d = d;
	c->p = data;
	c->size = size;
	int rc = -1;
	c->arena = malloc(sizeof *c->arena);
	if (!c->arena) {
		oom(c);
		goto out;
	}
	arena_init(c->arena);
	if (arch != ARCH_X86_64 && arch != ARCH_ARM64) {
		diag_error(d, "'%s': no architecture to read the dylib for", name);
		goto out;
	}
	if (size >= 4 && (be32(data) == FAT_MAGIC || be32(data) == FAT_MAGIC_64) &&
	    pick_slice(c, arch))
		goto out;
	const char *id = NULL;
	uint32_t cur = 0, compat = 0;
	if (check_header(c, arch) || walk_commands(c, &id, &cur, &compat) ||
	    dm_read_exports(c))
		goto out;
	rc = finish(c, out, id, cur, compat);
out:
	free(c->syms);
	free(c->reexports);
	free(c->rpaths);
	if (c->arena) {
		arena_release(c->arena);
		free(c->arena);
	}
	free(c);
	if (rc)
		dylib_release(out);
	return rc;
}

int dylib_macho_parse(struct dylib *out, const char *name, const uint8_t *data,
		      size_t size, enum link_arch arch, struct diag *d)
{
	return parse(out, name, data, size, arch, 0, d);
}

int dylib_macho_parse_loader(struct dylib *out, const char *name,
			     const uint8_t *data, size_t size,
			     enum link_arch arch, struct diag *d)
{
	return parse(out, name, data, size, arch, 1, d);
}
