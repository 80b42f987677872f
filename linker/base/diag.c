/*
 * diag.c - diagnostics collection and name escaping. See diag.h.
 */
#include "diag.h"

#include <stdarg.h>

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

static void emit(struct diag *d, const char *kind, const char *fmt, va_list ap)
{
	buf_printf(&d->text, "%s: ", kind);
	buf_vprintf(&d->text, fmt, ap);
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
