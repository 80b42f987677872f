/*
 * dump_util.c - helpers for the renderers: the install-name -> short-name
 * rule of llvm-objdump (MachOObjectFile::guessLibraryShortName, rewritten
 * here from its described behaviour), ordinal names, padding and section
 * names. Leaves out: any output format of its own.
 */
#include <string.h>

#include "../base/diag.h"
#include "dump_util.h"

#define NPOS ((size_t)-1)

static struct strview sv_slice(struct strview s, size_t a, size_t b)
{
	if (a > s.n)
		a = s.n;
	if (b > s.n)
		b = s.n;
	if (b < a)
		b = a;
	return (struct strview){ s.p + a, b - a };
}

/* Last index of c strictly below `from`, or NPOS. */
static size_t sv_rfind(struct strview s, char c, size_t from)
{
	if (from > s.n)
		from = s.n;
	while (from) {
		from--;
		if (s.p[from] == c)
			return from;
	}
	return NPOS;
}

static int sv_is(struct strview s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int sv_eq(struct strview a, struct strview b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static int sv_starts(struct strview s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static int is_debug_suffix(struct strview s)
{
	return sv_is(s, "_debug") || sv_is(s, "_profile");
}

/* True when name[idx..] reads "<foo>.framework/". */
static int framework_at(struct strview name, size_t idx, struct strview foo)
{
	struct strview f = sv_slice(name, idx, idx + foo.n);
	struct strview fw = sv_slice(name, idx + foo.n, idx + foo.n + 11);
	return sv_eq(f, foo) && sv_is(fw, ".framework/");
}

/* Strips a trailing ".X" version letter, as in "QT.A" or "libATS.A". */
static struct strview strip_version(struct strview lib)
{
	if (lib.n >= 3 && lib.p[lib.n - 2] == '.')
		lib.n -= 2;
	return lib;
}

static struct strview guess_library(struct strview name)
{
	struct strview none = { name.p, 0 }, lib;
	size_t a = sv_rfind(name, '.', NPOS), b, idx;

	if (a == NPOS || a == 0)
		return none;
	if (!sv_is(sv_slice(name, a, NPOS), ".dylib")) {
		if (!sv_is(sv_slice(name, a, NPOS), ".qtx"))
			return none;
		b = sv_rfind(name, '/', a);
		lib = b == NPOS ? sv_slice(name, 0, a) : sv_slice(name, b + 1, a);
		return strip_version(lib);
	}
	if (a >= 3 && name.p[a - 2] == '.')
		a -= 2;
	b = sv_rfind(name, '/', a);
	b = b == NPOS ? 0 : b + 1;
	idx = sv_rfind(name, '_', NPOS);
	if (idx != NPOS && idx != b) {
		lib = sv_slice(name, b, idx);
		if (!is_debug_suffix(sv_slice(name, idx, a)))
			lib = sv_slice(name, b, a);
	} else {
		lib = sv_slice(name, b, a);
	}
	return strip_version(lib);
}

static struct strview guess_short(struct strview name)
{
	size_t a = sv_rfind(name, '/', NPOS), b, c, d, idx;
	struct strview foo;

	if (a == NPOS || a == 0)
		return guess_library(name);
	foo = sv_slice(name, a + 1, NPOS);
	idx = sv_rfind(foo, '_', NPOS);
	if (idx != NPOS && foo.n >= 2 && is_debug_suffix(sv_slice(foo, idx, NPOS)))
		foo = sv_slice(foo, 0, idx);

	/* Foo.framework/Foo */
	b = sv_rfind(name, '/', a);
	if (framework_at(name, b == NPOS ? 0 : b + 1, foo))
		return foo;
	/* Foo.framework/Versions/A/Foo */
	if (b == NPOS)
		return guess_library(name);
	c = sv_rfind(name, '/', b);
	if (c == NPOS || c == 0)
		return guess_library(name);
	if (!sv_starts(sv_slice(name, c + 1, NPOS), "Versions/"))
		return guess_library(name);
	d = sv_rfind(name, '/', c);
	if (framework_at(name, d == NPOS ? 0 : d + 1, foo))
		return foo;
	return guess_library(name);
}

struct strview dylib_short_name(const char *install)
{
	struct strview name = { install, strlen(install) };
	struct strview s = guess_short(name);
	return s.n ? s : name;
}

static struct strview lit(const char *s)
{
	return (struct strview){ s, strlen(s) };
}

struct strview dump_ordinal_name(const struct link_image *img, int32_t ordinal)
{
	switch (ordinal) {
	case 0:
		return lit("this-image");
	case -1:
		return lit("main-executable");
	case -2:
		return lit("flat-namespace");
	case -3:
		return lit("weak");
	default:
		break;
	}
	if (ordinal < 0)
		return lit("<<unknown special ordinal>>");
	if ((size_t)ordinal > img->ndylibs || !img->dylibs[ordinal - 1])
		return lit("<<bad library ordinal>>");
	return dylib_short_name(img->dylibs[ordinal - 1]);
}

void put_ljust(struct buf *b, const char *s, size_t n, size_t width)
{
	buf_append(b, s, n);
	for (; n < width; n++)
		buf_u8(b, ' ');
}

void put_ljust_escaped(struct buf *b, const char *s, size_t width)
{
	size_t start = b->len;
	buf_put_escaped(b, s ? s : "");
	for (size_t n = b->len - start; n < width && !b->oom; n++)
		buf_u8(b, ' ');
}

const char *dump_sectname(const struct link_image *img, uint32_t sec)
{
	return sec < img->nsections ? img->sections[sec].sectname : "";
}

const char *dump_segname(const struct link_image *img, uint32_t sec)
{
	if (sec >= img->nsections)
		return "";
	uint32_t seg = img->sections[sec].segment;
	if (seg < img->nsegments)
		return img->segments[seg].name;
	return img->sections[sec].segname;
}
