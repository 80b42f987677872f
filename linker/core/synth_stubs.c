/*
 * synth_stubs.c - __TEXT,__stubs, __TEXT,__stub_helper and
 * __DATA,__la_symbol_ptr: a call to an import (or to a definition that
 * may be overridden) goes to a stub, which jumps through its lazy
 * pointer. An import that is not a weak definition is bound lazily: its
 * lazy pointer first holds the address of its stub-helper entry, which
 * pushes the offset of the symbol's lazy-bind record and jumps to the
 * helper's header; the header hands __dyld_private to dyld_stub_binder,
 * which binds the pointer and jumps on. Any other stub's pointer is bound
 * (or rebased) when the image loads. docs/architecture.md, "Lazy binding",
 * tells the whole story. Under chained fixups there is none of it: a
 * stub jumps through its symbol's __got slot. The instruction bytes are the architecture's
 * (arch.h); the order of work is fixed here: the lazy-bind records are
 * encoded before the helper is written, since it carries their offsets.
 */
#include <stdlib.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "../dyld/bind.h"
#include "arch.h"
#include "ctx.h"

int stub_add(struct link_ctx *c, struct symbol *s)
{
	if (s->stub >= 0)
		return 0;
	if (huge_grow((void **)&c->stub_syms, &c->cap_stubs, c->nstubs + 1,
		     sizeof *c->stub_syms))
		return -1;
	s->stub = (int32_t)c->nstubs;
	c->stub_syms[c->nstubs++] = s;
	return 0;
}

int stub_is_lazy(const struct symbol *s)
{
	return s->kind == SYM_DYLIB && !s->weak_def;
}

size_t stubs_nlazy(const struct link_ctx *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nstubs; i++)
		n += (size_t)stub_is_lazy(c->stub_syms[i]);
	return n;
}

uint64_t stubs_size(const struct link_ctx *c)
{
	return (uint64_t)c->ops->stub_size * c->nstubs;
}

uint64_t stub_helper_size(const struct link_ctx *c, size_t nlazy)
{
	return nlazy ? c->ops->helper_header_size + (uint64_t)c->ops->helper_entry_size * nlazy
		     : 0;
}

uint64_t stub_addr(const struct link_ctx *c, size_t i)
{
	return c->stubs->addr + (uint64_t)c->ops->stub_size * i;
}

uint64_t lazy_ptrs_size(const struct link_ctx *c)
{
	return 8 * (uint64_t)c->nstubs;
}

uint64_t lazy_ptr_addr(const struct link_ctx *c, size_t i)
{
	return c->la_ptr->addr + 8 * (uint64_t)i;
}

uint64_t helper_entry_addr(const struct link_ctx *c, size_t k)
{
	return c->stub_helper->addr + c->ops->helper_header_size +
	       (uint64_t)c->ops->helper_entry_size * k;
}

/* The lazy-bind records, encoded; offs[k] is where the k-th lazy stub's
 * record starts. */
static int encode_lazy_binds(struct link_ctx *c, uint32_t **offs)
{
	struct bind_entry *lazy = calloc(c->nstubs, sizeof *lazy);
	c->lazy_offsets = calloc(c->nstubs, sizeof *c->lazy_offsets);
	if (!lazy || !c->lazy_offsets) {
		free(lazy);
		return diag_error(c->diag, "out of memory");
	}
	size_t nlazy = 0;
	const struct out_segment *lseg = &c->segs[c->la_ptr->seg];
	for (size_t i = 0; i < c->nstubs; i++) {
		struct symbol *s = c->stub_syms[i];
		if (!stub_is_lazy(s))
			continue;
		lazy[nlazy].seg = c->la_ptr->seg + c->pagezero;
		lazy[nlazy].off = lazy_ptr_addr(c, i) - lseg->vmaddr;
		lazy[nlazy].name = s->name;
		lazy[nlazy].ordinal = bind_ordinal(s);
		lazy[nlazy].flags = s->weak_ref ? BIND_SYMBOL_FLAGS_WEAK_IMPORT : 0;
		nlazy++;
	}
	*offs = calloc(nlazy + 1, sizeof **offs);
	if (!*offs || lazy_bind_encode(lazy, nlazy, &c->lazy_bind, *offs)) {
		free(*offs);
		*offs = NULL;
		free(lazy);
		return diag_error(c->diag, "out of memory");
	}
	c->lazy_e = lazy;
	c->nlazy_e = nlazy;
	return 0;
}

/* Under chained fixups there is no lazy binding: each stub jumps through
 * its symbol's GOT slot, which dyld binds at load time. */
static int stubs_write_chained(struct link_ctx *c)
{
	for (size_t i = 0; i < c->nstubs; i++) {
		uint64_t stub = stub_addr(c, i);
		c->ops->write_stub(out_at(c, c->stubs, stub), stub,
				   got_slot_addr(c, c->stub_syms[i]));
	}
	return 0;
}

int stubs_write(struct link_ctx *c)
{
	if (!c->nstubs)
		return 0;
	if (c->chained)
		return stubs_write_chained(c);
	uint32_t *offs;
	if (encode_lazy_binds(c, &offs))
		return -1;
	const struct arch_ops *ops = c->ops;
	size_t k = 0;
	for (size_t i = 0; i < c->nstubs; i++) {
		struct symbol *s = c->stub_syms[i];
		uint64_t stub = stub_addr(c, i);
		uint64_t lp = lazy_ptr_addr(c, i);
		ops->write_stub(out_at(c, c->stubs, stub), stub, lp);
		if (!stub_is_lazy(s)) {
			if (pointer_slot_write(c, c->la_ptr, lp, s))
				goto fail;
			continue;
		}
		uint64_t entry = helper_entry_addr(c, k);
		c->lazy_offsets[i] = offs[k];
		ops->write_helper_entry(out_at(c, c->stub_helper, entry), entry,
					c->stub_helper->addr, offs[k]);
		wr64(out_at(c, c->la_ptr, lp), entry);
		if (fixup_add(c, FIX_REBASE, lp, NULL, 0) ||
		    fixup_add(c, FIX_LAZY_BIND, lp, s, 0))
			goto fail;
		k++;
	}
	if (k)
		ops->write_helper_header(out_at(c, c->stub_helper, c->stub_helper->addr),
					 c->stub_helper->addr,
					 symbol_addr(c, c->dyld_private),
					 got_slot_addr(c, c->dyld_stub_binder));
	free(offs);
	return 0;
fail:
	free(offs);
	return -1;
}
