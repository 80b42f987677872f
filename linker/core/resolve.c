/*
 * resolve.c - loads inputs (objects, archives, TBD dylibs) and resolves
 * global symbols: strong over weak, definitions over commons (largest
 * common wins), objects over dylibs. Archive members are loaded only when
 * they define a symbol that is still undefined. Every duplicate and
 * undefined symbol is reported, then the link stops (lld's checkpoint).
 *
 * Leaves out: -force_load/-all_load, re-exported dylib chains beyond what
 * the TBD reader merges, -flat_namespace lookups other than
 * -undefined dynamic_lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "ctx.h"

static const char *arch_name(enum link_arch a)
{
	return a == ARCH_X86_64 ? "x86_64" : a == ARCH_ARM64 ? "arm64" : "unknown";
}

static int add_file(struct link_ctx *c, struct input_file *f)
{
	if (ctx_grow((void **)&c->files, &c->cap_files, c->nfiles + 1,
		     sizeof *c->files))
		return diag_error(c->diag, "out of memory");
	c->files[c->nfiles++] = f;
	f->map_index = (uint32_t)c->nfiles;
	return 0;
}

/* Resolution of one global definition against what the table holds. */
static int define_global(struct link_ctx *c, struct input_file *f,
			 const struct obj_symbol *ns, struct symbol *s,
			 struct atom *atom, uint64_t atom_off)
{
	int weak = (ns->desc & N_WEAK_DEF) != 0;
	int is_abs = (ns->type & N_TYPE) == N_ABS;
	switch (s->kind) {
	case SYM_DEFINED:
	case SYM_ABS:
	case SYM_SYNTHETIC:
		if (weak)
			return 0; /* keep the existing definition */
		if (!s->weak_def) {
			return diag_error(c->diag,
					  "duplicate symbol %s: defined in %s and %s",
					  s->name, s->file ? s->file->name : "<linker>",
					  f->name);
		}
		break; /* a strong definition replaces a weak one */
	default:
		break; /* undefined, common, dylib: a definition wins */
	}
	s->kind = is_abs ? SYM_ABS : SYM_DEFINED;
	s->file = f;
	s->atom = atom;
	s->atom_off = atom_off;
	s->value = is_abs ? ns->value : 0;
	s->weak_def = (uint8_t)weak;
	s->private_extern = (ns->type & N_PEXT) != 0;
	s->external = !s->private_extern;
	s->no_dead_strip = (ns->desc & N_NO_DEAD_STRIP) != 0;
	s->alt_entry = (ns->desc & N_ALT_ENTRY) != 0;
	s->tlv = atom && (f->obj.sections[atom->sect].flags & SECTION_TYPE) ==
				 S_THREAD_LOCAL_VARIABLES;
	return 0;
}

static int add_common(struct link_ctx *c, struct input_file *f,
		      const struct obj_symbol *ns, struct symbol *s)
{
	uint32_t align = (ns->desc >> 8) & 0x0f;
	if (s->kind == SYM_DEFINED || s->kind == SYM_ABS)
		return 0;
	if (s->kind == SYM_COMMON) {
		if (ns->value > s->value) {
			s->value = ns->value;
			s->file = f;
		}
		if (align > s->common_align)
			s->common_align = align;
		return 0;
	}
	s->kind = SYM_COMMON;
	s->file = f;
	s->value = ns->value;
	s->common_align = align;
	s->private_extern = (ns->type & N_PEXT) != 0;
	s->external = !s->private_extern;
	return 0;
}

static int load_symbols(struct link_ctx *c, struct input_file *f)
{
	const struct obj_file *o = &f->obj;
	f->syms = arena_alloc(&c->arena, (o->nsymbols + 1) * sizeof *f->syms);
	if (!f->syms)
		return diag_error(c->diag, "out of memory");
	int rc = 0;
	for (uint32_t i = 0; i < o->nsymbols; i++) {
		const struct obj_symbol *ns = &o->symbols[i];
		if (ns->type & N_STAB)
			continue;
		uint8_t type = ns->type & N_TYPE;
		int ext = (ns->type & N_EXT) != 0;
		struct atom *atom = NULL;
		uint64_t off = 0;
		if (type == N_SECT) {
			uint32_t si = ns->sect - 1u;
			if (!f->sect_kept[si])
				continue; /* symbol in a dropped section */
			uint64_t soff = ns->value - o->sections[si].addr;
			atom = atom_at(f, si, soff);
			if (!atom)
				return diag_error(c->diag, "'%s': symbol %s has no atom",
						  f->name, ns->name);
			off = soff - atom->off;
		}
		if (!ext) {
			struct symbol *s = arena_alloc(&c->arena, sizeof *s);
			if (!s)
				return diag_error(c->diag, "out of memory");
			s->name = ns->name;
			s->kind = type == N_SECT ? SYM_DEFINED :
				  type == N_ABS ? SYM_ABS : SYM_UNDEF;
			s->file = f;
			s->atom = atom;
			s->atom_off = off;
			s->value = type == N_ABS ? ns->value : 0;
			s->got = s->stub = s->tlvp = -1;
			s->tlv = atom && (o->sections[atom->sect].flags & SECTION_TYPE) ==
						 S_THREAD_LOCAL_VARIABLES;
			if (atom && !atom->sym && ns->name[0] && off == 0)
				atom->sym = s;
			f->syms[i] = s;
			continue;
		}
		struct symbol *s = symtab_intern(c, ns->name);
		if (!s)
			return diag_error(c->diag, "out of memory");
		f->syms[i] = s;
		if (type == N_UNDF) {
			if (ns->value)
				rc |= add_common(c, f, ns, s);
			else {
				if (s->kind == SYM_UNDEF && !s->file)
					s->file = f;
				if (ns->desc & N_WEAK_REF)
					s->weak_ref = 1;
			}
			continue;
		}
		rc |= define_global(c, f, ns, s, atom, off);
		if (atom && !atom->sym && off == 0)
			atom->sym = s;
	}
	return rc;
}

