/*
 * mr-chained.c - apply LC_DYLD_CHAINED_FIXUPS to the mapped image, and look
 * names up in the image's export trie (LC_DYLD_EXPORTS_TRIE).
 *
 * The chained fixups data is {dyld_chained_fixups_header, starts in image,
 * starts in each segment, imports table, symbol names}. Each page of a
 * segment that has fixups names the offset of its first fixup; each 64-bit
 * fixup holds either a rebase {target:36, high8:8, reserved:7, next:12,
 * bind:1} or a bind {ordinal:24, addend:8, reserved:19, next:12, bind:1},
 * and next (in 4-byte strides) leads to the following fixup of the same
 * page, 0 ending the chain. This is an independent reading of Apple's
 * mach-o/fixup-chains.h used as a test oracle, so it is strict: every
 * offset, count and index is bounds-checked against the data, the page and
 * the segment, reserved bits must be zero, a rebase must point into the
 * image, and every fault is refused with a message naming it, never a
 * crash. All imports are resolved before any chain is walked (as dyld
 * does), through mr_import_resolve(); a weak-lookup import (ordinal -3,
 * lld's encoding of weak definitions) finds the image's own export first.
 *
 * Left out: the arm64e, 32-bit and kernel/cache pointer formats (only
 * DYLD_CHAINED_PTR_64 and DYLD_CHAINED_PTR_64_OFFSET are read),
 * DYLD_CHAINED_PTR_START_MULTI, zlib-compressed symbol names
 * (symbols_format 1), resolvers and thread-local exports in the trie.
 * A re-export entry of the trie is followed through mr_dep_lookup().
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mr.h"

enum {
	HEADER_SIZE = 28,      /* dyld_chained_fixups_header */
	STARTS_SEG_FIXED = 22, /* dyld_chained_starts_in_segment before page_start[] */
	PTR_START_NONE = 0xffff,
	PTR_START_MULTI = 0x8000,
	PTR_64 = 2,
	PTR_64_OFFSET = 6,
	IMPORT = 1,
	IMPORT_ADDEND = 2,
	IMPORT_ADDEND64 = 3,

	EXPORT_KIND_MASK = 0x03,
	EXPORT_KIND_REGULAR = 0x00,
	EXPORT_KIND_THREAD_LOCAL = 0x01,
	EXPORT_KIND_ABSOLUTE = 0x02,
	EXPORT_REEXPORT = 0x08,
	EXPORT_STUB_AND_RESOLVER = 0x10,
};

static const char *const ptr_format_names[] = {
	[1] = "DYLD_CHAINED_PTR_ARM64E",
	[2] = "DYLD_CHAINED_PTR_64",
	[3] = "DYLD_CHAINED_PTR_32",
	[4] = "DYLD_CHAINED_PTR_32_CACHE",
	[5] = "DYLD_CHAINED_PTR_32_FIRMWARE",
	[6] = "DYLD_CHAINED_PTR_64_OFFSET",
	[7] = "DYLD_CHAINED_PTR_ARM64E_KERNEL",
	[8] = "DYLD_CHAINED_PTR_64_KERNEL_CACHE",
	[9] = "DYLD_CHAINED_PTR_ARM64E_USERLAND",
	[10] = "DYLD_CHAINED_PTR_ARM64E_FIRMWARE",
	[11] = "DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE",
	[12] = "DYLD_CHAINED_PTR_ARM64E_USERLAND24",
	[13] = "DYLD_CHAINED_PTR_ARM64E_SHARED_CACHE",
};

struct chained {
	struct mr_image *img;
	const uint8_t *d; /* the chained fixups data, size bytes */
	uint32_t size;
	uint32_t starts_off, imports_off, symbols_off;
	uint32_t imports_count, imports_format, symbols_format;
	uint64_t imports_end;
	uint32_t seg_count;
	uint64_t *targets;  /* per import: host address + the import's addend */
	const char **names; /* per import: its name, inside d */
};

