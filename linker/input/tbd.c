/*
 * tbd.c - tbd_parse: picks the front end (JSON for v5, YAML for v1-v4),
 * then merges, sorts and deduplicates what it collected into a struct
 * dylib. Also the builder helpers of tbd_build.h and dylib_find.
 *
 * Leaves out: the front ends themselves (tbd_yaml.c, tbd_json.c), and any
 * check that an inlined library's umbrella names the main one.
 */
#include "tbd_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/hugepage.h"

static int oom(struct tbd_build *b)
{
	return diag_error(b->d, "'%s': out of memory", b->file);
}

void tbd_quote(char *out, size_t outsz, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i = 0;
	if (outsz < 8) {
		if (outsz)
			out[0] = 0;
		return;
	}
	for (; i < len && o + 8 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\\' || c == '\'') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = 0;
}

const char *tbd_strdup(struct tbd_build *b, const char *s, size_t len)
{
	if (memchr(s, 0, len)) {
		char q[64];
		tbd_quote(q, sizeof q, s, len);
		diag_error(b->d, "'%s': name '%s' contains a NUL byte", b->file, q);
		return NULL;
	}
	char *p = arena_strndup(b->arena, s, len);
	if (!p)
		oom(b);
	return p;
}

struct tbd_lib *tbd_lib_new(struct tbd_build *b)
{
	if (huge_grow((void **)&b->libs, &b->caplibs, b->nlibs + 1,
		      sizeof *b->libs)) {
		oom(b);
		return NULL;
	}
	struct tbd_lib *l = &b->libs[b->nlibs++];
	memset(l, 0, sizeof *l);
	l->current_version = 0x10000; /* 1.0, the documented default */
	l->compat_version = 0x10000;
	return l;
}

static int add_owned(struct tbd_build *b, struct tbd_lib *l, const char *name,
		     enum dylib_sym_kind kind)
{
	if (huge_grow((void **)&l->syms, &l->capsyms, l->nsyms + 1,
		      sizeof *l->syms))
		return oom(b);
	l->syms[l->nsyms].name = name;
	l->syms[l->nsyms].kind = (uint8_t)kind;
	l->nsyms++;
	return 0;
}

int tbd_add_symbol(struct tbd_build *b, struct tbd_lib *l, const char *name,
		   size_t len, enum dylib_sym_kind kind)
{
	if (len == 0)
		return diag_error(b->d, "'%s': empty symbol name", b->file);
	const char *s = tbd_strdup(b, name, len);
	if (!s)
		return -1;
	return add_owned(b, l, s, kind);
}

static int add_prefixed(struct tbd_build *b, struct tbd_lib *l,
			const char *prefix, const char *name, size_t len)
{
	size_t plen = strlen(prefix);
	if (len > SIZE_MAX - plen - 1)
		return oom(b);
	if (memchr(name, 0, len))
		return tbd_strdup(b, name, len) ? 0 : -1; /* reports the NUL */
	char *s = arena_alloc(b->arena, plen + len + 1);
	if (!s)
		return oom(b);
	memcpy(s, prefix, plen);
	memcpy(s + plen, name, len);
	s[plen + len] = 0;
	return add_owned(b, l, s, DYSYM_REGULAR);
}

int tbd_add_objc(struct tbd_build *b, struct tbd_lib *l, const char *name,
		 size_t len, enum tbd_objc what)
{
	if (len == 0)
		return diag_error(b->d, "'%s': empty objective-c name", b->file);
	switch (what) {
	case TBD_OBJC_CLASS:
		if (add_prefixed(b, l, "_OBJC_CLASS_$_", name, len))
			return -1;
		return add_prefixed(b, l, "_OBJC_METACLASS_$_", name, len);
	case TBD_OBJC_EHTYPE:
		return add_prefixed(b, l, "_OBJC_EHTYPE_$_", name, len);
	case TBD_OBJC_IVAR:
		return add_prefixed(b, l, "_OBJC_IVAR_$_", name, len);
	}
	return diag_error(b->d, "'%s': bad objective-c symbol kind", b->file);
}

int tbd_add_reexport(struct tbd_build *b, struct tbd_lib *l, const char *name,
		     size_t len)
{
	const char *s = tbd_strdup(b, name, len);
	if (!s)
		return -1;
	if (huge_grow((void **)&l->reexports, &l->capreexports, l->nreexports + 1,
		      sizeof *l->reexports))
		return oom(b);
	l->reexports[l->nreexports++] = s;
	return 0;
}

int tbd_parse_version(const char *s, size_t len, uint32_t *out)
{
	static const uint32_t max[3] = { 65535, 255, 255 };
	uint32_t part[3] = { 0, 0, 0 };
	size_t i = 0;
	for (int n = 0; n < 3; n++) {
		size_t start = i;
		uint32_t v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (uint32_t)(s[i] - '0');
			if (v > max[n])
				return -2;
			i++;
		}
		if (i == start)
			return -1;
		part[n] = v;
		if (i == len)
			break;
		if (s[i] != '.' || n == 2)
			return -1;
		i++;
	}
	if (i != len)
		return -1;
	*out = part[0] << 16 | part[1] << 8 | part[2];
	return 0;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct dylib_symbol *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return (int)x->kind - (int)y->kind;
}

