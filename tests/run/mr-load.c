/*
 * mr-load.c - the runner's dynamic loader: finds the Mach-O dylibs an image
 * names (LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, ...), loads
 * each once at its own slide, and answers symbol lookups by dylib ordinal
 * (two-level namespace), by flat lookup, and for the program's dlopen,
 * dlsym, dlclose and dlerror.
 *
 * An install name is searched, in order: a --map NAME=PATH entry; the host
 * (names under /usr/lib/ and /System/ are the system's and stay bound to
 * the host libraries); @rpath/ through the LC_RPATHs of the naming image
 * and then of the images that loaded it, up to the main executable;
 * @loader_path/ and @executable_path/ (also inside an LC_RPATH); an
 * absolute path; DIR/basename of the name for each --dylib-dir DIR. A
 * missing LC_LOAD_WEAK_DYLIB binds its imports as missing (0 for weak
 * imports); any other missing dylib is an error.
 *
 * Dependency cycles are allowed, as in dyld: an image is loaded once (by
 * its realpath) and a cycle is cut where it closes, both when loading and
 * when ordering initializers (a dylib's run after those of the dylibs it
 * loads). A symbol looked up in a dylib is also looked up in the dylibs it
 * re-exports, each image once per lookup, so a re-export cycle ends;
 * chains of re-exports deeper than MAX_DEPTH are refused.
 *
 * Left out: unloading (dlclose only counts), RTLD_NOLOAD/RTLD_LOCAL
 * semantics (every image is global), DYLD_* environment variables,
 * lazy-loaded dylibs are loaded eagerly, upward dylibs are loaded like
 * others.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mr.h"

#define MAX_IMAGES 256
#define MAX_DEPTH 32
#define MAX_OPT 32

/* Darwin's dlfcn.h constants */
#define DARWIN_RTLD_NEXT ((void *)-1)
#define DARWIN_RTLD_DEFAULT ((void *)-2)
#define DARWIN_RTLD_SELF ((void *)-3)
#define DARWIN_RTLD_MAIN_ONLY ((void *)-5)

/* The runner runs one program: its loader state is this one object. */
static struct {
	struct mr_image *main;
	struct mr_image *all[MAX_IMAGES]; /* load order, main first */
	unsigned nall;
	struct mr_image *init[MAX_IMAGES]; /* initializer order */
	unsigned ninit;
	const char *map_name[MAX_OPT], *map_path[MAX_OPT];
	unsigned nmap;
	const char *dir[MAX_OPT];
	unsigned ndir;
	uint64_t seed;
	int seeded, verbose, no_eh_frame;
	/* for initializers of dlopen'd images */
	int argc;
	char **argv, **envp, **apple;
	unsigned lookup; /* counts symbol lookups (mr_image_lookup) */
	char dlerr[512];
	int has_dlerr;
} ld;

int mr_load_map(const char *spec)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || !eq[1] || ld.nmap == MAX_OPT) {
		fprintf(stderr, "macho-run: bad --map '%s' (INSTALL_NAME=PATH, "
			"at most %d)\n", spec, MAX_OPT);
		return -1;
	}
	char *name = strndup(spec, (size_t)(eq - spec));
	if (!name)
		return -1;
	ld.map_name[ld.nmap] = name;
	ld.map_path[ld.nmap++] = eq + 1;
	return 0;
}

int mr_load_dir(const char *dir)
{
	if (ld.ndir == MAX_OPT) {
		fprintf(stderr, "macho-run: more than %d --dylib-dir\n", MAX_OPT);
		return -1;
	}
	ld.dir[ld.ndir++] = dir;
	return 0;
}

