/*
 * dump_chained.c - fixups.txt and chained_fixups.txt: exactly what
 * `llvm-objdump --macho --dyld-info` and `--chained-fixups` print for the
 * image, without their first two lines. Unlike the other tables these
 * are read from the executable's own bytes (its LC_DYLD_CHAINED_FIXUPS
 * payload and segments), as llvm-objdump reads them: the chains are only
 * in the pointers themselves. Every read is bounds-checked; a malformed
 * payload (which the linker never writes) ends the listing early.
 *
 * llvm-objdump 19's quirks are kept on purpose, so the files stay
 * byte-identical: the dylib column is as wide as the longest symbol
 * name, and the address column's width counts hex digits as
 * ceil(log2(address) / 4), one short for a power-of-16 boundary.
 *
 * Leaves out: pointer formats other than DYLD_CHAINED_PTR_64 (the only
 * one the linker writes), multiple starts per page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "dump_int.h"
#include "dump_util.h"

enum { MAX_SEGS = 16, MAX_SECTS = 255 };

struct mo_seg {
	char name[17];
	uint64_t vmaddr, vmsize, fileoff, filesize;
};

struct mo_sect {
	char seg[17], name[17];
	uint64_t addr, size;
};

/* The parts of the file the two listings need. */
struct mo_file {
	const uint8_t *p;
	size_t size;
	struct mo_seg seg[MAX_SEGS];
	uint32_t nseg;
	struct mo_sect sect[MAX_SECTS];
	uint32_t nsect;
	const uint8_t *cf;       /* the chained-fixups payload, or NULL */
	uint32_t cf_size;
	uint64_t base;           /* __TEXT's vmaddr */
};

static void name16(char out[17], const uint8_t *p)
{
	memcpy(out, p, 16);
	out[16] = 0;
}

static int mo_read(struct mo_file *m, const uint8_t *p, size_t size)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	m->size = size;
	if (!p || size < MACH_HEADER_64_SIZE)
		return -1;
	uint32_t ncmds = rd32(p + 16), sizeofcmds = rd32(p + 20);
	if (!range_ok(size, MACH_HEADER_64_SIZE, sizeofcmds))
		return -1;
	uint64_t off = MACH_HEADER_64_SIZE, end = off + sizeofcmds;
	for (uint32_t i = 0; i < ncmds && off + 8 <= end; i++) {
		uint32_t cmd = rd32(p + off), cs = rd32(p + off + 4);
		if (cs < 8 || off + cs > end)
			return -1;
		if (cmd == LC_SEGMENT_64 && cs >= SEGMENT_COMMAND_64_SIZE && m->nseg < MAX_SEGS) {
			struct mo_seg *s = &m->seg[m->nseg++];
			name16(s->name, p + off + 8);
			s->vmaddr = rd64(p + off + 24);
			s->vmsize = rd64(p + off + 32);
			s->fileoff = rd64(p + off + 40);
			s->filesize = rd64(p + off + 48);
			if (!strcmp(s->name, "__TEXT"))
				m->base = s->vmaddr;
			uint32_t ns = rd32(p + off + 64);
			for (uint32_t k = 0; k < ns && m->nsect < MAX_SECTS; k++) {
				uint64_t h = off + SEGMENT_COMMAND_64_SIZE + (uint64_t)SECTION_64_SIZE * k;
				if (h + SECTION_64_SIZE > off + cs)
					break;
				struct mo_sect *x = &m->sect[m->nsect++];
				name16(x->name, p + h);
				name16(x->seg, p + h + 16);
				x->addr = rd64(p + h + 32);
				x->size = rd64(p + h + 40);
			}
		} else if (cmd == LC_DYLD_CHAINED_FIXUPS && cs >= 16) {
			uint32_t doff = rd32(p + off + 8), dsize = rd32(p + off + 12);
			if (range_ok(size, doff, dsize)) {
				m->cf = p + doff;
				m->cf_size = dsize;
			}
		}
		off += cs;
	}
	return 0;
}

static const char *section_at(const struct mo_file *m, const char *seg, uint64_t addr)
{
	for (uint32_t i = 0; i < m->nsect; i++)
		if (!strcmp(m->sect[i].seg, seg) && addr >= m->sect[i].addr &&
		    addr < m->sect[i].addr + m->sect[i].size)
			return m->sect[i].name;
	return "";
}

struct chained_import_rec {
	int32_t ordinal;
	uint8_t weak;
	uint32_t name_off;
	int64_t addend;
};

