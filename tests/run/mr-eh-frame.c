/*
 * mr-eh-frame.c - copy the image's __TEXT,__eh_frame (after fixups) to
 * where the runner registers it with the host unwinder (mr-unwind.c).
 *
 * The host's __register_frame reads records up to one of length 0, which
 * a Mach-O __eh_frame does not carry (lld may end it at the last byte of
 * __TEXT, right before __DATA_CONST), so the section is never registered
 * in place. Every pc-relative pointer of the copy (a CIE's personality, an
 * FDE's pc_begin and LSDA) is moved by the distance between the section
 * and the copy, so it still points into the image; each record is parsed
 * and bounds-checked as it is moved. As in Apple's libunwind, a function's
 * compact unwind encoding wins over its FDE unless the encoding says
 * DWARF: the FDE of a function that __unwind_info describes otherwise gets
 * pc_range 0, so it matches nothing.
 *
 * Refused (exit 125): records that run past the section, zero-length
 * records inside it, 64-bit lengths, a CIE pointer that is not a CIE, unknown augmentations, pointer encodings
 * other than absptr/pcrel with a fixed size, a pc-relative pointer that
 * does not fit its field in the copy. See docs/runner.md, C++.
 */
#include <inttypes.h>
#include <string.h>

#include "mr.h"

#define PE_OMIT 0xffu
#define PE_PCREL 0x10u

struct ehctx {
	struct mr_image *img;
	const struct mr_cu_table *cu;
	uint8_t *p;     /* the copy */
	uint64_t size;  /* of the section */
	int64_t delta;  /* section address - copy address */
	unsigned ncie, nfde, ndisabled;
};

struct cie {
	int z;                  /* augmentation starts with 'z' */
	uint8_t fde_enc, lsda_enc;
};

static int bad(struct ehctx *c, uint64_t off, const char *what)
{
	mr_error(c->img, "__eh_frame: %s at offset 0x%" PRIx64, what, off);
	return -1;
}

