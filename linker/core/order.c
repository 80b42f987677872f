/*
 * order.c - -order_file: the atoms the order file names come first in
 * their output section, in the file's order; the others follow in input
 * order (ld64's and lld's rule).
 *
 * A line of the file is a symbol, optionally after "ARCH:" (the line is
 * read only when ARCH is the link's) and "OBJECT:" (only the symbol of
 * that object counts: its file name, the part after the last '/', or an
 * archive member's name). '#' starts a comment; blanks around a line are
 * dropped. An atom takes the earliest line among its symbols' (locals
 * too). Sections of merged literals (C strings, __literals) keep their
 * own order, as in lld. Names no input defines are ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/macho.h"
#include "ctx.h"

struct order_line {
	const char *sym, *obj;   /* obj NULL: any object */
	size_t symlen, objlen;
	uint32_t prio;           /* the line's rank, 0 first */
};

struct atom_prio {
	const struct atom *a;    /* NULL: empty slot */
	uint32_t prio;
};

struct orderer {
	struct order_line *v;
	size_t n;
	struct atom_prio *slots; /* open addressing, power-of-two size */
	size_t cap, used;
};

static int is_arch_name(const char *p, size_t n)
{
	static const char *const names[] = { "x86_64", "x86_64h", "arm64", "arm64e",
					     "i386", "armv7", "armv7s", "arm64_32" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], p, n))
			return 1;
	return 0;
}

static int cmp_line(const void *x, const void *y)
{
	const struct order_line *a = x, *b = y;
	size_t n = a->symlen < b->symlen ? a->symlen : b->symlen;
	int r = memcmp(a->sym, b->sym, n);
	if (r)
		return r;
	if (a->symlen != b->symlen)
		return a->symlen < b->symlen ? -1 : 1;
	return a->prio < b->prio ? -1 : a->prio > b->prio;
}

/* Reads the file's lines into o->v, sorted by symbol. */
static int read_lines(struct link_ctx *c, struct orderer *o)
{
	const char *t = c->opt->order_file;
	size_t len = c->opt->order_file_len, cap = 0;
	const char *arch = c->arch == ARCH_ARM64 ? "arm64" : "x86_64";
	uint32_t prio = 0;
	for (size_t pos = 0; pos < len;) {
		size_t end = pos;
		while (end < len && t[end] != '\n')
			end++;
		size_t b = pos, e = end;
		pos = end + 1;
		const char *hash = memchr(t + b, '#', e - b);
		if (hash)
			e = (size_t)(hash - t);
		while (b < e && (t[b] == ' ' || t[b] == '\t' || t[b] == '\r'))
			b++;
		while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\r'))
			e--;
		if (b == e)
			continue;
		struct order_line l = { t + b, NULL, e - b, 0, prio++ };
		const char *colon = memchr(l.sym, ':', l.symlen);
		if (colon && is_arch_name(l.sym, (size_t)(colon - l.sym))) {
			size_t al = (size_t)(colon - l.sym);
			if (strlen(arch) != al || memcmp(arch, l.sym, al))
				continue; /* another architecture's line */
			l.symlen -= al + 1;
			l.sym = colon + 1;
			colon = memchr(l.sym, ':', l.symlen);
		}
		if (colon) {
			l.obj = l.sym;
			l.objlen = (size_t)(colon - l.sym);
			l.symlen -= l.objlen + 1;
			l.sym = colon + 1;
		}
		if (!l.symlen)
			continue;
		if (huge_grow((void **)&o->v, &cap, o->n + 1, sizeof *o->v))
			return diag_error(c->diag, "out of memory");
		o->v[o->n++] = l;
	}
	qsort(o->v, o->n, sizeof *o->v, cmp_line);
	return 0;
}

/* 1 if line l's object part names file f. */
static int obj_matches(const struct order_line *l, const struct input_file *f)
{
	if (!l->obj)
		return 1;
	const char *name = f->name, *p;
	size_t n = strlen(name);
	if (n && name[n - 1] == ')' && (p = strrchr(name, '('))) { /* lib.a(m.o) */
		name = p + 1;
		n = strlen(name) - 1;
	} else if ((p = strrchr(name, '/'))) {
		name = p + 1;
		n = strlen(name);
	}
	return n == l->objlen && !memcmp(name, l->obj, n);
}

static size_t slot_of(const struct orderer *o, const struct atom *a)
{
	size_t h = ((uintptr_t)a >> 4) * 0x9e3779b97f4a7c15u;
	size_t i = h & (o->cap - 1);
	while (o->slots[i].a && o->slots[i].a != a)
		i = (i + 1) & (o->cap - 1);
	return i;
}