static int bad(struct chained *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(struct chained *c, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mr_error(c->img, "chained fixups: %s", msg);
	return -1;
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Is [off, off + len) inside the data? */
static int inside(const struct chained *c, uint64_t off, uint64_t len)
{
	return off <= c->size && c->size - off >= len;
}

/* Does [lo, hi) intersect the imports table? */
static int hits_imports(const struct chained *c, uint64_t lo, uint64_t hi)
{
	return lo < c->imports_end && c->imports_off < hi;
}

/* Linkedit data must lie inside __LINKEDIT, as dyld requires. */
static int in_linkedit(const struct mr_image *img, uint32_t off, uint32_t size)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct mr_segment *s = &img->seg[i];
		if (strcmp(s->name, "__LINKEDIT") == 0)
			return off >= s->fileoff &&
				(uint64_t)off + size <= s->fileoff + s->filesize;
	}
	return 0;
}

static int read_header(struct chained *c)
{
	static const unsigned esize[] = { 0, 4, 8, 16 };
	const uint8_t *d = c->d;
	uint32_t version;

	if (c->size < HEADER_SIZE)
		return bad(c, "data (size %u) is smaller than its %u-byte header",
			c->size, HEADER_SIZE);
	version = get32(d);
	c->starts_off = get32(d + 4);
	c->imports_off = get32(d + 8);
	c->symbols_off = get32(d + 12);
	c->imports_count = get32(d + 16);
	c->imports_format = get32(d + 20);
	c->symbols_format = get32(d + 24);
	if (version != 0)
		return bad(c, "fixups_version %u is not supported (only 0)", version);
	if (c->symbols_format == 1)
		return bad(c, "symbols_format 1 (zlib-compressed symbol names) is "
			"not supported");
	if (c->symbols_format != 0)
		return bad(c, "symbols_format %u is unknown", c->symbols_format);
	if (c->imports_format < IMPORT || c->imports_format > IMPORT_ADDEND64)
		return bad(c, "imports_format %u is unknown (1 DYLD_CHAINED_IMPORT, "
			"2 _ADDEND, 3 _ADDEND64)", c->imports_format);

	const struct { const char *name; uint32_t off; } offs[] = {
		{ "starts_offset", c->starts_off },
		{ "imports_offset", c->imports_off },
		{ "symbols_offset", c->symbols_off },
	};
	for (unsigned i = 0; i < 3; i++) {
		if (offs[i].off < HEADER_SIZE)
			return bad(c, "%s 0x%x overlaps the %u-byte header",
				offs[i].name, offs[i].off, HEADER_SIZE);
		if (offs[i].off > c->size)
			return bad(c, "%s 0x%x is outside the data (size 0x%x)",
				offs[i].name, offs[i].off, c->size);
	}

	uint64_t isize = (uint64_t)c->imports_count * esize[c->imports_format];
	if (!inside(c, c->imports_off, isize))
		return bad(c, "imports table (imports_count %u, %u bytes each, at "
			"0x%x) extends past the end of the data (size 0x%x)",
			c->imports_count, esize[c->imports_format], c->imports_off,
			c->size);
	c->imports_end = c->imports_off + isize;
	if (c->imports_off <= c->symbols_off && c->imports_end > c->symbols_off)
		return bad(c, "imports table (imports_count %u, ending at 0x%" PRIx64
			") overlaps the symbol names at 0x%x", c->imports_count,
			c->imports_end, c->symbols_off);

	if (!inside(c, c->starts_off, 4))
		return bad(c, "starts_in_image at 0x%x is truncated", c->starts_off);
	c->seg_count = get32(d + c->starts_off);
	if (c->seg_count != c->img->nseg)
		return bad(c, "seg_count %u does not match the %u LC_SEGMENT_64 "
			"commands", c->seg_count, c->img->nseg);
	uint64_t hi = (uint64_t)c->starts_off + 4 + 4 * (uint64_t)c->seg_count;
	if (!inside(c, c->starts_off, hi - c->starts_off))
		return bad(c, "starts_in_image (seg_count %u at 0x%x) extends past "
			"the end of the data", c->seg_count, c->starts_off);
	if (hits_imports(c, c->starts_off, hi))
		return bad(c, "starts_in_image overlaps the imports table");
	return 0;
}