static int listed(const char **names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return 1;
	return 0;
}

/*
 * Moves the symbols of every inlined library that the main one re-exports,
 * directly or through another re-exported one, into libs[0].
 */
static int merge_reexports(struct tbd_build *b)
{
	struct tbd_lib *main = &b->libs[0];
	const char **want = NULL;
	size_t nwant = 0, capwant = 0;
	char *done = calloc(b->nlibs, 1);
	if (!done)
		return oom(b);
	int rc = 0;
	for (size_t i = 0; i < main->nreexports && rc == 0; i++) {
		if (huge_grow((void **)&want, &capwant, nwant + 1, sizeof *want))
			rc = oom(b);
		else
			want[nwant++] = main->reexports[i];
	}
	for (int changed = 1; changed && rc == 0;) {
		changed = 0;
		for (size_t i = 1; i < b->nlibs && rc == 0; i++) {
			struct tbd_lib *l = &b->libs[i];
			if (done[i] || !l->install_name || !l->has_target ||
			    !listed(want, nwant, l->install_name))
				continue;
			done[i] = 1;
			changed = 1;
			for (size_t k = 0; k < l->nsyms && rc == 0; k++)
				rc = add_owned(b, main, l->syms[k].name,
					       l->syms[k].kind);
			for (size_t k = 0; k < l->nreexports && rc == 0; k++) {
				if (huge_grow((void **)&want, &capwant, nwant + 1,
					      sizeof *want))
					rc = oom(b);
				else
					want[nwant++] = l->reexports[k];
			}
		}
	}
	free(want);
	free(done);
	return rc;
}

static void build_release(struct tbd_build *b)
{
	for (size_t i = 0; i < b->nlibs; i++) {
		free(b->libs[i].syms);
		free(b->libs[i].reexports);
	}
	free(b->libs);
	b->libs = NULL;
	b->nlibs = 0;
}

static int finish(struct tbd_build *b, struct dylib *out)
{
	if (b->nlibs == 0)
		return diag_error(b->d, "'%s': not a TBD file: no document",
				  b->file);
	if (merge_reexports(b))
		return -1;
	struct tbd_lib *main = &b->libs[0];
	if (!main->install_name)
		return diag_error(b->d, "'%s': missing install-name", b->file);
	out->own_name = strdup(main->install_name);
	if (!out->own_name)
		return oom(b);
	out->install_name = out->own_name;
	out->current_version = main->current_version;
	out->compat_version = main->compat_version;
	if (main->nsyms)
		qsort(main->syms, main->nsyms, sizeof *main->syms, sym_cmp);
	size_t n = 0;
	for (size_t i = 0; i < main->nsyms; i++)
		if (n == 0 || strcmp(main->syms[n - 1].name, main->syms[i].name))
			main->syms[n++] = main->syms[i];
	out->own_syms = main->syms;
	out->symbols = main->syms;
	out->nsymbols = n;
	main->syms = NULL;
	main->nsyms = 0;
	out->arena = b->arena;
	b->arena = NULL;
	return 0;
}

static const char *arch_str(enum link_arch arch)
{
	switch (arch) {
	case ARCH_X86_64:
		return "x86_64";
	case ARCH_ARM64:
		return "arm64";
	case ARCH_NONE:
		break;
	}
	return NULL;
}

int tbd_parse(struct dylib *out, const char *name, const uint8_t *data,
	      size_t size, enum link_arch arch, struct diag *d)
{
	return tbd_parse_for(out, name, data, size, arch, "macos", d);
}

int tbd_parse_for(struct dylib *out, const char *name, const uint8_t *data,
		  size_t size, enum link_arch arch, const char *platform,
		  struct diag *d)
{
	memset(out, 0, sizeof *out);
	struct tbd_build b = { .file = name, .d = d };
	char target[64];
	b.archname = arch_str(arch);
	if (!b.archname)
		return diag_error(d, "'%s': no architecture to read the TBD for",
				  name);
	snprintf(target, sizeof target, "%s-%s", b.archname, platform);
	b.target = target;
	b.arena = malloc(sizeof *b.arena);
	if (!b.arena)
		return oom(&b);
	arena_init(b.arena);

	size_t i = 0;
	while (i < size && (data[i] == ' ' || data[i] == '\t' ||
			    data[i] == '\r' || data[i] == '\n'))
		i++;
	int rc;
	if (i == size)
		rc = diag_error(d, "'%s': not a TBD file: empty", name);
	else if (data[i] == '{')
		rc = tbd_parse_json(&b, data, size);
	else
		rc = tbd_parse_yaml(&b, data, size);
	if (rc == 0)
		rc = finish(&b, out);
	build_release(&b);
	if (b.arena) {
		arena_release(b.arena);
		free(b.arena);
	}
	if (rc)
		dylib_release(out);
	return rc;
}

void dylib_release(struct dylib *dl)
{
	free(dl->own_name);
	free(dl->own_syms);
	if (dl->arena) {
		arena_release(dl->arena);
		free(dl->arena);
	}
	memset(dl, 0, sizeof *dl);
}

const struct dylib_symbol *dylib_find(const struct dylib *dl, const char *name)
{
	size_t lo = 0, hi = dl->nsymbols;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(dl->symbols[mid].name, name);
		if (c == 0)
			return &dl->symbols[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
