/*
 * dwarf_cu.c - DW_AT_name and DW_AT_comp_dir of the first DWARF unit
 * (dwarf_cu.h). DWARF 2 to 5, 32- and 64-bit formats, every form of
 * DWARF 5 and the GNU ones clang may emit; strings inline, in
 * __debug_str (DW_FORM_strp), __debug_line_str (DW_FORM_line_strp) or
 * through __debug_str_offsets (DW_FORM_strx*, with the unit's
 * DW_AT_str_offsets_base, which may come after the name in the DIE).
 */
#include <stdio.h>
#include <string.h>

#include "../base/bytes.h"
#include "dwarf_cu.h"

enum {
	DW_TAG_compile_unit = 0x11, DW_TAG_partial_unit = 0x3c,
	DW_TAG_skeleton_unit = 0x4a,
	DW_AT_name = 0x03, DW_AT_comp_dir = 0x1b, DW_AT_str_offsets_base = 0x72,
	DW_UT_compile = 1, DW_UT_partial = 3, DW_UT_skeleton = 4,
};

enum {
	DW_FORM_addr = 0x01, DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04,
	DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07,
	DW_FORM_string = 0x08, DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a,
	DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d,
	DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_ref_addr = 0x10,
	DW_FORM_ref1 = 0x11, DW_FORM_ref2 = 0x12, DW_FORM_ref4 = 0x13,
	DW_FORM_ref8 = 0x14, DW_FORM_ref_udata = 0x15, DW_FORM_indirect = 0x16,
	DW_FORM_sec_offset = 0x17, DW_FORM_exprloc = 0x18,
	DW_FORM_flag_present = 0x19, DW_FORM_strx = 0x1a, DW_FORM_addrx = 0x1b,
	DW_FORM_ref_sup4 = 0x1c, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e,
	DW_FORM_line_strp = 0x1f, DW_FORM_ref_sig8 = 0x20,
	DW_FORM_implicit_const = 0x21, DW_FORM_loclistx = 0x22,
	DW_FORM_rnglistx = 0x23, DW_FORM_ref_sup8 = 0x24, DW_FORM_strx1 = 0x25,
	DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28,
	DW_FORM_addrx1 = 0x29, DW_FORM_addrx2 = 0x2a, DW_FORM_addrx3 = 0x2b,
	DW_FORM_addrx4 = 0x2c,
	DW_FORM_GNU_addr_index = 0x1f01, DW_FORM_GNU_str_index = 0x1f02,
	DW_FORM_GNU_ref_alt = 0x1f20, DW_FORM_GNU_strp_alt = 0x1f21,
};

/* A bounds-checked reader over one section; `bad` is sticky. */
struct cur {
	const uint8_t *p;
	size_t size, pos;
	int bad;
};

static int need(struct cur *c, uint64_t n)
{
	if (c->bad || !range_ok(c->size, c->pos, n)) {
		c->bad = 1;
		return 0;
	}
	return 1;
}

static uint64_t get_n(struct cur *c, unsigned n)
{
	if (!need(c, n))
		return 0;
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)c->p[c->pos + i] << (8 * i);
	c->pos += n;
	return v;
}

static void skip(struct cur *c, uint64_t n)
{
	if (need(c, n))
		c->pos += (size_t)n;
}

static uint64_t get_uleb(struct cur *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0;; shift += 7) {
		if (!need(c, 1))
			return 0;
		uint8_t b = c->p[c->pos++];
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		else if (b & 0x7f) {
			c->bad = 1; /* does not fit 64 bits */
			return 0;
		}
		if (!(b & 0x80))
			return v;
		if (shift > 630) { /* an endless run of continuation bytes */
			c->bad = 1;
			return 0;
		}
	}
}

/* The NUL-terminated string at off of a section, or NULL when off is
 * outside it or no NUL follows inside it. */
static const char *str_at(const uint8_t *p, size_t size, uint64_t off)
{
	if (!p || off >= size)
		return NULL;
	if (!memchr(p + off, 0, size - (size_t)off))
		return NULL;
	return (const char *)p + off;
}

/* What one attribute of the DIE gave: a string, or a string index to
 * resolve once DW_AT_str_offsets_base is known. */
struct strval {
	int set;             /* 1: str; 2: index */
	const char *str;
	uint64_t index;
};

struct unit {
	unsigned version, offset_size, addr_size;
};

/*
 * Reads (or skips) one attribute value of `form`. A string form's value
 * goes to *sv when sv is given; DW_AT_str_offsets_base's to *base.
 * Returns 0, or -1 with *why.
 */