/* Resolve every import (dyld binds them all before any chain). */
static int read_imports(struct chained *c)
{
	struct mr_image *img = c->img;
	const unsigned esize = c->imports_format == IMPORT ? 4 :
		c->imports_format == IMPORT_ADDEND ? 8 : 16;

	c->targets = calloc(c->imports_count ? c->imports_count : 1,
		sizeof(*c->targets));
	c->names = calloc(c->imports_count ? c->imports_count : 1,
		sizeof(*c->names));
	if (!c->targets || !c->names)
		return bad(c, "out of memory for %u imports", c->imports_count);
	for (uint32_t i = 0; i < c->imports_count; i++) {
		const uint8_t *e = c->d + c->imports_off + (uint64_t)i * esize;
		uint32_t name_off;
		int64_t ordinal;
		uint64_t addend = 0, addr;
		int weak;

		if (c->imports_format == IMPORT_ADDEND64) {
			uint64_t v = get64(e);
			uint16_t lib = (uint16_t)(v & 0xffff);
			ordinal = lib > 0xfff0 ? (int16_t)lib : (int64_t)lib;
			weak = (int)((v >> 16) & 1);
			if ((v >> 17) & 0x7fff)
				return bad(c, "import %u (0x%016" PRIx64 ") has non-zero "
					"reserved bits", i, v);
			name_off = (uint32_t)(v >> 32);
			addend = get64(e + 8);
		} else {
			uint32_t v = get32(e);
			uint8_t lib = (uint8_t)(v & 0xff);
			ordinal = lib > 0xf0 ? (int8_t)lib : (int64_t)lib;
			weak = (int)((v >> 8) & 1);
			name_off = v >> 9;
			if (c->imports_format == IMPORT_ADDEND) {
				int32_t a = (int32_t)get32(e + 4);
				addend = (uint64_t)(int64_t)a;
			}
		}
		uint64_t at = (uint64_t)c->symbols_off + name_off;
		if (at >= c->size)
			return bad(c, "import %u: name_offset 0x%x is outside the "
				"symbol names (0x%x-0x%x)", i, name_off, c->symbols_off,
				c->size);
		const uint8_t *z = memchr(c->d + at, 0, c->size - at);
		if (!z)
			return bad(c, "import %u: name at 0x%" PRIx64 " is not "
				"NUL-terminated inside the data", i, at);
		c->names[i] = (const char *)c->d + at;

		char ctx[64];
		snprintf(ctx, sizeof(ctx), "chained fixups: import %u: ", i);
		if (mr_import_resolve(img, ctx, c->names[i], ordinal, weak, &addr))
			return -1;
		c->targets[i] = addr + addend;
		mr_note(img, "chained import %u: %s (dylib ordinal %" PRId64 "%s, "
			"addend 0x%" PRIx64 ") -> 0x%" PRIx64, i, c->names[i], ordinal,
			weak ? ", weak import" : "", addend, c->targets[i]);
	}
	return 0;
}

