/*
 * buf.c - growable byte buffer. See buf.h for the contract.
 */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hugepage.h"

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->oom = 0;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

uint8_t *buf_detach(struct buf *b, size_t *len)
{
	uint8_t *p = b->data;
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}

int buf_reserve(struct buf *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (extra <= b->cap - b->len)
		return 0;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->oom = 1;
		return -1;
	}
	size_t want = b->len + extra;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap *= 2;
	uint8_t *p = huge_realloc(b->data, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return b->oom ? -1 : 0;
	if (buf_reserve(b, n))
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int buf_zero(struct buf *b, size_t n)
{
	if (buf_reserve(b, n))
		return -1;
	memset(b->data + b->len, 0, n);
	b->len += n;
	return 0;
}

int buf_align(struct buf *b, size_t align)
{
	size_t rem = align ? b->len % align : 0;
	return rem ? buf_zero(b, align - rem) : (b->oom ? -1 : 0);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->oom = 1;
		return -1;
	}
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	if (buf_reserve(b, (size_t)n + 1))
		return -1;
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}
