/*
 * dump_why.c - why.txt: why dead stripping kept each symbol matching the
 * -why_live patterns (linkfs-ld) or link.conf's `why_live`, in the lines
 * ld64.lld prints for -why_live: the symbol and its file, then, indented
 * two more spaces each, the first symbol of each atom on the chain that
 * made it live, down to a root (deadstrip.c records them at link time).
 * Without dead stripping, or without patterns, one line says so.
 *
 * Leaves out: any escaping (the lines are lld's, names as they are), and
 * chains of symbols no pattern matched: the link records none.
 */
#include "dump_int.h"

int dump_why(const struct link_image *img, struct buf *b)
{
	if (!img->dead_stripped)
		buf_printf(b, "# not dead stripped: every symbol is kept "
			      "(dead_strip = yes to strip)\n");
	else if (!img->why_asked)
		buf_printf(b, "# no why_live patterns: no chains recorded "
			      "(why_live = PATTERN... in link.conf)\n");
	else if (img->why_len)
		buf_append(b, img->why, img->why_len);
	return buf_failed(b) ? -1 : 0;
}