/* Apply the chain of one page. off is the fixup's segment offset. */
static int walk_chain(struct chained *c, unsigned segi, unsigned fmt,
	uint32_t page, uint32_t page_size, uint16_t start)
{
	struct mr_image *img = c->img;
	const struct mr_segment *s = &img->seg[segi];
	const uint64_t page_off = (uint64_t)page * page_size;
	const uint64_t hdr_end = img->hdr_vm + 32 + (uint64_t)img->sizeofcmds;
	uint64_t off = page_off + start;

	for (;;) {
		char what[96];
		snprintf(what, sizeof(what), "chained fixups: fixup at %s+0x%" PRIx64,
			s->name, off);
		uint8_t *loc = mr_image_ptr(img, segi, off, 8, 1, what);
		if (!loc)
			return -1;
		uint64_t vm = s->vmaddr + off;
		if (vm < hdr_end && vm + 8 > img->hdr_vm)
			return bad(c, "fixup at %s+0x%" PRIx64 " overlaps the Mach-O "
				"header and load commands", s->name, off);

		uint64_t v = get64(loc), nv;
		unsigned next = (unsigned)((v >> 51) & 0xfff);
		if (v >> 63) {
			uint32_t ordinal = (uint32_t)(v & 0xffffff);
			uint64_t addend = (v >> 24) & 0xff;
			if ((v >> 32) & 0x7ffff)
				return bad(c, "bind at %s+0x%" PRIx64 " (0x%016" PRIx64
					") has non-zero reserved bits", s->name, off, v);
			if (ordinal >= c->imports_count)
				return bad(c, "bind at %s+0x%" PRIx64 " uses import %u, but "
					"imports_count is %u", s->name, off, ordinal,
					c->imports_count);
			nv = c->targets[ordinal] + addend;
			mr_note(img, "chained bind %s+0x%" PRIx64 " %s (import %u) + "
				"0x%" PRIx64 " -> 0x%" PRIx64, s->name, off,
				c->names[ordinal], ordinal, addend, nv);
		} else {
			uint64_t target = v & 0xfffffffffull;
			uint64_t high8 = (v >> 36) & 0xff;
			if ((v >> 44) & 0x7f)
				return bad(c, "rebase at %s+0x%" PRIx64 " (0x%016" PRIx64
					") has non-zero reserved bits", s->name, off, v);
			/* PTR_64: an unslid address; PTR_64_OFFSET: an offset
			 * from the Mach-O header */
			uint64_t vmt = fmt == PTR_64 ? target : img->hdr_vm + target;
			if (vmt < img->vm_lo || vmt > img->vm_hi)
				return bad(c, "rebase at %s+0x%" PRIx64 " (0x%016" PRIx64
					") targets 0x%" PRIx64 ", outside the image "
					"(0x%" PRIx64 "-0x%" PRIx64 ")", s->name, off, v, vmt,
					img->vm_lo, img->vm_hi);
			nv = (vmt + img->slide) + (high8 << 56);
			mr_note(img, "chained rebase %s+0x%" PRIx64 ": 0x%016" PRIx64
				" -> 0x%" PRIx64, s->name, off, v, nv);
		}
		memcpy(loc, &nv, 8);
		if (!next)
			return 0;
		uint64_t to = off + (uint64_t)next * 4;
		if (to - page_off >= page_size)
			return bad(c, "segment '%s' page %u: the chain leaves the page "
				"(next %u at %s+0x%" PRIx64 " leads to +0x%" PRIx64 ", "
				"page_size 0x%x)", s->name, page, next, s->name, off, to,
				page_size);
		off = to;
	}
}

