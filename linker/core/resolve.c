/*
 * resolve.c - loads inputs (objects, archives, TBD and binary dylibs) and
 * resolves global symbols (the rules are in load.c). Objects are parsed on the
 * link's threads, then committed in input order. Archive members are
 * loaded only when they define a symbol that is still undefined. Every
 * duplicate and
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

static int load_archive(struct link_ctx *c, const char *name,
			const uint8_t *data, size_t size, int force)
{
	struct loaded_archive la;
	memset(&la, 0, sizeof la);
	la.force = force || c->opt->all_load;
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

/* Adds dl's exports to library l (taking *dl): another input of the
 * same library, or one it re-exports. */
static int add_exports(struct link_ctx *c, struct loaded_dylib *l, struct dylib *dl)
{
	struct dylib *p = realloc(l->same, (l->nsame + 1) * sizeof *p);
	if (!p) {
		dylib_release(dl);
		return diag_error(c->diag, "out of memory");
	}
	l->same = p;
	l->same[l->nsame++] = *dl;
	return 0;
}

/* Adds a parsed (or baked) dylib unless one with its install name is
 * already loaded; takes ownership of *dl either way. */
static int add_dylib(struct link_ctx *c, const char *name, struct dylib *dl)
{
	for (size_t i = 0; i < c->ndylibs; i++) {
		struct loaded_dylib *l = &c->dylibs[i];
		if (strcmp(l->dl.install_name, dl->install_name))
			continue;
		c->last_dylib = i + 1;
		/* the same library again, maybe with other exports: one
		 * library (one load command, one ordinal), all exports */
		return add_exports(c, l, dl);
	}
	if (c->ndylibs >= 0xfff0) { /* ordinals are 16-bit (struct symbol) */
		dylib_release(dl);
		return diag_error(c->diag, "'%s': too many dylibs (at most %u)", name, 0xfff0u);
	}
	/* the input's name is the caller's only during the call: the map's
	 * records, made later on the link's own thread, name the dylib */
	char *own = arena_strdup(&c->arena, name);
	struct loaded_dylib *p = own ? realloc(c->dylibs, (c->ndylibs + 1) * sizeof *p) : NULL;
	if (!p) {
		dylib_release(dl);
		return diag_error(c->diag, "out of memory");
	}
	c->dylibs = p;
	memset(&c->dylibs[c->ndylibs], 0, sizeof *p);
	c->dylibs[c->ndylibs].dl = *dl;
	c->dylibs[c->ndylibs].name = own;
	c->ndylibs++;
	c->last_dylib = c->ndylibs;
	return 0;
}

/* The shipped libSystem comes baked (no parsing); so does a given TBD
 * whose bytes are exactly the shipped stub's, as when a build passes
 * data/libSystem.tbd explicitly. */
static int is_shipped_libsystem(const uint8_t *data, size_t size)
{
	return size == libsystem_tbd_size && !memcmp(data, libsystem_tbd, size);
}

/* Adds input i's parsed library (taking *dl). One that another dylib
 * input re-exports (reexported_by, which linkfs-ld sets as it follows
 * LC_REEXPORT_DYLIB) is not a library of its own: its exports join that
 * one's, so they bind with its ordinal, as ld64.lld binds a symbol found
 * through a re-export that is not implicitly linked. */
static int place_dylib(struct link_ctx *c, const struct link_input *in, size_t i,
		       const size_t *dylib_of, struct dylib *dl)
{
	const struct link_input *x = &in[i];
	size_t by = (size_t)x->reexported_by;
	if (!by) {
		size_t before = c->ndylibs;
		int rc = add_dylib(c, x->name, dl);
		if (!rc && c->ndylibs > before)
			c->dylibs[c->ndylibs - 1].input = (uint32_t)i + 1;
		return rc;
	}
	if (by > i || !dylib_of[by - 1]) {
		dylib_release(dl);
		return diag_error(c->diag, "'%s': re-exported by input %zu, which is not a dylib before it",
				  x->name, by);
	}
	return add_exports(c, &c->dylibs[dylib_of[by - 1] - 1], dl);
}

