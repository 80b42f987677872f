/*
 * record.c - copies the link's results into the image records that every
 * text file is rendered from (see image.h for their order). Input bytes
 * do not outlive link_run, so every string is either copied into the
 * image's arena or, for a name in the output's symbol table, points at
 * its entry in the string table inside img->bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/macho.h"
#include "../dyld/bind.h"
#include "../dyld/rebase.h"
#include "../dyld/trie.h"
#include "../image.h"
#include "ctx.h"

#define ALLOC(ar, n, T) ((T *)arena_alloc((ar), ((n) + 1) * sizeof(T)))

/*
 * Symbol names: most records name a symbol that is also in the output's
 * symbol table, so they point at its entry in the string table inside
 * img->bytes (which lives as long as the records) instead of copying it.
 * `names` maps a name pointer of the link (input bytes or the link's
 * arenas) to its string-table offset; other names are copied.
 */
struct name_map {
	const char **key;
	uint32_t *strx;
	size_t cap;
	const uint8_t *strtab;   /* in the output, which becomes img->bytes */
};

static size_t ptr_slot(const struct name_map *m, const char *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (m->cap - 1);
}

static int names_init(struct name_map *m, const struct link_ctx *c)
{
	m->cap = 16;
	while (m->cap < c->nnl * 2)
		m->cap *= 2;
	m->key = calloc(m->cap, sizeof *m->key);
	m->strx = malloc(m->cap * sizeof *m->strx);
	m->strtab = c->out + c->strtab_off;
	if (!m->key || !m->strx)
		return -1;
	for (size_t i = 0; i < c->nnl; i++) {
		size_t j = ptr_slot(m, c->nl[i].name);
		while (m->key[j] && m->key[j] != c->nl[i].name)
			j = (j + 1) & (m->cap - 1);
		if (!m->key[j]) {   /* the first entry of a name wins: */
			m->key[j] = c->nl[i].name; /* all hold the same bytes */
			m->strx[j] = c->nl[i].strx;
		}
	}
	return 0;
}

static void names_release(struct name_map *m)
{
	free(m->key);
	free(m->strx);
}

static const char *dup_str(struct arena *ar, const char *s)
{
	return arena_strdup(ar, s ? s : "");
}

/* The image's copy of a link name: in the string table, or a copy in ar. */
static const char *img_name(struct arena *ar, const struct name_map *m,
			    const char *s)
{
	if (!s)
		return dup_str(ar, s);
	for (size_t j = ptr_slot(m, s); m->key[j]; j = (j + 1) & (m->cap - 1))
		if (m->key[j] == s)
			return (const char *)m->strtab + m->strx[j];
	return dup_str(ar, s);
}

/* Index of the section holding addr (linear: sections are few). */
static uint32_t section_of(const struct link_image *img, uint64_t addr)
{
	for (size_t i = 0; i < img->nsections; i++) {
		const struct rec_section *s = &img->sections[i];
		if (addr >= s->addr && addr < s->addr + s->size)
			return (uint32_t)i;
	}
	return 0;
}

static uint64_t seg_addr(const struct link_image *img, uint32_t seg, uint64_t off)
{
	return seg < img->nsegments ? img->segments[seg].vmaddr + off : off;
}

static int record_segments(struct link_ctx *c, struct link_image *img)
{
	size_t ns = c->nsegs + c->pagezero + 1;
	img->segments = ALLOC(&img->arena, ns, struct rec_segment);
	img->sections = ALLOC(&img->arena, c->nosecs, struct rec_section);
	if (!img->segments || !img->sections)
		return -1;
	struct rec_segment *g = img->segments;
	if (c->pagezero) {
		strcpy(g[0].name, "__PAGEZERO");
		g[0].vmsize = c->base;
	}
	for (size_t i = 0; i < c->nsegs; i++) {
		const struct out_segment *s = &c->segs[i];
		struct rec_segment *r = &g[i + c->pagezero];
		memcpy(r->name, s->name, sizeof r->name);
		r->vmaddr = s->vmaddr;
		r->vmsize = s->vmsize;
		r->fileoff = s->fileoff;
		r->filesize = s->filesize;
		r->maxprot = s->maxprot;
		r->initprot = s->initprot;
	}
	struct rec_segment *le = &g[ns - 1];
	const struct out_segment *last = &c->segs[c->nsegs - 1];
	strcpy(le->name, "__LINKEDIT");
	le->vmaddr = last->vmaddr + last->vmsize;
	le->fileoff = last->fileoff + last->filesize;
	le->filesize = c->out_size - le->fileoff;
	le->vmsize = (le->filesize + c->page_size - 1) & ~(c->page_size - 1);
	le->maxprot = le->initprot = 1;
	img->nsegments = ns;
	for (size_t i = 0; i < c->nosecs; i++) {
		const struct out_section *o = c->osecs[i];
		struct rec_section *r = &img->sections[i];
		memcpy(r->segname, o->segname, sizeof r->segname);
		memcpy(r->sectname, o->sectname, sizeof r->sectname);
		r->segment = o->seg + c->pagezero;
		r->addr = o->addr;
		r->size = o->size;
		r->offset = (uint32_t)o->fileoff;
		r->align = o->align;
		r->flags = o->flags;
	}
	img->nsections = c->nosecs;
	return 0;
}

