/*
 * record.c - copies the link's results into the image records that every
 * text file is rendered from (see image.h for their order). Input bytes
 * do not outlive link_run, so every string is either copied into the
 * image's arena or, for a name in the output's symbol table, points at
 * its entry in the string table inside img->bytes.
 *
 * The map records are the lines of ld64.lld's -map (docs/formats.md):
 * its file list (objects and used dylibs in input order), a line per
 * symbol, literal string, stub, lazy pointer and GOT slot; dead_strip's
 * list and -why_live's lines are copied from what deadstrip.c kept.
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

/* The lines of a synthetic section, as ld64.lld names them: a GOT or
 * thread-pointer slot per line ("non-lazy-pointer-to-local: NAME"), a stub and a lazy
 * pointer per line named by its symbol, "helper helper" for the stub
 * helper, "compact unwind info", and the section's name for the rest. */
static size_t synth_entries(const struct link_ctx *c, const struct out_section *o)
{
	if (o == c->got)
		return c->ngot;
	if (o == c->thread_ptrs)
		return c->ntlvp;
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
		if (o == c->got || o == c->thread_ptrs) {
			const struct symbol *s = o == c->got ? c->got_syms[i] : c->tlvp_syms[i];
			const char *name = s->name ? s->name : "";
			size_t len = strlen(name);
			static const char prefix[] = "non-lazy-pointer-to-local: ";
			char *t = arena_alloc(ar, sizeof prefix + len);
			if (!t)
				return -1;
			memcpy(t, prefix, sizeof prefix - 1);
			memcpy(t + sizeof prefix - 1, name, len + 1);
			r->addr = o == c->got ? got_slot_addr(c, s) : tlvp_slot_addr(c, s);
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

/* One symbol of a map line: lld lists each symbol of an input section. */
struct map_sym {
	const struct atom *a;
	const struct symbol *s;
	uint32_t idx;            /* its nlist index */
};

static int cmp_map_sym(const void *x, const void *y)
{
	const struct map_sym *p = x, *q = y;
	if (p->a != q->a)
		return (uintptr_t)p->a < (uintptr_t)q->a ? -1 : 1;
	if (p->s->atom_off != q->s->atom_off)
		return p->s->atom_off < q->s->atom_off ? -1 : 1;
	return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* Symbol i of f, defined in a placed atom of f's own, not in a literal
 * string section (lld names those by their text)? */
static const struct symbol *map_own(const struct input_file *f, uint32_t i)
{
	const struct symbol *s = f->syms[i];
	if (!s || s->kind != SYM_DEFINED || s->file != f || !s->atom ||
	    s->atom->file != f || s->atom->sect >= f->obj.nsections ||
	    (f->obj.sections[s->atom->sect].flags & SECTION_TYPE) == S_CSTRING_LITERALS)
		return NULL;
	return s;
}

static int push_map_sym(struct map_sym **v, size_t *n, size_t *cap,
			const struct symbol *s, uint32_t idx)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		struct map_sym *p = realloc(*v, *cap * sizeof *p);
		if (!p)
			return -1;
		*v = p;
	}
	(*v)[(*n)++] = (struct map_sym){ s->atom, s, idx };
	return 0;
}

/* The atoms that hold more than their own symbol (a->sym): an arm64
 * ltmp label, a symbol inside the atom (no .subsections_via_symbols),
 * and all their symbols, by atom, offset and nlist index. Most atoms hold
 * one and are not here; *v is malloc'd. */
static int map_syms(const struct link_ctx *c, struct map_sym **v, size_t *n)
{
	size_t cap = 0;
	*v = NULL;
	*n = 0;
	for (size_t fi = 0; fi < c->nfiles; fi++) {
		const struct input_file *f = c->files[fi];
		size_t first = *n;
		for (uint32_t i = 0; i < f->obj.nsymbols; i++) {
			const struct symbol *s = map_own(f, i);
			if (s && s != s->atom->sym && push_map_sym(v, n, &cap, s, i))
				return -1;
		}
		size_t extras = *n - first;
		if (!extras)
			continue;
		qsort(*v + first, extras, sizeof **v, cmp_map_sym);
		for (uint32_t i = 0; i < f->obj.nsymbols; i++) {
			const struct symbol *s = map_own(f, i);
			if (!s || s != s->atom->sym)
				continue;
			size_t lo = first, hi = first + extras;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if ((uintptr_t)(*v)[mid].a < (uintptr_t)s->atom)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < first + extras && (*v)[lo].a == s->atom &&
			    push_map_sym(v, n, &cap, s, i))
				return -1;
		}
	}
	if (*n)
		qsort(*v, *n, sizeof **v, cmp_map_sym);
	return 0;
}