static int load_dylib_bytes(struct link_ctx *c, const char *name,
			    const uint8_t *data, size_t size, struct dylib *dl)
{
	if (is_shipped_libsystem(data, size) && dylib_libsystem(dl, c->arch) == 0)
		return 0;
	return tbd_parse_for(dl, name, data, size, c->arch,
			     link_platform_tbd_name(c->opt->platform), c->diag);
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

int link_is_bitcode(const uint8_t *p, size_t size)
{
	return p && size >= 4 &&
	       ((p[0] == 'B' && p[1] == 'C' && p[2] == 0xc0 && p[3] == 0xde) ||
		(p[0] == 0xde && p[1] == 0xc0 && p[2] == 0x17 && p[3] == 0x0b));
}

enum link_arch link_guess_arch(const struct link_input *in, size_t n)
{
	size_t count[3] = { 0, 0, 0 };
	enum link_arch first = ARCH_NONE;
	for (size_t i = 0; i < n; i++) {
		enum link_arch a = ARCH_NONE;
		if (input_bytesless(&in[i])) {
			a = in[i].parsed->arch;
		} else if (in[i].size >= 8 && rd32(in[i].data) == MH_MAGIC_64) {
			uint32_t cpu = rd32(in[i].data + 4);
			a = cpu == CPU_TYPE_X86_64 ? ARCH_X86_64 :
			    cpu == CPU_TYPE_ARM64 ? ARCH_ARM64 : ARCH_NONE;
		}
		if (a != ARCH_X86_64 && a != ARCH_ARM64)
			continue;
		if (first == ARCH_NONE)
			first = a;
		count[a]++;
	}
	if (first == ARCH_NONE)
		return ARCH_X86_64;
	enum link_arch other = first == ARCH_X86_64 ? ARCH_ARM64 : ARCH_X86_64;
	return count[other] > count[first] ? other : first;
}

/* Loads member m of archive la (once). */
static int load_member(struct link_ctx *c, struct loaded_archive *la, uint32_t m)
{
	if (la->member_loaded[m])
		return 0;
	la->member_loaded[m] = 1;
	const struct archive_member *am = &la->ar.members[m];
	size_t nl = strlen(la->ar.name) + strlen(am->name) + 3;
	char *nm = arena_alloc(&c->arena, nl);
	if (!nm)
		return diag_error(c->diag, "out of memory");
	snprintf(nm, nl, "%s(%s)", la->ar.name, am->name);
	trace_input(c, nm, NULL);
	return load_object(c, nm, am->data, am->size);
}

/* -ObjC: 1 if member m defines an Objective-C class (by its archive
 * symbols) or holds a category list (the section name in its load
 * commands), as lld decides. */
static int objc_member(const struct loaded_archive *la, uint32_t m)
{
	static const char *const prefixes[] = { "_OBJC_CLASS_$_", "_OBJC_METACLASS_$_",
						"_OBJC_EHTYPE_$_" };
	for (size_t i = 0; i < la->ar.nsymbols; i++) {
		if (la->ar.symbols[i].member != m)
			continue;
		for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++)
			if (!strncmp(la->ar.symbols[i].name, prefixes[p], strlen(prefixes[p])))
				return 1;
	}
	const struct archive_member *am = &la->ar.members[m];
	if (am->size < 32)
		return 0;
	uint64_t cmds = 32 + (uint64_t)rd32(am->data + 20);   /* sizeofcmds */
	if (cmds > am->size)
		cmds = am->size;
	return memmem(am->data, cmds, "__objc_catlist", 14) != NULL;
}

