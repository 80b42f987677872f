/*
 * collect.c - gathers the inputs of a unit whose link.conf names `inputs`
 * (collect.h): a walk of the stored tree under the unit, descending only
 * into directories a pattern may reach, then a sort by relative path.
 * Leaves out: the key and the link (unit.c).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "names.h"

#define MAX_DEPTH 64

static size_t name_len(const char *s)
{
	return strcspn(s, "/");
}

/* the part after the first name of s (after its slash), or "" */
static const char *after_name(const char *s, size_t n)
{
	return s[n] ? s + n + 1 : s + n;
}

static int name_match(const char *p, size_t pl, const char *s, size_t sl)
{
	char pb[LINKFS_NAME_MAX + 1], sb[LINKFS_NAME_MAX + 1];
	if (pl > LINKFS_NAME_MAX || sl > LINKFS_NAME_MAX)
		return 0;
	memcpy(pb, p, pl);
	pb[pl] = 0;
	memcpy(sb, s, sl);
	sb[sl] = 0;
	return fnmatch(pb, sb, 0) == 0;
}

int collect_match(const char *p, const char *s, int dir)
{
	if (!*s)   /* a directory: something below it may still match */
		return dir ? *p != 0 : *p == 0;
	if (!*p)
		return 0;
	size_t pl = name_len(p), sl = name_len(s);
	const char *pn = after_name(p, pl), *sn = after_name(s, sl);
	if (pl == 2 && p[0] == '*' && p[1] == '*') {
		if (!*pn)   /* a last `**` takes everything below */
			return 1;
		/* `**` stands for no directory, or for one more */
		return collect_match(pn, s, dir) || collect_match(p, sn, dir);
	}
	return name_match(p, pl, s, sl) && collect_match(pn, sn, dir);
}

struct found {
	char *path;
	uint8_t hash[STORE_HASH_LEN];
	int role;
};

struct walk {
	struct store *st;
	const char *patterns;
	collect_wait_fn wait;
	void *wait_arg;
	struct found *v;
	size_t n, cap;
	int64_t input_ns;
	uint64_t *gave;            /* the directories that gave an input */
	size_t ngave, capgave;
	/* one directory's listing */
	char *prefix;              /* its path relative to the unit, "" or "a/b/" */
	struct { uint64_t id; char *name; } *dirs;
	size_t ndirs, capdirs;
	int any;                   /* this directory gave an input */
};

/* 1 if one of the patterns matches path (as a file, or as a directory) */
static int any_match(const char *patterns, const char *path, int dir)
{
	char p[1024];
	for (const char *s = patterns; *s;) {
		size_t n = strcspn(s, " ");
		if (n && n < sizeof p) {
			memcpy(p, s, n);
			p[n] = 0;
			if (collect_match(p, path, dir))
				return 1;
		}
		s += n;
		while (*s == ' ')
			s++;
	}
	return 0;
}

/* "prefix" + name, malloc'd; NULL when out of memory */
static char *join(const char *prefix, const char *name, size_t len)
{
	size_t pl = strlen(prefix);
	char *s = malloc(pl + len + 1);
	if (!s)
		return NULL;
	memcpy(s, prefix, pl);
	memcpy(s + pl, name, len);
	s[pl + len] = 0;
	return s;
}

static int one_input(void *arg, const char *name, size_t len,
		     const uint8_t hash[STORE_HASH_LEN], int role)
{
	struct walk *w = arg;
	if (role == ROLE_CONF)
		return 0;
	char *path = join(w->prefix, name, len);
	if (!path)
		return -ENOMEM;
	if (memchr(name, '/', len) || !any_match(w->patterns, path, 0)) {
		free(path);
		return 0;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct found *v = realloc(w->v, cap * sizeof *v);
		if (!v) {
			free(path);
			return -ENOMEM;
		}
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n].path = path;
	memcpy(w->v[w->n].hash, hash, STORE_HASH_LEN);
	w->v[w->n].role = role;
	w->n++;
	w->any = 1;
	return 0;
}