struct map_job {
	struct link_ctx *c;
	struct link_image *img;
	struct arena *ar;
	const struct name_map *m;
	struct lit_dup *dups; size_t ndups;
	struct map_sym *syms; size_t nsyms;
	size_t k, n;             /* lines made, room */
};

static int is_private_label(const char *name)
{
	return name[0] == 'l' || name[0] == 'L';
}

/* The lines of a's symbols when map_syms has them: each at its offset,
 * sized to the next one (lld's sizes), a private label of size 0 left
 * out, as lld. 1 if it had them, 0 if not, -1 when out of memory. */
static int map_atom_syms(struct map_job *j, const struct atom *a)
{
	size_t lo = 0, hi = j->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)j->syms[mid].a < (uintptr_t)a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == j->nsyms || j->syms[lo].a != a)
		return 0;
	for (size_t i = lo; i < j->nsyms && j->syms[i].a == a; i++) {
		const struct symbol *s = j->syms[i].s;
		uint64_t end = i + 1 < j->nsyms && j->syms[i + 1].a == a
				       ? j->syms[i + 1].s->atom_off : a->size;
		uint64_t size = end > s->atom_off ? end - s->atom_off : 0;
		if ((size == 0 && is_private_label(s->name)) || j->k >= j->n)
			continue;
		struct rec_map_atom *r = &j->img->map[j->k++];
		*r = (struct rec_map_atom){ a->addr + s->atom_off, size,
					    map_file_of(j->c, a->file->map_index),
					    img_name(j->ar, j->m, s->name) };
		if (!r->name)
			return -1;
	}
	return 1;
}

/* The lines of atom a (placed in o), as lld's map has them. */
static int map_atom(struct map_job *j, const struct out_section *o,
		    const struct atom *a)
{
	struct link_ctx *c = j->c;
	int literal = a->file && a->sect != UINT32_MAX &&
		      (a->file->obj.sections[a->sect].flags & SECTION_TYPE) ==
			      S_CSTRING_LITERALS;
	if (a->file && !literal) {
		int rc = map_atom_syms(j, a);
		if (rc)
			return rc < 0 ? -1 : 0;
	}
	if (!a->sym && !literal && a->file)
		return 0;   /* no symbol, no line: as lld */
	if (j->k >= j->n)
		return 0;
	struct rec_map_atom *r = &j->img->map[j->k++];
	r->addr = a->addr;
	/* lld gives a linker-made symbol (__dyld_private) size 0 */
	r->size = a->sym && a->sym == c->dyld_private ? 0 : a->size;
	r->file = a->file ? map_file_of(c, a->file->map_index) : 0;
	if (literal)
		r->name = literal_name(c, j->ar, o, a);
	else if (a->sym)
		r->name = img_name(j->ar, j->m, a->sym->name);
	else
		r->name = "branch thunks"; /* thunks.c's islands */
	if (!r->name)
		return -1;
	if (!literal || !j->ndups)
		return 0;
	/* the live copies merged into a */
	size_t lo = 0, hi = j->ndups;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->dups[mid].canon->addr < a->addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < j->ndups && j->dups[i].canon->addr == a->addr; i++) {
		if (j->dups[i].canon != a || j->k >= j->n)
			continue;
		j->img->map[j->k++] = (struct rec_map_atom){ a->addr, 0,
			map_file_of(c, j->dups[i].a->file->map_index), r->name };
	}
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
	struct map_job j = { c, img, ar, m, NULL, 0, NULL, 0, 0, 0 };
	int rc = lit_dups(c, &j.dups, &j.ndups) || map_syms(c, &j.syms, &j.nsyms);
	j.n = j.ndups + j.nsyms;
	for (size_t i = 0; i < c->nosecs; i++)
		j.n += c->osecs[i]->natoms + (c->osecs[i]->kind > OSEC_ZEROFILL ?
						      synth_entries(c, c->osecs[i]) : 0);
	img->map = rc ? NULL : ALLOC(ar, j.n, struct rec_map_atom);
	rc = !img->map;
	for (size_t i = 0; i < c->nosecs && !rc; i++) {
		const struct out_section *o = c->osecs[i];
		if (o->kind > OSEC_ZEROFILL) {
			rc = record_synth(c, img, ar, m, o, &j.k);
			continue;
		}
		for (const struct atom *a = o->first; a && !rc; a = a->next_in_osec)
			rc = map_atom(&j, o, a);
	}
	free(j.dups);
	free(j.syms);
	if (rc)
		return -1;
	img->nmap = j.k;
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
