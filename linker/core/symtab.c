/*
 * symtab.c - the global symbol table: open-addressing hash maps from name
 * to struct symbol, sized up front from the inputs' symbol counts. Names
 * are split into SYMTAB_SHARDS shards by hash, so the shards can be filled
 * by different threads (load.c); a shard owns its symbols' memory. A slot
 * is 8 bytes: the index of the symbol in its shard's dense list (which
 * keeps the symbols in the order first seen) and the high half of its
 * name's hash, so a probe compares names only when the hashes agree.
 * Also small shared helpers (array growth, section labels).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "../base/hugepage.h"
#include "ctx.h"

const char *sect_label(struct input_file *f, uint32_t sect, char *buf, size_t n)
{
	const struct obj_section *s = &f->obj.sections[sect];
	snprintf(buf, n, "%s,%s", s->segname, s->sectname);
	return buf;
}

/* The shard of a name: fixed by its hash, never by the thread count. */
static unsigned shard_of(uint64_t hash)
{
	return (unsigned)(hash >> 62) & (SYMTAB_SHARDS - 1);
}

static uint32_t check_of(uint64_t hash)
{
	return (uint32_t)(hash >> 32);
}

/* The slots are zeroed by the first intern into the shard, on the thread
 * that resolves it: calloc'd memory would be mapped to the zero page by
 * the first probe and faulted again, with a TLB shootdown across the
 * link's threads, by the first write. Until then the shard is empty. */
static int shard_alloc(struct symtab_shard *sh, struct symtab_slot *slots, size_t cap)
{
	sh->slots = slots;
	sh->slots_own = 0;
	sh->zeroed = 0;
	sh->list = huge_calloc(cap / 2 + 1, sizeof *sh->list); /* grows */
	if (!sh->list)
		return -1;
	sh->cap = cap;
	return 0;
}

static void shard_free_slots(struct symtab_shard *sh)
{
	if (sh->slots_own)
		free(sh->slots);
	sh->slots = NULL;
	sh->slots_own = 0;
}

int symtab_init(struct symtab *t, size_t expected)
{
	memset(t, 0, sizeof *t);
	size_t cap = 64;
	expected /= SYMTAB_SHARDS;
	while (cap < expected * 2 && cap < ((size_t)1 << 32))
		cap *= 2;
	/* one block for the shards' tables: 4 MiB at 10,000 objects, in
	 * huge pages where four blocks of 1 MiB took 1,024 page faults */
	t->slot_block = huge_malloc(SYMTAB_SHARDS * cap * sizeof *t->slot_block);
	int rc = t->slot_block ? 0 : -1;
	for (int k = 0; k < SYMTAB_SHARDS; k++) {
		arena_init(&t->shard[k].arena);
		/* `expected` counts every reference: about half are distinct */
		arena_expect(&t->shard[k].arena, expected / 2 * sizeof(struct symbol));
		if (t->slot_block)
			rc |= shard_alloc(&t->shard[k], t->slot_block + k * cap, cap);
	}
	if (rc)
		symtab_release(t);
	return rc;
}

void symtab_release(struct symtab *t)
{
	for (int k = 0; k < SYMTAB_SHARDS; k++) {
		shard_free_slots(&t->shard[k]);
		free(t->shard[k].list);
		arena_release(&t->shard[k].arena);
	}
	free(t->slot_block);
	free(t->all);
	memset(t, 0, sizeof *t);
}

int symtab_freeze(struct symtab *t)
{
	size_t n;
	if (!symtab_all(t, &n))
		return -1;
	for (int k = 0; k < SYMTAB_SHARDS; k++) {
		struct symtab_shard *sh = &t->shard[k];
		shard_free_slots(sh);
		free(sh->list);
		sh->list = NULL;
		sh->cap = 0;
	}
	free(t->slot_block);
	t->slot_block = NULL;
	t->frozen = 1;
	return 0;
}

uint64_t symtab_hash(const char *name, size_t len)
{
	return XXH3_64bits(name, len);
}

size_t symtab_count(const struct symtab *t)
{
	if (t->frozen)
		return t->nall;
	size_t n = 0;
	for (int k = 0; k < SYMTAB_SHARDS; k++)
		n += t->shard[k].count;
	return n;
}

