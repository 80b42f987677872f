/*
 * trie.c - build and serialize the export trie.
 *
 * From names sorted by strcmp, a node covering entries [lo, hi) that share
 * a prefix of `pos` bytes is terminal when names[lo] ends at `pos`; the
 * rest are grouped by their byte at `pos`, and each group hangs off an edge
 * labelled with the group's longest common prefix. Children therefore come
 * in byte order of their labels. Nodes are laid out root first in
 * depth-first preorder (as lld lays them out), and node offsets - ULEBs
 * that size each other - are recomputed until none changes.
 * The build uses an explicit stack, so deep tries cannot exhaust the C
 * stack. Leaves out: re-export and stub-and-resolver terminals (rejected).
 */
#include "trie.h"

#include <stdlib.h>
#include <string.h>

#include "../base/hugepage.h"
#include "../base/macho.h"
#include "leb.h"

/* 32-bit indexes and offsets keep the build's memory small (a link may
 * export hundreds of thousands of names); trie_encode checks the bounds. */
enum { NONE = UINT32_MAX };

struct tnode {
	uint32_t entry;    /* index into the entries, or NONE */
	uint32_t edge0;    /* first of nedges consecutive edges */
	uint32_t nedges;
	uint32_t offset;   /* in the serialized trie */
	uint32_t fixed;    /* its size but for the children's offsets */
};

struct tedge {
	const char *label; /* not NUL-terminated: len bytes */
	uint32_t len;
	uint32_t child;    /* node index */
};

struct pending {          /* a node still to be built */
	uint32_t lo, hi, pos;
	uint32_t edge;     /* the parent's edge to it, or NONE (root) */
};

struct trie {
	const struct export_entry *e;
	const char **name; /* e[i].name, copied next to each other */
	uint32_t *len;     /* strlen of each name */
	struct tnode *node;
	size_t nnodes;
	struct tedge *edge;
	size_t nedges;
	struct pending *stack;
	size_t depth;
};

static int cmp_export(const void *pa, const void *pb)
{
	const struct export_entry *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

static size_t common_prefix(const char *a, const char *b, size_t from)
{
	while (a[from] && a[from] == b[from])
		from++;
	return from;
}

/* Builds node for `p`; pushes its children (first child on top). */
static void build_one(struct trie *t, struct pending p)
{
	size_t id = t->nnodes++;
	struct tnode *nd = &t->node[id];
	nd->entry = NONE;
	nd->offset = 0;
	if (p.edge != NONE)
		t->edge[p.edge].child = (uint32_t)id;
	if (p.lo < p.hi && t->len[p.lo] == p.pos)
		nd->entry = p.lo++;

	/* count the groups, then give them consecutive edges */
	uint32_t groups = 0;
	for (uint32_t a = p.lo; a < p.hi; groups++) {
		char c = t->name[a][p.pos];
		while (a < p.hi && t->name[a][p.pos] == c)
			a++;
	}
	nd->edge0 = (uint32_t)t->nedges;
	nd->nedges = groups;
	t->nedges += groups;

	uint32_t g = 0;
	for (uint32_t a = p.lo; a < p.hi; g++) {
		const char *first = t->name[a];
		uint32_t b = a + 1;
		while (b < p.hi && t->name[b][p.pos] == first[p.pos])
			b++;
		uint32_t lcp = (uint32_t)common_prefix(first, t->name[b - 1], p.pos);
		struct tedge *ed = &t->edge[nd->edge0 + g];
		ed->label = first + p.pos;
		ed->len = lcp - p.pos;
		ed->child = NONE;
		/* reversed on the stack so the first group pops first */
		t->stack[t->depth + groups - 1 - g] =
			(struct pending){ a, b, lcp, nd->edge0 + g };
		a = b;
	}
	t->depth += groups;
}

static uint64_t terminal_size(const struct export_entry *x)
{
	return uleb_size(x->flags) + uleb_size(x->address);
}

/* A node's size but for the ULEBs of its children's offsets, which the
 * layout iterates on. */
static uint64_t fixed_size(const struct trie *t, const struct tnode *nd)
{
	uint64_t size = 1; /* child count */
	if (nd->entry == NONE) {
		size += 1;
	} else {
		uint64_t ts = terminal_size(&t->e[nd->entry]);
		size += uleb_size(ts) + ts;
	}
	for (size_t i = 0; i < nd->nedges; i++)
		size += t->edge[nd->edge0 + i].len + 1;
	return size;
}

/* Iterates the layout to its fixed point; returns the total size, or
 * UINT64_MAX if an offset or a node's size does not fit the 32 bits kept
 * for it. */
static uint64_t layout(struct trie *t)
{
	for (size_t i = 0; i < t->nnodes; i++) {
		uint64_t f = fixed_size(t, &t->node[i]);
		if (f >= NONE)
			return UINT64_MAX;
		t->node[i].fixed = (uint32_t)f;
	}
	for (;;) {
		uint64_t off = 0;
		int changed = 0;
		for (size_t i = 0; i < t->nnodes; i++) {
			struct tnode *nd = &t->node[i];
			if (off >= NONE)
				return UINT64_MAX;
			if (nd->offset != off)
				changed = 1;
			nd->offset = (uint32_t)off;
			off += nd->fixed;
			const struct tedge *ed = &t->edge[nd->edge0];
			for (size_t k = 0; k < nd->nedges; k++)
				off += uleb_size(t->node[ed[k].child].offset);
		}
		if (!changed)
			return off;
	}
}

/* Writes the node at p (room reserved: the layout sized it); returns the
 * end of what it wrote. */
static uint8_t *write_node(const struct trie *t, const struct tnode *nd,
			   uint8_t *p)
{
	if (nd->entry == NONE) {
		*p++ = 0;
	} else {
		const struct export_entry *x = &t->e[nd->entry];
		p = uleb_write(p, terminal_size(x));
		p = uleb_write(p, x->flags);
		p = uleb_write(p, x->address);
	}
	*p++ = (uint8_t)nd->nedges;
	for (size_t i = 0; i < nd->nedges; i++) {
		const struct tedge *ed = &t->edge[nd->edge0 + i];
		memcpy(p, ed->label, ed->len);
		p += ed->len;
		*p++ = 0;
		p = uleb_write(p, t->node[ed->child].offset);
	}
	return p;
}

/*
 * Copies the names next to each other (the linker's names lie all over
 * its inputs; the build reads each many times) and notes their lengths.
 * Returns 0, or -1 when out of memory or a name is too long.
 */
static int pack_names(struct trie *t, size_t n, struct buf *packed)
{
	enum { AHEAD = 16 };
	size_t *off = huge_malloc(n * sizeof *off);
	if (!off)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (i + AHEAD < n)
			__builtin_prefetch(t->e[i + AHEAD].name);
		size_t l = strlen(t->e[i].name);
		if (l >= NONE) {
			free(off);
			return -1;
		}
		t->len[i] = (uint32_t)l;
		off[i] = packed->len;
		buf_append(packed, t->e[i].name, l + 1);
	}
	if (!buf_failed(packed))
		for (size_t i = 0; i < n; i++)
			t->name[i] = (const char *)packed->data + off[i];
	free(off);
	return buf_failed(packed) ? -1 : 0;
}

