/*
 * dylib_exports.c - the exported names of a binary dylib: from the export
 * trie when the dylib has one (LC_DYLD_INFO[_ONLY] export_off/size or
 * LC_DYLD_EXPORTS_TRIE), else from the symbol table's external definitions.
 *
 * The trie is walked depth-first with an explicit stack (at most
 * DM_TRIE_MAX_DEPTH levels, as dyld), and every node may be reached once:
 * a second visit is a loop or a shared node, both rejected. ULEBs,
 * terminal info, edge labels and child offsets are bounded by the trie.
 * Leaves out: export addresses, resolvers and re-export ordinals (read
 * and bounds-checked, then dropped: a link needs names and kinds only).
 */
#include "dylib_macho.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/bytes.h"
#include "../base/macho.h"
#include "../dyld/leb.h"

struct frame {
	uint32_t node;    /* trie offset of the node, for messages */
	size_t prefix;    /* length of its name in the prefix buffer */
	size_t cursor;    /* trie offset of its next child entry */
	unsigned left;    /* children not yet taken */
};

struct walk {
	struct dm_ctx *c;
	const uint8_t *t; /* the trie */
	size_t size;
	uint8_t *seen;    /* one bit per trie byte: a node starts there */
	struct buf name;  /* the prefix of the node being read */
	struct frame stack[DM_TRIE_MAX_DEPTH];
	unsigned depth;
};

/* A file offset (relative to the slice) of trie offset `o`. */
static uint64_t at(const struct walk *w, uint64_t o)
{
	return (uint64_t)w->c->trie_off + o;
}

static int uleb(struct walk *w, size_t end, size_t *pos, uint64_t *v,
		uint32_t node, const char *what)
{
	const char *err = NULL;
	size_t start = *pos;
	if (uleb_get(w->t, end, pos, v, &err) == 0)
		return 0;
	return dm_fail(w->c, at(w, start), "export trie node at 0x%" PRIx32
		       ": %s: %s%s", node, what, err,
		       end < w->size ? " (of the terminal info)" : "");
}

/* The terminal info of the node at `node`: adds the export when there is
 * one, and sets *children to the offset of the child count. */
static int terminal(struct walk *w, uint32_t node, size_t *children)
{
	size_t pos = node;
	uint64_t tsize;
	if (uleb(w, w->size, &pos, &tsize, node, "terminal size"))
		return -1;
	if (tsize >= w->size - pos) /* the child count follows it */
		return dm_fail(w->c, at(w, node), "export trie node at 0x%"
			       PRIx32 ": terminal size %" PRIu64 " runs past "
			       "the end of the trie (size 0x%zx)", node, tsize,
			       w->size);
	size_t end = pos + (size_t)tsize;
	*children = end;
	if (tsize == 0)
		return 0;
	uint64_t flags, v;
	if (uleb(w, end, &pos, &flags, node, "flags"))
		return -1;
	if (flags & EXPORT_SYMBOL_FLAGS_REEXPORT) {
		if (uleb(w, end, &pos, &v, node, "re-export ordinal"))
			return -1;
		if (!memchr(w->t + pos, 0, end - pos))
			return dm_fail(w->c, at(w, pos), "export trie node at 0x%"
				       PRIx32 ": re-exported name runs past its "
				       "terminal info", node);
	} else {
		if (uleb(w, end, &pos, &v, node, "address"))
			return -1;
		if ((flags & EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER) &&
		    uleb(w, end, &pos, &v, node, "resolver"))
			return -1;
	}
	uint64_t k = flags & EXPORT_SYMBOL_FLAGS_KIND_MASK;
	if (k == 3)
		return dm_fail(w->c, at(w, node), "export trie node at 0x%"
			       PRIx32 ": unknown export kind 3 (flags 0x%" PRIx64
			       ")", node, flags);
	enum dylib_sym_kind kind = DYSYM_REGULAR;
	if (k == EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL)
		kind = DYSYM_TLV;
	else if (flags & EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION)
		kind = DYSYM_WEAK;
	return dm_add_symbol(w->c, (const char *)w->name.data, w->name.len,
			     kind, at(w, node));
}

/* Enters the node at `node` whose name is the prefix buffer's first
 * `prefix` bytes. */
