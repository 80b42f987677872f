/*
 * bind.c - encode binds, weak binds and lazy binds as LC_DYLD_INFO opcodes.
 *
 * Non-lazy and weak binds: entries are sorted by (name, seg, off) and turned
 * into a list of opcodes where state (ordinal, symbol+flags, type, segment
 * and offset, addend) appears only when it changes, in ld64's order. The
 * list is then compacted as lld does: DO_BIND followed by ADD_ADDR_ULEB
 * becomes DO_BIND_ADD_ADDR_ULEB, runs of equal DO_BIND_ADD_ADDR_ULEB become
 * DO_BIND_ULEB_TIMES_SKIPPING_ULEB, and small word-multiple skips
 * DO_BIND_ADD_ADDR_IMM_SCALED. Going backwards within a segment re-sets the
 * segment and offset instead of adding a wrapped-around ULEB.
 * Lazy binds: one self-contained record per entry, in the given order.
 * Leaves out: BIND_TYPE_TEXT_*, threaded binds, 32-bit targets.
 */
#include "bind.h"

#include <stdlib.h>
#include <string.h>

#include "../base/hugepage.h"
#include "../base/macho.h"
#include "leb.h"

enum { WORD = 8 };

/* One opcode before encoding. `op` carries its immediate already. */
struct bind_ir {
	uint8_t op;
	uint64_t data;       /* ULEB/SLEB operand, or skip */
	uint64_t count;      /* DO_BIND_ULEB_TIMES_SKIPPING_ULEB */
	const char *name;    /* SET_SYMBOL_TRAILING_FLAGS_IMM */
};

/* The part of dyld's bind state the encoder tracks. */
struct bind_state {
	int have_ordinal, have_symbol, have_type, have_seg;
	int32_t ordinal;
	const char *name;
	uint8_t flags;
	uint32_t seg;
	uint64_t off;        /* dyld's current offset */
	int64_t addend;
};

static int cmp_bind(const void *pa, const void *pb)
{
	const struct bind_entry *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	/* duplicates of one location: a fixed order for determinism */
	if (a->ordinal != b->ordinal)
		return a->ordinal < b->ordinal ? -1 : 1;
	if (a->flags != b->flags)
		return a->flags < b->flags ? -1 : 1;
	if (a->addend != b->addend)
		return a->addend < b->addend ? -1 : 1;
	return 0;
}

static void put_ordinal(struct buf *out, int32_t ordinal)
{
	if (ordinal <= 0) {
		/* ld64: the negative value's low nibble; -2 -> 0x3e */
		buf_u8(out, (uint8_t)(BIND_OPCODE_SET_DYLIB_SPECIAL_IMM |
				      ((uint32_t)ordinal & BIND_IMMEDIATE_MASK)));
	} else if (ordinal <= (int32_t)BIND_IMMEDIATE_MASK) {
		buf_u8(out, (uint8_t)(BIND_OPCODE_SET_DYLIB_ORDINAL_IMM |
				      (uint32_t)ordinal));
	} else {
		buf_u8(out, BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB);
		uleb_put(out, (uint64_t)ordinal);
	}
}

static void put_symbol(struct buf *out, const char *name, uint8_t flags)
{
	buf_u8(out, (uint8_t)(BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM |
			      (flags & BIND_IMMEDIATE_MASK)));
	buf_append(out, name, strlen(name) + 1);
}

/*
 * Appends the opcodes that make dyld's state match `e` and bind it.
 * `ir` has room for 6 more ops; returns the new count.
 */
static size_t lower_entry(struct bind_ir *ir, size_t k, struct bind_state *st,
			  const struct bind_entry *e, int with_ordinal)
{
	if (with_ordinal && (!st->have_ordinal || st->ordinal != e->ordinal)) {
		ir[k++] = (struct bind_ir){ .op = BIND_OPCODE_SET_DYLIB_ORDINAL_IMM,
					    .data = (uint64_t)(int64_t)e->ordinal };
		st->have_ordinal = 1;
		st->ordinal = e->ordinal;
	}
	if (!st->have_symbol || st->flags != e->flags ||
	    strcmp(st->name, e->name) != 0) {
		ir[k++] = (struct bind_ir){
			.op = (uint8_t)(BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM |
					(e->flags & BIND_IMMEDIATE_MASK)),
			.name = e->name };
		st->have_symbol = 1;
		st->name = e->name;
		st->flags = e->flags;
	}
	/* a strong definition overriding weak ones: the name only */
	if (e->seg == UINT32_MAX)
		return k;
	if (!st->have_type) {
		ir[k++] = (struct bind_ir){
			.op = BIND_OPCODE_SET_TYPE_IMM | BIND_TYPE_POINTER };
		st->have_type = 1;
	}
	if (!st->have_seg || st->seg != e->seg || e->off < st->off) {
		ir[k++] = (struct bind_ir){
			.op = (uint8_t)(BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB |
					e->seg),
			.data = e->off };
		st->have_seg = 1;
		st->seg = e->seg;
	} else if (e->off != st->off) {
		ir[k++] = (struct bind_ir){ .op = BIND_OPCODE_ADD_ADDR_ULEB,
					    .data = e->off - st->off };
	}
	if (st->addend != e->addend) {
		ir[k++] = (struct bind_ir){ .op = BIND_OPCODE_SET_ADDEND_SLEB,
					    .data = (uint64_t)e->addend };
		st->addend = e->addend;
	}
	ir[k++] = (struct bind_ir){ .op = BIND_OPCODE_DO_BIND };
	st->off = e->off + WORD; /* DO_BIND advances by a pointer */
	return k;
}