static uint32_t import_size(uint32_t format)
{
	return format == 3 ? 16 : format == 2 ? 8 : 4;
}

/* Import i of the payload; -1 when out of bounds. */
static int import_at(const struct mo_file *m, uint32_t i, struct chained_import_rec *r)
{
	const uint8_t *cf = m->cf;
	uint32_t off = rd32(cf + 8), count = rd32(cf + 16), format = rd32(cf + 20);
	if (i >= count || format < 1 || format > 3 ||
	    !range_ok(m->cf_size, off + (uint64_t)i * import_size(format), import_size(format)))
		return -1;
	const uint8_t *p = cf + off + (uint64_t)i * import_size(format);
	uint32_t w = rd32(p);
	if (format == 3) {
		r->ordinal = (int16_t)(w & 0xffff);
		r->weak = (uint8_t)((w >> 16) & 1);
		r->name_off = rd32(p + 4);
		r->addend = (int64_t)rd64(p + 8);
	} else {
		r->ordinal = (int8_t)(w & 0xff);
		if (r->ordinal >= 0)
			r->ordinal = (int32_t)(w & 0xff);
		r->weak = (uint8_t)((w >> 8) & 1);
		r->name_off = w >> 9;
		r->addend = format == 2 ? (int32_t)rd32(p + 4) : 0;
	}
	return 0;
}

/* The NUL-terminated name at name_off, or "" when out of bounds. */
static struct strview import_name(const struct mo_file *m, uint32_t name_off)
{
	uint32_t sym = rd32(m->cf + 12);
	uint64_t at = (uint64_t)sym + name_off;
	if (at >= m->cf_size)
		return (struct strview){ "", 0 };
	const char *s = (const char *)m->cf + at;
	return (struct strview){ s, strnlen(s, m->cf_size - at) };
}

/* One fixup as llvm-objdump --dyld-info lists it. */
struct fix_row {
	uint32_t seg;
	uint64_t addr, raw;
	int bind;
	uint64_t addend;         /* bind */
	int32_t ordinal;
	struct strview name;
	uint8_t weak;
	uint64_t target;         /* rebase */
};

/* Calls fn for every fixup, segment by segment, page by page, along each
 * chain. Returns 0, or -1 at the first thing out of bounds. */
static int walk(const struct mo_file *m, int (*fn)(void *arg, const struct fix_row *r),
		void *arg)
{
	const uint8_t *cf = m->cf;
	if (!cf || m->cf_size < 28)
		return -1;
	uint32_t starts = rd32(cf + 4);
	if (!range_ok(m->cf_size, starts, 4))
		return -1;
	uint32_t nsegs = rd32(cf + starts);
	if (!range_ok(m->cf_size, starts + 4ull, 4ull * nsegs))
		return -1;
	for (uint32_t s = 0; s < nsegs && s < m->nseg; s++) {
		uint32_t so = rd32(cf + starts + 4 + 4 * s);
		if (!so)
			continue;
		uint64_t at = (uint64_t)starts + so;
		if (!range_ok(m->cf_size, at, 22))
			return -1;
		uint16_t page_size = rd16(cf + at + 4), fmt = rd16(cf + at + 6);
		uint64_t segoff = rd64(cf + at + 8);
		uint16_t pages = rd16(cf + at + 20);
		if (fmt != 2 || !page_size || !range_ok(m->cf_size, at + 22, 2ull * pages))
			return -1;
		const struct mo_seg *g = &m->seg[s];
		for (uint32_t pg = 0; pg < pages; pg++) {
			uint16_t start = rd16(cf + at + 22 + 2 * pg);
			if (start == 0xffff)
				continue;
			uint64_t voff = segoff + (uint64_t)pg * page_size + start;
			for (;;) {
				uint64_t addr = m->base + voff;
				if (addr < g->vmaddr || addr - g->vmaddr + 8 > g->filesize ||
				    !range_ok(m->size, g->fileoff + (addr - g->vmaddr), 8))
					return -1;
				uint64_t raw = rd64(m->p + g->fileoff + (addr - g->vmaddr));
				struct fix_row r = { .seg = s, .addr = addr, .raw = raw };
				r.bind = (int)(raw >> 63);
				if (r.bind) {
					struct chained_import_rec im;
					if (import_at(m, (uint32_t)(raw & 0xffffff), &im))
						return -1;
					r.ordinal = im.ordinal;
					r.weak = im.weak;
					r.name = import_name(m, im.name_off);
					r.addend = (uint64_t)im.addend + ((raw >> 24) & 0xff);
				} else {
					r.target = (raw & 0xfffffffffull) | ((raw >> 36) & 0xff) << 56;
				}
				if (fn(arg, &r))
					return -1;
				uint64_t next = (raw >> 51) & 0xfff;
				if (!next)
					break;
				voff += 4 * next;
			}
		}
	}
	return 0;
}

