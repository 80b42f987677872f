/*
 * reexports.c - finds the libraries that binary dylib inputs re-export
 * (LC_REEXPORT_DYLIB) and adds them as inputs, as ld64.lld loads them:
 * a program linked against libA.dylib, which re-exports libB.dylib, can
 * use libB's symbols, and binds them with libA's ordinal (dyld finds them
 * through libA). The link merges a re-exported library's exports into
 * those of the input that re-exports it (link_input.reexported_by, the
 * first input of its chain), so it gets no load command of its own.
 *
 * An install name is found as lld finds it: "@loader_path/X" next to the
 * library that names it; "@rpath/X" under each LC_RPATH of that library
 * (their @loader_path expanded); an absolute path under -syslibroot, then
 * as it is, a .tbd beside a .dylib name first. A library given on the
 * command line is not loaded twice. A re-export that is not found is an
 * error naming it and who re-exports it (lld's "unable to locate
 * re-export").
 *
 * Leaves out: "@executable_path" (only a program's dylibs use it), TBD
 * inputs (their re-exports are merged by the TBD reader), and lld's
 * implicitly linked system libraries (re-exports under /usr/lib and the
 * public frameworks get an LC_LOAD_DYLIB of their own in lld; here they
 * bind through the library that re-exports them, which dyld accepts).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/diag.h"
#include "../input/dylib.h"
#include "argv.h"
#include "reexports.h"

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* path's directory (without the slash), "." when it has none */
static void dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, len, ".");
	else
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

/* cand, or cand with .dylib replaced by .tbd (tried first, as lld): 1 and
 * the path in out when one is a file. */
static int try_path(const char *cand, char *out, size_t len)
{
	size_t n = strlen(cand);
	if (n > 6 && !strcmp(cand + n - 6, ".dylib")) {
		snprintf(out, len, "%.*s.tbd", (int)(n - 6), cand);
		if (is_file(out))
			return 1;
	}
	snprintf(out, len, "%s", cand);
	return is_file(out);
}

/* "@loader_path/..." under the directory of `parent`. */
static void expand_loader(const char *s, const char *parent, char *out, size_t len)
{
	char dir[4096];
	dir_of(parent, dir, sizeof dir);
	snprintf(out, len, "%s%s", dir, s + strlen("@loader_path"));
}

/* Where install name `name`, re-exported by the dylib at `parent` (dl),
 * is: 1 and the path in out, or 0. */
static int locate(const char *name, const char *parent, const struct dylib *dl,
		  const char *syslibroot, char *out, size_t len)
{
	char cand[8192];
	if (!strncmp(name, "@loader_path/", 13)) {
		expand_loader(name, parent, cand, sizeof cand);
		return try_path(cand, out, len);
	}
	if (!strncmp(name, "@rpath/", 7)) {
		for (size_t i = 0; i < dl->nrpaths; i++) {
			char base[4096];
			const char *r = dl->rpaths[i];
			if (!strncmp(r, "@loader_path", 12) && (r[12] == '/' || !r[12]))
				expand_loader(r, parent, base, sizeof base);
			else
				snprintf(base, sizeof base, "%s", r);
			snprintf(cand, sizeof cand, "%s%s", base, name + 6);
			if (try_path(cand, out, len))
				return 1;
		}
		return 0;
	}
	if (name[0] != '/')
		return 0;
	if (syslibroot) {
		snprintf(cand, sizeof cand, "%s%s", syslibroot, name);
		if (try_path(cand, out, len))
			return 1;
	}
	return try_path(name, out, len);
}

static int add(struct reexports *r, struct link_input *x, char *path, uint8_t *data)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct reexport_input *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n].in = *x;
	r->v[r->n].path = path;
	r->v[r->n].data = data;
	r->n++;
	return 0;
}

/* 1 if some input already is the file at path (by name as given). */
static int have_path(const struct link_input *in, size_t n, const struct reexports *r,
		     const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (in[i].name && !strcmp(in[i].name, path))
			return 1;
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].path, path))
			return 1;
	return 0;
}

int reexports_follow(const struct link_input *in, size_t n, enum link_arch arch,
		     const char *syslibroot, struct reexports *r, char *msg, size_t msglen)
{
	memset(r, 0, sizeof *r);
	/* inputs then found re-exports, each looked at once, in order */
	for (size_t k = 0; k < n + r->n; k++) {
		const struct link_input *x = k < n ? &in[k] : &r->v[k - n].in;
		if (!x->data || !dylib_macho_is(x->data, x->size) || x->bundle_loader)
			continue;
		struct diag d;
		diag_init(&d);
		struct dylib dl;
		if (dylib_macho_parse(&dl, x->name, x->data, x->size, arch, &d)) {
			diag_release(&d);
			continue;   /* the link reports it */
		}
		diag_release(&d);
		size_t root = x->reexported_by ? (size_t)x->reexported_by : k + 1;
		int rc = 0;
		for (size_t e = 0; e < dl.nreexports && !rc; e++) {
			char path[8192];
			const char *name = dl.reexports[e];
			if (!locate(name, x->name, &dl, syslibroot, path, sizeof path)) {
				snprintf(msg, msglen, "unable to locate re-export with install name "
					 "%s (re-exported by '%s')", name, x->name);
				rc = -1;
				break;
			}
			if (have_path(in, n, r, path))
				continue;
			char *p = strdup(path);
			char *data = NULL;
			size_t size = 0;
			if (!p || argv_read_file(path, (size_t)1 << 32, &data, &size)) {
				int e2 = errno;
				free(p);
				snprintf(msg, msglen, "cannot read '%s' (re-exported by '%s'): %s",
					 path, x->name, strerror(e2));
				rc = -1;
				break;
			}
			struct link_input ni;
			memset(&ni, 0, sizeof ni);
			ni.name = p;
			ni.data = (const uint8_t *)data;
			ni.size = size;
			ni.reexported_by = (int)root;
			if (add(r, &ni, p, (uint8_t *)data)) {
				free(p);
				free(data);
				snprintf(msg, msglen, "out of memory");
				rc = -1;
			}
			/* x may have moved with r->v: not read after this */
			x = k < n ? &in[k] : &r->v[k - n].in;
		}
		dylib_release(&dl);
		if (rc)
			return -1;
	}
	return 0;
}

void reexports_release(struct reexports *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].data);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}