static int enter(struct walk *w, uint64_t node, size_t prefix, uint64_t from)
{
	if (node >= w->size)
		return dm_fail(w->c, at(w, from), "export trie child offset 0x%"
			       PRIx64 " is outside the trie (size 0x%zx)", node,
			       w->size);
	uint32_t n = (uint32_t)node;
	if (w->seen[n / 8] & (1u << (n % 8)))
		return dm_fail(w->c, at(w, from), "export trie node at 0x%" PRIx32
			       " is reached twice (a loop or a shared node)", n);
	w->seen[n / 8] |= (uint8_t)(1u << (n % 8));
	if (w->depth == DM_TRIE_MAX_DEPTH)
		return dm_fail(w->c, at(w, from), "export trie is deeper than %d "
			       "levels", DM_TRIE_MAX_DEPTH);
	w->name.len = prefix;
	size_t children = 0;
	if (terminal(w, n, &children))
		return -1;
	struct frame *f = &w->stack[w->depth++];
	f->node = n;
	f->prefix = prefix;
	f->cursor = children + 1;
	f->left = w->t[children];
	return 0;
}

/* Takes the next child of the top frame: its edge label and offset. */
static int next_child(struct walk *w)
{
	struct frame *f = &w->stack[w->depth - 1];
	size_t entry = f->cursor;
	if (entry >= w->size)
		return dm_fail(w->c, at(w, f->node), "export trie node at 0x%"
			       PRIx32 ": its children run past the end of the "
			       "trie", f->node);
	const uint8_t *nul = memchr(w->t + entry, 0, w->size - entry);
	if (!nul)
		return dm_fail(w->c, at(w, entry), "export trie node at 0x%"
			       PRIx32 ": edge label runs past the end of the "
			       "trie", f->node);
	size_t len = (size_t)(nul - (w->t + entry));
	size_t pos = entry + len + 1;
	uint64_t child;
	if (uleb(w, w->size, &pos, &child, f->node, "child offset"))
		return -1;
	f->cursor = pos;
	f->left--;
	w->name.len = f->prefix;
	if (buf_append(&w->name, w->t + entry, len))
		return dm_fail(w->c, at(w, entry), "out of memory");
	return enter(w, child, f->prefix + len, entry);
}

static int read_trie(struct dm_ctx *c)
{
	struct walk *w = calloc(1, sizeof *w);
	if (!w)
		return dm_fail(c, c->trie_cmd, "out of memory");
	w->c = c;
	w->t = c->p + c->trie_off;
	w->size = c->trie_size;
	w->seen = calloc(w->size / 8 + 1, 1);
	buf_init(&w->name);
	int rc = w->seen ? enter(w, 0, 0, 0) :
			   dm_fail(c, c->trie_cmd, "out of memory");
	while (rc == 0 && w->depth) {
		if (w->stack[w->depth - 1].left == 0)
			w->depth--;
		else
			rc = next_child(w);
	}
	buf_release(&w->name);
	free(w->seen);
	free(w);
	return rc;
}

/* Without a trie: every nlist_64 that is external (N_EXT, not N_PEXT),
 * defined (not N_UNDF) and not a STAB or N_INDR. */
static int read_symtab(struct dm_ctx *c)
{
	if (!c->have_symtab)
		return 0;
	const uint8_t *str = c->p + c->stroff;
	for (uint32_t i = 0; i < c->nsyms_tab; i++) {
		uint64_t e = c->symoff + (uint64_t)i * NLIST_64_SIZE;
		const uint8_t *n = c->p + e;
		uint8_t type = n[4], sect = n[5];
		uint16_t desc = rd16(n + 6);
		if ((type & N_STAB) || !(type & N_EXT) || (type & N_PEXT) ||
		    (type & N_TYPE) == N_UNDF || (type & N_TYPE) == N_INDR)
			continue;
		uint32_t strx = rd32(n);
		if (strx >= c->strsize)
			return dm_fail(c, e, "symbol %" PRIu32 ": n_strx %" PRIu32
				       " is outside the string table (size %"
				       PRIu32 ")", i, strx, c->strsize);
		const uint8_t *nul = memchr(str + strx, 0, c->strsize - strx);
		if (!nul)
			return dm_fail(c, e, "symbol %" PRIu32 ": name is not "
				       "NUL-terminated inside the string table", i);
		enum dylib_sym_kind kind = DYSYM_REGULAR;
		if ((type & N_TYPE) == 0xe /* N_SECT */ && sect >= 1 &&
		    sect <= c->nsects &&
		    c->sect_type[sect] == S_THREAD_LOCAL_VARIABLES)
			kind = DYSYM_TLV;
		else if (desc & N_WEAK_DEF)
			kind = DYSYM_WEAK;
		if (dm_add_symbol(c, (const char *)(str + strx),
				  (size_t)(nul - (str + strx)), kind, e))
			return -1;
	}
	return 0;
}

int dm_read_exports(struct dm_ctx *c)
{
	return c->have_trie ? read_trie(c) : read_symtab(c);
}