/* llvm-objdump's HexLength: ceil(log2(v) / 4) digits, 1 for 0. */
static size_t hex_len(uint64_t v)
{
	if (!v)
		return 1;
	unsigned log2 = 63u - (unsigned)__builtin_clzll(v);
	return (log2 + 3) / 4;
}

struct widths {
	const struct mo_file *m;
	size_t seg, sect, addr, addend, dylib;
};

static int measure(void *arg, const struct fix_row *r)
{
	struct widths *w = arg;
	size_t n = strlen(w->m->seg[r->seg].name);
	if (n > w->seg)
		w->seg = n;
	n = strlen(section_at(w->m, w->m->seg[r->seg].name, r->addr));
	if (n > w->sect)
		w->sect = n;
	if (hex_len(r->addr) + 2 > w->addr)
		w->addr = hex_len(r->addr) + 2;
	if (r->bind) {
		if (hex_len(r->addend) + 2 > w->addend)
			w->addend = hex_len(r->addend) + 2;
		if (r->name.n > w->dylib)
			w->dylib = r->name.n;
	}
	return 0;
}

struct print_arg {
	const struct link_image *img;
	const struct widths *w;
	struct buf *b;
};

static void put_hex_ljust(struct buf *b, uint64_t v, size_t width)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%" PRIX64, v);
	put_ljust(b, t, (size_t)n, width);
}

static int print_row(void *arg, const struct fix_row *r)
{
	const struct print_arg *a = arg;
	const struct widths *w = a->w;
	struct buf *b = a->b;
	const char *seg = w->m->seg[r->seg].name;
	const char *sect = section_at(w->m, seg, r->addr);
	put_ljust(b, seg, strlen(seg), w->seg);
	buf_u8(b, ' ');
	put_ljust(b, sect, strlen(sect), w->sect);
	buf_printf(b, " 0x");
	put_hex_ljust(b, r->addr, w->addr - 2);
	buf_printf(b, " 0x%016" PRIX64 " ", r->raw);
	if (r->bind) {
		struct strview d = dump_ordinal_name(a->img, r->ordinal);
		buf_printf(b, "bind   0x");
		put_hex_ljust(b, r->addend, w->addend - 2);
		buf_u8(b, ' ');
		put_ljust(b, d.p, d.n, w->dylib);
		buf_u8(b, ' ');
		buf_append(b, r->name.p, r->name.n);
		if (r->weak)
			buf_printf(b, " (weak import)");
		buf_u8(b, '\n');
	} else {
		buf_printf(b, "rebase");
		for (size_t i = 0; i < w->addend + w->dylib + 2; i++)
			buf_u8(b, ' ');
		/* format_hex(v, AddressWidth): "0x" and at least width-2 digits */
		buf_printf(b, "0x%0*" PRIX64 "\n", (int)(w->addr - 2), r->target);
	}
	return 0;
}

int dump_dyld_info(const struct link_image *img, const uint8_t *exe, size_t size,
		   struct buf *b)
{
	struct mo_file m;
	mo_read(&m, exe, size);
	struct widths w = { &m, 7, 7, 7, 6, 5 };
	if (m.cf)
		walk(&m, measure, &w);
	put_ljust(b, "segment", 7, w.seg);
	buf_u8(b, ' ');
	put_ljust(b, "section", 7, w.sect);
	buf_u8(b, ' ');
	put_ljust(b, "address", 7, w.addr);
	buf_u8(b, ' ');
	put_ljust(b, "pointer", 7, 18);
	buf_u8(b, ' ');
	put_ljust(b, "type", 4, 6);
	buf_u8(b, ' ');
	put_ljust(b, "addend", 6, w.addend);
	buf_u8(b, ' ');
	put_ljust(b, "dylib", 5, w.dylib);
	buf_printf(b, " symbol/vm address\n");
	if (m.cf) {
		struct print_arg a = { img, &w, b };
		walk(&m, print_row, &a);
	}
	return buf_failed(b) ? -1 : 0;
}