/* Loads archive members: first every member of a forced archive
 * (-force_load, -all_load) and, with -ObjC, those with Objective-C
 * classes or categories, in input and member order; then those that
 * define still-undefined symbols, to a fixed point, in the order of the
 * archive index. */
static int load_archive_members(struct link_ctx *c)
{
	int rc = 0;
	for (size_t a = 0; a < c->narchives; a++) {
		struct loaded_archive *la = &c->archives[a];
		for (uint32_t m = 0; m < la->ar.nmembers; m++)
			if (la->force || (c->opt->objc && objc_member(la, m)))
				rc |= load_member(c, la, m);
	}
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
				if (load_member(c, la, as->member))
					rc = -1;
				changed = 1;
			}
		}
		int lz = lazy_load(c);   /* --start-lib objects */
		if (lz < 0)
			rc = -1;
		changed |= lz > 0;
	}
	return rc;
}

const struct dylib_symbol *loaded_dylib_find(const struct loaded_dylib *d,
					     const char *name)
{
	const struct dylib_symbol *ds = dylib_find(&d->dl, name);
	for (size_t i = 0; !ds && i < d->nsame; i++)
		ds = dylib_find(&d->same[i], name);
	return ds;
}

static int bind_to_dylibs(struct link_ctx *c)
{
	size_t ng;
	struct symbol *const *g = symtab_all(&c->symtab, &ng);
	if (!g)
		return diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < ng; i++) {
		struct symbol *s = g[i];
		if (s->kind != SYM_UNDEF)
			continue;
		for (size_t d = 0; d < c->ndylibs; d++) {
			const struct dylib_symbol *ds = loaded_dylib_find(&c->dylibs[d], s->name);
			if (!ds)
				continue;
			s->kind = SYM_DYLIB;
			s->dylib = (uint32_t)d + 1;
			s->tlv = ds->kind == DYSYM_TLV;
			s->weak_def = ds->kind == DYSYM_WEAK;
			s->external = 1;
			if (c->dylibs[d].weak)
				s->weak_ref = 1;   /* a weak dylib's imports are weak */
			c->dylibs[d].used = 1;
			break;
		}
		const struct dylib_symbol *ds;
		if (s->kind == SYM_UNDEF && c->loader &&
		    (ds = dylib_find(&c->loader->dl, s->name))) {
			s->kind = SYM_DYLIB;
			s->dylib = DYLIB_EXECUTABLE;
			s->tlv = ds->kind == DYSYM_TLV;
			s->weak_def = ds->kind == DYSYM_WEAK;
			s->external = 1;
		}
	}
	return 0;
}

/* -bundle_loader's executable: its exports bind with the main-executable
 * ordinal, and it has no load command. */
static int load_bundle_loader(struct link_ctx *c, const struct link_input *x)
{
	if (c->opt->kind != OUTPUT_BUNDLE)
		return diag_error(c->diag, "'%s': -bundle_loader can only be used with -bundle", x->name);
	if (c->loader)
		return diag_error(c->diag, "'%s': a second -bundle_loader", x->name);
	if (input_bytesless(x))
		return diag_error(c->diag, "'%s': a bundle loader must be an executable, not an object",
				  x->name);
	struct loaded_dylib *l = calloc(1, sizeof *l);
	if (!l)
		return diag_error(c->diag, "out of memory");
	if (dylib_macho_parse_loader(&l->dl, x->name, x->data, x->size, c->arch, c->diag)) {
		free(l);
		return -1;
	}
	l->name = arena_strdup(&c->arena, x->name);
	if (!l->name) {
		dylib_release(&l->dl);
		free(l);
		return diag_error(c->diag, "out of memory");
	}
	c->loader = l;
	return 0;
}

enum input_kind { IN_OBJECT, IN_ARCHIVE, IN_TBD, IN_DYLIB, IN_LOADER, IN_TINY, IN_UNKNOWN,
		  IN_LAZY, IN_BITCODE };

