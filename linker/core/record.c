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

/* The next dylibs up to link input `before` (all: 0) into the map's
 * file list, the used ones only. */
static int map_dylibs(struct link_ctx *c, struct link_image *img,
		      struct arena *ar, uint32_t before, size_t *d)
{
	for (; *d < c->ndylibs; (*d)++) {
		const struct loaded_dylib *l = &c->dylibs[*d];
		if (before && (!l->input || l->input >= before))
			break;
		if (!l->used)
			continue;
		c->map_dylib[*d] = (uint32_t)img->nfiles;
		if (!(img->files[img->nfiles++] = dup_str(ar, l->name)))
			return -1;
	}
	return 0;
}

/* The map's "# Object files", as ld64.lld lists them: the objects and
 * the dylibs the link used, in input order (archive members where the
 * link loaded them, the default libSystem last); c->map_file and
 * c->map_dylib take each its index in the list. */
static int map_files(struct link_ctx *c, struct link_image *img,
		     struct arena *ar)
{
	img->files = ALLOC(ar, c->nfiles + 1 + c->ndylibs, const char *);
	c->map_file = calloc(c->nfiles + 1, sizeof *c->map_file);
	c->map_dylib = calloc(c->ndylibs + 1, sizeof *c->map_dylib);
	if (!img->files || !c->map_file || !c->map_dylib)
		return -1;
	img->files[0] = "linker synthesized";
	img->nfiles = 1;
	size_t d = 0;
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct input_file *f = c->files[i];
		if (f->input && map_dylibs(c, img, ar, f->input, &d))
			return -1;
		c->map_file[f->map_index] = (uint32_t)img->nfiles;
		if (!(img->files[img->nfiles++] = dup_str(ar, f->name)))
			return -1;
	}
	return map_dylibs(c, img, ar, 0, &d);
}

/* A map line's file: f's index in the map's list, 0 for none. */
static uint32_t map_file_of(const struct link_ctx *c, uint32_t map_index)
{
	return map_index && map_index <= c->nfiles ? c->map_file[map_index] : 0;
}

/* "literal string: TEXT", TEXT read from the output (the inputs are
 * gone by now). */
static const char *literal_name(const struct link_ctx *c, struct arena *ar,
				const struct out_section *o, const struct atom *a)
{
	static const char prefix[] = "literal string: ";
	uint64_t off = o->fileoff + (a->addr - o->addr);
	size_t len = 0;
	if (off + a->size <= c->out_size)
		len = strnlen((const char *)c->out + off, a->size);
	char *name = arena_alloc(ar, sizeof prefix + len);
	if (!name)
		return NULL;
	memcpy(name, prefix, sizeof prefix - 1);
	memcpy(name + sizeof prefix - 1, c->out + off, len);
	name[sizeof prefix - 1 + len] = 0;
	return name;
}

/* The lines of a synthetic section, as ld64.lld names them: a GOT slot
 * per line ("non-lazy-pointer-to-local: NAME"), a stub and a lazy
 * pointer per line named by its symbol, "helper helper" for the stub
 * helper, "compact unwind info", and the section's name for the rest. */
static size_t synth_entries(const struct link_ctx *c, const struct out_section *o)
{
	if (o == c->got)
		return c->ngot;
	if (o == c->stubs || (o == c->la_ptr && !c->chained))
		return c->nstubs;
	return 1;
}

static int record_synth(struct link_ctx *c, struct link_image *img,
			struct arena *ar, const struct name_map *m,
			const struct out_section *o, size_t *k)
{
	size_t n = synth_entries(c, o);
	for (size_t i = 0; i < n; i++) {
		struct rec_map_atom *r = &img->map[(*k)++];
		r->file = 0;
		if (o == c->got) {
			const struct symbol *s = c->got_syms[i];
			const char *name = s->name ? s->name : "";
			size_t len = strlen(name);
			static const char prefix[] = "non-lazy-pointer-to-local: ";
			char *t = arena_alloc(ar, sizeof prefix + len);
			if (!t)
				return -1;
			memcpy(t, prefix, sizeof prefix - 1);
			memcpy(t + sizeof prefix - 1, name, len + 1);
			r->addr = got_slot_addr(c, s);
			r->size = 8;
			r->name = t;
		} else if (o == c->stubs || o == c->la_ptr) {
			const struct symbol *s = c->stub_syms[i];
			r->addr = o == c->stubs ? stub_addr(c, i) : lazy_ptr_addr(c, i);
			if (s->kind == SYM_DYLIB && s->dylib && s->dylib <= c->ndylibs)
				r->file = c->map_dylib[s->dylib - 1];
			r->size = o == c->stubs ? o->size / c->nstubs : 8;
			if (!(r->name = img_name(ar, m, s->name)))
				return -1;
		} else {
			r->addr = o->addr;
			r->size = o->size;
			r->name = o == c->stub_helper	? "helper helper"
				  : o == c->unwind_info ? "compact unwind info"
							: dup_str(ar, o->sectname);
			if (!r->name)
				return -1;
		}
	}
	return 0;
}