static int load_object(struct link_ctx *c, const char *name,
		       const uint8_t *data, size_t size)
{
	struct input_file *f = arena_alloc(&c->arena, sizeof *f);
	if (!f)
		return diag_error(c->diag, "out of memory");
	f->name = name;
	if (obj_parse(&f->obj, name, data, size, c->diag))
		return -1;
	if (add_file(c, f)) {
		obj_release(&f->obj);
		return -1;
	}
	if (f->obj.arch != c->arch)
		return diag_error(c->diag, "'%s': architecture %s does not match the link (%s)",
				  name, arch_name(f->obj.arch), arch_name(c->arch));
	if (atoms_split(c, f))
		return -1;
	return load_symbols(c, f);
}

static int load_archive(struct link_ctx *c, const char *name,
			const uint8_t *data, size_t size)
{
	struct loaded_archive la;
	memset(&la, 0, sizeof la);
	if (archive_parse(&la.ar, name, data, size, c->diag))
		return -1;
	la.member_loaded = calloc(la.ar.nmembers + 1, 1);
	struct loaded_archive *p =
		realloc(c->archives, (c->narchives + 1) * sizeof *p);
	if (!la.member_loaded || !p) {
		free(la.member_loaded);
		archive_release(&la.ar);
		if (p)
			c->archives = p;
		return diag_error(c->diag, "out of memory");
	}
	c->archives = p;
	c->archives[c->narchives++] = la;
	return 0;
}

static int load_dylib_bytes(struct link_ctx *c, const char *name,
			    const uint8_t *data, size_t size)
{
	struct loaded_dylib ld;
	memset(&ld, 0, sizeof ld);
	if (tbd_parse(&ld.dl, name, data, size, c->arch, c->diag))
		return -1;
	for (size_t i = 0; i < c->ndylibs; i++) {
		if (!strcmp(c->dylibs[i].dl.install_name, ld.dl.install_name)) {
			dylib_release(&ld.dl); /* same library given twice */
			return 0;
		}
	}
	struct loaded_dylib *p = realloc(c->dylibs, (c->ndylibs + 1) * sizeof *p);
	if (!p) {
		dylib_release(&ld.dl);
		return diag_error(c->diag, "out of memory");
	}
	ld.name = name;
	c->dylibs = p;
	c->dylibs[c->ndylibs++] = ld;
	return 0;
}

static int is_macho(const uint8_t *d, size_t n)
{
	return n >= 4 && (rd32(d) == MH_MAGIC_64 || rd32(d) == MH_CIGAM_64 ||
			  rd32(d) == MH_MAGIC || rd32(d) == 0xcefaedfeu ||
			  rd32(d) == 0xbebafecau);
}

static int looks_like_tbd(const char *name, const uint8_t *d, size_t n)
{
	size_t l = strlen(name);
	if (l > 4 && !strcmp(name + l - 4, ".tbd"))
		return 1;
	size_t i = 0;
	while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r'))
		i++;
	return (n - i >= 3 && !memcmp(d + i, "---", 3)) || (i < n && d[i] == '{');
}

static enum link_arch guess_arch(const struct link_input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (in[i].size >= 8 && rd32(in[i].data) == MH_MAGIC_64) {
			uint32_t cpu = rd32(in[i].data + 4);
			if (cpu == CPU_TYPE_X86_64)
				return ARCH_X86_64;
			if (cpu == CPU_TYPE_ARM64)
				return ARCH_ARM64;
		}
	}
	return ARCH_X86_64;
}

/* Loads archive members that define still-undefined symbols, to a fixed
 * point. Member order follows the archive index. */
static int load_archive_members(struct link_ctx *c)
{
	int rc = 0;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t a = 0; a < c->narchives; a++) {
			struct loaded_archive *la = &c->archives[a];
			for (size_t i = 0; i < la->ar.nsymbols; i++) {
				const struct archive_symbol *as = &la->ar.symbols[i];
				if (la->member_loaded[as->member])
					continue;
				struct symbol *s = symtab_find(&c->symtab, as->name);
				if (!s || (s->kind != SYM_UNDEF && s->kind != SYM_COMMON))
					continue;
				const struct archive_member *m = &la->ar.members[as->member];
				la->member_loaded[as->member] = 1;
				size_t nl = strlen(la->ar.name) + strlen(m->name) + 3;
				char *nm = arena_alloc(&c->arena, nl);
				if (!nm)
					return diag_error(c->diag, "out of memory");
				snprintf(nm, nl, "%s(%s)", la->ar.name, m->name);
				if (load_object(c, nm, m->data, m->size))
					rc = -1;
				changed = 1;
			}
		}
	}
	return rc;
}