static enum input_kind classify(const struct link_input *x)
{
	if (x->bundle_loader)
		return IN_LOADER;
	if (input_bytesless(x))
		return IN_OBJECT;
	if (archive_is(x->data, x->size))
		return IN_ARCHIVE;
	if (dylib_macho_is(x->data, x->size))
		return IN_DYLIB; /* an MH_DYLIB, or a fat file */
	if (is_macho(x->data, x->size))
		return IN_OBJECT;
	if (looks_like_tbd(x->name, x->data, x->size))
		return IN_TBD;
	if (link_is_bitcode(x->data, x->size))
		return IN_BITCODE;
	return x->size < 4 ? IN_TINY : IN_UNKNOWN;
}

/* Sizes the workers' arenas for parsing `bytes` of objects. What parsing
 * keeps per byte of object file (10,000 generated objects): about 1 in
 * the worker arena (atoms, locals, sections, names), 0.5 in the nlist
 * arena (nlist copies, externals), 0.2 in the relocation arena. */
static void expect_parse(struct link_ctx *c, size_t bytes)
{
	size_t per = bytes / (size_t)c->nthreads;
	for (int w = 0; w < c->nthreads; w++) {
		arena_expect(worker_arena(c, w), per);
		arena_expect(&c->nlist_arena[w], per / 2);
		arena_expect(&c->reloc_arena[w], per / 5);
	}
}

struct load_job {
	struct link_ctx *c;
	struct obj_load *loads;
	size_t n;
	struct load_dups dups[SYMTAB_SHARDS];
	struct diag lit_diag;
	int lit_rc;
};

static void prep_one(void *arg, size_t i, int worker)
{
	struct load_job *j = arg;
	load_prep(j->c, &j->loads[i], worker);
}

/* Items 0..SYMTAB_SHARDS-1 resolve one shard each over every object;
 * the last merges literals, also over every object in order. */
static void resolve_task(void *arg, size_t i, int worker)
{
	struct load_job *j = arg;
	(void)worker;
	for (size_t k = 0; k < j->n; k++) {
		struct obj_load *l = &j->loads[k];
		if (i < SYMTAB_SHARDS)
			load_resolve_shard(j->c, l, k, (unsigned)i, &j->dups[i]);
		else if (l->added && !l->failed && !j->lit_rc)
			j->lit_rc = atoms_merge_literals(j->c, l->f, &j->lit_diag);
	}
}