static int do_segment(struct chained *c, unsigned segi)
{
	struct mr_image *img = c->img;
	const struct mr_segment *s = &img->seg[segi];
	uint32_t info = get32(c->d + c->starts_off + 4 + 4 * (uint64_t)segi);
	uint64_t so = (uint64_t)c->starts_off + info;

	if (!info)
		return 0; /* no fixups in this segment */
	if (!inside(c, so, STARTS_SEG_FIXED))
		return bad(c, "starts of segment %u ('%s') at 0x%" PRIx64 " are "
			"outside the data (size 0x%x)", segi, s->name, so, c->size);
	const uint8_t *p = c->d + so;
	uint32_t size = get32(p);
	uint16_t page_size = get16(p + 4), fmt = get16(p + 6);
	uint64_t seg_offset = get64(p + 8);
	uint32_t max_valid = get32(p + 16);
	uint16_t page_count = get16(p + 20);

	if (size < STARTS_SEG_FIXED + 2 * (uint32_t)page_count)
		return bad(c, "starts of segment '%s': size %u is too small for "
			"page_count %u", s->name, size, page_count);
	if (!inside(c, so, size))
		return bad(c, "starts of segment '%s' (size %u at 0x%" PRIx64 ") "
			"extend past the end of the data (size 0x%x)", s->name, size,
			so, c->size);
	if (hits_imports(c, so, so + size))
		return bad(c, "starts of segment '%s' overlap the imports table",
			s->name);
	if (fmt != PTR_64 && fmt != PTR_64_OFFSET) {
		const char *name = fmt < sizeof(ptr_format_names) /
			sizeof(ptr_format_names[0]) && ptr_format_names[fmt] ?
			ptr_format_names[fmt] : "unknown";
		return bad(c, "segment '%s': pointer_format %u (%s) is not "
			"supported (only DYLD_CHAINED_PTR_64 and "
			"DYLD_CHAINED_PTR_64_OFFSET)", s->name, fmt, name);
	}
	if (page_size != MR_PAGE)
		return bad(c, "segment '%s': page_size 0x%x is not the " MR_HOST_ARCH
			" page size 0x%x", s->name, page_size, MR_PAGE);
	if (seg_offset != s->vmaddr - img->hdr_vm)
		return bad(c, "segment '%s': segment_offset 0x%" PRIx64 " is not "
			"its distance from the Mach-O header (0x%" PRIx64 ")", s->name,
			seg_offset, s->vmaddr - img->hdr_vm);
	if (max_valid)
		return bad(c, "segment '%s': max_valid_pointer 0x%x is not 0 (it "
			"is for 32-bit formats only)", s->name, max_valid);
	if (page_count && (uint64_t)(page_count - 1) * page_size >= s->vmsize)
		return bad(c, "segment '%s': page_count %u covers more than the "
			"segment (vmsize 0x%" PRIx64 ")", s->name, page_count,
			s->vmsize);
	mr_note(img, "chained starts of segment '%s': %s, page_size 0x%x, "
		"%u page(s)", s->name, ptr_format_names[fmt], page_size,
		page_count);
	for (uint32_t pg = 0; pg < page_count; pg++) {
		uint16_t start = get16(p + STARTS_SEG_FIXED + 2 * pg);
		if (start == PTR_START_NONE)
			continue;
		if (start & PTR_START_MULTI)
			return bad(c, "segment '%s' page %u: page_start 0x%x has "
				"DYLD_CHAINED_PTR_START_MULTI, which is not supported",
				s->name, pg, start);
		if (start >= page_size)
			return bad(c, "segment '%s' page %u: page_start 0x%x is "
				"outside the page (page_size 0x%x)", s->name, pg, start,
				page_size);
		if (walk_chain(c, segi, fmt, pg, page_size, start))
			return -1;
	}
	return 0;
}

int mr_chained_apply(struct mr_image *img)
{
	struct chained c = { .img = img, .d = img->file + img->chained_off,
		.size = img->chained_size };
	int ret = -1;

	if (!img->has_hdr)
		return bad(&c, "no segment maps the Mach-O header (file offset 0)");
	if (!in_linkedit(img, img->chained_off, img->chained_size))
		return bad(&c, "data (offset 0x%x, size 0x%x) is not inside "
			"__LINKEDIT", img->chained_off, img->chained_size);
	if (read_header(&c) || read_imports(&c))
		goto out;
	for (unsigned i = 0; i < c.seg_count; i++)
		if (do_segment(&c, i))
			goto out;
	ret = 0;
out:
	free(c.targets);
	free(c.names);
	return ret;
}

/* ---- export trie ---- */

static int trie_bad(struct mr_image *img, const char *name, uint64_t at,
	const char *why)
{
	mr_error(img, "export trie: %s at offset 0x%" PRIx64 " (looking up "
		"'%s')", why, at, name);
	return -1;
}

static int trie_uleb(const uint8_t *t, uint64_t end, uint64_t *pos,
	uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		if (*pos >= end)
			return -1;
		uint8_t b = t[(*pos)++];
		uint64_t part = b & 0x7f;
		if (shift >= 64 || (shift == 63 && part > 1))
			return -1;
		v |= part << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*out = v;
	return 0;
}

int mr_export_lookup(struct mr_image *img, const char *name, uint64_t *addr)
{
	return mr_export_lookup_depth(img, name, addr, 0);
}

