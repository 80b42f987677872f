/*
 * buf.h - a growable byte buffer with a sticky out-of-memory flag.
 *
 * Encoders append without checking every call; the first allocation failure
 * sets `oom`, later appends become no-ops, and the caller checks once at the
 * end (buf_failed). Leaves out: shrinking, views, reference counting.
 *
 * Invariant: data[0..len) is valid; cap >= len; data == NULL iff cap == 0.
 */
#ifndef LINKFS_BUF_H
#define LINKFS_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int oom; /* set once an allocation failed; never cleared */
};

void buf_init(struct buf *b);
/* Frees the storage and resets to empty. */
void buf_release(struct buf *b);
/* Hands the storage to the caller (who frees it with free()); b is reset. */
uint8_t *buf_detach(struct buf *b, size_t *len);

/* All return 0, or -1 with b->oom set. */
int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_zero(struct buf *b, size_t n);
int buf_align(struct buf *b, size_t align); /* zero-pads len to a multiple */
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

static inline int buf_failed(const struct buf *b) { return b->oom; }

static inline int buf_u8(struct buf *b, uint8_t v) { return buf_append(b, &v, 1); }
static inline int buf_u16(struct buf *b, uint16_t v)
{
	uint8_t t[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	return buf_append(b, t, 2);
}
static inline int buf_u32(struct buf *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };
	return buf_append(b, t, 4);
}
static inline int buf_u64(struct buf *b, uint64_t v)
{
	return buf_u32(b, (uint32_t)v) | buf_u32(b, (uint32_t)(v >> 32));
}

#endif
