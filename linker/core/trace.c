/*
 * trace.c - the lines -t and -why_live print, through
 * link_options.message (linkfs-ld: standard output, as ld64.lld's
 * message()). Files are named as ld64.lld names them: an object by its
 * input name, an archive member "lib.a(m.o)", a TBD input "x.tbd(its
 * install name)". Nothing here decides what is printed when; that is
 * resolve.c's (-t) and deadstrip.c's (-why_live).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"

void link_message(struct link_ctx *c, const char *fmt, ...)
{
	if (!c->opt->message)
		return;
	struct buf b;
	buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc == 0 && b.len)
		c->opt->message(c->opt->message_arg, (const char *)b.data, b.len);
	buf_release(&b);
}

static int ends_with_tbd(const char *name)
{
	size_t l = strlen(name);
	return l >= 4 && !strcmp(name + l - 4, ".tbd");
}

void trace_input(struct link_ctx *c, const char *name, const char *install_name)
{
	if (!c->opt->trace_inputs)
		return;
	if (install_name && ends_with_tbd(name))
		link_message(c, "%s(%s)\n", name, install_name);
	else
		link_message(c, "%s\n", name);
}

const char *trace_file_name(const struct link_ctx *c, const struct symbol *s,
			    char *buf, size_t n)
{
	if (s->kind == SYM_DYLIB && s->dylib && s->dylib <= c->ndylibs) {
		const struct loaded_dylib *d = &c->dylibs[s->dylib - 1];
		if (!ends_with_tbd(d->name))
			return d->name;
		snprintf(buf, n, "%s(%s)", d->name, d->dl.install_name);
		return buf;
	}
	if (s->kind == SYM_SYNTHETIC || !s->file)
		return "<internal>";
	return s->file->name;
}