static int record_binds(struct link_image *img, struct arena *ar,
			const struct name_map *m, const struct bind_entry *e,
			size_t n, struct rec_fixup **out, size_t *nout)
{
	struct rec_fixup *r = ALLOC(ar, n, struct rec_fixup);
	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++) {
		r[i].addr = seg_addr(img, e[i].seg, e[i].off);
		r[i].section = section_of(img, r[i].addr);
		r[i].symbol = img_name(ar, m, e[i].name);
		r[i].ordinal = e[i].ordinal;
		r[i].addend = e[i].addend;
		r[i].flags = e[i].flags;
		if (!r[i].symbol)
			return -1;
	}
	*out = r;
	*nout = n;
	return 0;
}

static int record_fixups(struct link_ctx *c, struct link_image *img,
			 struct arena *ar, const struct name_map *m)
{
	img->rebases = ALLOC(ar, c->nrebase_e, struct rec_fixup);
	if (!img->rebases)
		return -1;
	for (size_t i = 0; i < c->nrebase_e; i++) {
		struct rec_fixup *r = &img->rebases[i];
		r->addr = seg_addr(img, c->rebase_e[i].seg, c->rebase_e[i].off);
		r->section = section_of(img, r->addr);
	}
	img->nrebases = c->nrebase_e;
	free(c->rebase_e); /* done with: the records take its place */
	c->rebase_e = NULL;
	return record_binds(img, ar, m, c->bind_e, c->nbind_e, &img->binds,
			    &img->nbinds) ||
	       record_binds(img, ar, m, c->weak_e, c->nweak_e, &img->weak_binds,
			    &img->nweak_binds) ||
	       record_binds(img, ar, m, c->lazy_e, c->nlazy_e, &img->lazy_binds,
			    &img->nlazy_binds);
}

static int record_got_stubs(struct link_ctx *c, struct link_image *img,
			    struct arena *ar, const struct name_map *m)
{
	img->got = ALLOC(ar, c->ngot, struct rec_got);
	img->stubs = ALLOC(ar, c->nstubs, struct rec_stub);
	if (!img->got || !img->stubs)
		return -1;
	for (size_t i = 0; i < c->ngot; i++) {
		const struct symbol *s = c->got_syms[i];
		struct rec_got *r = &img->got[i];
		r->addr = got_slot_addr(c, s);
		r->symbol = img_name(ar, m, s->name);
		r->ordinal = bind_ordinal(s);
		r->target = s->kind == SYM_DYLIB ? 0 : symbol_addr(c, s);
		r->weak = needs_binding(s) && (s->kind != SYM_DYLIB || s->weak_def);
		if (c->chained && r->weak) {
			/* one chained bind through the weak-lookup ordinal */
			r->ordinal = -3;
			r->weak = 0;
		}
		if (!r->symbol)
			return -1;
	}
	img->ngot = c->ngot;
	size_t k = 0;
	for (size_t i = 0; i < c->nstubs; i++) {
		const struct symbol *s = c->stub_syms[i];
		struct rec_stub *r = &img->stubs[i];
		r->addr = stub_addr(c, i);
		r->lazy_ptr = c->chained ? got_slot_addr(c, s) : lazy_ptr_addr(c, i);
		int lazy = !c->chained && stub_is_lazy(s);
		r->helper = lazy ? helper_entry_addr(c, k++) : 0;
		r->symbol = img_name(ar, m, s->name);
		r->ordinal = c->chained && s->weak_def && needs_binding(s) ? -3 : bind_ordinal(s);
		r->lazy_bind_off = lazy ? c->lazy_offsets[i] : 0;
		if (!r->symbol)
			return -1;
	}
	img->nstubs = c->nstubs;
	return 0;
}

static int record_exports_symbols(struct link_ctx *c, struct link_image *img,
				  struct arena *ar, const struct name_map *m)
{
	img->exports = ALLOC(ar, c->nexp_e, struct rec_export);
	img->symbols = ALLOC(ar, c->nnl, struct rec_symbol);
	if (!img->exports || !img->symbols)
		return -1;
	for (size_t i = 0; i < c->nexp_e; i++) {
		const struct export_entry *e = &c->exp_e[i];
		struct rec_export *r = &img->exports[i];
		r->name = img_name(ar, m, e->name);
		r->flags = e->flags;
		r->addr = (e->flags & EXPORT_SYMBOL_FLAGS_KIND_MASK) ==
					  EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE
				  ? e->address
				  : c->base + e->address;
		if (!r->name)
			return -1;
	}
	img->nexports = c->nexp_e;
	for (size_t i = 0; i < c->nnl; i++) {
		struct rec_symbol *r = &img->symbols[i];
		r->name = (const char *)m->strtab + c->nl[i].strx;
		r->value = c->nl[i].value;
		r->type = c->nl[i].type;
		r->sect = c->nl[i].sect;
		r->desc = c->nl[i].desc;
		if (!r->name)
			return -1;
	}
	img->nsymbols = c->nnl;
	free(c->exp_e); /* done with: the records take their place */
	free(c->nl);
	c->exp_e = NULL;
	c->nl = NULL;
	return 0;
}

