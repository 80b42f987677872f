/*
 * dump_map.c - map.txt: a link map in the format ld64.lld 19 writes for
 * -map (lld/MachO/MapFile.cpp): "# Path:", "# Arch:", "# Object files:"
 * with "[  0] linker synthesized" first, "# Sections:" (address, size,
 * segment, section, tab-separated) and "# Symbols:" (address, size,
 * "[%3u]" file index, name), addresses and sizes as 0x%08X.
 *
 * Names are escaped the way lld escapes literal strings
 * (raw_ostream::write_escaped: \\ \t \n \" and \ooo for other bytes
 * outside 0x20..0x7e), so ordinary names print exactly as lld prints
 * them and a hostile name cannot break a line. The records carry the
 * lines as lld writes them ("literal string: ...", one per stub, GOT
 * slot and lazy pointer, "helper helper", the dylibs in the file list):
 * the linker core (record.c) makes them, not this file.
 *
 * With dead stripping, "# Dead Stripped Symbols:" follows, as lld writes
 * it: "<<dead>>", the size, the file index and the name of each symbol
 * and literal string the link left out (the image's dead records).
 *
 * Leaves out: any line the records do not have (docs/formats.md lists
 * where they differ from lld's map).
 */
#include <inttypes.h>

#include "dump_int.h"
#include "dump_util.h"

static void put_escaped_lld(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
	     p++) {
		switch (*p) {
		case '\\':
			buf_append(b, "\\\\", 2);
			break;
		case '\t':
			buf_append(b, "\\t", 2);
			break;
		case '\n':
			buf_append(b, "\\n", 2);
			break;
		case '"':
			buf_append(b, "\\\"", 2);
			break;
		default:
			if (*p >= 0x20 && *p <= 0x7e)
				buf_u8(b, *p);
			else
				buf_printf(b, "\\%c%c%c", '0' + ((*p >> 6) & 7),
					   '0' + ((*p >> 3) & 7), '0' + (*p & 7));
		}
	}
}

static const char *arch_name(enum link_arch a)
{
	switch (a) {
	case ARCH_X86_64:
		return "x86_64";
	case ARCH_ARM64:
		return "arm64";
	default:
		return "unknown";
	}
}

int dump_map(const struct link_image *img, struct buf *b)
{
	buf_printf(b, "# Path: ");
	put_escaped_lld(b, img->output_name ? img->output_name : "a.out");
	buf_printf(b, "\n# Arch: %s\n# Object files:\n", arch_name(img->arch));
	buf_printf(b, "[  0] linker synthesized\n");
	for (size_t i = 1; i < img->nfiles; i++) {
		buf_printf(b, "[%3zu] ", i);
		put_escaped_lld(b, img->files[i]);
		buf_u8(b, '\n');
	}
	buf_printf(b, "# Sections:\n# Address\tSize    \tSegment\tSection\n");
	for (size_t i = 0; i < img->nsections; i++) {
		const struct rec_section *s = &img->sections[i];
		buf_printf(b, "0x%08" PRIX64 "\t0x%08" PRIX64 "\t", s->addr,
			   s->size);
		put_escaped_lld(b, s->segname);
		buf_u8(b, '\t');
		put_escaped_lld(b, s->sectname);
		buf_u8(b, '\n');
	}
	buf_printf(b, "# Symbols:\n# Address\tSize    \tFile  Name\n");
	for (size_t i = 0; i < img->nmap; i++) {
		const struct rec_map_atom *m = &img->map[i];
		buf_printf(b, "0x%08" PRIX64 "\t0x%08" PRIX64 "\t[%3" PRIu32 "] ",
			   m->addr, m->size, m->file);
		put_escaped_lld(b, m->name);
		buf_u8(b, '\n');
	}
	if (!img->dead_stripped)
		return buf_failed(b) ? -1 : 0;
	buf_printf(b, "# Dead Stripped Symbols:\n#        \tSize    \tFile  Name\n");
	for (size_t i = 0; i < img->ndead; i++) {
		const struct rec_dead *d = &img->dead[i];
		buf_printf(b, "<<dead>>\t0x%08" PRIX64 "\t[%3" PRIu32 "] %s", d->size,
			   d->file, d->literal ? "literal string: " : "");
		put_escaped_lld(b, d->name);
		buf_u8(b, '\n');
	}
	return buf_failed(b) ? -1 : 0;
}
