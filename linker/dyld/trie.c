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

#include "../base/macho.h"
#include "leb.h"

struct tnode {
	size_t entry;    /* index into the entries, or SIZE_MAX */
	size_t edge0;    /* first of nedges consecutive edges */
	size_t nedges;
	uint64_t offset; /* in the serialized trie */
};

struct tedge {
	const char *label; /* not NUL-terminated: len bytes */
	size_t len;
	size_t child;      /* node index */
};

struct pending {        /* a node still to be built */
	size_t lo, hi, pos;
	size_t edge;       /* the parent's edge to it, or SIZE_MAX (root) */
};

struct trie {
	const struct export_entry *e;
	size_t *len;       /* strlen of each name */
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
	nd->entry = SIZE_MAX;
	nd->offset = 0;
	if (p.edge != SIZE_MAX)
		t->edge[p.edge].child = id;
	if (p.lo < p.hi && t->len[p.lo] == p.pos)
		nd->entry = p.lo++;

	/* count the groups, then give them consecutive edges */
	size_t groups = 0;
	for (size_t a = p.lo; a < p.hi; groups++) {
		char c = t->e[a].name[p.pos];
		while (a < p.hi && t->e[a].name[p.pos] == c)
			a++;
	}
	nd->edge0 = t->nedges;
	nd->nedges = groups;
	t->nedges += groups;

	size_t g = 0;
	for (size_t a = p.lo; a < p.hi; g++) {
		const char *first = t->e[a].name;
		size_t b = a + 1;
		while (b < p.hi && t->e[b].name[p.pos] == first[p.pos])
			b++;
		size_t lcp = common_prefix(first, t->e[b - 1].name, p.pos);
		struct tedge *ed = &t->edge[nd->edge0 + g];
		ed->label = first + p.pos;
		ed->len = lcp - p.pos;
		ed->child = SIZE_MAX;
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

static uint64_t node_size(const struct trie *t, const struct tnode *nd)
{
	uint64_t size = 1; /* child count */
	if (nd->entry == SIZE_MAX) {
		size += 1;
	} else {
		uint64_t ts = terminal_size(&t->e[nd->entry]);
		size += uleb_size(ts) + ts;
	}
	for (size_t i = 0; i < nd->nedges; i++) {
		const struct tedge *ed = &t->edge[nd->edge0 + i];
		size += ed->len + 1 + uleb_size(t->node[ed->child].offset);
	}
	return size;
}

/* Iterates the layout to its fixed point; returns the total size. */
static uint64_t layout(struct trie *t)
{
	for (;;) {
		uint64_t off = 0;
		int changed = 0;
		for (size_t i = 0; i < t->nnodes; i++) {
			struct tnode *nd = &t->node[i];
			if (nd->offset != off)
				changed = 1;
			nd->offset = off;
			off += node_size(t, nd);
		}
		if (!changed)
			return off;
	}
}

static void write_node(const struct trie *t, const struct tnode *nd,
		       struct buf *out)
{
	if (nd->entry == SIZE_MAX) {
		buf_u8(out, 0);
	} else {
		const struct export_entry *x = &t->e[nd->entry];
		uleb_put(out, terminal_size(x));
		uleb_put(out, x->flags);
		uleb_put(out, x->address);
	}
	buf_u8(out, (uint8_t)nd->nedges);
	for (size_t i = 0; i < nd->nedges; i++) {
		const struct tedge *ed = &t->edge[nd->edge0 + i];
		buf_append(out, ed->label, ed->len);
		buf_u8(out, 0);
		uleb_put(out, t->node[ed->child].offset);
	}
}

int trie_encode(struct export_entry *e, size_t n, struct buf *out)
{
	if (n == 0)
		return buf_failed(out) ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		if (!e[i].name || (e[i].flags & (EXPORT_SYMBOL_FLAGS_REEXPORT |
				  EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER)))
			return -1;
	qsort(e, n, sizeof *e, cmp_export);
	for (size_t i = 1; i < n; i++)
		if (strcmp(e[i - 1].name, e[i].name) == 0)
			return -1; /* names must be distinct */

	/* every node but the root is terminal or branches: <= 2n nodes */
	struct trie t = { .e = e };
	int rc = -1;
	if (n > SIZE_MAX / 2 / sizeof(struct tnode) - 1)
		return -1;
	t.len = malloc(n * sizeof *t.len);
	t.node = malloc((2 * n + 1) * sizeof *t.node);
	t.edge = malloc(2 * n * sizeof *t.edge);
	t.stack = malloc((2 * n + 1) * sizeof *t.stack);
	if (!t.len || !t.node || !t.edge || !t.stack)
		goto done;
	for (size_t i = 0; i < n; i++)
		t.len[i] = strlen(e[i].name);

	t.stack[t.depth++] = (struct pending){ 0, n, 0, SIZE_MAX };
	while (t.depth)
		build_one(&t, t.stack[--t.depth]);

	uint64_t size = layout(&t);
	size_t start = out->len;
	for (size_t i = 0; i < t.nnodes; i++)
		write_node(&t, &t.node[i], out);
	if (!buf_failed(out) && out->len - start != size)
		goto done; /* layout and writer disagree: a bug */
	buf_align(out, 8);
	rc = buf_failed(out) ? -1 : 0;
done:
	free(t.len);
	free(t.node);
	free(t.edge);
	free(t.stack);
	return rc;
}