struct mr_image *mr_main_image(void)
{
	return ld.main;
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directory of an image (from its realpath), for @loader_path. */
static void dir_of(const struct mr_image *img, char *out, size_t n)
{
	const char *p = img->real ? img->real : img->path;
	const char *slash = strrchr(p, '/');
	if (!slash)
		snprintf(out, n, ".");
	else
		snprintf(out, n, "%.*s", (int)(slash - p), p);
}

/* Expands a leading @loader_path or @executable_path of s (owner is the
 * image whose load command holds s) followed by rest. Returns 0, or -1 when
 * the result does not fit. */
static int expand(const struct mr_image *owner, const char *s,
	const char *rest, char *out, size_t n)
{
	char dir[PATH_MAX];
	int len;

	if (strncmp(s, "@loader_path", 12) == 0 && (!s[12] || s[12] == '/')) {
		dir_of(owner, dir, sizeof(dir));
		len = snprintf(out, n, "%s%s%s", dir, s + 12, rest);
	} else if (strncmp(s, "@executable_path", 16) == 0 &&
	    (!s[16] || s[16] == '/')) {
		dir_of(ld.main, dir, sizeof(dir));
		len = snprintf(out, n, "%s%s%s", dir, s + 16, rest);
	} else {
		len = snprintf(out, n, "%s%s", s, rest);
	}
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

enum found { FOUND, HOST, NOT_FOUND };

/* Where the dylib `name`, named by img, lives (docs/runner.md). */
static enum found find_dylib(struct mr_image *img, const char *name,
	char *out, size_t n)
{
	for (unsigned i = 0; i < ld.nmap; i++)
		if (strcmp(ld.map_name[i], name) == 0) {
			snprintf(out, n, "%s", ld.map_path[i]);
			return FOUND;
		}
	if (strncmp(name, "/usr/lib/", 9) == 0 ||
	    strncmp(name, "/System/", 8) == 0)
		return HOST;
	if (strncmp(name, "@rpath/", 7) == 0) {
		/* the naming image's rpaths, then its loaders' */
		unsigned hops = 0;
		for (const struct mr_image *x = img; x && hops < MAX_IMAGES;
		     x = x->loader, hops++)
			for (unsigned r = 0; r < x->nrpath; r++)
				if (!expand(x, x->rpath[r], name + 6, out, n) &&
				    is_file(out))
					return FOUND;
	} else if (name[0] == '@') {
		/* an unknown @token expands to itself */
		if (!expand(img, name, "", out, n) && strcmp(out, name) &&
		    is_file(out))
			return FOUND;
	} else if (name[0] == '/' && is_file(name)) {
		snprintf(out, n, "%s", name);
		return FOUND;
	}
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	for (unsigned i = 0; i < ld.ndir && *base; i++) {
		int len = snprintf(out, n, "%s/%s", ld.dir[i], base);
		if (len > 0 && (size_t)len < n && is_file(out))
			return FOUND;
	}
	return NOT_FOUND;
}

static uint64_t image_seed(unsigned k)
{
	return ld.seed + (uint64_t)k * 0x9e3779b97f4a7c15ull;
}

static int load_deps(struct mr_image *img, unsigned depth);

/* Loads the image at path (or finds it loaded). NULL after printing why. */
static struct mr_image *load_image(const char *path, struct mr_image *loader,
	unsigned depth, int is_main, struct mr_image *into)
{
	char real[PATH_MAX];
	struct mr_image *img;

	if (!realpath(path, real)) {
		fprintf(stderr, "macho-run: '%s': cannot open: %s\n", path,
			strerror(errno));
		return NULL;
	}
	for (unsigned i = 0; i < ld.nall; i++)
		if (strcmp(ld.all[i]->real, real) == 0) {
			if (ld.all[i]->state == 1)
				mr_note(loader, "dependency cycle closes at '%s'", path);
			return ld.all[i];
		}
	if (ld.nall == MAX_IMAGES) {
		mr_error(loader, "more than %d images to load", MAX_IMAGES);
		return NULL;
	}
	if (depth > MAX_DEPTH) {
		mr_error(loader, "dylibs nested deeper than %d", MAX_DEPTH);
		return NULL;
	}
	img = into ? into : calloc(1, sizeof(*img));
	if (!img || !(img->real = strdup(real)) ||
	    !(img->path = strdup(path))) {
		fprintf(stderr, "macho-run: out of memory\n");
		return NULL;
	}
	img->verbose = ld.verbose;
	img->is_main = is_main;
	img->loader = loader;
	if (is_main)
		ld.main = img;
	/* img->path outlives the caller's buffer */
	if (mr_image_read(img, img->path) || mr_image_parse(img) ||
	    mr_image_map(img, image_seed(ld.nall), ld.seeded))
		return NULL;
	ld.all[ld.nall++] = img;
	img->state = 1;
	if (load_deps(img, depth + 1))
		return NULL;
	img->state = 2;
	ld.init[ld.ninit++] = img;
	return img;
}

static int load_deps(struct mr_image *img, unsigned depth)
{
	char path[PATH_MAX];

	for (unsigned i = 0; i < img->ndylibs; i++) {
		struct mr_dep *d = &img->dep[i];
		switch (find_dylib(img, d->name, path, sizeof(path))) {
		case HOST:
			d->host = 1;
			mr_note(img, "dylib %u '%s': the host libraries", i + 1,
				d->name);
			break;
		case NOT_FOUND:
			if (d->cmd == MR_LC_LOAD_WEAK_DYLIB) {
				d->missing = 1;
				mr_note(img, "weak dylib %u '%s' not found", i + 1,
					d->name);
				break;
			}
			mr_error(img, "cannot find dylib '%s' (dylib %u; see "
				"--map and --dylib-dir)", d->name, i + 1);
			return -1;
		case FOUND:
			mr_note(img, "dylib %u '%s': '%s'", i + 1, d->name, path);
			d->img = load_image(path, img, depth, 0, NULL);
			if (!d->img)
				return -1;
			if (d->img->is_main) {
				mr_error(img, "dylib '%s' is the main executable",
					d->name);
				return -1;
			}
			break;
		}
	}
	return 0;
}

/* Fixups, thread-locals, protections and unwind registration of the
 * images ld.all[from..]: every image is mapped before any is bound. */
static int finish(unsigned from)
{
	for (unsigned i = from; i < ld.nall; i++)
		if (mr_fixups_apply(ld.all[i]))
			return -1;
	for (unsigned i = from; i < ld.nall; i++) {
		struct mr_image *img = ld.all[i];
		if (mr_tlv_setup(img) || mr_image_protect(img) ||
		    mr_unwind_register(img, ld.no_eh_frame))
			return -1;
	}
	return 0;
}

int mr_load_program(struct mr_image *img, const char *path, uint64_t seed,
	int seeded, int verbose, int no_eh_frame)
{
	ld.seed = seed;
	ld.seeded = seeded;
	ld.verbose = verbose;
	ld.no_eh_frame = no_eh_frame;
	if (!load_image(path, NULL, 0, 1, img))
		return -1;
	return finish(0);
}

int mr_image_lookup(struct mr_image *img, const char *name, uint64_t *addr,
	unsigned depth)
{
	/* each image is searched once per lookup: re-export cycles and
	 * diamonds end */
	if (depth == 0)
		ld.lookup++;
	if (img->searched == ld.lookup)
		return 0;
	img->searched = ld.lookup;
	if (depth > MAX_DEPTH) {
		mr_error(img, "re-exports of '%s' nested deeper than %d (a "
			"re-export cycle?)", name, MAX_DEPTH);
		return -1;
	}
	int r = mr_export_lookup_depth(img, name, addr, depth);
	if (r)
		return r;
	for (unsigned i = 0; i < img->ndylibs; i++) {
		const char *where;
		if (img->dep[i].cmd != MR_LC_REEXPORT_DYLIB)
			continue;
		r = mr_dep_lookup(img, (int64_t)i + 1, name, addr, depth + 1,
			&where);
		if (r)
			return r;
	}
	return 0;
}

int mr_dep_lookup(struct mr_image *img, int64_t ord, const char *name,
	uint64_t *addr, unsigned depth, const char **where)
{
	const struct mr_dep *d = &img->dep[ord - 1];
	const char *why;

	*where = d->name;
	if (d->missing)
		return 0;
	if (d->host) {
		if (!mr_symbol_resolve(name, addr, &why))
			return 1;
		if (why) {
			mr_error(img, "cannot bind symbol '%s': %s", name, why);
			return -1;
		}
		return 0;
	}
	*where = d->img->path;
	return mr_image_lookup(d->img, name, addr, depth);
}

int mr_flat_lookup(struct mr_image *from, const char *name, uint64_t *addr)
{
	const char *why;

	for (unsigned i = 0; i < ld.nall; i++) {
		int r = mr_export_lookup(ld.all[i], name, addr);
		if (r < 0)
			return -1;
		if (r) {
			mr_note(from, "flat lookup of '%s' found it in '%s'", name,
				ld.all[i]->path);
			return 1;
		}
	}
	if (!mr_symbol_resolve(name, addr, &why))
		return 1;
	if (why) {
		mr_error(from, "cannot bind symbol '%s': %s", name, why);
		return -1;
	}
	return 0;
}

int mr_load_run_inits(int argc, char **argv, char **envp, char **apple)
{
	ld.argc = argc, ld.argv = argv, ld.envp = envp, ld.apple = apple;
	for (unsigned i = 0; i < ld.ninit; i++) {
		struct mr_image *img = ld.init[i];
		if (img->inited || img->is_main)
			continue;
		img->inited = 1;
		mr_note(img, "running the initializers of the dylib");
		if (mr_run_inits(img, argc, argv, envp, apple))
			return -1;
	}
	return 0;
}

/* ---- dlopen, dlsym, dlclose, dlerror ---- */

/* dlerror's next message: "fn(arg): why" */
static void set_dlerror(const char *fn, const char *arg, const char *why)
{
	snprintf(ld.dlerr, sizeof(ld.dlerr), "%s(%s): %s", fn, arg, why);
	ld.has_dlerr = 1;
}

void *mr_dlopen(const char *path, int mode)
{
	char found[PATH_MAX];
	unsigned nall = ld.nall, ninit = ld.ninit;

	(void)mode;
	if (!path)
		return ld.main;
	switch (find_dylib(ld.main, path, found, sizeof(found))) {
	case HOST:
		set_dlerror("dlopen", path, "system libraries cannot be opened by "
			"macho-run");
		return NULL;
	case NOT_FOUND:
		if (path[0] == '@' || !is_file(path)) {
			set_dlerror("dlopen", path, "image not found");
			return NULL;
		}
		snprintf(found, sizeof(found), "%s", path);
		break;
	case FOUND:
		break;
	}
	struct mr_image *img = load_image(found, ld.main, 1, 0, NULL);
	if (!img || finish(nall)) {
		/* what was loaded stays mapped but unreachable */
		ld.nall = nall, ld.ninit = ninit;
		set_dlerror("dlopen", path, "macho-run could not load it (see its "
			"message above)");
		return NULL;
	}
	if (mr_load_run_inits(ld.argc, ld.argv, ld.envp, ld.apple)) {
		set_dlerror("dlopen", path, "an initializer is invalid");
		return NULL;
	}
	return img;
}

void *mr_dlsym(void *handle, const char *name)
{
	char sym[1024];
	uint64_t addr = 0;
	int r = 0;

	if (!name || snprintf(sym, sizeof(sym), "_%s", name) >= (int)sizeof(sym)) {
		set_dlerror("dlsym", name ? name : "NULL", "bad name");
		return NULL;
	}
	if (handle == DARWIN_RTLD_DEFAULT || handle == DARWIN_RTLD_NEXT ||
	    handle == DARWIN_RTLD_SELF) {
		r = mr_flat_lookup(ld.main, sym, &addr);
	} else if (handle == DARWIN_RTLD_MAIN_ONLY) {
		r = mr_image_lookup(ld.main, sym, &addr, 0);
	} else {
		unsigned i;
		for (i = 0; i < ld.nall && ld.all[i] != handle; i++)
			;
		if (i == ld.nall) {
			set_dlerror("dlsym", name, "invalid handle");
			return NULL;
		}
		r = mr_image_lookup(ld.all[i], sym, &addr, 0);
	}
	if (r <= 0) {
		set_dlerror("dlsym", name, "symbol not found");
		return NULL;
	}
	return (void *)(uintptr_t)addr;
}

int mr_dlclose(void *handle)
{
	for (unsigned i = 0; i < ld.nall; i++)
		if (ld.all[i] == handle)
			return 0;
	set_dlerror("dlclose", "?", "invalid handle");
	return -1;
}

char *mr_dlerror(void)
{
	if (!ld.has_dlerr)
		return NULL;
	ld.has_dlerr = 0;
	return ld.dlerr;
}
