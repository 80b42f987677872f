/*
 * dump_codesign.c - codesign.txt: the output's ad-hoc code signature as
 * codesign_describe (core/codesign.c) renders it from the executable's
 * bytes: the signed range, the CodeDirectory's fields, the cdhash and the
 * page hashes; "no code signature" for an unsigned output. docs/formats.md
 * has the format.
 */
#include "../core/codesign.h"
#include "dump_int.h"

int dump_codesign(const struct link_image *img, const uint8_t *exe, size_t size,
		  struct buf *b)
{
	(void)img;
	/* a malformed signature (the linker never writes one) ends the text
	 * with a "malformed:" line; the table is still served */
	codesign_describe(exe, size, b);
	return buf_failed(b) ? -1 : 0;
}