/* dead_strip's list and -why_live's lines, copied. */
static int record_dead_why(struct link_ctx *c, struct link_image *img,
			   struct arena *ar)
{
	img->dead_stripped = c->opt->dead_strip;
	img->why_asked = c->opt->nwhy_live || c->opt->why_live_conf[0];
	img->dead = ALLOC(ar, c->ndead, struct rec_dead);
	char *why = arena_alloc(ar, c->why_text.len + 1);
	if (!img->dead || !why)
		return -1;
	for (size_t i = 0; i < c->ndead; i++) {
		const struct dead_sym *d = &c->dead[i];
		img->dead[i] = (struct rec_dead){ dup_str(ar, d->name), d->size,
						  map_file_of(c, d->file), d->literal };
		if (!img->dead[i].name)
			return -1;
	}
	img->ndead = c->ndead;
	if (c->why_text.len)
		memcpy(why, c->why_text.data, c->why_text.len);
	why[c->why_text.len] = 0;
	img->why = why;
	img->why_len = c->why_text.len;
	return 0;
}

/* A live copy of a merged literal string: lld lists it at its kept
 * copy's address with size 0, after it, in file order. */
struct lit_dup {
	const struct atom *a, *canon;
};

static int cmp_lit_dup(const void *x, const void *y)
{
	const struct lit_dup *p = x, *q = y;
	if (p->canon->addr != q->canon->addr)
		return p->canon->addr < q->canon->addr ? -1 : 1;
	if (p->a->file->map_index != q->a->file->map_index)
		return p->a->file->map_index < q->a->file->map_index ? -1 : 1;
	return p->a->off < q->a->off ? -1 : p->a->off > q->a->off;
}

/* The live copies of literal strings, by their kept copy's address;
 * *n of them (malloc'd; NULL with *n 0 when none, or out of memory:
 * then -1). */
static int lit_dups(const struct link_ctx *c, struct lit_dup **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		const struct input_file *f = c->files[fi];
		for (uint32_t si = 0; si < f->obj.nsections; si++) {
			if (!f->sect_kept[si] ||
			    (f->obj.sections[si].flags & SECTION_TYPE) != S_CSTRING_LITERALS)
				continue;
			for (uint32_t k = 0; k < f->natoms[si]; k++) {
				const struct atom *a = &f->atoms[si][k];
				if (!a->dup || !a->live || !a->canon)
					continue;
				if (*n == cap) {
					cap = cap ? cap * 2 : 16;
					struct lit_dup *v = realloc(*out, cap * sizeof *v);
					if (!v)
						return -1;
					*out = v;
				}
				(*out)[(*n)++] = (struct lit_dup){ a, a->canon };
			}
		}
	}
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_lit_dup);
	return 0;
}

static int record_files_dylibs_map(struct link_ctx *c, struct link_image *img,
				   struct arena *ar, const struct name_map *m)
{
	if (map_files(c, img, ar))
		return -1;
	img->dylibs = ALLOC(ar, c->ndylibs, const char *);
	if (!img->dylibs)
		return -1;
	for (size_t d = 0; d < c->ndylibs; d++)
		if (!(img->dylibs[d] = dup_str(ar, c->dylibs[d].dl.install_name)))
			return -1;
	img->ndylibs = c->ndylibs;

	if (record_dead_why(c, img, ar))
		return -1;
	struct lit_dup *dups;
	size_t ndups, next_dup = 0;
	if (lit_dups(c, &dups, &ndups))
		return -1;
	size_t n = ndups;
	for (size_t i = 0; i < c->nosecs; i++)
		n += c->osecs[i]->natoms + (c->osecs[i]->kind > OSEC_ZEROFILL ?
						    synth_entries(c, c->osecs[i]) : 0);
	img->map = ALLOC(ar, n, struct rec_map_atom);
	if (!img->map) {
		free(dups);
		return -1;
	}
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; i < c->nosecs && !rc; i++) {
		const struct out_section *o = c->osecs[i];
		if (o->kind > OSEC_ZEROFILL) {
			rc = record_synth(c, img, ar, m, o, &k);
			continue;
		}
		for (const struct atom *a = o->first; a && !rc; a = a->next_in_osec) {
			struct rec_map_atom *r = &img->map[k++];
			r->addr = a->addr;
			/* lld gives a linker-made symbol (__dyld_private)
			 * size 0 */
			r->size = a->sym && a->sym == c->dyld_private ? 0 : a->size;
			r->file = a->file ? map_file_of(c, a->file->map_index) : 0;
			if (a->sym)
				r->name = img_name(ar, m, a->sym->name);
			else if (a->file && a->sect != UINT32_MAX &&
				 (a->file->obj.sections[a->sect].flags & SECTION_TYPE) ==
					 S_CSTRING_LITERALS)
				r->name = literal_name(c, ar, o, a);
			else if (!a->file)
				r->name = "branch thunks"; /* thunks.c's islands */
			else {
				k--;   /* no symbol, no line: as lld */
				continue;
			}
			if (!r->name) {
				rc = -1;
				break;
			}
			if (!ndups || a->sym)
				continue;
			/* the live copies merged into a, if a is a literal */
			size_t lo = 0, hi = ndups;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (dups[mid].canon->addr < a->addr)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (next_dup = lo; next_dup < ndups &&
					    dups[next_dup].canon->addr == a->addr;
			     next_dup++) {
				if (dups[next_dup].canon != a || k >= n)
					continue;
				struct rec_map_atom *d = &img->map[k++];
				*d = (struct rec_map_atom){ a->addr, 0,
					map_file_of(c, dups[next_dup].a->file->map_index),
					r->name };
			}
		}
	}
	free(dups);
	if (rc)
		return -1;
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
	img->entry = symbol_addr(c, c->entry);
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