static int one_entry(void *arg, uint64_t id, const char *name, size_t len,
		     int kind)
{
	struct walk *w = arg;
	if (kind != NODE_DIR)
		return 0;
	if (w->ndirs == w->capdirs) {
		size_t cap = w->capdirs ? w->capdirs * 2 : 16;
		void *v = realloc(w->dirs, cap * sizeof *w->dirs);
		if (!v)
			return -ENOMEM;
		w->dirs = v;
		w->capdirs = cap;
	}
	char *s = join("", name, len);
	if (!s)
		return -ENOMEM;
	w->dirs[w->ndirs].id = id;
	w->dirs[w->ndirs].name = s;
	w->ndirs++;
	return 0;
}

static void free_dirs(struct walk *w, size_t from)
{
	for (size_t i = from; i < w->ndirs; i++)
		free(w->dirs[i].name);
	w->ndirs = from;
}

/* Collects dir (at w->prefix) and, depth first, the directories under it
 * a pattern may reach. */
static int walk_dir(struct walk *w, uint64_t dir, int depth)
{
	w->any = 0;
	if (depth > 0 && w->wait)   /* the unit's own: before the walk */
		w->wait(w->wait_arg, dir);
	int rc = store_unit_inputs(w->st, dir, one_input, w);
	if (rc)
		return rc;
	if (w->any) {
		int64_t ns;
		uint8_t key[STORE_HASH_LEN];
		int has;
		rc = store_unit_get(w->st, dir, &ns, key, &has);
		if (rc)
			return rc;
		if (ns > w->input_ns)
			w->input_ns = ns;
		if (w->ngave == w->capgave) {
			size_t cap = w->capgave ? w->capgave * 2 : 8;
			uint64_t *v = realloc(w->gave, cap * sizeof *v);
			if (!v)
				return -ENOMEM;
			w->gave = v;
			w->capgave = cap;
		}
		w->gave[w->ngave++] = dir;
	}
	if (depth == MAX_DEPTH)
		return 0;
	size_t first = w->ndirs;
	rc = store_list(w->st, dir, one_entry, w);
	char *prefix = w->prefix;
	for (size_t i = first; !rc && i < w->ndirs; i++) {
		char *sub = join(prefix, w->dirs[i].name, strlen(w->dirs[i].name));
		if (!sub) {
			rc = -ENOMEM;
			break;
		}
		if (any_match(w->patterns, sub, 1)) {
			size_t sl = strlen(sub);
			char *p = realloc(sub, sl + 2);
			if (!p) {
				free(sub);
				rc = -ENOMEM;
				break;
			}
			p[sl] = '/';
			p[sl + 1] = 0;
			w->prefix = p;
			rc = walk_dir(w, w->dirs[i].id, depth + 1);
			sub = p;
		}
		free(sub);
	}
	w->prefix = prefix;
	free_dirs(w, first);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct found *)a)->path,
		      ((const struct found *)b)->path);
}

int collect_inputs(struct store *st, uint64_t dir, const char *patterns,
		   collect_wait_fn wait, void *wait_arg, store_input_fn fn,
		   void *arg, int64_t *input_ns, uint64_t **dirs,
		   size_t *ndirs)
{
	*dirs = NULL;
	*ndirs = 0;
	struct walk w = { .st = st, .patterns = patterns, .prefix = "",
			  .wait = wait, .wait_arg = wait_arg,
			  .input_ns = *input_ns };
	int rc = walk_dir(&w, dir, 0);
	if (!rc && w.n > 1)   /* (qsort wants an array, even of none) */
		qsort(w.v, w.n, sizeof *w.v, by_path);
	for (size_t i = 0; !rc && i < w.n; i++)
		rc = fn(arg, w.v[i].path, strlen(w.v[i].path), w.v[i].hash,
			w.v[i].role);
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].path);
	free(w.v);
	free_dirs(&w, 0);
	free(w.dirs);
	if (!rc) {
		*input_ns = w.input_ns;
		*dirs = w.gave;
		*ndirs = w.ngave;
	} else {
		free(w.gave);
	}
	return rc;
}
