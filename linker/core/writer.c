/*
 * writer.c - writes the Mach-O header, the load commands and __LINKEDIT
 * into the output buffer, then stamps LC_UUID with a hash of the result.
 *
 * Load commands are in ld64's and lld's order: segments (with an
 * executable's __PAGEZERO first and __LINKEDIT last), LC_DYLD_INFO_ONLY,
 * LC_SYMTAB, LC_DYSYMTAB, LC_LOAD_DYLINKER (an executable's) or
 * LC_ID_DYLIB (a dylib's), LC_UUID, LC_BUILD_VERSION, LC_MAIN (an
 * executable's), LC_LOAD_DYLIBs, LC_FUNCTION_STARTS, LC_DATA_IN_CODE.
 * LC_CODE_SIGNATURE ends the list when the output is signed (arm64 by
 * default); the signature is written last, over every byte before it.
 * With chained fixups, LC_DYLD_CHAINED_FIXUPS and LC_DYLD_EXPORTS_TRIE
 * take LC_DYLD_INFO_ONLY's place, and their data comes first in
 * __LINKEDIT, as lld writes them.
 * LC_RPATHs (-rpath) follow LC_DYSYMTAB, as lld writes them.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "codesign.h"
#include "ctx.h"

#define DYLINKER "/usr/lib/dyld"
#define LINKFS_LD_VERSION ((1u << 16) | (0u << 8)) /* tool version 1.0 */

static uint32_t padded(uint32_t base, const char *s)
{
	return (base + (uint32_t)strlen(s) + 1 + 7) & ~7u;
}

/* A dylib's LC_ID_DYLIB name: -install_name, else the output's name
 * (as ld64 and lld). */
static const char *install_name(const struct link_ctx *c)
{
	return c->opt->install_name[0] ? c->opt->install_name : c->opt->output_name;
}

uint64_t load_commands_size(const struct link_ctx *c)
{
	uint64_t n = (c->pagezero + 1) * SEGMENT_COMMAND_64_SIZE; /* and __LINKEDIT */
	for (size_t g = 0; g < c->nsegs; g++)
		n += SEGMENT_COMMAND_64_SIZE + (uint64_t)SECTION_64_SIZE * c->segs[g].nsects;
	n += c->chained ? 16 + 16 : 48; /* chained fixups + exports trie, or dyld info */
	n += 24 + 80;                   /* symtab, dysymtab */
	if (c->opt->kind == OUTPUT_EXECUTE)
		n += padded(12, DYLINKER) + 24; /* load dylinker, main */
	else if (c->opt->kind == OUTPUT_DYLIB)
		n += padded(24, install_name(c));
	for (size_t i = 0; i < c->opt->nrpaths; i++)
		n += padded(12, c->opt->rpaths[i]);
	n += 24 + 32;                   /* uuid, build version (1 tool) */
	for (size_t d = 0; d < c->ndylibs; d++)
		n += padded(24, c->dylibs[d].dl.install_name);
	n += 16 + 16;                   /* function starts, data in code */
	if (c->sign)
		n += 16;                /* code signature */
	return n;
}

struct lc_writer {
	uint8_t *p;
	uint32_t ncmds;
};

static uint8_t *lc_begin(struct lc_writer *w, uint32_t cmd, uint32_t size)
{
	uint8_t *p = w->p;
	memset(p, 0, size);
	wr32(p, cmd);
	wr32(p + 4, size);
	w->p += size;
	w->ncmds++;
	return p;
}

static void put_name16(uint8_t *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n > 16 ? 16 : n);
}

static void segment_cmd(struct lc_writer *w, const char *name, uint64_t vmaddr,
			uint64_t vmsize, uint64_t fileoff, uint64_t filesize,
			uint32_t maxprot, uint32_t initprot, uint32_t nsects,
			uint32_t flags)
{
	uint8_t *p = lc_begin(w, LC_SEGMENT_64,
			      SEGMENT_COMMAND_64_SIZE + SECTION_64_SIZE * nsects);
	put_name16(p + 8, name);
	wr64(p + 24, vmaddr);
	wr64(p + 32, vmsize);
	wr64(p + 40, fileoff);
	wr64(p + 48, filesize);
	wr32(p + 56, maxprot);
	wr32(p + 60, initprot);
	wr32(p + 64, nsects);
	wr32(p + 68, flags);
}

