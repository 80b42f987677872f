/*
 * archive.c - reads a static archive (`!<arch>\n`) as llvm-ar and Apple's
 * ar write it: 60-byte member headers, 2-byte padding, BSD `#1/N` long
 * names, the GNU `//` long-name table with `/N` references, and the symbol
 * index (BSD `__.SYMDEF`, `__.SYMDEF SORTED`, `__.SYMDEF_64`, little
 * endian; GNU `/` and `/SYM64/`, big endian). Each index entry's member
 * header offset is mapped to the index of that member.
 *
 * Every header field is checked: the terminator "`\n", sizes that are
 * strictly decimal, every range inside the file. Leaves out: thin archives
 * (rejected), big-endian BSD indexes, writing, extracting.
 */
#include "archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"

enum { HDR = 60 };

struct rd {
	const char *file;
	const uint8_t *data;
	size_t size;
	struct diag *d;
	struct archive *a;
	size_t capmembers;
	const uint8_t *gnu_names;  /* the `//` member */
	size_t gnu_names_size;
	uint64_t index_off;        /* header offset of the index member */
	const uint8_t *index;      /* its data, NULL if none */
	size_t index_size;
	int index_kind;
};

enum { IDX_BSD32 = 1, IDX_BSD64, IDX_GNU32, IDX_GNU64 };

static int err(struct rd *r, uint64_t off, const char *what)
{
	return diag_error(r->d, "'%s': offset 0x%llx: %s", r->file,
			  (unsigned long long)off, what);
}

int archive_is(const uint8_t *data, size_t size)
{
	return size >= 8 && memcmp(data, "!<arch>\n", 8) == 0;
}

/*
 * Parses a space-padded decimal field: digits, then only spaces. Returns 0
 * with *out set, or -1. At most 19 digits, so it cannot overflow.
 */
static int parse_dec(const uint8_t *p, size_t n, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9') {
		if (i == 19)
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
		i++;
	}
	if (i == 0)
		return -1;
	for (; i < n; i++)
		if (p[i] != ' ')
			return -1;
	*out = v;
	return 0;
}

/* 1 if the 16-byte name field is `s` followed by spaces only. */
static int name_is(const uint8_t *f, const char *s)
{
	size_t n = strlen(s);
	if (memcmp(f, s, n) != 0)
		return 0;
	for (size_t i = n; i < 16; i++)
		if (f[i] != ' ')
			return 0;
	return 1;
}