int trie_encode(struct export_entry *e, size_t n, struct buf *out)
{
	if (n == 0)
		return buf_failed(out) ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		if (!e[i].name || (e[i].flags & (EXPORT_SYMBOL_FLAGS_REEXPORT |
				  EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER)))
			return -1;

	/* every node but the root is terminal or branches: <= 2n nodes */
	struct trie t = { .e = e };
	struct buf packed;
	buf_init(&packed);
	int rc = -1;
	if (n > NONE / 2 - 1 || n > SIZE_MAX / 2 / sizeof(struct pending) - 1)
		return -1;
	t.name = huge_malloc(n * sizeof *t.name);
	t.len = malloc(n * sizeof *t.len);
	t.node = huge_malloc((2 * n + 1) * sizeof *t.node);
	t.edge = huge_malloc(2 * n * sizeof *t.edge);
	t.stack = huge_malloc((2 * n + 1) * sizeof *t.stack);
	if (!t.name || !t.len || !t.node || !t.edge || !t.stack || pack_names(&t, n, &packed))
		goto done;
	size_t k = 1;
	while (k < n && strcmp(t.name[k - 1], t.name[k]) < 0)
		k++;
	if (k < n) { /* not already sorted (the linker passes them sorted) */
		qsort(e, n, sizeof *e, cmp_export);
		for (k = 1; k < n; k++)
			if (strcmp(e[k - 1].name, e[k].name) == 0)
				goto done; /* names must be distinct */
		packed.len = 0;
		if (pack_names(&t, n, &packed))
			goto done;
	}

	t.stack[t.depth++] = (struct pending){ 0, (uint32_t)n, 0, NONE };
	while (t.depth)
		build_one(&t, t.stack[--t.depth]);

	uint64_t size = layout(&t);
	if (size == UINT64_MAX || size > SIZE_MAX - 8 || buf_reserve(out, (size_t)size + 8))
		goto done;
	uint8_t *start = out->data + out->len, *p = start;
	for (size_t i = 0; i < t.nnodes; i++) {
		if ((size_t)(p - start) != t.node[i].offset)
			goto done; /* layout and writer disagree: a bug */
		p = write_node(&t, &t.node[i], p);
	}
	if ((size_t)(p - start) != size)
		goto done;
	out->len += (size_t)size;
	buf_align(out, 8);
	rc = buf_failed(out) ? -1 : 0;
done:
	free(t.name);
	free(t.len);
	free(t.node);
	free(t.edge);
	free(t.stack);
	buf_release(&packed);
	return rc;
}