struct symbol **symtab_all(struct symtab *t, size_t *n)
{
	*n = symtab_count(t);
	if (t->all && (t->frozen || t->nall == *n))
		return t->all;
	struct symbol **all = huge_realloc(t->all, (*n + 1) * sizeof *all);
	if (!all)
		return NULL;
	size_t k = 0;
	for (int i = 0; i < SYMTAB_SHARDS; i++) {
		const struct symtab_shard *sh = &t->shard[i];
		if (sh->count)
			memcpy(all + k, sh->list, sh->count * sizeof *all);
		k += sh->count;
	}
	t->all = all;
	t->nall = *n;
	return all;
}

struct symbol *symtab_find(const struct symtab *t, const char *name)
{
	size_t len = strlen(name);
	uint64_t h = symtab_hash(name, len);
	const struct symtab_shard *sh = &t->shard[shard_of(h)];
	if (!sh->cap || !sh->zeroed)
		return NULL;   /* nothing interned yet */
	for (size_t i = (size_t)h & (sh->cap - 1);; i = (i + 1) & (sh->cap - 1)) {
		const struct symtab_slot *sl = &sh->slots[i];
		if (!sl->idx)
			return NULL;
		struct symbol *s = sh->list[sl->idx - 1];
		if (sl->check == check_of(h) && !strcmp(s->name, name))
			return s;
	}
}

/* Doubles a shard; its list keeps its order. */
static int rehash(struct symtab_shard *sh)
{
	size_t cap = sh->cap * 2;
	if (cap / 2 > UINT32_MAX)
		return -1;
	struct symtab_slot *n = huge_malloc(cap * sizeof *n);
	struct symbol **list = huge_realloc(sh->list, (cap / 2 + 1) * sizeof *list);
	if (n)
		memset(n, 0, cap * sizeof *n);   /* see shard_alloc */
	if (!n || !list) {
		free(n);
		if (list)
			sh->list = list;
		return -1;
	}
	sh->list = list;
	for (size_t k = 0; k < sh->count; k++) {
		const struct symbol *s = list[k];
		uint64_t h = symtab_hash(s->name, strlen(s->name));
		size_t j = (size_t)h & (cap - 1);
		while (n[j].idx)
			j = (j + 1) & (cap - 1);
		n[j].idx = (uint32_t)k + 1;
		n[j].check = check_of(h);
	}
	shard_free_slots(sh);
	sh->slots = n;
	sh->slots_own = 1;
	sh->cap = cap;
	return 0;
}

void symtab_prefetch(const struct symtab *t, uint64_t hash)
{
	const struct symtab_shard *sh = &t->shard[shard_of(hash)];
	if (sh->zeroed)
		__builtin_prefetch(&sh->slots[(size_t)hash & (sh->cap - 1)]);
}

unsigned symtab_shard(uint64_t hash)
{
	return shard_of(hash);
}

struct symbol *symtab_intern_hashed(struct link_ctx *c, const char *name,
				    size_t len, uint64_t hash)
{
	struct symtab_shard *sh = &c->symtab.shard[shard_of(hash)];
	if (c->symtab.frozen)
		return NULL; /* a bug: nothing interns after symtab_freeze */
	if (!sh->zeroed) {
		memset(sh->slots, 0, sh->cap * sizeof *sh->slots);
		sh->zeroed = 1;
	}
	if ((sh->count + 1) * 2 > sh->cap && rehash(sh))
		return NULL;
	size_t i = (size_t)hash & (sh->cap - 1);
	for (;; i = (i + 1) & (sh->cap - 1)) {
		const struct symtab_slot *sl = &sh->slots[i];
		if (!sl->idx)
			break;
		struct symbol *s = sh->list[sl->idx - 1];
		if (sl->check == check_of(hash) && !memcmp(s->name, name, len + 1))
			return s;
	}
	struct symbol *s = arena_alloc(&sh->arena, sizeof *s);
	if (!s)
		return NULL;
	s->name = name; /* names point into input bytes or the arena */
	s->kind = SYM_UNDEF;
	s->is_global = 1;
	s->got = s->stub = s->tlvp = -1;
	sh->list[sh->count++] = s;
	sh->slots[i].idx = (uint32_t)sh->count;
	sh->slots[i].check = check_of(hash);
	return s;
}

struct symbol *symtab_intern(struct link_ctx *c, const char *name)
{
	size_t len = strlen(name);
	return symtab_intern_hashed(c, name, len, symtab_hash(name, len));
}