static char *dup_name(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

/* Resolves a GNU `/N` reference into the `//` table. */
static int gnu_long_name(struct rd *r, uint64_t off, const uint8_t *f,
			 char **name)
{
	uint64_t idx;
	if (parse_dec(f + 1, 15, &idx))
		return err(r, off, "malformed long name reference");
	if (!r->gnu_names)
		return err(r, off, "long name reference without a '//' table");
	if (idx >= r->gnu_names_size)
		return err(r, off, "long name reference past the '//' table");
	const uint8_t *p = r->gnu_names + idx;
	size_t max = r->gnu_names_size - (size_t)idx, n = 0;
	while (n < max && p[n] != '\n' && p[n] != 0)
		n++;
	if (n == max)
		return err(r, off, "unterminated long name in the '//' table");
	if (n > 0 && p[n - 1] == '/')
		n--;
	if (!(*name = dup_name(p, n)))
		return err(r, off, "out of memory");
	return 0;
}

static int is_bsd_index(const char *name, int *kind)
{
	if (!strcmp(name, "__.SYMDEF") || !strcmp(name, "__.SYMDEF SORTED")) {
		*kind = IDX_BSD32;
		return 1;
	}
	if (!strcmp(name, "__.SYMDEF_64") ||
	    !strcmp(name, "__.SYMDEF_64 SORTED")) {
		*kind = IDX_BSD64;
		return 1;
	}
	return 0;
}

static void set_index(struct rd *r, int kind, uint64_t off, const uint8_t *p,
		      size_t n)
{
	if (r->index)
		return; /* only the first index counts */
	r->index_kind = kind;
	r->index_off = off;
	r->index = p;
	r->index_size = n;
}

static int add_member(struct rd *r, char *name, const uint8_t *p, size_t n,
		      uint64_t off)
{
	struct archive *a = r->a;
	if (a->nmembers == r->capmembers) {
		size_t cap = r->capmembers ? r->capmembers * 2 : 16;
		void *m = realloc(a->members, cap * sizeof *a->members);
		if (!m) {
			free(name);
			return err(r, off, "out of memory");
		}
		a->members = m;
		r->capmembers = cap;
	}
	a->members[a->nmembers++] = (struct archive_member){
		.name = name, .data = p, .size = n, .offset = off };
	return 0;
}

/* Reads one member header at `off`; sets *next to the following one. */
static int read_member(struct rd *r, uint64_t off, uint64_t *next)
{
	if (!range_ok(r->size, off, HDR))
		return err(r, off, "truncated archive member header");
	const uint8_t *h = r->data + off;
	if (h[58] != '`' || h[59] != '\n')
		return err(r, off, "bad member header terminator");
	uint64_t msize;
	if (parse_dec(h + 48, 10, &msize))
		return err(r, off, "malformed member size");
	uint64_t doff = off + HDR;
	if (!range_ok(r->size, doff, msize))
		return err(r, off, "member size past end of file");
	const uint8_t *p = r->data + doff;
	size_t n = (size_t)msize;
	*next = doff + msize + (msize & 1);

	char *name = NULL;
	if (memcmp(h, "#1/", 3) == 0) {
		uint64_t nlen;
		if (parse_dec(h + 3, 13, &nlen))
			return err(r, off, "malformed BSD long name length");
		if (nlen > msize)
			return err(r, off, "BSD long name longer than the member");
		size_t k = 0;
		while (k < nlen && p[k])
			k++; /* the name is NUL-padded */
		if (!(name = dup_name(p, k)))
			return err(r, off, "out of memory");
		p += nlen;
		n -= (size_t)nlen;
	} else if (name_is(h, "//")) {
		if (!r->gnu_names) {
			r->gnu_names = p;
			r->gnu_names_size = n;
		}
		return 0;
	} else if (name_is(h, "/")) {
		set_index(r, IDX_GNU32, off, p, n);
		return 0;
	} else if (name_is(h, "/SYM64/")) {
		set_index(r, IDX_GNU64, off, p, n);
		return 0;
	} else if (h[0] == '/') {
		if (gnu_long_name(r, off, h, &name))
			return -1;
	} else {
		size_t k = 16;
		while (k > 0 && h[k - 1] == ' ')
			k--;
		if (k > 0 && h[k - 1] == '/')
			k--; /* GNU short names end in '/' */
		if (!(name = dup_name(h, k)))
			return err(r, off, "out of memory");
	}
	if (name[0] == 0) {
		free(name);
		return err(r, off, "empty member name");
	}
	int kind;
	if (is_bsd_index(name, &kind)) {
		free(name);
		set_index(r, kind, off, p, n);
		return 0;
	}
	return add_member(r, name, p, n, off);
}

/* The member whose header is at `off`, or -1. Members are in file order. */
static long find_member(const struct archive *a, uint64_t off)
{
	size_t lo = 0, hi = a->nmembers;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->members[mid].offset == off)
			return (long)mid;
		if (a->members[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int add_symbol(struct rd *r, const uint8_t *s, size_t n, uint64_t moff,
		      size_t i)
{
	struct archive *a = r->a;
	long m = find_member(a, moff);
	if (m < 0) {
		char msg[96];
		snprintf(msg, sizeof msg, "index entry %zu points at 0x%llx, "
			 "which is not a member", i, (unsigned long long)moff);
		return err(r, r->index_off, msg);
	}
	char *name = dup_name(s, n);
	if (!name)
		return err(r, r->index_off, "out of memory");
	a->symbols[a->nsymbols].name = name;
	a->symbols[a->nsymbols].member = (uint32_t)m;
	a->nsymbols++;
	return 0;
}

static int alloc_symbols(struct rd *r, uint64_t count)
{
	/* count is bounded by the index size, itself bounded by the file */
	r->a->symbols = calloc(count ? (size_t)count : 1, sizeof *r->a->symbols);
	if (!r->a->symbols)
		return err(r, r->index_off, "out of memory");
	return 0;
}

/* BSD: ranlib array size, {strx, off}..., strtab size, strtab (LE). */
static int read_bsd_index(struct rd *r, int wide)
{
	const uint8_t *p = r->index;
	size_t n = r->index_size, w = wide ? 8 : 4;
	uint64_t off = r->index_off;
	if (n < w)
		return err(r, off, "truncated symbol index");
	uint64_t bytes = wide ? rd64(p) : rd32(p);
	if (bytes % (2 * w) || !range_ok(n, w, bytes) ||
	    !range_ok(n, w + bytes, w))
		return err(r, off, "symbol index size past the member");
	uint64_t count = bytes / (2 * w);
	const uint8_t *ents = p + w;
	uint64_t strsize = wide ? rd64(ents + bytes) : rd32(ents + bytes);
	uint64_t stroff = w + bytes + w;
	if (!range_ok(n, stroff, strsize))
		return err(r, off, "symbol index string table past the member");
	const uint8_t *str = p + stroff;
	if (alloc_symbols(r, count))
		return -1;
	for (uint64_t i = 0; i < count; i++) {
		const uint8_t *e = ents + i * 2 * w;
		uint64_t strx = wide ? rd64(e) : rd32(e);
		uint64_t moff = wide ? rd64(e + 8) : rd32(e + 4);
		if (strx >= strsize)
			return err(r, off, "symbol name offset past the string table");
		const uint8_t *s = str + strx;
		const uint8_t *z = memchr(s, 0, (size_t)(strsize - strx));
		if (!z)
			return err(r, off, "unterminated symbol name in the index");
		if (add_symbol(r, s, (size_t)(z - s), moff, (size_t)i))
			return -1;
	}
	return 0;
}

static uint64_t rd_be(const uint8_t *p, size_t w)
{
	uint64_t v = 0;
	for (size_t i = 0; i < w; i++)
		v = v << 8 | p[i];
	return v;
}

/* GNU: count, offsets (big endian), then NUL-terminated names. */
static int read_gnu_index(struct rd *r, int wide)
{
	const uint8_t *p = r->index;
	size_t n = r->index_size, w = wide ? 8 : 4;
	uint64_t off = r->index_off;
	if (n < w)
		return err(r, off, "truncated symbol index");
	uint64_t count = rd_be(p, w);
	if (count > (n - w) / w)
		return err(r, off, "symbol index count past the member");
	size_t pos = w + (size_t)count * w;
	if (alloc_symbols(r, count))
		return -1;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t moff = rd_be(p + w + i * w, w);
		const uint8_t *z = memchr(p + pos, 0, n - pos);
		if (!z)
			return err(r, off, "unterminated symbol name in the index");
		size_t len = (size_t)(z - (p + pos));
		if (add_symbol(r, p + pos, len, moff, (size_t)i))
			return -1;
		pos += len + 1;
	}
	return 0;
}

int archive_parse(struct archive *out, const char *name, const uint8_t *data,
		  size_t size, struct diag *d)
{
	memset(out, 0, sizeof *out);
	out->name = name;
	struct rd r = { .file = name, .data = data, .size = size, .d = d,
			.a = out };
	if (size >= 8 && memcmp(data, "!<thin>\n", 8) == 0)
		return err(&r, 0, "thin archives are not supported");
	if (!archive_is(data, size))
		return err(&r, 0, "not an archive: bad magic");
	int rc = 0;
	for (uint64_t off = 8, next = size; off < size && rc == 0; off = next)
		rc = read_member(&r, off, &next);
	if (rc == 0 && r.index) {
		out->has_index = 1;
		if (r.index_kind == IDX_BSD32 || r.index_kind == IDX_BSD64)
			rc = read_bsd_index(&r, r.index_kind == IDX_BSD64);
		else
			rc = read_gnu_index(&r, r.index_kind == IDX_GNU64);
	}
	if (rc)
		archive_release(out);
	return rc;
}

void archive_release(struct archive *a)
{
	for (size_t i = 0; i < a->nmembers; i++)
		free(a->members[i].name);
	free(a->members);
	for (size_t i = 0; i < a->nsymbols; i++)
		free(a->symbols[i].name);
	free(a->symbols);
	const char *name = a->name;
	memset(a, 0, sizeof *a);
	a->name = name;
}
