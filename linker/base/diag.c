/*
 * diag.c - diagnostics collection and name escaping. See diag.h.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(struct diag *d)
{
	buf_init(&d->text);
	d->nerrors = 0;
	d->nwarnings = 0;
	d->max_errors = 0;
}

void diag_release(struct diag *d)
{
	buf_release(&d->text);
}

/* A message stays one line whatever the names in it hold: escapes the
 * bytes of b from start on as buf_put_escaped does. */
static void escape_tail(struct buf *b, size_t start)
{
	if (b->oom || b->len <= start)
		return;
	size_t n = b->len - start;
	const unsigned char *p = b->data + start;
	size_t i = 0;
	while (i < n && p[i] != '\\' && p[i] >= 0x20 && p[i] < 0x7f)
		i++;
	if (i == n)
		return;
	char *copy = malloc(n + 1);
	if (!copy) {
		b->oom = 1;
		return;
	}
	memcpy(copy, p, n);
	copy[n] = 0;
	b->len = start;
	buf_put_escaped(b, copy);
	free(copy);
}

static void emit(struct diag *d, const char *kind, const char *fmt, va_list ap)
{
	buf_printf(&d->text, "%s: ", kind);
	size_t start = d->text.len;
	buf_vprintf(&d->text, fmt, ap);
	escape_tail(&d->text, start);
	buf_u8(&d->text, '\n');
}

int diag_error(struct diag *d, const char *fmt, ...)
{
	d->nerrors++;
	if (d->max_errors && d->nerrors > d->max_errors) {
		if (d->nerrors == d->max_errors + 1)
			buf_printf(&d->text, "error: too many errors, further errors not shown\n");
		return -1;
	}
	va_list ap;
	va_start(ap, fmt);
	emit(d, "error", fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warn(struct diag *d, const char *fmt, ...)
{
	d->nwarnings++;
	va_list ap;
	va_start(ap, fmt);
	emit(d, "warning", fmt, ap);
	va_end(ap);
}

void diag_append(struct diag *dst, const struct diag *src)
{
	if (src->text.oom)
		dst->text.oom = 1;
	if (!src->text.len)
		return;
	const uint8_t *p = src->text.data, *end = p + src->text.len;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (len >= 7 && !memcmp(p, "error: ", 7)) {
			dst->nerrors++;
			if (dst->max_errors && dst->nerrors > dst->max_errors) {
				if (dst->nerrors == dst->max_errors + 1)
					buf_printf(&dst->text, "error: too many errors, further errors not shown\n");
				p += len;
				continue;
			}
		} else {
			dst->nwarnings++;
		}
		buf_append(&dst->text, p, len);
		p += len;
	}
}

int buf_put_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\') {
			buf_append(b, "\\\\", 2);
		} else if (*p < 0x20 || *p >= 0x7f) {
			char t[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
			buf_append(b, t, 4);
		} else {
			buf_u8(b, *p);
		}
	}
	return b->oom ? -1 : 0;
}
