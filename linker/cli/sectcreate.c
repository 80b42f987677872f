/*
 * sectcreate.c - the object that carries a -sectcreate section into the
 * link (sectcreate.h): a mach header, one LC_SEGMENT_64 with one
 * section, then the bytes. No symbol table: nothing refers to it.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "sectcreate.h"

enum { HDR = 32, SEG_CMD = 72, SECT = 80 };

int sectcreate_object(enum link_arch arch, const char *seg, const char *sect,
		      const uint8_t *data, size_t size, uint8_t **out,
		      size_t *out_size)
{
	if (size >= UINT32_MAX - HDR - SEG_CMD - SECT)
		return -1;
	size_t total = HDR + SEG_CMD + SECT + size;
	uint8_t *p = calloc(total, 1);
	if (!p)
		return -1;
	int arm = arch == ARCH_ARM64;
	wr32(p, 0xfeedfacfu);                    /* MH_MAGIC_64 */
	wr32(p + 4, arm ? 0x0100000cu : 0x01000007u); /* CPU_TYPE_ARM64 / X86_64 */
	wr32(p + 8, arm ? 0 : 3);                /* CPU_SUBTYPE_*_ALL */
	wr32(p + 12, 1);                         /* MH_OBJECT */
	wr32(p + 16, 1);                         /* ncmds */
	wr32(p + 20, SEG_CMD + SECT);
	uint8_t *lc = p + HDR;
	wr32(lc, 0x19);                          /* LC_SEGMENT_64 */
	wr32(lc + 4, SEG_CMD + SECT);
	wr64(lc + 32, size);                     /* vmsize */
	wr64(lc + 40, HDR + SEG_CMD + SECT);     /* fileoff */
	wr64(lc + 48, size);                     /* filesize */
	wr32(lc + 56, 7);                        /* maxprot */
	wr32(lc + 60, 7);                        /* initprot */
	wr32(lc + 64, 1);                        /* nsects */
	uint8_t *s = lc + SEG_CMD;
	memcpy(s, sect, strnlen(sect, 16));
	memcpy(s + 16, seg, strnlen(seg, 16));
	wr64(s + 40, size);                      /* size */
	wr32(s + 48, HDR + SEG_CMD + SECT);      /* offset */
	if (size)
		memcpy(p + HDR + SEG_CMD + SECT, data, size);
	*out = p;
	*out_size = total;
	return 0;
}
