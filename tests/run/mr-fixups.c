/*
 * mr-fixups.c - interpret the rebase, bind, lazy-bind and weak-bind opcode
 * streams of LC_DYLD_INFO(_ONLY) and apply them to the mapped image.
 *
 * This is an independent reading of the format (dyld's mach-o/loader.h
 * opcode list) used as a test oracle, so it is strict: an unknown opcode, a
 * truncated or overlong ULEB, a segment index out of range, or a write that
 * does not lie wholly inside a writable mapped segment is an error, never a
 * crash. Lazy binds are bound eagerly. Weak binds are checked but not
 * applied: each image keeps its own definition of a weak symbol, which
 * rebase and bind already put in place (no coalescing across images).
 * Only pointer-sized (TYPE_POINTER) fixups are supported; TEXT_ABSOLUTE32
 * and TEXT_PCREL32 are rejected. Imports of both fixup kinds resolve
 * through mr_import_resolve(): ordinal -2 (flat lookup) and -3 (weak
 * lookup, which chained fixups use for weak definitions) search every
 * loaded image, the main executable first, then the host. Ordinals 0 (the
 * image itself) and -1 (the main executable) look in those images' export
 * tries. Left out: BIND_OPCODE_THREADED. Chained fixups live in mr-chained.c.
 */
#include <inttypes.h>
#include <string.h>

#include "mr.h"

enum {
	REBASE_TYPE_POINTER = 1,
	REBASE_OP_DONE = 0x00,
	REBASE_OP_SET_TYPE_IMM = 0x10,
	REBASE_OP_SET_SEGMENT_AND_OFFSET_ULEB = 0x20,
	REBASE_OP_ADD_ADDR_ULEB = 0x30,
	REBASE_OP_ADD_ADDR_IMM_SCALED = 0x40,
	REBASE_OP_DO_REBASE_IMM_TIMES = 0x50,
	REBASE_OP_DO_REBASE_ULEB_TIMES = 0x60,
	REBASE_OP_DO_REBASE_ADD_ADDR_ULEB = 0x70,
	REBASE_OP_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB = 0x80,

	BIND_TYPE_POINTER = 1,
	BIND_FLAG_WEAK_IMPORT = 0x1,
	BIND_FLAG_NON_WEAK_DEFINITION = 0x8,
	BIND_OP_DONE = 0x00,
	BIND_OP_SET_DYLIB_ORDINAL_IMM = 0x10,
	BIND_OP_SET_DYLIB_ORDINAL_ULEB = 0x20,
	BIND_OP_SET_DYLIB_SPECIAL_IMM = 0x30,
	BIND_OP_SET_SYMBOL_TRAILING_FLAGS_IMM = 0x40,
	BIND_OP_SET_TYPE_IMM = 0x50,
	BIND_OP_SET_ADDEND_SLEB = 0x60,
	BIND_OP_SET_SEGMENT_AND_OFFSET_ULEB = 0x70,
	BIND_OP_ADD_ADDR_ULEB = 0x80,
	BIND_OP_DO_BIND = 0x90,
	BIND_OP_DO_BIND_ADD_ADDR_ULEB = 0xa0,
	BIND_OP_DO_BIND_ADD_ADDR_IMM_SCALED = 0xb0,
	BIND_OP_DO_BIND_ULEB_TIMES_SKIPPING_ULEB = 0xc0,
	BIND_OP_THREADED = 0xd0,
};

/* A cursor over one stream; pos and end are file offsets. */
struct stream {
	struct mr_image *img;
	const char *name;
	uint64_t start, pos, end;
};

static int bad(struct stream *s, uint64_t at, const char *why)
{
	mr_error(s->img, "%s stream: %s at offset 0x%" PRIx64, s->name, why,
		at - s->start);
	return -1;
}