int resolve_inputs(struct link_ctx *c, const struct link_input *in, size_t n)
{
	c->arch = c->opt->arch != ARCH_NONE ? c->opt->arch : link_guess_arch(in, n);
	c->inputs = in;
	c->ninputs = n;
	uint8_t *kind = malloc(n + 1);
	struct obj_load *loads = calloc(n + 1, sizeof *loads);
	size_t *dylib_of = calloc(n + 1, sizeof *dylib_of); /* input -> 1 + dylib */
	if (!kind || !loads || !dylib_of) {
		free(kind);
		free(loads);
		free(dylib_of);
		return diag_error(c->diag, "out of memory");
	}
	/* Parse and split every object on the link's threads, ... */
	size_t nobj = 0, obj_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		kind[i] = (uint8_t)classify(&in[i]);
		if (kind[i] == IN_OBJECT && in[i].lazy)
			kind[i] = IN_LAZY;   /* loaded when needed (lazy.c) */
		if (kind[i] == IN_OBJECT) {
			loads[nobj].name = in[i].name;
			loads[nobj].input = (uint32_t)(i + 1);
			loads[nobj].data = in[i].data;
			loads[nobj].size = in[i].size;
			loads[nobj].parsed_in = in[i].parsed;
			obj_bytes += input_bytes(&in[i]);
			nobj++;
		}
	}
	expect_parse(c, obj_bytes);
	struct load_job job;
	memset(&job, 0, sizeof job);
	job.c = c;
	job.loads = loads;
	job.n = nobj;
	diag_init(&job.lit_diag);
	par_for(c->nthreads, nobj, 0, prep_one, &job);
	stage_done(c, "parse");
	size_t expected = 64;
	for (size_t k = 0; k < nobj; k++)
		expected += loads[k].next;
	int rc = symtab_init(&c->symtab, expected);
	if (rc)
		rc = diag_error(c->diag, "out of memory");

	/* ... add them in input order, resolve their symbols (one task per
	 * shard of the table) while merging their literals, ... */
	for (size_t k = 0; k < nobj && !rc; k++)
		rc |= load_add(c, &loads[k]);
	if (!rc)
		par_for(c->nthreads, SYMTAB_SHARDS + 1, 1, resolve_task, &job);
	stage_done(c, "symbols");

	/* ... then report, and read the other inputs, in input order. */
	for (size_t i = 0, k = 0; i < n; i++) {
		const struct link_input *x = &in[i];
		c->last_dylib = 0;
		switch ((enum input_kind)kind[i]) {
		case IN_OBJECT:
			if (!x->sectcreate && loads[k].added)
				trace_input(c, x->name, NULL);
			rc |= load_finish(c, &loads[k], k, job.dups);
			k++;
			break;
		case IN_LAZY:
			rc |= lazy_add(c, i);
			break;
		case IN_ARCHIVE:
			rc |= load_archive(c, x->name, x->data, x->size, x->force_load);
			break;
		case IN_TBD:
		case IN_DYLIB: {
			struct dylib dl;
			if (kind[i] == IN_TBD ? load_dylib_bytes(c, x->name, x->data, x->size, &dl)
					      : dylib_macho_parse(&dl, x->name, x->data, x->size,
								  c->arch, c->diag))
				rc = -1;
			else
				rc |= place_dylib(c, in, i, dylib_of, &dl);
			break;
		}
		case IN_LOADER:
			rc |= load_bundle_loader(c, x);
			break;
		case IN_TINY:
			rc = diag_error(c->diag, "'%s': offset 0x0: file is too small to contain a magic number",
					x->name);
			break;
		case IN_BITCODE:
			rc = diag_error(c->diag, "'%s': offset 0x0: LLVM bitcode (clang -flto): only "
					"linkfs-ld links bitcode (through libLTO); here, compile "
					"without -flto", x->name);
			break;
		case IN_UNKNOWN:
			rc = diag_error(c->diag, "'%s': offset 0x0: unknown file type (not a Mach-O object, archive or TBD)",
					x->name);
			break;
		}
		if (c->last_dylib) {   /* a dylib input: weak or not */
			struct loaded_dylib *l = &c->dylibs[c->last_dylib - 1];
			trace_input(c, x->name, l->dl.install_name);
			l->strong |= !x->weak_dylib;
			l->weak = !l->strong;
			l->needed |= x->needed_dylib != 0;
			l->reexport |= x->reexport != 0;
		}
		dylib_of[i] = c->last_dylib;
	}
	for (size_t k = 0; k < nobj; k++)
		if (loads[k].parsed && !loads[k].added)
			obj_release(&loads[k].f->obj); /* never reached c->files */
	rc |= job.lit_rc;
	diag_append(c->diag, &job.lit_diag);
	diag_release(&job.lit_diag);
	for (int k = 0; k < SYMTAB_SHARDS; k++)
		if (job.dups[k].oom)
			rc = diag_error(c->diag, "out of memory");
	load_dups_release(job.dups);
	free(kind);
	free(loads);
	free(dylib_of);
	if (!c->opt->no_default_libsystem) {
		int have = 0;
		for (size_t d = 0; d < c->ndylibs; d++)
			have |= !strcmp(c->dylibs[d].dl.install_name,
					"/usr/lib/libSystem.B.dylib");
		struct dylib dl;
		if (!have)
			rc |= load_dylib_bytes(c, "libSystem.tbd", libsystem_tbd,
					       libsystem_tbd_size, &dl) ||
			      add_dylib(c, "libSystem.tbd", &dl);
	}
	if (rc)
		return -1;
	/* the entry point is a reference: an archive member may define it
	 * (as lld and ld64 treat -e); setup_specials reports it missing */
	if (c->opt->kind == OUTPUT_EXECUTE && c->opt->entry[0] &&
	    !symtab_intern(c, c->opt->entry))
		return diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < c->opt->nforce_undefined; i++)  /* -u */
		if (!symtab_intern(c, c->opt->force_undefined[i]))
			return diag_error(c->diag, "out of memory");
	/* so is a plain name of an exported list (not a pattern), as in
	 * ld64 and lld: it must be defined, and may come from an archive */
	for (size_t i = 0; c->opt->export_list == 1 && i < c->opt->nexport_patterns; i++)
		if (!strpbrk(c->opt->export_patterns[i], "*?[") &&
		    !symtab_intern(c, c->opt->export_patterns[i]))
			return diag_error(c->diag, "out of memory");
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
		buf_printf(b, "the link options (-u, -e, -exported_symbol)");
}

