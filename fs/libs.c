/*
 * libs.c - fetches link.conf's `libs` for a unit (libs.h): resolves each
 * path from the unit's directory, takes a stored file's committed bytes
 * or another unit's current result (asking unit.c for it, which links it
 * when stale), and finds cycles by the chain of units asking.
 * Leaves out: the key and the link (unit.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "libs.h"
#include "link.h"
#include "names.h"
#include "result.h"
#include "unit.h"

/* dir's link.conf `libs` ("" without link.conf or libs). */
static int read_libs_text(struct store *st, uint64_t dir, char *out, size_t cap)
{
	out[0] = 0;
	struct store_node n;
	int rc = store_lookup(st, dir, "link.conf", 9, &n);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (n.kind != NODE_FILE || !n.has_input)
		return 0;
	uint8_t *data;
	size_t len;
	rc = store_read_blob(st, n.input, &data, &len);
	if (rc)
		return rc;
	rc = libs_of_conf(data, len, out, cap);
	free(data);
	return rc;
}

int libs_of_conf(const uint8_t *conf, size_t len, char *out, size_t cap)
{
	out[0] = 0;
	struct link_options *o = malloc(sizeof *o);
	if (!o)
		return -ENOMEM;
	link_options_init(o);
	struct diag d;
	diag_init(&d);
	(void)link_options_parse_conf(o, (const char *)conf, len, &d);
	diag_release(&d);   /* the link says what is wrong with link.conf */
	snprintf(out, cap, "%s", o->libs);
	free(o);
	return 0;
}

/* Walks path's directories from dir: 0 with *where and *last (the file's
 * name), or 0 with *why when it names nothing a lib can be, or -errno. */
static int resolve(struct store *st, uint64_t dir, const char *path,
		   uint64_t *where, const char **last, const char **why)
{
	*why = NULL;
	uint64_t cur = dir;
	for (const char *s = path;; ) {
		size_t n = strcspn(s, "/");
		int dot = n == 1 && s[0] == '.';
		int dotdot = n == 2 && s[0] == '.' && s[1] == '.';
		if (!s[n]) {
			*where = cur;
			*last = s;
			if (dot || dotdot)
				*why = "it names a directory";
			return 0;
		}
		struct store_node nd;
		if (dotdot) {
			int rc = store_get(st, cur, &nd);
			if (rc)
				return rc;
			if (!nd.parent) {
				*why = "it leaves the mount";
				return 0;
			}
			cur = nd.parent;
		} else if (!dot) {
			int rc = store_lookup(st, cur, s, n, &nd);
			if (rc == -ENOENT || (!rc && nd.kind != NODE_DIR)) {
				*why = "no such file in the mount";
				return 0;
			}
			if (rc)
				return rc;
			cur = nd.id;
		}
		s += n + 1;
	}
}

/* The blob of these bytes under id, from the cache or put there. */
static struct blob *bytes_blob(struct blobcache *c, const uint8_t id[STORE_HASH_LEN],
			       const uint8_t *data, size_t len)
{
	struct blob *b = blobcache_get(c, id);
	return b ? b : blobcache_put(c, id, data, len);
}

static int add_lib(struct libs *l, const char *path,
		   const uint8_t id[STORE_HASH_LEN], struct blob *b,
		   int64_t mtime_ns)
{
	struct lib_in *v = realloc(l->v, (l->n + 1) * sizeof *v);
	char *p = strdup(path);
	if (!v || !p) {
		if (v)
			l->v = v;
		free(p);
		blob_unref(b);
		return -ENOMEM;
	}
	l->v = v;
	v[l->n].path = p;
	memcpy(v[l->n].id, id, STORE_HASH_LEN);
	v[l->n].bytes = b;
	l->n++;
	if (mtime_ns > l->mtime_ns)
		l->mtime_ns = mtime_ns;
	return 0;
}

#define CYCLE_MARK "is in a cycle"
#define CYCLE_WHY CYCLE_MARK ": the unit that makes it links this " \
		  "unit's output (through link.conf libs)"

/* 1 if r's log holds text. */
static int log_has(const struct result *r, const char *text)
{
	size_t n = strlen(text);
	for (size_t i = 0; r->log && i + n <= r->log_len; i++)
		if (!memcmp(r->log + i, text, n))
			return 1;
	return 0;
}

/* Fetches one path into l, or says in d why it cannot (and what of the
 * state that made it into h). 0 or -errno. */
