/*
 * lazy.c - objects between --start-lib and --end-lib: each is loaded
 * only when it defines a symbol that is still undefined (or only a
 * common), as if it were the one member of an archive, as ld64.lld does.
 * The names an object defines are read once, when it is recorded
 * (lazy_add); resolve.c calls lazy_load with the archives until nothing
 * more is loaded. Leaves out: -ObjC and -all_load do not load them
 * (ld64.lld's -all_load does).
 */
#include <stdlib.h>
#include <string.h>

#include "../base/macho.h"
#include "ctx.h"

struct lazy_obj {
	size_t input;            /* 0-based index into c->inputs */
	const char **names;      /* the external definitions (arena) */
	size_t nnames;
	int loaded;
};

/* The external definitions of o (N_SECT or N_ABS, or a common), as
 * an archive's index would list them. */
static int collect(struct link_ctx *c, struct lazy_obj *z, const struct obj_file *o)
{
	size_t n = 0;
	for (uint32_t i = 0; i < o->nsymbols; i++) {
		const struct obj_symbol *s = &o->symbols[i];
		uint8_t t = s->type & N_TYPE;
		if (!(s->type & N_STAB) && (s->type & N_EXT) &&
		    (t == N_SECT || t == N_ABS || (t == N_UNDF && s->value)))
			n++;
	}
	z->names = arena_alloc(&c->arena, (n + 1) * sizeof *z->names);
	if (!z->names)
		return diag_error(c->diag, "out of memory");
	for (uint32_t i = 0; i < o->nsymbols; i++) {
		const struct obj_symbol *s = &o->symbols[i];
		uint8_t t = s->type & N_TYPE;
		if (!(s->type & N_STAB) && (s->type & N_EXT) &&
		    (t == N_SECT || t == N_ABS || (t == N_UNDF && s->value)))
			z->names[z->nnames++] = s->name;
	}
	return 0;
}

int lazy_add(struct link_ctx *c, size_t i)
{
	const struct link_input *x = &c->inputs[i];
	struct lazy_obj *p = realloc(c->lazy, (c->nlazy + 1) * sizeof *p);
	if (!p)
		return diag_error(c->diag, "out of memory");
	c->lazy = p;
	struct lazy_obj *z = &c->lazy[c->nlazy];
	memset(z, 0, sizeof *z);
	z->input = i;
	if (x->parsed && x->parsed->data == x->data) {
		if (collect(c, z, x->parsed))
			return -1;
	} else {
		/* names point into x's bytes, which outlive the loading */
		struct obj_file o;
		if (obj_parse(&o, x->name, x->data, x->size, c->diag))
			return -1;
		int rc = collect(c, z, &o);
		obj_release(&o);
		if (rc)
			return -1;
	}
	c->nlazy++;
	return 0;
}

/* load_object with the caller's parse and the input's number. */
static int load_one(struct link_ctx *c, struct lazy_obj *z)
{
	const struct link_input *x = &c->inputs[z->input];
	struct obj_load l;
	memset(&l, 0, sizeof l);
	l.name = x->name;
	l.input = (uint32_t)(z->input + 1);
	l.data = x->data;
	l.size = x->size;
	l.parsed_in = x->parsed;
	z->loaded = 1;
	trace_input(c, x->name, NULL);
	return load_one_object(c, &l);
}

int lazy_load(struct link_ctx *c)
{
	int changed = 0, rc = 0;
	for (size_t i = 0; i < c->nlazy; i++) {
		struct lazy_obj *z = &c->lazy[i];
		for (size_t k = 0; !z->loaded && k < z->nnames; k++) {
			struct symbol *s = symtab_find(&c->symtab, z->names[k]);
			if (!s || (s->kind != SYM_UNDEF && s->kind != SYM_COMMON))
				continue;
			if (load_one(c, z))
				rc = -1;
			changed = 1;
		}
	}
	return rc ? -1 : changed;
}

void lazy_release(struct link_ctx *c)
{
	free(c->lazy);
	c->lazy = NULL;
	c->nlazy = 0;
}