static int record_files_dylibs_map(struct link_ctx *c, struct link_image *img,
				   struct arena *ar, const struct name_map *m)
{
	img->files = ALLOC(ar, c->nfiles + 1, const char *);
	img->dylibs = ALLOC(ar, c->ndylibs, const char *);
	if (!img->files || !img->dylibs)
		return -1;
	img->files[0] = "linker synthesized";
	for (size_t i = 0; i < c->nfiles; i++)
		if (!(img->files[i + 1] = dup_str(ar, c->files[i]->name)))
			return -1;
	img->nfiles = c->nfiles + 1;
	for (size_t d = 0; d < c->ndylibs; d++)
		if (!(img->dylibs[d] = dup_str(ar, c->dylibs[d].dl.install_name)))
			return -1;
	img->ndylibs = c->ndylibs;

	size_t n = 0;
	for (size_t i = 0; i < c->nosecs; i++)
		n += c->osecs[i]->natoms + (c->osecs[i]->kind > OSEC_ZEROFILL);
	img->map = ALLOC(ar, n, struct rec_map_atom);
	if (!img->map)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < c->nosecs; i++) {
		const struct out_section *o = c->osecs[i];
		if (o->kind > OSEC_ZEROFILL) {
			struct rec_map_atom *r = &img->map[k++];
			r->addr = o->addr;
			r->size = o->size;
			r->file = 0;
			if (!(r->name = dup_str(ar, o->sectname)))
				return -1;
			continue;
		}
		for (const struct atom *a = o->first; a; a = a->next_in_osec) {
			struct rec_map_atom *r = &img->map[k++];
			r->addr = a->addr;
			r->size = a->size;
			r->file = a->file ? a->file->map_index : 0;
			if (a->sym)
				r->name = img_name(ar, m, a->sym->name);
			else if (a->file && a->sect != UINT32_MAX &&
				 (a->file->obj.sections[a->sect].flags & SECTION_TYPE) ==
					 S_CSTRING_LITERALS)
				r->name = "literal string"; /* static: outlives any image */
			else if (!a->file)
				r->name = "branch thunks"; /* thunks.c's islands */
			else
				r->name = "<anonymous>";
			if (!r->name)
				return -1;
		}
	}
	img->nmap = k;
	return 0;
}

/* The four parts write disjoint records and free disjoint link arrays;
 * each allocates from its own arena of the image. */
enum { PART_FIXUPS, PART_GOT_STUBS, PART_EXPORTS_SYMBOLS, PART_FILES_MAP, PARTS };

struct record_job {
	struct link_ctx *c;
	struct link_image *img;
	const struct name_map *m;
	int rc[PARTS];
};

static void record_part(void *arg, size_t i, int worker)
{
	struct record_job *j = arg;
	struct arena *ar = &j->img->part[i];
	(void)worker;
	switch (i) {
	case PART_FIXUPS:
		j->rc[i] = record_fixups(j->c, j->img, ar, j->m);
		break;
	case PART_GOT_STUBS:
		j->rc[i] = record_got_stubs(j->c, j->img, ar, j->m);
		break;
	case PART_EXPORTS_SYMBOLS:
		j->rc[i] = record_exports_symbols(j->c, j->img, ar, j->m);
		break;
	case PART_FILES_MAP:
		j->rc[i] = record_files_dylibs_map(j->c, j->img, ar, j->m);
		break;
	}
}

int record_image(struct link_ctx *c, struct link_image *img)
{
	_Static_assert((int)PARTS <= (int)IMAGE_PARTS, "an arena per part");
	img->chained = c->chained;   /* img->arch: set by link_run_patchable */
	img->base = c->base;
	/* a dylib or a bundle has no entry point */
	img->entry = c->entry ? symbol_addr(c, c->entry) : 0;
	img->output_name = dup_str(&img->arena, c->opt->output_name);
	struct name_map m;
	int rc = names_init(&m, c) || !img->output_name || record_segments(c, img);
	if (!rc) {
		struct record_job j = { c, img, &m, { 0 } };
		par_for(c->nthreads, PARTS, 1, record_part, &j);
		for (int i = 0; i < PARTS; i++)
			rc |= j.rc[i];
	}
	names_release(&m);
	if (rc)
		return diag_error(c->diag, "out of memory");
	return 0;
}