static int uleb(struct ehctx *c, uint64_t *off, uint64_t end, uint64_t *v)
{
	unsigned shift = 0;
	*v = 0;
	for (;;) {
		if (*off >= end || shift > 63)
			return bad(c, *off, "bad ULEB128");
		uint8_t b = c->p[(*off)++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return 0;
	}
}

/* Size of a pointer in encoding enc, or 0 if the runner cannot move it. */
static unsigned enc_size(uint8_t enc)
{
	if ((enc & 0x70) != 0 && (enc & 0x70) != PE_PCREL)
		return 0; /* textrel, datarel, funcrel, aligned */
	switch (enc & 0x0f) {
	case 0x0: case 0x4: case 0xc: return 8; /* absptr, udata8, sdata8 */
	case 0x3: case 0xb: return 4;           /* udata4, sdata4 */
	case 0x2: case 0xa: return 2;           /* udata2, sdata2 */
	default: return 0;                      /* LEB128 */
	}
}

/* Reads the pointer at *off in encoding enc and, if it is pc-relative,
 * moves it by c->delta. */
static int move_ptr(struct ehctx *c, uint64_t *off, uint64_t end, uint8_t enc)
{
	unsigned n = enc_size(enc);
	if (enc == PE_OMIT)
		return 0;
	if (!n)
		return bad(c, *off, "unsupported pointer encoding");
	if (end - *off < n)
		return bad(c, *off, "pointer runs past its record");
	if ((enc & 0x70) == PE_PCREL) {
		uint8_t *q = c->p + *off;
		int sign = (enc & 0x08) != 0;
		if (n == 8) {
			uint64_t v;
			memcpy(&v, q, 8);
			v += (uint64_t)c->delta;
			memcpy(q, &v, 8);
		} else if (n == 4) {
			uint32_t u;
			memcpy(&u, q, 4);
			int64_t v = (sign ? (int64_t)(int32_t)u : (int64_t)u) + c->delta;
			if (sign ? v != (int32_t)v : v != (uint32_t)v)
				return bad(c, *off, "pc-relative pointer out of range "
					"in the copy");
			u = (uint32_t)v;
			memcpy(q, &u, 4);
		} else {
			uint16_t u;
			memcpy(&u, q, 2);
			int64_t v = (sign ? (int64_t)(int16_t)u : (int64_t)u) + c->delta;
			if (sign ? v != (int16_t)v : v != (uint16_t)v)
				return bad(c, *off, "pc-relative pointer out of range "
					"in the copy");
			u = (uint16_t)v;
			memcpy(q, &u, 2);
		}
	}
	*off += n;
	return 0;
}

/* Parses the CIE record [at, end) (after its length and id); with move set,
 * moves its personality pointer. */
static int parse_cie(struct ehctx *c, uint64_t at, uint64_t end, int move,
	struct cie *out)
{
	uint64_t off = at, v;
	const char *aug;

	memset(out, 0, sizeof(*out));
	out->lsda_enc = PE_OMIT;
	if (off >= end)
		return bad(c, at, "empty CIE");
	uint8_t version = c->p[off++];
	if (version != 1 && version != 3)
		return bad(c, at, "unknown CIE version");
	aug = (const char *)c->p + off;
	while (off < end && c->p[off])
		off++;
	if (off++ >= end)
		return bad(c, at, "unterminated CIE augmentation");
	if (uleb(c, &off, end, &v) || uleb(c, &off, end, &v)) /* alignments */
		return -1;
	if (version == 1)
		off++;
	else if (uleb(c, &off, end, &v))
		return -1;
	if (aug[0] != 'z')
		return aug[0] ? bad(c, at, "unknown CIE augmentation") : 0;
	out->z = 1;
	if (uleb(c, &off, end, &v))
		return -1;
	if (off > end || end - off < v)
		return bad(c, at, "CIE augmentation data runs past its record");
	uint64_t aend = off + v;
	for (const char *a = aug + 1; *a; a++) {
		if (*a == 'S' || *a == 'B' || *a == 'G')
			continue;
		if ((*a != 'P' && *a != 'L' && *a != 'R') || off >= aend)
			return bad(c, at, "unknown CIE augmentation");
		uint8_t enc = c->p[off++];
		if (*a == 'L')
			out->lsda_enc = enc;
		else if (*a == 'R')
			out->fde_enc = enc;
		else if (move ? move_ptr(c, &off, aend, enc) :
			 (off += enc_size(enc), 0))
			return -1;
	}
	if (off > aend)
		return bad(c, at, "CIE augmentation data runs past its record");
	return 0;
}

/* Whether the function of the FDE whose (moved) pc_begin is at p + at in
 * encoding enc has a compact unwind encoding that is not DWARF mode. */
static int compact_covers(struct ehctx *c, uint64_t at, uint8_t enc)
{
	uint64_t pc = 0;
	unsigned n = enc_size(enc);
	int sign = (enc & 0x08) != 0;

	if (n == 8) {
		memcpy(&pc, c->p + at, 8);
	} else if (n == 4) {
		uint32_t u;
		memcpy(&u, c->p + at, 4);
		pc = sign ? (uint64_t)(int64_t)(int32_t)u : u;
	} else {
		uint16_t u;
		memcpy(&u, c->p + at, 2);
		pc = sign ? (uint64_t)(int64_t)(int16_t)u : u;
	}
	if ((enc & 0x70) == PE_PCREL)
		pc += (uint64_t)(uintptr_t)(c->p + at);
	const struct mr_cu_entry *e = mr_unwind_info_find(c->cu, pc);
	struct mr_cfa tmp = { 0 };
	return e && mr_cu_instructions(c->img, e, &tmp) == 1;
}

/* Parses the FDE [at, end) (at: its CIE pointer) and moves its pointers. */
static int parse_fde(struct ehctx *c, uint64_t at, uint64_t end)
{
	uint32_t id, len, cid;
	uint64_t off = at + 4, v;
	struct cie cie;

	memcpy(&id, c->p + at, 4);
	if (id > at)
		return bad(c, at, "FDE's CIE pointer leads before the section");
	uint64_t cie_at = at - id; /* the CIE's length field */
	if (c->size - cie_at < 8)
		return bad(c, at, "FDE's CIE pointer leads nowhere");
	memcpy(&len, c->p + cie_at, 4);
	memcpy(&cid, c->p + cie_at + 4, 4);
	if (cid != 0 || len < 4 || len == 0xffffffffu || c->size - cie_at - 4 < len)
		return bad(c, at, "FDE's CIE pointer does not lead to a CIE");
	if (parse_cie(c, cie_at + 8, cie_at + 4 + len, 0, &cie))
		return -1;
	unsigned n = enc_size(cie.fde_enc);
	uint64_t pc_at = off;
	if (cie.fde_enc == PE_OMIT)
		return bad(c, at, "FDE without pc_begin");
	if (move_ptr(c, &off, end, cie.fde_enc))
		return -1;
	if (end - off < n)
		return bad(c, at, "FDE pc_range runs past its record");
	if (compact_covers(c, pc_at, cie.fde_enc)) {
		memset(c->p + off, 0, n);
		c->ndisabled++;
	}
	off += n;
	if (!cie.z)
		return 0;
	if (uleb(c, &off, end, &v))
		return -1;
	if (end - off < v)
		return bad(c, at, "FDE augmentation data runs past its record");
	return move_ptr(c, &off, off + v, cie.lsda_enc);
}

static int move_records(struct ehctx *c)
{
	uint64_t off = 0;

	while (off < c->size) {
		uint32_t len, id;
		if (c->size - off < 8)
			return bad(c, off, "record cut off by the end of the section");
		memcpy(&len, c->p + off, 4);
		if (len == 0xffffffffu)
			return bad(c, off, "64-bit record length (not supported)");
		if (len == 0)
			return bad(c, off, "zero-length record inside the section");
		if (len < 4 || c->size - off - 4 < len)
			return bad(c, off, "record runs past the end of the section");
		memcpy(&id, c->p + off + 4, 4);
		uint64_t end = off + 4 + len;
		struct cie cie;
		if (id == 0) {
			c->ncie++;
			if (parse_cie(c, off + 8, end, 1, &cie))
				return -1;
		} else {
			c->nfde++;
			if (parse_fde(c, off + 4, end))
				return -1;
		}
		off = end;
	}
	return 0;
}

const struct mr_section *mr_eh_frame_section(const struct mr_image *img)
{
	for (unsigned i = 0; i < img->nsect; i++)
		if (!strcmp(img->sect[i].segname, "__TEXT") &&
		    !strcmp(img->sect[i].sectname, "__eh_frame") &&
		    img->sect[i].size)
			return &img->sect[i];
	return NULL;
}

int mr_eh_frame_copy(struct mr_image *img, const struct mr_cu_table *t,
	uint8_t *dst, unsigned *nfde, unsigned *ndisabled)
{
	const struct mr_section *x = mr_eh_frame_section(img);
	struct ehctx c = { .img = img, .cu = t, .p = dst };

	*nfde = *ndisabled = 0;
	if (!x)
		return 0;
	const uint8_t *src = mr_image_ptr(img, x->seg,
		x->addr - img->seg[x->seg].vmaddr, x->size, 0, "__eh_frame");
	if (!src)
		return -1;
	c.size = x->size;
	c.delta = (int64_t)((uintptr_t)src - (uintptr_t)dst);
	memcpy(dst, src, x->size);
	if (move_records(&c))
		return -1;
	*nfde = c.nfde;
	*ndisabled = c.ndisabled;
	return 0;
}