static int read_form(struct cur *c, const struct unit *u,
		     const struct dwarf_sections *s, uint64_t form,
		     struct strval *sv, uint64_t *num, int depth,
		     const char **why)
{
	uint64_t v = 0;
	int is_str = 0, is_index = 0;
	switch (form) {
	case DW_FORM_addr:
		v = get_n(c, u->addr_size);
		break;
	case DW_FORM_block1:
		skip(c, get_n(c, 1));
		break;
	case DW_FORM_block2:
		skip(c, get_n(c, 2));
		break;
	case DW_FORM_block4:
		skip(c, get_n(c, 4));
		break;
	case DW_FORM_block:
	case DW_FORM_exprloc:
		skip(c, get_uleb(c));
		break;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag:
		v = get_n(c, 1);
		break;
	case DW_FORM_data2: case DW_FORM_ref2:
		v = get_n(c, 2);
		break;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4:
		v = get_n(c, 4);
		break;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		v = get_n(c, 8);
		break;
	case DW_FORM_data16:
		skip(c, 16);
		break;
	case DW_FORM_sdata:
	case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_addrx:
	case DW_FORM_loclistx: case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index:
		v = get_uleb(c);
		break;
	case DW_FORM_string:
		if (need(c, 1)) {
			const uint8_t *z = memchr(c->p + c->pos, 0, c->size - c->pos);
			if (!z) {
				c->bad = 1;
				break;
			}
			if (sv) {
				sv->set = 1;
				sv->str = (const char *)c->p + c->pos;
			}
			c->pos = (size_t)(z - c->p) + 1;
		}
		break;
	case DW_FORM_strp:
	case DW_FORM_line_strp:
		v = get_n(c, u->offset_size);
		is_str = 1;
		break;
	case DW_FORM_ref_addr:
		v = get_n(c, u->version <= 2 ? u->addr_size : u->offset_size);
		break;
	case DW_FORM_sec_offset: case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
		v = get_n(c, u->offset_size);
		break;
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		break;
	case DW_FORM_strx: case DW_FORM_GNU_str_index:
		v = get_uleb(c);
		is_index = 1;
		break;
	case DW_FORM_strx1: case DW_FORM_addrx1:
		v = get_n(c, 1);
		is_index = form == DW_FORM_strx1;
		break;
	case DW_FORM_strx2: case DW_FORM_addrx2:
		v = get_n(c, 2);
		is_index = form == DW_FORM_strx2;
		break;
	case DW_FORM_strx3: case DW_FORM_addrx3:
		v = get_n(c, 3);
		is_index = form == DW_FORM_strx3;
		break;
	case DW_FORM_strx4: case DW_FORM_addrx4:
		v = get_n(c, 4);
		is_index = form == DW_FORM_strx4;
		break;
	case DW_FORM_indirect:
		if (depth > 4) {
			*why = "DW_FORM_indirect nested too deep";
			return -1;
		}
		return read_form(c, u, s, get_uleb(c), sv, num, depth + 1, why);
	default:
		*why = NULL; /* the caller names the form */
		return -1;
	}
	if (c->bad) {
		*why = "attribute value extends past the end of __debug_info";
		return -1;
	}
	if (num)
		*num = v;
	if (sv && is_str) {
		sv->set = 1;
		sv->str = form == DW_FORM_strp ? str_at(s->str, s->str_size, v)
					       : str_at(s->line_str, s->line_str_size, v);
		if (!sv->str) {
			*why = form == DW_FORM_strp
				       ? "string offset outside __debug_str"
				       : "string offset outside __debug_line_str";
			return -1;
		}
	} else if (sv && is_index) {
		sv->set = 2;
		sv->index = v;
	}
	return 0;
}

/* Finds abbreviation `code` in the table at off: *pos is then at its
 * tag. Returns 0, or -1 with *why. */
static int find_abbrev(const struct dwarf_sections *s, uint64_t off,
		       uint64_t code, struct cur *a, const char **why)
{
	a->p = s->abbrev;
	a->size = s->abbrev_size;
	a->pos = 0;
	a->bad = 0;
	if (!s->abbrev || off >= s->abbrev_size) {
		*why = "abbreviation table offset outside __debug_abbrev";
		return -1;
	}
	a->pos = (size_t)off;
	for (;;) {
		uint64_t k = get_uleb(a);
		if (a->bad || k == 0)
			break;
		if (k == code)
			return 0;
		get_uleb(a);      /* tag */
		skip(a, 1);       /* children */
		for (;;) {        /* attribute specifications */
			uint64_t at = get_uleb(a), form = get_uleb(a);
			if (a->bad)
				break;
			if (form == DW_FORM_implicit_const)
				get_uleb(a); /* its value (an sleb: same bytes) */
			if (at == 0 && form == 0)
				break;
		}
	}
	*why = a->bad ? "truncated abbreviation table"
		      : "the first DIE's abbreviation is not in its table";
	return -1;
}