int mr_export_lookup_depth(struct mr_image *img, const char *name,
	uint64_t *addr, unsigned depth)
{
	const uint8_t *t = img->file + img->exports_off;
	const uint64_t size = img->exports_size;
	const char *rest = name;
	uint64_t node = 0;

	if (!img->has_exports || !size)
		return 0;
	if (!img->has_hdr) {
		mr_error(img, "export trie: no segment maps the Mach-O header");
		return -1;
	}
	if (!in_linkedit(img, img->exports_off, img->exports_size)) {
		mr_error(img, "export trie (offset 0x%x, size 0x%x) is not inside "
			"__LINKEDIT", img->exports_off, img->exports_size);
		return -1;
	}
	/* Every step follows a non-empty edge, so it consumes at least one
	 * character of name: the walk ends within strlen(name) + 1 nodes. */
	for (;;) {
		uint64_t pos = node, tsize, term;
		if (trie_uleb(t, size, &pos, &tsize) || tsize > size - pos)
			return trie_bad(img, name, node, "truncated node");
		term = pos;
		if (!*rest) {
			uint64_t end = term + tsize, flags, v;
			if (!tsize)
				return 0; /* a prefix of other names only */
			if (trie_uleb(t, end, &pos, &flags))
				return trie_bad(img, name, term, "truncated export flags");
			if (flags & EXPORT_REEXPORT) {
				uint64_t ord;
				const char *where;
				if (trie_uleb(t, end, &pos, &ord))
					return trie_bad(img, name, term, "truncated "
						"re-export ordinal");
				const uint8_t *z = pos < end ?
					memchr(t + pos, 0, end - pos) : NULL;
				if (!z)
					return trie_bad(img, name, term, "unterminated "
						"re-export name");
				const char *as = (const char *)t + pos;
				if (!ord || ord > img->ndylibs)
					return trie_bad(img, name, term, "re-export "
						"ordinal out of range");
				mr_note(img, "'%s' is re-exported from dylib %" PRIu64
					" as '%s'", name, ord, *as ? as : name);
				return mr_dep_lookup(img, (int64_t)ord, *as ? as : name,
					addr, depth + 1, &where);
			}
			if (flags & EXPORT_STUB_AND_RESOLVER)
				return trie_bad(img, name, term, "an export with a "
					"resolver cannot be bound");
			if ((flags & EXPORT_KIND_MASK) == EXPORT_KIND_THREAD_LOCAL)
				return trie_bad(img, name, term, "a thread-local export "
					"cannot be bound");
			if ((flags & EXPORT_KIND_MASK) != EXPORT_KIND_REGULAR &&
			    (flags & EXPORT_KIND_MASK) != EXPORT_KIND_ABSOLUTE)
				return trie_bad(img, name, term, "unknown export kind");
			if (trie_uleb(t, end, &pos, &v))
				return trie_bad(img, name, term, "truncated address");
			if ((flags & EXPORT_KIND_MASK) == EXPORT_KIND_ABSOLUTE) {
				*addr = v;
			} else {
				if (v > img->vm_hi - img->hdr_vm)
					return trie_bad(img, name, term, "address outside the "
						"image");
				*addr = img->hdr_vm + v + img->slide;
			}
			return 1;
		}
		pos = term + tsize;
		if (pos >= size)
			return trie_bad(img, name, node, "node without a child count");
		unsigned nchild = t[pos++];
		int found = 0;
		for (unsigned i = 0; i < nchild && !found; i++) {
			const uint8_t *z = pos < size ?
				memchr(t + pos, 0, size - pos) : NULL;
			if (!z)
				return trie_bad(img, name, pos, "unterminated edge");
			size_t len = (size_t)(z - (t + pos));
			const char *edge = (const char *)t + pos;
			uint64_t child;
			if (!len)
				return trie_bad(img, name, pos, "empty edge");
			pos += len + 1;
			if (trie_uleb(t, size, &pos, &child) || child >= size)
				return trie_bad(img, name, pos, "bad child offset");
			if (strncmp(rest, edge, len) == 0) {
				rest += len;
				node = child;
				found = 1;
			}
		}
		if (!found)
			return 0;
	}
}