static void section_hdr(uint8_t *p, const struct out_section *o)
{
	put_name16(p, o->sectname);
	put_name16(p + 16, o->segname);
	wr64(p + 32, o->addr);
	wr64(p + 40, o->size);
	wr32(p + 48, (uint32_t)o->fileoff);
	wr32(p + 52, o->align);
	wr32(p + 64, o->flags);
	wr32(p + 68, o->reserved1);
	wr32(p + 72, o->reserved2);
}

struct linkedit_piece {
	const struct buf *b;
	uint64_t off;
};

/* The signature's pages, hashed on the link's threads (any split gives
 * the same bytes). */
struct sign_job {
	struct link_ctx *c;
	uint64_t npages, per_task;
	int failed;
};

static void sign_task(void *arg, size_t i, int worker)
{
	struct sign_job *j = arg;
	(void)worker;
	uint64_t first = i * j->per_task;
	uint64_t n = first + j->per_task > j->npages ? j->npages - first : j->per_task;
	if (codesign_hash_pages(j->c->out, j->c->sig_off, j->c->opt->output_name, first, n))
		__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
}

static int sign_output(struct link_ctx *c)
{
	const struct out_segment *text = &c->segs[0];
	if (codesign_write_header(c->out, c->sig_off, c->opt->output_name, text->fileoff,
				  text->filesize, c->opt->kind == OUTPUT_EXECUTE))
		return -1;
	struct sign_job j = { c, (c->sig_off + CODESIGN_PAGE_SIZE - 1) / CODESIGN_PAGE_SIZE,
			      256, 0 };
	size_t tasks = (size_t)((j.npages + j.per_task - 1) / j.per_task);
	par_for(c->nthreads, tasks, 0, sign_task, &j);
	return j.failed ? -1 : 0;
}

