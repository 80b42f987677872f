/*
 * rebase.c - encode rebase locations as LC_DYLD_INFO rebase opcodes.
 *
 * The algorithm is lld's: after sorting, each segment's locations are cut
 * into evenly spaced sequences. A sequence is (count, stride) and is
 * flushed as DO_REBASE_IMM_TIMES / DO_REBASE_ULEB_TIMES (stride 8),
 * DO_REBASE_ADD_ADDR_ULEB (a single pointer followed by a gap) or
 * DO_REBASE_ULEB_TIMES_SKIPPING_ULEB (any other stride). Gaps between
 * sequences become ADD_ADDR_IMM_SCALED (multiple of 8, at most 15 words) or
 * ADD_ADDR_ULEB. The result is byte-identical to ld64.lld's for the same
 * locations. Leaves out: 32-bit pointers, REBASE_TYPE_TEXT_*.
 */
#include "rebase.h"

#include <stdlib.h>

#include "../base/hugepage.h"
#include "../base/macho.h"
#include "../base/radix.h"
#include "leb.h"

enum { WORD = 8 };

static int cmp_entry(const void *pa, const void *pb)
{
	const struct rebase_entry *a = pa, *b = pb;
	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return 0;
}

/* Sorts e[0..n) by (segment, offset). The link makes them in runs (one
 * per output section and object), already sorted inside, so a radix sort
 * of packed keys, which skips the bytes every key shares, does in one or
 * two passes what qsort does in log n. An offset of 2^48 or more does not
 * pack, and memory may run out: then qsort. */
static void sort_entries(struct rebase_entry *e, size_t n)
{
	size_t i = 1;
	while (i < n && cmp_entry(&e[i - 1], &e[i]) <= 0)
		i++;
	if (i >= n)
		return;
	for (i = 0; i < n && e[i].off >> 48 == 0; i++)
		;
	struct radix_item *v = i == n && n <= UINT32_MAX
				       ? huge_malloc(2 * n * sizeof *v) : NULL;
	if (v) {
		for (i = 0; i < n; i++) {
			v[i].key = (uint64_t)e[i].seg << 48 | e[i].off;
			v[i].index = (uint32_t)i;
		}
		radix_sort(v, v + n, n);
	}
	if (!v || radix_apply(e, sizeof *e, v, n))
		qsort(e, n, sizeof *e, cmp_entry);
	free(v);
}

/* Gap between the end of one sequence and the start of the next. */
static void emit_increment(struct buf *out, uint64_t incr)
{
	if (incr % WORD == 0 && incr / WORD <= REBASE_IMMEDIATE_MASK) {
		buf_u8(out, (uint8_t)(REBASE_OPCODE_ADD_ADDR_IMM_SCALED |
				      incr / WORD));
	} else {
		buf_u8(out, REBASE_OPCODE_ADD_ADDR_ULEB);
		uleb_put(out, incr);
	}
}

/* `count` pointers, each `stride` bytes after the previous. */
static void flush_sequence(struct buf *out, uint64_t count, uint64_t stride)
{
	if (stride == WORD) {
		if (count <= REBASE_IMMEDIATE_MASK) {
			buf_u8(out, (uint8_t)(REBASE_OPCODE_DO_REBASE_IMM_TIMES |
					      count));
		} else {
			buf_u8(out, REBASE_OPCODE_DO_REBASE_ULEB_TIMES);
			uleb_put(out, count);
		}
	} else if (count == 1) {
		buf_u8(out, REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB);
		uleb_put(out, stride - WORD);
	} else {
		buf_u8(out, REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB);
		uleb_put(out, count);
		uleb_put(out, stride - WORD);
	}
}

/* e[0..n): one segment, sorted, no duplicates, n >= 1. */
static void encode_segment(struct buf *out, const struct rebase_entry *e,
			   size_t n)
{
	buf_u8(out, (uint8_t)(REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB |
			      (e[0].seg & REBASE_IMMEDIATE_MASK)));
	uleb_put(out, e[0].off);

	/* The current sequence; it ends at the previous location. */
	uint64_t count = 1, stride = WORD;
	for (size_t i = 1; i < n; i++) {
		/* skip >= 1; pointers closer than 8 bytes overlap, which the
		 * caller must not ask for (the arithmetic then wraps, as in
		 * lld, and still decodes to the right offsets mod 2^64) */
		uint64_t skip = e[i].off - e[i - 1].off;
		if (skip == stride) {
			count++;
		} else if (count == 1) {
			/* a lone pointer takes the stride of its successor */
			count = 2;
			stride = skip;
		} else if (skip < stride) {
			/* the previous location starts a new, tighter run */
			flush_sequence(out, count - 1, stride);
			count = 2;
			stride = skip;
		} else {
			flush_sequence(out, count, stride);
			emit_increment(out, skip - stride);
			count = 1;
			stride = WORD;
		}
	}
	flush_sequence(out, count, stride);
}

int rebase_encode(struct rebase_entry *e, size_t *n, struct buf *out)
{
	if (*n == 0)
		return buf_failed(out) ? -1 : 0;
	for (size_t i = 0; i < *n; i++)
		if (e[i].seg > REBASE_IMMEDIATE_MASK)
			return -1; /* not encodable in the immediate */
	sort_entries(e, *n);
	size_t m = 1;
	for (size_t i = 1; i < *n; i++)
		if (cmp_entry(&e[i], &e[m - 1]) != 0)
			e[m++] = e[i];
	*n = m;

	buf_u8(out, REBASE_OPCODE_SET_TYPE_IMM | REBASE_TYPE_POINTER);
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		while (j < m && e[j].seg == e[i].seg)
			j++;
		encode_segment(out, e + i, j - i);
		i = j;
	}
	buf_u8(out, REBASE_OPCODE_DONE);
	buf_align(out, 8);
	return buf_failed(out) ? -1 : 0;
}