static int fetch_one(struct units *u, uint64_t dir, struct unit_chain *chain,
		     const char *path, struct libs *l, struct diag *d,
		     XXH3_state_t *h)
{
	struct store *st = units_store(u);
	uint64_t where;
	const char *last, *why;
	int rc = resolve(st, dir, path, &where, &last, &why);
	if (rc)
		return rc;
	if (why) {
		diag_error(d, "link.conf: libs '%s': %s", path, why);
		return 0;
	}
	units_wait_dir(u, where);   /* a stored lib still being written */
	struct store_node n;
	rc = store_lookup(st, where, last, strlen(last), &n);
	if (rc && rc != -ENOENT)
		return rc;
	if (!rc) {   /* a stored file keeps its name over a unit's output */
		if (n.kind != NODE_FILE || !n.has_input) {
			diag_error(d, "link.conf: libs '%s': %s", path,
				   n.kind != NODE_FILE ? "it names a directory"
						       : "it has no complete content");
			return 0;
		}
		struct blob *b = blobcache_get(units_blobs(u), n.input);
		if (!b) {
			uint8_t *data;
			size_t len;
			rc = store_read_blob(st, n.input, &data, &len);
			if (rc)
				return rc;
			b = blobcache_put(units_blobs(u), n.input, data, len);
			free(data);
			if (!b)
				return -ENOMEM;
		}
		return add_lib(l, path, n.input, b, n.mtime_ns);
	}
	char out[LINKFS_NAME_MAX + 1];
	int unit = units_is_unit(u, where);
	if (unit < 0)
		return unit;
	if (unit)
		units_output_name(u, where, out);
	if (!unit || strcmp(out, last)) {
		diag_error(d, "link.conf: libs '%s': no such file in the mount", path);
		return 0;
	}
	for (struct unit_chain *c = chain; c; c = c->up)
		if (c->dir == where) {   /* every unit from there to here */
			for (struct unit_chain *e = chain; e != c->up; e = e->up)
				e->cycle = 1;
			diag_error(d, "link.conf: libs '%s' " CYCLE_WHY, path);
			return 0;
		}
	chain->cycle = 0;
	struct result *r;
	int64_t mtime;
	rc = units_result_chain(u, where, &r, &mtime, chain);
	if (rc)
		return rc;
	if (!r->ok) {
		/* the flag when this fetch found the cycle; else the unit's
		 * result may be one a fetch on another thread made */
		if (chain->cycle)
			diag_error(d, "link.conf: libs '%s' " CYCLE_WHY, path);
		else if (log_has(r, CYCLE_MARK))
			diag_error(d, "link.conf: libs '%s': the unit that makes it "
				   "is in a cycle of libs (its link.log says which)",
				   path);
		else
			diag_error(d, "link.conf: libs '%s': the unit that makes it "
				   "failed to link (its link.log says why)", path);
		XXH3_128bits_update(h, r->key, STORE_HASH_LEN);
		result_unref(r);
		return 0;
	}
	const struct stored_file *f = &r->files[STORE_EXE];
	uint8_t id[STORE_HASH_LEN];
	store_hash(f->data, f->len, id);
	struct blob *b = bytes_blob(units_blobs(u), id, f->data, f->len);
	result_unref(r);
	if (!b)
		return -ENOMEM;
	return add_lib(l, path, id, b, mtime);
}

int libs_fetch(struct units *u, uint64_t dir, struct unit_chain *chain,
	       struct libs *out)
{
	memset(out, 0, sizeof *out);
	int rc = read_libs_text(units_store(u), dir, out->text, sizeof out->text);
	if (rc || !out->text[0])
		return rc;
	XXH3_state_t *h = XXH3_createState();
	char *text = strdup(out->text);
	if (!h || !text) {
		XXH3_freeState(h);
		free(text);
		return -ENOMEM;
	}
	XXH3_128bits_reset(h);
	struct diag d;
	diag_init(&d);
	char *save;
	for (char *t = strtok_r(text, " ", &save); !rc && t;
	     t = strtok_r(NULL, " ", &save))
		rc = fetch_one(u, dir, chain, t, out, &d, h);
	if (!rc && d.text.len) {
		XXH3_128bits_update(h, d.text.data, d.text.len);
		XXH128_canonical_t k;
		XXH128_canonicalFromHash(&k, XXH3_128bits_digest(h));
		memcpy(out->error_id, k.digest, STORE_HASH_LEN);
		out->error = malloc(d.text.len + 1);
		if (out->error) {
			memcpy(out->error, d.text.data, d.text.len);
			out->error[d.text.len] = 0;
		} else {
			rc = -ENOMEM;
		}
	}
	diag_release(&d);
	XXH3_freeState(h);
	free(text);
	if (rc)
		libs_release(out);
	return rc;
}

void libs_release(struct libs *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		blob_unref(l->v[i].bytes);
	}
	free(l->v);
	free(l->error);
	l->v = NULL;
	l->n = 0;
	l->error = NULL;
}