int write_output(struct link_ctx *c)
{
	/* __LINKEDIT placement */
	/* (chained fixups, or the four opcode streams: the others are empty) */
	const struct buf *pieces[] = { &c->chained_fixups, &c->rebase, &c->bind, &c->weak_bind,
				       &c->lazy_bind, &c->exports, &c->func_starts, &c->dice,
				       &c->symtab_out, &c->indirect, &c->strtab };
	enum { P_CHAINED, P_REBASE, P_BIND, P_WEAK, P_LAZY, P_EXPORT, P_FSTARTS, P_DICE,
	       P_SYMTAB, P_INDIRECT, P_STRTAB, P_N };
	uint64_t off[P_N];
	const struct out_segment *last = &c->segs[c->nsegs - 1];
	uint64_t le_file = last->fileoff + last->filesize;
	uint64_t le_vm = last->vmaddr + last->vmsize;
	uint64_t cur = le_file;
	for (int i = 0; i < P_N; i++) {
		off[i] = cur;
		cur += pieces[i]->len;
	}
	/* the signature comes last, 16-byte aligned, and covers all before it */
	uint64_t sig_size = 0;
	c->sig_off = 0;
	if (c->sign) {
		c->sig_off = (cur + CODESIGN_ALIGN - 1) & ~(uint64_t)(CODESIGN_ALIGN - 1);
		sig_size = codesign_size(c->sig_off, c->opt->output_name);
		if (!sig_size)
			return diag_error(c->diag, "output too large to sign (%llu bytes)",
					  (unsigned long long)c->sig_off);
		cur = c->sig_off + sig_size;
	}
	uint64_t le_size = cur - le_file;
	if (cur > UINT32_MAX)
		return diag_error(c->diag, "output too large (%llu bytes)", (unsigned long long)cur);
	/* __LINKEDIT past alloc_output's room: grow the block; else give
	 * back the rest of the room (a shrink stays in place), which would
	 * otherwise live as long as the image's bytes do */
	uint8_t *out = cur != c->out_room ? realloc(c->out, cur) : c->out;
	if (!out) {
		if (cur > c->out_room)
			return diag_error(c->diag, "out of memory");
		out = c->out;
	} else {
		c->out = out;
		c->out_room = cur;
	}
	c->out_size = cur;
	if (c->sign)   /* the padding before it, and it until written */
		memset(out + off[P_STRTAB] + c->strtab.len, 0,
		       cur - off[P_STRTAB] - c->strtab.len);
	c->strtab_off = off[P_STRTAB];
	for (int i = 0; i < P_N; i++)
		if (pieces[i]->len)
			memcpy(out + off[i], pieces[i]->data, pieces[i]->len);

	struct lc_writer w = { out + MACH_HEADER_64_SIZE, 0 };
	if (c->pagezero)
		segment_cmd(&w, "__PAGEZERO", 0, c->base, 0, 0, 0, 0, 0, 0);
	for (size_t g = 0; g < c->nsegs; g++) {
		const struct out_segment *s = &c->segs[g];
		segment_cmd(&w, s->name, s->vmaddr, s->vmsize, s->fileoff, s->filesize,
			    s->maxprot, s->initprot, s->nsects, s->flags);
		for (uint32_t i = 0; i < s->nsects; i++)
			section_hdr(w.p - SECTION_64_SIZE * (s->nsects - i),
				    c->osecs[s->first_sect + i]);
	}
	segment_cmd(&w, "__LINKEDIT", le_vm, (le_size + c->page_size - 1) & ~(c->page_size - 1),
		    le_file, le_size, 1, 1, 0, 0);

	uint8_t *p;
	if (c->chained) {
		p = lc_begin(&w, LC_DYLD_CHAINED_FIXUPS, 16);
		wr32(p + 8, (uint32_t)off[P_CHAINED]);
		wr32(p + 12, (uint32_t)c->chained_fixups.len);
		p = lc_begin(&w, LC_DYLD_EXPORTS_TRIE, 16);
		wr32(p + 8, (uint32_t)off[P_EXPORT]);
		wr32(p + 12, (uint32_t)c->exports.len);
	} else {
		p = lc_begin(&w, LC_DYLD_INFO_ONLY, 48);
		const int dyld_pieces[] = { P_REBASE, P_BIND, P_WEAK, P_LAZY, P_EXPORT };
		for (int i = 0; i < 5; i++) {
			const struct buf *b = pieces[dyld_pieces[i]];
			wr32(p + 8 + 8 * i, b->len ? (uint32_t)off[dyld_pieces[i]] : 0);
			wr32(p + 12 + 8 * i, (uint32_t)b->len);
		}
	}

	p = lc_begin(&w, LC_SYMTAB, 24);
	uint32_t nsyms = c->nlocal + c->nextdef + c->nundef;
	wr32(p + 8, (uint32_t)off[P_SYMTAB]);
	wr32(p + 12, nsyms);
	wr32(p + 16, (uint32_t)off[P_STRTAB]);
	wr32(p + 20, (uint32_t)c->strtab.len);

	p = lc_begin(&w, LC_DYSYMTAB, 80);
	wr32(p + 8, 0);
	wr32(p + 12, c->nlocal);
	wr32(p + 16, c->nlocal);
	wr32(p + 20, c->nextdef);
	wr32(p + 24, c->nlocal + c->nextdef);
	wr32(p + 28, c->nundef);
	uint32_t nindirect = (uint32_t)(c->nstubs * (c->la_ptr ? 2 : 1) + c->ngot + c->ntlvp);
	wr32(p + 56, nindirect ? (uint32_t)off[P_INDIRECT] : 0);
	wr32(p + 60, nindirect);

	for (size_t i = 0; i < c->opt->nrpaths; i++) {  /* lld's place */
		const char *r = c->opt->rpaths[i];
		p = lc_begin(&w, LC_RPATH, padded(12, r));
		wr32(p + 8, 12);
		memcpy(p + 12, r, strlen(r));
	}

	if (c->opt->kind == OUTPUT_EXECUTE) {
		p = lc_begin(&w, LC_LOAD_DYLINKER, padded(12, DYLINKER));
		wr32(p + 8, 12);
		memcpy(p + 12, DYLINKER, strlen(DYLINKER));
	} else if (c->opt->kind == OUTPUT_DYLIB) {
		const char *id = install_name(c);
		p = lc_begin(&w, LC_ID_DYLIB, padded(24, id));
		wr32(p + 8, 24);
		wr32(p + 12, 1); /* timestamp, as ld64 */
		wr32(p + 16, c->opt->current_version);
		wr32(p + 20, c->opt->compat_version);
		memcpy(p + 24, id, strlen(id));
	}

	uint8_t *uuid_cmd = lc_begin(&w, LC_UUID, 24);

	p = lc_begin(&w, LC_BUILD_VERSION, 32);
	wr32(p + 8, c->opt->platform);
	wr32(p + 12, c->opt->minos);
	wr32(p + 16, c->opt->sdk);
	wr32(p + 20, 1);
	wr32(p + 24, TOOL_LD);
	wr32(p + 28, LINKFS_LD_VERSION);

	if (c->opt->kind == OUTPUT_EXECUTE) {
		p = lc_begin(&w, LC_MAIN, 24);
		wr64(p + 8, symbol_addr(c, c->entry) - c->base);
		wr64(p + 16, c->opt->stack_size);
	}

	int reexports = 0;
	for (size_t d = 0; d < c->ndylibs; d++) {
		const struct dylib *dl = &c->dylibs[d].dl;
		uint32_t cmd = c->dylibs[d].reexport ? LC_REEXPORT_DYLIB
			       : c->dylibs[d].weak  ? LC_LOAD_WEAK_DYLIB
						    : LC_LOAD_DYLIB;
		reexports |= cmd == LC_REEXPORT_DYLIB;
		p = lc_begin(&w, cmd, padded(24, dl->install_name));
		wr32(p + 8, 24);
		wr32(p + 12, 2); /* timestamp, as ld64 */
		wr32(p + 16, dl->current_version);
		wr32(p + 20, dl->compat_version);
		memcpy(p + 24, dl->install_name, strlen(dl->install_name));
	}
	p = lc_begin(&w, LC_FUNCTION_STARTS, 16);
	wr32(p + 8, (uint32_t)off[P_FSTARTS]);
	wr32(p + 12, (uint32_t)c->func_starts.len);
	p = lc_begin(&w, LC_DATA_IN_CODE, 16);
	wr32(p + 8, (uint32_t)off[P_DICE]);
	wr32(p + 12, (uint32_t)c->dice.len);
	if (c->sign) {
		p = lc_begin(&w, LC_CODE_SIGNATURE, 16);
		wr32(p + 8, (uint32_t)c->sig_off);
		wr32(p + 12, (uint32_t)sig_size);
	}

	uint64_t sizeofcmds = (uint64_t)(w.p - (out + MACH_HEADER_64_SIZE));
	if (sizeofcmds != load_commands_size(c))
		return diag_error(c->diag, "internal error: load commands take %llu bytes, %llu reserved",
				  (unsigned long long)sizeofcmds,
				  (unsigned long long)load_commands_size(c));
	uint32_t flags = MH_DYLDLINK | MH_TWOLEVEL;
	if (c->opt->kind == OUTPUT_EXECUTE)
		flags |= MH_PIE;
	if (c->opt->kind == OUTPUT_DYLIB && !reexports)
		flags |= MH_NO_REEXPORTED_DYLIBS;
	if (c->opt->kind == OUTPUT_DYLIB && c->opt->dead_strippable_dylib)
		flags |= MH_DEAD_STRIPPABLE_DYLIB;
	if (!c->flat_lookups)
		flags |= MH_NOUNDEFS;
	if (c->has_weak_defs)
		flags |= MH_WEAK_DEFINES;
	if (c->binds_to_weak)
		flags |= MH_BINDS_TO_WEAK;
	if (c->has_tlv)
		flags |= MH_HAS_TLV_DESCRIPTORS;
	wr32(out, MH_MAGIC_64);
	wr32(out + 4, c->ops->cputype);
	/* lld and ld64 mark an x86_64 executable (not a library) LIB64 */
	wr32(out + 8, c->ops->cpusubtype |
			      (c->opt->kind == OUTPUT_EXECUTE && c->ops->cputype == CPU_TYPE_X86_64
				       ? CPU_SUBTYPE_LIB64 : 0));
	static const uint32_t filetype[] = { MH_EXECUTE, MH_DYLIB, MH_BUNDLE };
	wr32(out + 12, filetype[c->opt->kind]);
	wr32(out + 16, w.ncmds);
	wr32(out + 20, (uint32_t)sizeofcmds);
	wr32(out + 24, flags);
	wr32(out + 28, 0);

	c->uuid_off = (uint64_t)(uuid_cmd + 8 - out);
	stamp_uuid(out, c->out_size, c->uuid_off);
	if (c->sign && sign_output(c))
		return diag_error(c->diag, "code signature: hashing failed");
	return 0;
}

void stamp_uuid(uint8_t *out, size_t size, uint64_t uuid_off)
{
	uint8_t *u = out + uuid_off;
	memset(u, 0, 16);
	/* a hash of the whole output with the UUID still zero */
	XXH128_hash_t h = XXH3_128bits(out, size);
	wr64(u, h.low64);
	wr64(u + 8, h.high64);
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x30);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}
