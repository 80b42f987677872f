/*
 * symtab.c - the global symbol table: an open-addressing hash map from
 * name to struct symbol, sized up front from the inputs' symbol counts.
 * Also small shared helpers (array growth, section labels).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "ctx.h"

int ctx_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return -1;
		n *= 2;
	}
	void *p = realloc(*arr, n * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}

const char *sect_label(struct input_file *f, uint32_t sect, char *buf, size_t n)
{
	const struct obj_section *s = &f->obj.sections[sect];
	snprintf(buf, n, "%s,%s", s->segname, s->sectname);
	return buf;
}

int symtab_init(struct symtab *t, size_t expected)
{
	size_t cap = 64;
	while (cap < expected * 2 && cap < ((size_t)1 << 40))
		cap *= 2;
	t->slots = calloc(cap, sizeof *t->slots);
	if (!t->slots)
		return -1;
	t->cap = cap;
	t->count = 0;
	return 0;
}

void symtab_release(struct symtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}

static size_t slot_of(const struct symtab *t, const char *name, size_t len)
{
	return (size_t)XXH3_64bits(name, len) & (t->cap - 1);
}

struct symbol *symtab_find(const struct symtab *t, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = slot_of(t, name, len);; i = (i + 1) & (t->cap - 1)) {
		struct symbol *s = t->slots[i];
		if (!s)
			return NULL;
		if (!strcmp(s->name, name))
			return s;
	}
}

static int rehash(struct symtab *t)
{
	struct symtab n;
	if (symtab_init(&n, t->cap))
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		struct symbol *s = t->slots[i];
		if (!s)
			continue;
		size_t j = slot_of(&n, s->name, strlen(s->name));
		while (n.slots[j])
			j = (j + 1) & (n.cap - 1);
		n.slots[j] = s;
	}
	n.count = t->count;
	free(t->slots);
	*t = n;
	return 0;
}

struct symbol *symtab_intern(struct link_ctx *c, const char *name)
{
	struct symtab *t = &c->symtab;
	if ((t->count + 1) * 2 > t->cap && rehash(t))
		return NULL;
	size_t len = strlen(name);
	size_t i = slot_of(t, name, len);
	for (;; i = (i + 1) & (t->cap - 1)) {
		struct symbol *s = t->slots[i];
		if (!s)
			break;
		if (!strcmp(s->name, name))
			return s;
	}
	struct symbol *s = arena_alloc(&c->arena, sizeof *s);
	if (!s)
		return NULL;
	s->name = name; /* names point into input bytes or the arena */
	s->kind = SYM_UNDEF;
	s->is_global = 1;
	s->got = s->stub = s->tlvp = -1;
	t->slots[i] = s;
	t->count++;
	return s;
}
