/*
 * mr-util.c - diagnostics of macho-run: errors quote the image's path and go
 * to stderr; notes are printed only with --verbose. Nothing else lives here.
 */
#include <stdarg.h>
#include <stdio.h>

#include "mr.h"

static void vprint(const struct mr_image *img, const char *fmt, va_list ap)
{
	fprintf(stderr, "macho-run: '%s': ", img && img->path ? img->path : "?");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void mr_error(const struct mr_image *img, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint(img, fmt, ap);
	va_end(ap);
}

void mr_note(const struct mr_image *img, const char *fmt, ...)
{
	va_list ap;
	if (!img || !img->verbose)
		return;
	va_start(ap, fmt);
	vprint(img, fmt, ap);
	va_end(ap);
}