/* lld's three peephole passes; returns the new count. */
static size_t compact(struct bind_ir *ir, size_t n)
{
	size_t w = 0;
	/* 1: DO_BIND, ADD_ADDR_ULEB x -> DO_BIND_ADD_ADDR_ULEB x */
	for (size_t i = 0; i < n; i++) {
		if (ir[i].op == BIND_OPCODE_DO_BIND && i + 1 < n &&
		    ir[i + 1].op == BIND_OPCODE_ADD_ADDR_ULEB) {
			ir[w++] = (struct bind_ir){
				.op = BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB,
				.data = ir[i + 1].data };
			i++;
		} else {
			ir[w++] = ir[i];
		}
	}
	n = w;
	/* 2: two or more equal DO_BIND_ADD_ADDR_ULEB -> TIMES_SKIPPING */
	w = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		if (ir[i].op == BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB)
			while (j < n &&
			       ir[j].op == BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB &&
			       ir[j].data == ir[i].data)
				j++;
		if (j - i >= 2) {
			ir[w++] = (struct bind_ir){
				.op = BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB,
				.data = ir[i].data, .count = j - i };
		} else {
			ir[w++] = ir[i];
		}
		i = j;
	}
	n = w;
	/* 3: small word-multiple skips fit the immediate. ld64 and lld
	 * require fewer than 15 words; we do the same. */
	for (size_t i = 0; i < n; i++) {
		if (ir[i].op == BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB &&
		    ir[i].data % WORD == 0 &&
		    ir[i].data / WORD < BIND_IMMEDIATE_MASK) {
			ir[i].op = (uint8_t)(BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED |
					     ir[i].data / WORD);
		}
	}
	return n;
}

static void flush(struct buf *out, const struct bind_ir *ir, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bind_ir *p = &ir[i];
		switch (p->op & BIND_OPCODE_MASK) {
		case BIND_OPCODE_SET_DYLIB_ORDINAL_IMM:
			put_ordinal(out, (int32_t)(int64_t)p->data);
			break;
		case BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM:
			put_symbol(out, p->name, p->op & BIND_IMMEDIATE_MASK);
			break;
		case BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB:
		case BIND_OPCODE_ADD_ADDR_ULEB:
		case BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB:
			buf_u8(out, p->op);
			uleb_put(out, p->data);
			break;
		case BIND_OPCODE_SET_ADDEND_SLEB:
			buf_u8(out, p->op);
			sleb_put(out, (int64_t)p->data);
			break;
		case BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB:
			buf_u8(out, p->op);
			uleb_put(out, p->count);
			uleb_put(out, p->data);
			break;
		default: /* SET_TYPE_IMM, DO_BIND, DO_BIND_ADD_ADDR_IMM_SCALED */
			buf_u8(out, p->op);
			break;
		}
	}
}

static int check_entry(const struct bind_entry *e, int allow_no_addr)
{
	if (!e->name)
		return -1;
	if (allow_no_addr && e->seg == UINT32_MAX)
		return 0;
	return e->seg > BIND_IMMEDIATE_MASK ? -1 : 0;
}

static int encode(struct bind_entry *e, size_t n, struct buf *out,
		  int weak)
{
	if (n == 0)
		return buf_failed(out) ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		if (check_entry(&e[i], weak))
			return -1;
	if (n > SIZE_MAX / 6 / sizeof(struct bind_ir))
		return -1;
	struct bind_ir *ir = huge_malloc(6 * n * sizeof *ir);
	if (!ir)
		return -1;
	qsort(e, n, sizeof *e, cmp_bind);
	struct bind_state st = { 0 };
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k = lower_entry(ir, k, &st, &e[i], !weak);
	k = compact(ir, k);
	flush(out, ir, k);
	free(ir);
	buf_u8(out, BIND_OPCODE_DONE);
	buf_align(out, 8);
	return buf_failed(out) ? -1 : 0;
}

int bind_encode(struct bind_entry *e, size_t n, struct buf *out)
{
	return encode(e, n, out, 0);
}

int weak_bind_encode(struct bind_entry *e, size_t n, struct buf *out)
{
	return encode(e, n, out, 1);
}

int lazy_bind_encode(const struct bind_entry *e, size_t n, struct buf *out,
		     uint32_t *offsets)
{
	if (n == 0)
		return buf_failed(out) ? -1 : 0;
	size_t base = out->len;
	for (size_t i = 0; i < n; i++) {
		if (check_entry(&e[i], 0))
			return -1;
		if (out->len - base > UINT32_MAX)
			return -1;
		offsets[i] = (uint32_t)(out->len - base);
		buf_u8(out, (uint8_t)(BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB |
				      e[i].seg));
		uleb_put(out, e[i].off);
		put_ordinal(out, e[i].ordinal);
		put_symbol(out, e[i].name, e[i].flags);
		if (e[i].addend) { /* never produced by clang; kept exact */
			buf_u8(out, BIND_OPCODE_SET_ADDEND_SLEB);
			sleb_put(out, e[i].addend);
		}
		buf_u8(out, BIND_OPCODE_DO_BIND);
		buf_u8(out, BIND_OPCODE_DONE);
	}
	buf_align(out, 8);
	return buf_failed(out) ? -1 : 0;
}