static int bind_to_dylibs(struct link_ctx *c)
{
	for (size_t i = 0; i < c->symtab.cap; i++) {
		struct symbol *s = c->symtab.slots[i];
		if (!s || s->kind != SYM_UNDEF)
			continue;
		for (size_t d = 0; d < c->ndylibs; d++) {
			const struct dylib_symbol *ds = dylib_find(&c->dylibs[d].dl, s->name);
			if (!ds)
				continue;
			s->kind = SYM_DYLIB;
			s->dylib = (uint32_t)d + 1;
			s->tlv = ds->kind == DYSYM_TLV;
			s->weak_def = ds->kind == DYSYM_WEAK;
			s->external = 1;
			c->dylibs[d].used = 1;
			break;
		}
	}
	return 0;
}

int resolve_inputs(struct link_ctx *c, const struct link_input *in, size_t n)
{
	c->arch = c->opt->arch != ARCH_NONE ? c->opt->arch : guess_arch(in, n);
	size_t expected = 64;
	for (size_t i = 0; i < n; i++)
		expected += in[i].size / 64; /* rough: one symbol per 64 bytes */
	if (symtab_init(&c->symtab, expected))
		return diag_error(c->diag, "out of memory");

	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct link_input *x = &in[i];
		if (archive_is(x->data, x->size))
			rc |= load_archive(c, x->name, x->data, x->size);
		else if (is_macho(x->data, x->size))
			rc |= load_object(c, x->name, x->data, x->size);
		else if (looks_like_tbd(x->name, x->data, x->size))
			rc |= load_dylib_bytes(c, x->name, x->data, x->size);
		else if (x->size < 4)
			rc = diag_error(c->diag, "'%s': offset 0x0: file is too small to contain a magic number",
					x->name);
		else
			rc = diag_error(c->diag, "'%s': offset 0x0: unknown file type (not a Mach-O object, archive or TBD)",
					x->name);
	}
	if (!c->opt->no_default_libsystem) {
		int have = 0;
		for (size_t d = 0; d < c->ndylibs; d++)
			have |= !strcmp(c->dylibs[d].dl.install_name,
					"/usr/lib/libSystem.B.dylib");
		if (!have)
			rc |= load_dylib_bytes(c, "libSystem.tbd", libsystem_tbd,
					       libsystem_tbd_size);
	}
	if (rc)
		return -1;
	if (load_archive_members(c))
		return -1;
	return bind_to_dylibs(c);
}

static int sym_name_cmp(const void *a, const void *b)
{
	const struct symbol *x = *(const struct symbol *const *)a;
	const struct symbol *y = *(const struct symbol *const *)b;
	return strcmp(x->name, y->name);
}

/* Lists the files whose symbol tables reference `s` (up to a few). */
static void referrers(struct link_ctx *c, const struct symbol *s, struct buf *b)
{
	int shown = 0, more = 0;
	for (size_t i = 0; i < c->nfiles; i++) {
		struct input_file *f = c->files[i];
		for (uint32_t k = 0; k < f->obj.nsymbols; k++) {
			if (f->syms[k] != s)
				continue;
			if (shown < 8)
				buf_printf(b, "%s%s", shown ? ", " : "", f->name);
			else
				more++;
			shown++;
			break;
		}
	}
	if (more)
		buf_printf(b, " and %d more", more);
	if (!shown)
		buf_printf(b, "the link options");
}

int resolve_check(struct link_ctx *c)
{
	int rc = 0;
	/* Deterministic order: by name. */
	size_t nu = 0;
	struct symbol **und = malloc((c->symtab.count + 1) * sizeof *und);
	if (!und)
		return diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < c->symtab.cap; i++) {
		struct symbol *s = c->symtab.slots[i];
		if (s && s->kind == SYM_UNDEF)
			und[nu++] = s;
	}
	qsort(und, nu, sizeof *und, sym_name_cmp);
	for (size_t i = 0; i < nu; i++) {
		struct symbol *s = und[i];
		if (s->weak_ref) {
			/* a weak reference may stay undefined: bind flat, weak */
			s->kind = SYM_DYLIB;
			s->dylib = 0;
			continue;
		}
		if (c->opt->undefined == UNDEFINED_DYNAMIC_LOOKUP) {
			s->kind = SYM_DYLIB;
			s->dylib = 0; /* flat lookup */
			continue;
		}
		struct buf b;
		buf_init(&b);
		referrers(c, s, &b);
		buf_u8(&b, 0);
		rc = diag_error(c->diag, "undefined symbol %s, referenced from %s",
				s->name, b.oom ? "?" : (char *)b.data);
		buf_release(&b);
	}
	free(und);
	return rc;
}

