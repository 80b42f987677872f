/*
 * diag.h - diagnostics collected during a link.
 *
 * Every message is one line "error: ..." or "warning: ..." appended to
 * `text`. Nothing here prints, exits or aborts: the caller decides where the
 * text goes (stderr for linkfs-ld, link.log for the filesystem).
 *
 * Message style: lowercase, subject quoted, and for malformed input the file,
 * the offset and the problem, e.g.
 *   error: 'a.o': offset 0x20: load command 0 cmdsize 0 is too small
 */
#ifndef LINKFS_DIAG_H
#define LINKFS_DIAG_H

#include "buf.h"

struct diag {
	struct buf text;   /* the rendered messages, one per line */
	unsigned nerrors;
	unsigned nwarnings;
	unsigned max_errors; /* 0 = unlimited; further errors are counted only */
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* Appends "error: <msg>\n", the message escaped as buf_put_escaped does, so
 * a hostile name can never start a new line. Always returns -1, so
 * `return diag_error(...)`. */
int diag_error(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_warn(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends src's messages to dst in their order, counted and limited by
 * dst->max_errors as if they had been reported to dst directly: how a
 * stage run on several threads keeps one message order (each item
 * reports into its own diag, merged in item order). */
void diag_append(struct diag *dst, const struct diag *src);

/* Writes `s` into b with control characters and non-ASCII bytes escaped as
 * \xNN (and backslash as \\), so untrusted names never break a line format. */
int buf_put_escaped(struct buf *b, const char *s);

#endif
