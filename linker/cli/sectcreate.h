/*
 * sectcreate.h - linkfs-ld's -sectcreate SEG SECT FILE (and ld64's older
 * spelling -segcreate): the file's bytes become section SEG,SECT of the
 * output, as ld64.lld makes it: byte-aligned, type S_REGULAR, no symbol,
 * kept by -dead_strip, after every input's sections of its segment. The
 * section comes to the link as a small object made here (one section, no
 * symbols) that the link marks as kept (link_input.sectcreate).
 */
#ifndef LINKFS_CLI_SECTCREATE_H
#define LINKFS_CLI_SECTCREATE_H

#include <stddef.h>
#include <stdint.h>

#include "../input/object.h"

/* A Mach-O MH_OBJECT for arch holding data[0..size) as section
 * seg,sect (each at most 16 bytes, checked by the caller): a new buffer
 * in *out (free it), its size in *out_size. 0, or -1 when out of memory
 * or the data is too large for a section (4 GiB and more). */
int sectcreate_object(enum link_arch arch, const char *seg, const char *sect,
		      const uint8_t *data, size_t size, uint8_t **out,
		      size_t *out_size);

#endif