static const char *import_format_name(uint32_t f)
{
	return f == 1 ? "DYLD_CHAINED_IMPORT" : f == 2 ? "DYLD_CHAINED_IMPORT_ADDEND" :
	       f == 3 ? "DYLD_CHAINED_IMPORT_ADDEND64" : "unknown";
}

int dump_chained_fixups(const struct link_image *img, const uint8_t *exe, size_t size,
			struct buf *b)
{
	struct mo_file m;
	mo_read(&m, exe, size);
	const uint8_t *cf = m.cf;
	if (!cf || m.cf_size < 28)
		return buf_failed(b) ? -1 : 0;   /* llvm-objdump prints nothing */
	uint32_t starts = rd32(cf + 4), nimp = rd32(cf + 16), format = rd32(cf + 20);
	buf_printf(b, "  fixups_version = %" PRIu32 "\n"
		      "  starts_offset  = %" PRIu32 "\n"
		      "  imports_offset = %" PRIu32 "\n"
		      "  symbols_offset = %" PRIu32 "\n"
		      "  imports_count  = %" PRIu32 "\n"
		      "  imports_format = %" PRIu32 " (%s)\n"
		      "  symbols_format = %" PRIu32 "\n",
		   rd32(cf), starts, rd32(cf + 8), rd32(cf + 12), nimp, format,
		   import_format_name(format), rd32(cf + 24));
	if (!range_ok(m.cf_size, starts, 4))
		return buf_failed(b) ? -1 : 0;
	uint32_t nsegs = rd32(cf + starts);
	buf_printf(b, "chained starts in image\n  seg_count = %" PRIu32 "\n", nsegs);
	if (!range_ok(m.cf_size, starts + 4ull, 4ull * nsegs))
		return buf_failed(b) ? -1 : 0;
	for (uint32_t s = 0; s < nsegs; s++)
		buf_printf(b, "    seg_offset[%" PRIu32 "] = %" PRIu32 " (%s)\n", s,
			   rd32(cf + starts + 4 + 4 * s), s < m.nseg ? m.seg[s].name : "");
	for (uint32_t s = 0; s < nsegs; s++) {
		uint32_t so = rd32(cf + starts + 4 + 4 * s);
		uint64_t at = (uint64_t)starts + so;
		if (!so || !range_ok(m.cf_size, at, 22))
			continue;
		uint16_t pages = rd16(cf + at + 20), fmt = rd16(cf + at + 6);
		buf_printf(b, "chained starts in segment %" PRIu32 " (%s)\n"
			      "  size = %" PRIu32 "\n"
			      "  page_size = 0x%" PRIx16 "\n"
			      "  pointer_format = %" PRIu16 " (%s)\n"
			      "  segment_offset = 0x%" PRIx64 "\n"
			      "  max_valid_pointer = %" PRIu32 "\n"
			      "  page_count = %" PRIu16 "\n",
			   s, s < m.nseg ? m.seg[s].name : "", rd32(cf + at), rd16(cf + at + 4),
			   fmt, fmt == 2 ? "DYLD_CHAINED_PTR_64" : "unknown", rd64(cf + at + 8),
			   rd32(cf + at + 16), pages);
		for (uint32_t pg = 0; pg < pages && range_ok(m.cf_size, at + 22 + 2 * pg, 2); pg++) {
			uint16_t st = rd16(cf + at + 22 + 2 * pg);
			buf_printf(b, "    page_start[%" PRIu32 "] = %" PRIu16 "%s\n", pg, st,
				   st == 0xffff ? " (DYLD_CHAINED_PTR_START_NONE)" : "");
		}
	}
	const char *kind = format == 3 ? "import addend64" : format == 2 ? "import addend" : "import";
	for (uint32_t i = 0; i < nimp; i++) {
		struct chained_import_rec im;
		if (import_at(&m, i, &im))
			break;
		struct strview d = dump_ordinal_name(img, im.ordinal);
		struct strview n = import_name(&m, im.name_off);
		buf_printf(b, "dyld chained %s[%" PRIu32 "]\n  lib_ordinal = %" PRId32 " (", kind, i,
			   im.ordinal);
		buf_append(b, d.p, d.n);
		buf_printf(b, ")\n  weak_import = %u\n  name_offset = %" PRIu32 " (", im.weak,
			   im.name_off);
		buf_append(b, n.p, n.n);
		buf_printf(b, ")\n");
		if (format != 1)
			buf_printf(b, "  addend      = %" PRId64 "\n", im.addend);
	}
	return buf_failed(b) ? -1 : 0;
}