static int note_atom(struct orderer *o, const struct atom *a, uint32_t prio)
{
	if (2 * (o->used + 1) > o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 64;
		struct atom_prio *old = o->slots;
		size_t oldcap = o->cap;
		o->slots = calloc(cap, sizeof *o->slots);
		if (!o->slots) {
			o->slots = old;
			return -1;
		}
		o->cap = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].a)
				o->slots[slot_of(o, old[i].a)] = old[i];
		free(old);
	}
	size_t i = slot_of(o, a);
	if (!o->slots[i].a) {
		o->slots[i].a = a;
		o->slots[i].prio = prio;
		o->used++;
	} else if (prio < o->slots[i].prio) {
		o->slots[i].prio = prio;
	}
	return 0;
}

/* The earliest line naming symbol s of file f, or UINT32_MAX. */
static uint32_t line_for(const struct orderer *o, const struct symbol *s,
			 const struct input_file *f)
{
	struct order_line key = { s->name, NULL, strlen(s->name), 0, 0 };
	size_t lo = 0, hi = o->n;
	while (lo < hi) {   /* the first line of that symbol */
		size_t mid = lo + (hi - lo) / 2;
		struct order_line k = o->v[mid];
		k.prio = 0;
		if (cmp_line(&k, &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < o->n; i++) {
		const struct order_line *l = &o->v[i];
		if (l->symlen != key.symlen || memcmp(l->sym, key.sym, key.symlen))
			break;
		if (obj_matches(l, f))
			return l->prio;   /* sorted by prio within a name */
	}
	return UINT32_MAX;
}

struct keyed {
	struct atom *a;
	uint64_t key;            /* prio << 32 | input position */
};

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	return a->key < b->key ? -1 : a->key > b->key;
}

static int orderable(const struct out_section *o)
{
	uint32_t t = o->flags & SECTION_TYPE;
	return o->kind <= OSEC_ZEROFILL && (t == S_REGULAR || t == S_ZEROFILL ||
					    t == S_COALESCED) &&
	       !(!strcmp(o->segname, "__TEXT") && !strcmp(o->sectname, "__literals"));
}

/* Puts o's atoms in (line, input position) order. */
static int sort_section(struct orderer *ord, struct out_section *o)
{
	size_t n = 0, hit = 0;
	for (struct atom *a = o->first; a; a = a->next_in_osec)
		n++;
	struct keyed *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return -1;
	n = 0;
	for (struct atom *a = o->first; a; a = a->next_in_osec) {
		uint32_t prio = UINT32_MAX;
		if (ord->cap) {
			size_t i = slot_of(ord, a);
			if (ord->slots[i].a)
				prio = ord->slots[i].prio;
		}
		hit += prio != UINT32_MAX;
		v[n].a = a;
		v[n].key = (uint64_t)prio << 32 | n;
		n++;
	}
	if (hit) {
		qsort(v, n, sizeof *v, cmp_keyed);
		o->first = v[0].a;
		for (size_t i = 0; i < n; i++)
			v[i].a->next_in_osec = i + 1 < n ? v[i + 1].a : NULL;
		o->last = v[n - 1].a;
	}
	free(v);
	return 0;
}

int order_sections(struct link_ctx *c)
{
	if (!c->opt->order_file || !c->opt->order_file_len)
		return 0;
	struct orderer o;
	memset(&o, 0, sizeof o);
	int rc = read_lines(c, &o);
	for (size_t fi = 0; fi < c->nfiles && !rc && o.n; fi++) {
		struct input_file *f = c->files[fi];
		for (uint32_t k = 0; k < f->obj.nsymbols && !rc; k++) {
			const struct symbol *s = f->syms[k];
			if (!s || s->file != f || s->kind != SYM_DEFINED || !s->atom ||
			    !s->atom->live || s->atom->dup)
				continue;
			uint32_t prio = line_for(&o, s, f);
			if (prio != UINT32_MAX && note_atom(&o, s->atom, prio))
				rc = diag_error(c->diag, "out of memory");
		}
	}
	for (size_t i = 0; i < c->nosecs && !rc && o.used; i++)
		if (orderable(c->osecs[i]) && sort_section(&o, c->osecs[i]))
			rc = diag_error(c->diag, "out of memory");
	free(o.v);
	free(o.slots);
	return rc;
}