static const char *resolve_index(const struct dwarf_sections *s,
				 const struct unit *u, uint64_t base,
				 uint64_t index, const char **why)
{
	uint64_t at = base + index * u->offset_size;
	if (!s->str_offsets || index > (uint64_t)1 << 40 ||
	    !range_ok(s->str_offsets_size, at, u->offset_size)) {
		*why = "string index outside __debug_str_offsets";
		return NULL;
	}
	struct cur c = { s->str_offsets, s->str_offsets_size, (size_t)at, 0 };
	const char *r = str_at(s->str, s->str_size, get_n(&c, u->offset_size));
	if (!r)
		*why = "string offset outside __debug_str";
	return r;
}

int dwarf_cu_names(const struct dwarf_sections *s, struct dwarf_cu_names *out,
		   const char **why, char *why_buf, size_t why_cap)
{
	memset(out, 0, sizeof *out);
	struct cur c = { s->info, s->info_size, 0, 0 };
	struct unit u;
	uint64_t len = get_n(&c, 4);
	u.offset_size = 4;
	if (len == 0xffffffffu) {
		len = get_n(&c, 8);
		u.offset_size = 8;
	} else if (len >= 0xfffffff0u) {
		*why = "reserved unit length";
		return -1;
	}
	if (c.bad || !range_ok(c.size, c.pos, len)) {
		*why = "truncated unit header";
		return -1;
	}
	c.size = c.pos + (size_t)len; /* the unit's end */
	u.version = (unsigned)get_n(&c, 2);
	if (u.version < 2 || u.version > 5) {
		*why = c.bad ? "truncated unit header" : "unsupported DWARF version";
		return -1;
	}
	uint64_t abbrev_off;
	if (u.version == 5) {
		uint64_t type = get_n(&c, 1);
		u.addr_size = (unsigned)get_n(&c, 1);
		abbrev_off = get_n(&c, u.offset_size);
		if (type == DW_UT_skeleton)
			skip(&c, 8); /* dwo_id */
		else if (type != DW_UT_compile && type != DW_UT_partial) {
			*why = c.bad ? "truncated unit header"
				     : "the first unit is not a compile unit";
			return -1;
		}
	} else {
		abbrev_off = get_n(&c, u.offset_size);
		u.addr_size = (unsigned)get_n(&c, 1);
	}
	if (c.bad) {
		*why = "truncated unit header";
		return -1;
	}
	if (u.addr_size != 4 && u.addr_size != 8) {
		*why = "unsupported address size";
		return -1;
	}
	uint64_t code = get_uleb(&c);
	if (c.bad || code == 0) {
		*why = c.bad ? "truncated DIE" : "the unit has no DIE";
		return -1;
	}
	struct cur a;
	if (find_abbrev(s, abbrev_off, code, &a, why))
		return -1;
	uint64_t tag = get_uleb(&a);
	skip(&a, 1);
	if (a.bad) {
		*why = "truncated abbreviation table";
		return -1;
	}
	if (tag != DW_TAG_compile_unit && tag != DW_TAG_partial_unit &&
	    tag != DW_TAG_skeleton_unit) {
		*why = "the first DIE is not a compile unit";
		return -1;
	}
	struct strval name = { 0 }, dir = { 0 };
	uint64_t str_base = 8; /* the first contribution's, when not given */
	if (u.offset_size == 8)
		str_base = 16;
	for (;;) {
		uint64_t at = get_uleb(&a), form = get_uleb(&a);
		if (a.bad) {
			*why = "truncated abbreviation table";
			return -1;
		}
		if (at == 0 && form == 0)
			break;
		if (form == DW_FORM_implicit_const)
			get_uleb(&a);
		struct strval *sv = at == DW_AT_name ? &name
				    : at == DW_AT_comp_dir ? &dir : NULL;
		uint64_t num = 0;
		const char *w = NULL;
		if (read_form(&c, &u, s, form, sv, &num, 0, &w)) {
			if (!w) {
				snprintf(why_buf, why_cap, "unknown form 0x%llx",
					 (unsigned long long)form);
				w = why_buf;
			}
			*why = w;
			return -1;
		}
		if (at == DW_AT_str_offsets_base)
			str_base = num;
	}
	struct strval *v[2] = { &name, &dir };
	const char **o[2] = { &out->name, &out->comp_dir };
	for (int i = 0; i < 2; i++) {
		if (v[i]->set == 1) {
			*o[i] = v[i]->str;
		} else if (v[i]->set == 2) {
			*o[i] = resolve_index(s, &u, str_base, v[i]->index, why);
			if (!*o[i])
				return -1;
		}
	}
	return 0;
}