static int uleb(struct stream *s, uint64_t *out)
{
	uint64_t v = 0, at = s->pos;
	unsigned shift = 0;
	for (;;) {
		if (s->pos >= s->end)
			return bad(s, at, "truncated ULEB128");
		uint8_t b = s->img->file[s->pos++];
		uint64_t part = b & 0x7f;
		if (shift >= 64 || (shift == 63 && part > 1))
			return bad(s, at, "ULEB128 overflows 64 bits");
		v |= part << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*out = v;
	return 0;
}

static int sleb(struct stream *s, int64_t *out)
{
	uint64_t v = 0, at = s->pos;
	unsigned shift = 0;
	uint8_t b;
	do {
		if (s->pos >= s->end)
			return bad(s, at, "truncated SLEB128");
		if (shift >= 64)
			return bad(s, at, "SLEB128 overflows 64 bits");
		b = s->img->file[s->pos++];
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	memcpy(out, &v, sizeof(v));
	return 0;
}

static int rebase_one(struct stream *s, unsigned segi, uint64_t off, int type)
{
	uint64_t v;
	if (type != REBASE_TYPE_POINTER)
		return bad(s, s->pos, "unsupported rebase type");
	uint8_t *p = mr_image_ptr(s->img, segi, off, 8, 1, "rebase");
	if (!p)
		return -1;
	memcpy(&v, p, 8);
	mr_note(s->img, "rebase %s+0x%" PRIx64 ": 0x%" PRIx64 " -> 0x%" PRIx64,
		s->img->seg[segi].name, off, v, v + s->img->slide);
	v += s->img->slide;
	memcpy(p, &v, 8);
	return 0;
}

static int do_rebase(struct mr_image *img)
{
	struct stream s = { img, "rebase", img->rebase_off, img->rebase_off,
		(uint64_t)img->rebase_off + img->rebase_size };
	unsigned segi = 0;
	uint64_t off = 0, n, skip;
	int type = 0, have_seg = 0;

	while (s.pos < s.end) {
		uint64_t at = s.pos;
		uint8_t b = img->file[s.pos++];
		uint8_t op = b & 0xf0, imm = b & 0x0f;
		if (op >= REBASE_OP_DO_REBASE_IMM_TIMES &&
		    op <= REBASE_OP_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB && !have_seg)
			return bad(&s, at, "rebase before SET_SEGMENT_AND_OFFSET");
		switch (op) {
		case REBASE_OP_DONE:
			return 0;
		case REBASE_OP_SET_TYPE_IMM:
			type = imm;
			break;
		case REBASE_OP_SET_SEGMENT_AND_OFFSET_ULEB:
			segi = imm;
			have_seg = 1;
			if (uleb(&s, &off))
				return -1;
			break;
		case REBASE_OP_ADD_ADDR_ULEB:
			if (uleb(&s, &n))
				return -1;
			off += n;
			break;
		case REBASE_OP_ADD_ADDR_IMM_SCALED:
			off += (uint64_t)imm * 8;
			break;
		case REBASE_OP_DO_REBASE_IMM_TIMES:
			for (unsigned i = 0; i < imm; i++, off += 8)
				if (rebase_one(&s, segi, off, type))
					return -1;
			break;
		case REBASE_OP_DO_REBASE_ULEB_TIMES:
			if (uleb(&s, &n))
				return -1;
			for (uint64_t i = 0; i < n; i++, off += 8)
				if (rebase_one(&s, segi, off, type))
					return -1;
			break;
		case REBASE_OP_DO_REBASE_ADD_ADDR_ULEB:
			if (uleb(&s, &n) || rebase_one(&s, segi, off, type))
				return -1;
			off += n + 8;
			break;
		case REBASE_OP_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB:
			if (uleb(&s, &n) || uleb(&s, &skip))
				return -1;
			for (uint64_t i = 0; i < n; i++, off += skip + 8)
				if (rebase_one(&s, segi, off, type))
					return -1;
			break;
		default:
			return bad(&s, at, "unknown rebase opcode");
		}
	}
	return 0;
}

enum bind_kind { BIND_REGULAR, BIND_LAZY, BIND_WEAK };

struct bind_state {
	unsigned segi;
	int have_seg;
	uint64_t off;
	int64_t ordinal, addend;
	int have_ordinal, type, flags;
	const char *sym;
};

enum {
	ORDINAL_SELF = 0,
	ORDINAL_MAIN_EXECUTABLE = -1,
	ORDINAL_FLAT_LOOKUP = -2,
	ORDINAL_WEAK_LOOKUP = -3,
};

int mr_import_resolve(struct mr_image *img, const char *ctx, const char *sym,
	int64_t ordinal, int weak_import, uint64_t *addr)
{
	const char *where = "the host libraries";
	int r;

	if (ordinal < ORDINAL_WEAK_LOOKUP ||
	    (ordinal > 0 && (uint64_t)ordinal > img->ndylibs)) {
		mr_error(img, "%sdylib ordinal %" PRId64 " of '%s' out of range "
			"(%u dylibs)", ctx, ordinal, sym, img->ndylibs);
		return -1;
	}
	switch (ordinal) {
	case ORDINAL_SELF:
		where = img->path;
		r = mr_image_lookup(img, sym, addr, 0);
		break;
	case ORDINAL_MAIN_EXECUTABLE:
		where = mr_main_image()->path;
		r = mr_image_lookup(mr_main_image(), sym, addr, 0);
		break;
	case ORDINAL_FLAT_LOOKUP:
	case ORDINAL_WEAK_LOOKUP:
		/* weak coalescing: the first image in load order that defines
		 * sym wins, and the main executable comes first */
		r = mr_flat_lookup(img, sym, addr);
		break;
	default:
		r = mr_dep_lookup(img, ordinal, sym, addr, 0, &where);
		break;
	}
	if (r < 0)
		return -1;
	if (r > 0)
		return 0;
	if (!weak_import) {
		if (ordinal > 0 && !img->dep[ordinal - 1].host)
			mr_error(img, "%ssymbol '%s' not found in dylib '%s'", ctx,
				sym, where);
		else
			mr_error(img, "%scannot resolve symbol '%s' (dylib ordinal "
				"%" PRId64 ", %s)", ctx, sym, ordinal, where);
		return -1;
	}
	mr_note(img, "%sweak import '%s' not found: bound to 0", ctx, sym);
	*addr = 0;
	return 0;
}

static int bind_one(struct stream *s, enum bind_kind kind,
	const struct bind_state *b)
{
	uint64_t addr;
	uint8_t *p;

	if (!b->have_seg)
		return bad(s, s->pos, "bind before SET_SEGMENT_AND_OFFSET");
	if (!b->sym)
		return bad(s, s->pos, "bind without a symbol");
	if (b->type != BIND_TYPE_POINTER)
		return bad(s, s->pos, "unsupported bind type");
	p = mr_image_ptr(s->img, b->segi, b->off, 8, 1, s->name);
	if (!p)
		return -1;
	if (kind == BIND_WEAK) {
		mr_note(s->img, "weak bind %s+0x%" PRIx64 " %s: kept the image's "
			"own value", s->img->seg[b->segi].name, b->off, b->sym);
		return 0;
	}
	if (!b->have_ordinal)
		return bad(s, s->pos, "bind without a dylib ordinal");
	if (b->ordinal < ORDINAL_WEAK_LOOKUP || (b->ordinal > 0 &&
	    (uint64_t)b->ordinal > s->img->ndylibs))
		return bad(s, s->pos, "dylib ordinal out of range");
	if (mr_import_resolve(s->img, "", b->sym, b->ordinal,
	    b->flags & BIND_FLAG_WEAK_IMPORT, &addr))
		return -1;
	addr += (uint64_t)b->addend;
	mr_note(s->img, "%s %s+0x%" PRIx64 " %s -> 0x%" PRIx64, s->name,
		s->img->seg[b->segi].name, b->off, b->sym, addr);
	memcpy(p, &addr, 8);
	return 0;
}

static int do_bind(struct mr_image *img, enum bind_kind kind, uint32_t foff,
	uint32_t size)
{
	static const char *const names[] = { "bind", "lazy bind", "weak bind" };
	struct stream s = { img, names[kind], foff, foff, (uint64_t)foff + size };
	struct bind_state b = { 0 };
	uint64_t n, skip;

	b.type = BIND_TYPE_POINTER;
	while (s.pos < s.end) {
		uint64_t at = s.pos;
		uint8_t byte = img->file[s.pos++];
		uint8_t op = byte & 0xf0, imm = byte & 0x0f;
		switch (op) {
		case BIND_OP_DONE:
			/* the lazy stream is a run of entries each ending in DONE */
			if (kind != BIND_LAZY)
				return 0;
			break;
		case BIND_OP_SET_DYLIB_ORDINAL_IMM:
			b.ordinal = imm;
			b.have_ordinal = 1;
			break;
		case BIND_OP_SET_DYLIB_ORDINAL_ULEB:
			if (uleb(&s, &n))
				return -1;
			if (n > INT32_MAX)
				return bad(&s, at, "dylib ordinal out of range");
			b.ordinal = (int64_t)n;
			b.have_ordinal = 1;
			break;
		case BIND_OP_SET_DYLIB_SPECIAL_IMM:
			b.ordinal = imm ? (int64_t)(int8_t)(0xf0 | imm) : 0;
			b.have_ordinal = 1;
			break;
		case BIND_OP_SET_SYMBOL_TRAILING_FLAGS_IMM: {
			const uint8_t *z = memchr(img->file + s.pos, 0, s.end - s.pos);
			if (!z)
				return bad(&s, at, "unterminated symbol name");
			b.sym = (const char *)img->file + s.pos;
			b.flags = imm;
			s.pos = (uint64_t)(z - img->file) + 1;
			break;
		}
		case BIND_OP_SET_TYPE_IMM:
			b.type = imm;
			break;
		case BIND_OP_SET_ADDEND_SLEB:
			if (sleb(&s, &b.addend))
				return -1;
			break;
		case BIND_OP_SET_SEGMENT_AND_OFFSET_ULEB:
			b.segi = imm;
			b.have_seg = 1;
			if (uleb(&s, &b.off))
				return -1;
			break;
		case BIND_OP_ADD_ADDR_ULEB:
			if (uleb(&s, &n))
				return -1;
			b.off += n;
			break;
		case BIND_OP_DO_BIND:
			if (bind_one(&s, kind, &b))
				return -1;
			b.off += 8;
			break;
		case BIND_OP_DO_BIND_ADD_ADDR_ULEB:
			if (uleb(&s, &n) || bind_one(&s, kind, &b))
				return -1;
			b.off += n + 8;
			break;
		case BIND_OP_DO_BIND_ADD_ADDR_IMM_SCALED:
			if (bind_one(&s, kind, &b))
				return -1;
			b.off += (uint64_t)imm * 8 + 8;
			break;
		case BIND_OP_DO_BIND_ULEB_TIMES_SKIPPING_ULEB:
			if (uleb(&s, &n) || uleb(&s, &skip))
				return -1;
			for (uint64_t i = 0; i < n; i++, b.off += skip + 8)
				if (bind_one(&s, kind, &b))
					return -1;
			break;
		case BIND_OP_THREADED:
			return bad(&s, at, "BIND_OPCODE_THREADED is not supported");
		default:
			return bad(&s, at, "unknown bind opcode");
		}
		/* a weak-bind entry with NON_WEAK_DEFINITION only announces a
		 * strong definition; nothing to bind (checked in bind_one). */
	}
	return 0;
}

int mr_fixups_apply(struct mr_image *img)
{
	if (img->has_chained)
		return mr_chained_apply(img);
	if (!img->has_dyld_info) {
		mr_note(img, "no LC_DYLD_INFO: no rebase or bind");
		return 0;
	}
	if (do_rebase(img) ||
	    do_bind(img, BIND_REGULAR, img->bind_off, img->bind_size) ||
	    do_bind(img, BIND_LAZY, img->lazy_off, img->lazy_size) ||
	    do_bind(img, BIND_WEAK, img->weak_off, img->weak_size))
		return -1;
	return 0;
}