/* 1 if -U names the symbol. */
static int allowed_undefined(const struct link_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->opt->nallow_undefined; i++)
		if (!strcmp(c->opt->allow_undefined[i], name))
			return 1;
	return 0;
}

int resolve_check(struct link_ctx *c)
{
	int rc = 0;
	/* Deterministic order: by name. */
	size_t nu = 0, ng;
	struct symbol *const *g = symtab_all(&c->symtab, &ng);
	struct symbol **und = g ? malloc((ng + 1) * sizeof *und) : NULL;
	if (!und)
		return diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < ng; i++) {
		struct symbol *s = g[i];
		if (s->kind == SYM_UNDEF && !(s->file == NULL && c->opt->kind == OUTPUT_EXECUTE &&
					      !strcmp(s->name, c->opt->entry)))
			und[nu++] = s;   /* an unreferenced entry: setup_specials */
	}
	qsort(und, nu, sizeof *und, sym_name_cmp);
	for (size_t i = 0; i < nu; i++) {
		struct symbol *s = und[i];
		if (c->opt->undefined == UNDEFINED_DYNAMIC_LOOKUP ||
		    allowed_undefined(c, s->name)) {
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


int strip_unused_dylibs(struct link_ctx *c)
{
	size_t ng;
	struct symbol *const *g = symtab_all(&c->symtab, &ng);
	uint32_t *map = calloc(c->ndylibs + 1, sizeof *map);
	uint8_t *keep = calloc(c->ndylibs + 1, 1);
	if (!g || !map || !keep) {
		free(map);
		free(keep);
		return diag_error(c->diag, "out of memory");
	}
	for (size_t i = 0; i < ng; i++)
		if (g[i]->kind == SYM_DYLIB && g[i]->referenced && g[i]->dylib &&
		    g[i]->dylib != DYLIB_EXECUTABLE)
			keep[g[i]->dylib - 1] = 1;
	size_t k = 0;
	for (size_t d = 0; d < c->ndylibs; d++) {
		struct loaded_dylib *l = &c->dylibs[d];
		if (!keep[d] && !l->needed) {
			dylib_release(&l->dl);
			for (size_t j = 0; j < l->nsame; j++)
				dylib_release(&l->same[j]);
			free(l->same);
			continue;
		}
		map[d] = (uint32_t)k + 1;
		c->dylibs[k++] = *l;
	}
	c->ndylibs = k;
	for (size_t i = 0; i < ng; i++)
		if (g[i]->kind == SYM_DYLIB && g[i]->dylib && g[i]->dylib != DYLIB_EXECUTABLE)
			g[i]->dylib = (uint16_t)map[g[i]->dylib - 1];
	free(map);
	free(keep);
	return 0;
}
