/*
 * unit.c - links a directory on demand and keeps results in the store.
 *
 * Locks: `lock` guards the hash table and every unit's gen, res, res_gen,
 * input_ns and output cache; a unit's link_lock serializes the computing of
 * its result (so two readers never link the same unit twice). Order:
 * link_lock, then lock, then the store's own lock. Linking runs with only
 * link_lock held. A unit's `libs` (libs.h) are fetched before its
 * link_lock is taken, so no link_lock is held while another unit links.
 * Leaves out: the rendering itself (linker/dump), fetching `libs`
 * (libs.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "base/buf.h"
#include "base/stats.h"
#include "activity.h"
#include "base/macho.h"
#include "blobcache.h"
#include "clock.h"
#include "collect.h"
#include "image.h"
#include "keeper.h"
#include "libs.h"
#include "link.h"
#include "unit.h"

#define NBUCKETS 256

/* Where a unit that collects link.conf `inputs` found them. */
struct collected {
	int deep;                  /* the inputs were collected */
	uint64_t *dirs;            /* the directories that gave one, whose
				      writers a read waits for (malloc'd) */
	size_t ndirs;
};

struct unit {
	uint64_t dir;
	pthread_mutex_t link_lock;
	uint64_t gen;              /* bumped on every input change */
	struct result *res;        /* current result, or NULL */
	uint64_t res_gen;          /* gen res was computed at */
	int64_t input_ns;
	uint64_t out_gen;          /* gen + 1 the output cache is valid for */
	char output[LINKFS_NAME_MAX + 1];
	struct collected col;      /* res's, when it collects `inputs` */
	uint64_t res_all;          /* units.all_gen res was computed at */
	int res_libs;              /* res links link.conf `libs` */
	uint64_t main_gen;         /* gen + 1 has_main is valid for */
	int has_main;              /* defines_main's answer */
	/* incremental relinks (link_lock): the linker's state for patch_res,
	 * the latest result it linked or patched */
	struct link_patch_state *patch;
	struct result *patch_res;
	uint8_t patch_conf[STORE_HASH_LEN]; /* link.conf's content patch_res
					       was linked with (zeros: none) */
	struct unit *next;
};

struct units {
	struct store *st;
	pthread_mutex_t lock;
	pthread_cond_t links_idle;     /* links_running fell to 0 */
	int links_running;             /* under lock: links whose records
					  are still being made */
	struct unit *bucket[NBUCKETS];
	uint64_t all_gen;              /* bumped on every change of any unit's
					  inputs, and on renames: a unit that
					  collects `inputs` from its subtree
					  relinks when it moved */
	uint8_t build[STORE_HASH_LEN]; /* identifies the linker build */
	struct unit_counters counters;
	struct keeper *keeper;         /* keeps new results in the store */
	struct activity *act;          /* each unit's stages, for the status */
	struct blobcache *blobs;       /* input bytes by hash (not owned) */
	units_wait_fn wait;            /* waits for writers of a unit's inputs */
	void *wait_arg;
	int64_t started_ns;            /* the daemon's start (wall clock) */
};

void units_set_wait(struct units *u, units_wait_fn wait, void *arg,
		    int64_t started_ns)
{
	u->wait = wait;
	u->wait_arg = arg;
	u->started_ns = started_ns;
}

/* Hashes our own executable, so a new linkfs build never serves results
 * kept by an older linker. Falls back to the version string. */
static void build_id(uint8_t out[STORE_HASH_LEN])
{
	XXH3_state_t *h = XXH3_createState();
	if (!h) {
		store_hash(LINKFS_VERSION, strlen(LINKFS_VERSION), out);
		return;
	}
	XXH3_128bits_reset(h);
	XXH3_128bits_update(h, LINKFS_VERSION, strlen(LINKFS_VERSION));
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[65536];
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0)
			XXH3_128bits_update(h, buf, (size_t)n);
		close(fd);
	}
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits_digest(h));
	memcpy(out, c.digest, STORE_HASH_LEN);
	XXH3_freeState(h);
}

struct units *units_new(struct store *st, struct store *keep_st,
			struct blobcache *blobs)
{
	struct units *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->st = st;
	u->blobs = blobs;
	u->act = activity_new(st);
	u->keeper = u->act ? keeper_start(keep_st, &u->counters.last_keep_us,
					  u->act) : NULL;
	if (!u->keeper) {
		activity_free(u->act);
		free(u);
		return NULL;
	}
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->links_idle, NULL);
	build_id(u->build);
	return u;
}

void units_free(struct units *u)
{
	if (!u)
		return;
	/* the records of the last links, made after they returned */
	pthread_mutex_lock(&u->lock);
	while (u->links_running)
		pthread_cond_wait(&u->links_idle, &u->lock);
	pthread_mutex_unlock(&u->lock);
	keeper_stop(u->keeper);   /* keeps every waiting result first */
	for (int i = 0; i < NBUCKETS; i++) {
		struct unit *n, *x = u->bucket[i];
		for (; x; x = n) {
			n = x->next;
			result_unref(x->res);
			result_unref(x->patch_res);
			free(x->col.dirs);
			link_patch_state_free(x->patch);
			pthread_mutex_destroy(&x->link_lock);
			free(x);
		}
	}
	pthread_mutex_destroy(&u->lock);
	pthread_cond_destroy(&u->links_idle);
	activity_free(u->act);
	free(u);
}

/* link_options.records_done: a link has done all its work. */
static void link_finished(void *arg)
{
	struct units *u = arg;
	pthread_mutex_lock(&u->lock);
	if (--u->links_running == 0)
		pthread_cond_broadcast(&u->links_idle);
	pthread_mutex_unlock(&u->lock);
}

struct unit_counters *units_counters(struct units *u) { return &u->counters; }

struct store *units_store(struct units *u) { return u->st; }

struct blobcache *units_blobs(struct units *u) { return u->blobs; }

void units_wait_dir(struct units *u, uint64_t dir)
{
	if (u->wait)
		u->wait(u->wait_arg, dir);
}

struct activity *units_activity(struct units *u) { return u->act; }

/* Finds or adds the unit of dir; caller holds u->lock. NULL: no memory. */
static struct unit *get_unit(struct units *u, uint64_t dir)
{
	struct unit **b = &u->bucket[dir % NBUCKETS];
	for (struct unit *x = *b; x; x = x->next)
		if (x->dir == dir)
			return x;
	struct unit *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->dir = dir;
	x->gen = 1;
	pthread_mutex_init(&x->link_lock, NULL);
	x->next = *b;
	*b = x;
	return x;
}

void units_changed(struct units *u, uint64_t dir)
{
	keeper_touch(u->keeper);
	pthread_mutex_lock(&u->lock);
	struct unit *x = get_unit(u, dir);
	if (x)
		x->gen++;
	u->all_gen++;
	pthread_mutex_unlock(&u->lock);
}

void units_tree_changed(struct units *u)
{
	pthread_mutex_lock(&u->lock);
	u->all_gen++;
	pthread_mutex_unlock(&u->lock);
}

/* One committed input as read from the store. */
struct input {
	char *name;
	uint8_t hash[STORE_HASH_LEN];
	int role;
};

struct input_list {
	struct input *v;
	size_t n, cap;
	XXH3_state_t *h;
	char *pending;        /* link.log's lines on pending inputs, or NULL */
	size_t pending_len;
	int64_t stale_before; /* commits before this were left by writers
				 the daemon never saw released */
};

/* An input written through a descriptor the daemon has not seen released
 * (store_unit_pending): part of the key, and a line of link.log. */
static int add_pending(void *arg, const char *name, size_t len,
		       uint64_t size, int has_input, int64_t mtime_ns)
{
	struct input_list *l = arg;
	uint32_t n32 = (uint32_t)len;
	XXH3_128bits_update(l->h, "pending", 7);
	XXH3_128bits_update(l->h, &n32, sizeof n32);
	XXH3_128bits_update(l->h, name, len);
	XXH3_128bits_update(l->h, &size, sizeof size);
	/* committed in this daemon's life: its writer is still open or its
	 * release is on its way (the link waited a bounded time): being
	 * written, nothing to say */
	if (mtime_ns >= l->stale_before)
		return 0;
	char line[1024];
	int k = snprintf(line, sizeof line,
			 "linkfs: '%.*s' (%llu bytes) is not linked as it is: "
			 "a close() committed it while the file was still open "
			 "(maybe through a dup, a fork or a shell redirection), "
			 "and the daemon stopped before the file's last "
			 "descriptor was closed; %s (write the file again to "
			 "link it)\n",
			 (int)(len > 255 ? 255 : len), name,
			 (unsigned long long)size,
			 has_input ? "the link took its last complete version"
				   : "it has no complete version, so the link "
				     "left it out");
	if (k < 0)
		return -EIO;
	size_t add = (size_t)k < sizeof line ? (size_t)k : sizeof line - 1;
	char *p = realloc(l->pending, l->pending_len + add + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p + l->pending_len, line, add);
	l->pending = p;
	l->pending_len += add;
	p[l->pending_len] = 0;
	return 0;
}

/* Puts the pending inputs' lines in r's log, after its "option" lines
 * (link_options_log), before what the link said. */
static int note_pending(struct result *r, const struct input_list *l)
{
	if (!l->pending_len)
		return 0;
	size_t at = 0;
	while (r->log_len - at >= 7 && !memcmp(r->log + at, "option ", 7)) {
		const char *nl = memchr(r->log + at, '\n', r->log_len - at);
		at = nl ? (size_t)(nl - r->log) + 1 : r->log_len;
	}
	char *log = malloc(l->pending_len + r->log_len + 1);
	if (!log)
		return -ENOMEM;
	if (at)
		memcpy(log, r->log, at);
	memcpy(log + at, l->pending, l->pending_len);
	if (r->log_len > at)
		memcpy(log + at + l->pending_len, r->log + at, r->log_len - at);
	log[l->pending_len + r->log_len] = 0;
	free(r->log);
	r->log = log;
	r->log_len += l->pending_len;
	return 0;
}

static int add_input(void *arg, const char *name, size_t len,
		     const uint8_t hash[STORE_HASH_LEN], int role)
{
	struct input_list *l = arg;
	uint32_t n32 = (uint32_t)len;
	uint8_t r8 = (uint8_t)role;
	XXH3_128bits_update(l->h, &r8, 1);
	XXH3_128bits_update(l->h, &n32, sizeof n32);
	XXH3_128bits_update(l->h, name, len);
	XXH3_128bits_update(l->h, hash, STORE_HASH_LEN);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct input *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	struct input *in = &l->v[l->n];
	in->name = malloc(len + 1);
	if (!in->name)
		return -ENOMEM;
	memcpy(in->name, name, len);
	in->name[len] = 0;
	memcpy(in->hash, hash, STORE_HASH_LEN);
	in->role = role;
	l->n++;
	return 0;
}

static void input_list_release(struct input_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	free(l->pending);
	if (l->h)
		XXH3_freeState(l->h);
}

static void key_start(struct units *u, struct input_list *l)
{
	XXH3_128bits_reset(l->h);
	XXH3_128bits_update(l->h, "linkfs-key-1", 12);
	XXH3_128bits_update(l->h, u->build, STORE_HASH_LEN);
}

static int read_conf(struct units *u, const struct input_list *l,
		     uint8_t **data, size_t *len);

/* When dir's link.conf names `inputs`, makes l link.conf and the inputs
 * its patterns collect (collect.h), in place of the directory's own, and
 * fills *c; *input_ns then also covers the directories they are in. */
static int collect_deep(struct units *u, uint64_t dir, struct input_list *l,
			int64_t *input_ns, struct collected *c)
{
	uint8_t *conf;
	size_t conf_len;
	int rc = read_conf(u, l, &conf, &conf_len);
	if (rc || !conf)
		return rc;
	struct link_options opts;
	link_options_init(&opts);
	struct diag d;
	diag_init(&d);
	(void)link_options_parse_conf(&opts, (const char *)conf, conf_len, &d);
	diag_release(&d);   /* the link says what is wrong with link.conf */
	free(conf);
	if (!opts.inputs[0])
		return 0;
	c->deep = 1;
	struct input conf_in = { 0 };
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].role == ROLE_CONF && !conf_in.name) {
			conf_in = l->v[i];
			continue;
		}
		free(l->v[i].name);
	}
	l->n = 0;
	key_start(u, l);
	rc = add_input(l, conf_in.name, strlen(conf_in.name), conf_in.hash,
		       conf_in.role);
	free(conf_in.name);
	if (!rc)
		rc = collect_inputs(u->st, dir, opts.inputs, u->wait,
				    u->wait_arg, add_input, l, input_ns,
				    &c->dirs, &c->ndirs);
	return rc;
}

/* 1 if libs were fetched for the `libs` of l's link.conf (which may
 * have changed since), 0 if not, -errno. */
static int libs_match(struct units *u, const struct input_list *l,
		      const struct libs *libs)
{
	uint8_t *conf;
	size_t conf_len;
	int rc = read_conf(u, l, &conf, &conf_len);
	if (rc)
		return rc;
	if (!conf)
		return !libs->text[0];
	char text[sizeof libs->text];
	rc = libs_of_conf(conf, conf_len, text, sizeof text);
	free(conf);
	return rc ? rc : !strcmp(text, libs->text);
}

/* The key takes each lib's path and bytes' identity, and what made the
 * ones that could not be had fail. Nothing without `libs`. */
static void key_libs(struct input_list *l, const struct libs *libs)
{
	if (!libs->text[0])
		return;
	XXH3_128bits_update(l->h, "libs", 4);
	for (size_t i = 0; i < libs->n; i++) {
		uint32_t n32 = (uint32_t)strlen(libs->v[i].path);
		XXH3_128bits_update(l->h, &n32, sizeof n32);
		XXH3_128bits_update(l->h, libs->v[i].path, n32);
		XXH3_128bits_update(l->h, libs->v[i].id, STORE_HASH_LEN);
	}
	if (libs->error) {
		XXH3_128bits_update(l->h, "libs-error", 10);
		XXH3_128bits_update(l->h, libs->error_id, STORE_HASH_LEN);
	}
}

/* Reads dir's inputs and computes the key; *c says whether they are
 * collected by link.conf's `inputs`, and from where (c->dirs: the
 * caller's to free). -EAGAIN: libs were fetched for another link.conf. */
static int read_inputs(struct units *u, uint64_t dir, struct input_list *l,
		       uint8_t key[STORE_HASH_LEN], int64_t *input_ns,
		       struct collected *c, const struct libs *libs)
{
	memset(l, 0, sizeof *l);
	l->stale_before = u->started_ns;
	l->h = XXH3_createState();
	if (!l->h)
		return -ENOMEM;
	key_start(u, l);
	int rc = store_unit_inputs(u->st, dir, add_input, l);
	if (!rc)
		rc = collect_deep(u, dir, l, input_ns, c);
	if (!rc)
		rc = store_unit_pending(u->st, dir, add_pending, l);
	if (!rc) {
		rc = libs_match(u, l, libs);
		rc = rc == 1 ? 0 : rc ? rc : -EAGAIN;
	}
	if (rc)
		return rc;
	key_libs(l, libs);
	XXH128_canonical_t k;
	XXH128_canonicalFromHash(&k, XXH3_128bits_digest(l->h));
	memcpy(key, k.digest, STORE_HASH_LEN);
	return 0;
}

/* Microseconds since *t (mono_ns); moves *t to now. */
static unsigned long lap_us(uint64_t *t)
{
	uint64_t n = mono_ns();
	unsigned long us = (unsigned long)((n - *t) / 1000);
	*t = n;
	return us;
}

/* Reads link.conf's text from the inputs (NULL, 0 when there is none). */
static int read_conf(struct units *u, const struct input_list *l,
		     uint8_t **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].role == ROLE_CONF)
			return store_read_blob(u->st, l->v[i].hash, data, len);
	return 0;
}

static int set_log(struct result *r, const char *text, size_t len)
{
	r->log = malloc(len + 1);
	if (!r->log)
		return -ENOMEM;
	if (len)
		memcpy(r->log, text, len);
	r->log[len] = 0;
	r->log_len = len;
	return 0;
}

/* link.log: the effective options (link_options_log), then what the
 * link said. */
static int set_link_log(struct result *r, const struct link_options *opts,
			const struct link_image *img)
{
	struct buf b;
	buf_init(&b);
	link_options_log(opts, img->arch, &b);
	if (img->log)
		buf_append(&b, img->log, img->log_len);
	int rc = buf_failed(&b) ? -ENOMEM
				: set_log(r, (const char *)b.data, b.len);
	buf_release(&b);
	return rc;
}

/* The bytes of one input: from the cache, else read from the store (and
 * cached for the next link). 0 or -errno. */
static int input_bytes(struct units *u, const uint8_t hash[STORE_HASH_LEN],
		       struct blob **out)
{
	*out = blobcache_get(u->blobs, hash);
	if (*out)
		return 0;
	uint8_t *data;
	size_t len;
	int rc = store_read_blob(u->st, hash, &data, &len);
	if (rc)
		return rc;
	*out = blobcache_put(u->blobs, hash, data, len);
	free(data);
	return *out ? 0 : -ENOMEM;
}

/* A full link's inputs, held until the link has done all its work
 * (link_options.records_done, which runs after the link returned: the
 * patch state and the records come last), since the parses it was given
 * (link_input.parsed) and the names in them point into the blobs. */
struct held_inputs {
	struct units *u;
	struct blob **bytes;
	size_t n;
	struct rpaths *rpaths;     /* the options' rpaths point into it */
};

/* link.conf's `rpath` as link_options.rpaths wants them. */
struct rpaths {
	char text[sizeof ((struct link_options *)0)->rpath_list];
	const char *v[sizeof ((struct link_options *)0)->rpath_list / 2 + 1];
};

/* Points opts->rpaths at the words of opts->rpath_list, copied into *out
 * (the caller's to free, NULL when there are none). 0 or -ENOMEM. */
static int set_rpaths(struct link_options *opts, struct rpaths **out)
{
	*out = NULL;
	if (!opts->rpath_list[0])
		return 0;
	struct rpaths *r = malloc(sizeof *r);
	if (!r)
		return -ENOMEM;
	memcpy(r->text, opts->rpath_list, sizeof r->text);
	size_t n = 0;
	char *save;
	for (char *t = strtok_r(r->text, " ", &save); t;
	     t = strtok_r(NULL, " ", &save))
		r->v[n++] = t;
	opts->rpaths = r->v;
	opts->nrpaths = n;
	*out = r;
	return 0;
}

/* link_options.inputs_done: set so that the link hands its reading of
 * the inputs to its own thread; the blobs go at records_done. */
static void inputs_read(void *arg)
{
	(void)arg;
}

/* link_options.records_done for a link that holds its inputs. */
static void held_link_finished(void *arg)
{
	struct held_inputs *h = arg;
	for (size_t i = 0; i < h->n; i++)
		blob_unref(h->bytes[i]);
	free(h->bytes);
	free(h->rpaths);
	struct units *u = h->u;
	free(h);
	link_finished(u);
}

/* Makes r the result x's patch state describes from now on. */
static void set_patch_result(struct unit *x, struct result *r)
{
	result_ref(r);
	result_unref(x->patch_res);
	x->patch_res = r;
}

/* print_statistics: a patched result's log is its previous link's
 * without that link's stage lines, and one line for the patch. */
static int log_patch_stats(struct result *r, uint64_t ns)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < r->log_len;) {
		const char *line = r->log + i;
		const char *nl = memchr(line, '\n', r->log_len - i);
		size_t n = nl ? (size_t)(nl - line) + 1 : r->log_len - i;
		if (n < 7 || memcmp(line, "stats: ", 7))
			buf_append(&b, line, n);
		i += n;
	}
	stats_line(&b, "patch", ns);
	buf_u8(&b, 0);   /* logs are NUL-terminated */
	size_t len;
	char *log = buf_failed(&b) ? NULL : (char *)buf_detach(&b, &len);
	if (!log) {
		buf_release(&b);
		return -ENOMEM;
	}
	free(r->log);
	r->log = log;
	r->log_len = len - 1;
	return 0;
}

/*
 * Relinks by patching x->patch_res's executable when the linker can
 * (link_patch): fills r and returns 1; 0 when it cannot (or, out of
 * memory, will not) and a full link is needed.
 */
static int try_patch(struct units *u, struct unit *x,
		     const struct link_input *in, size_t n,
		     const struct link_options *opts,
		     const uint8_t conf_id[STORE_HASH_LEN], struct result *r)
{
	struct result *prev = x->patch_res;
	/* a link.conf change links in full: link_patch does not compare
	 * every option link.conf sets (rpath, headerpad) */
	if (!x->patch || !prev || !prev->ok ||
	    memcmp(x->patch_conf, conf_id, STORE_HASH_LEN))
		return 0;
	uint64_t t = mono_ns();
	size_t len = prev->files[STORE_EXE].len;
	uint8_t *out = malloc(len ? len : 1);
	if (!out)
		return 0;
	if (link_patch(x->patch, in, n, opts, prev->files[STORE_EXE].data, out,
		       len) != 1) {
		free(out);
		return 0;
	}
	if (result_set_patched(r, prev, out, len)) {
		/* the state already describes the new inputs, which prev's
		 * executable does not: it can patch nothing any more */
		free(out);
		link_patch_state_free(x->patch);
		x->patch = NULL;
		return 0;
	}
	/* out of memory, r keeps prev's log: the last full link's stages */
	if (opts->print_stats)
		(void)log_patch_stats(r, mono_ns() - t);
	atomic_fetch_add(&u->counters.patches, 1);
	set_patch_result(x, r);
	return 1;
}

/*
 * Why link.conf's `output` cannot name the executable, or NULL. A name that
 * a link input may hold (*.o, *.a, *.tbd, link.conf), another file the
 * link makes (link.log, the tables), the status file or .history would
 * hide it or be hidden: refused, whatever the directory holds now, so the verdict
 * depends on link.conf alone (results are kept by their inputs). A plain
 * name a stored file or directory holds is not refused here: the stored
 * entry keeps its name and the executable is not shown (ops_entry.c,
 * synth_lookup_name).
 */
static const char *output_refused(const char *name)
{
	size_t len = strlen(name);
	if (name_role(name, len) != ROLE_PLAIN)
		return "a link input has that name";
	int k = synth_from_name(name, len, "a.out");
	if (k >= 0 && synth_role(k) != DUMP_FILE_EXE)
		return "another file the link makes has that name";
	if (!strcmp(name, STATUS_NAME))
		return "the status file has that name";
	if (!strcmp(name, HIST_NAME))
		return "the unit's history has that name";
	return NULL;
}

/* r fails with the option lines and libs' errors in its log. */
static int libs_failed(struct result *r, const struct link_options *opts,
		       const struct libs *libs)
{
	struct buf b;
	buf_init(&b);
	link_options_log(opts, ARCH_NONE, &b);
	buf_append(&b, libs->error, strlen(libs->error));
	int rc = buf_failed(&b) ? -ENOMEM
				: set_log(r, (const char *)b.data, b.len);
	buf_release(&b);
	return rc;
}

/* Runs the linker on the inputs and then libs (whose blobs it takes);
 * fills r (ok, files, log, output). */
static int link_inputs(struct units *u, struct unit *x,
		       const struct input_list *l, struct libs *libs,
		       struct result *r)
{
	uint8_t conf_id[STORE_HASH_LEN] = { 0 };
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].role == ROLE_CONF) {
			memcpy(conf_id, l->v[i].hash, STORE_HASH_LEN);
			break;
		}
	struct rpaths *rp = NULL;
	struct link_options opts;
	link_options_init(&opts);
	struct diag d;
	diag_init(&d);
	uint8_t *conf;
	size_t conf_len;
	int rc = read_conf(u, l, &conf, &conf_len);
	if (rc)
		goto out;
	int bad = conf && link_options_parse_conf(&opts, (const char *)conf,
						  conf_len, &d);
	const char *why = output_refused(opts.output_name);
	if (why) {   /* the executable keeps its default name */
		diag_error(&d, "link.conf: output '%s' is refused: %s",
			   opts.output_name, why);
		snprintf(opts.output_name, sizeof opts.output_name, "a.out");
		bad = 1;
	}
	snprintf(r->output, sizeof r->output, "%s", opts.output_name);
	r->history = opts.history < 0 ? UNITS_HISTORY_DEFAULT : opts.history;
	if (bad) {
		rc = set_log(r, (const char *)d.text.data, d.text.len);
		goto out;
	}
	if (libs->error) {
		rc = libs_failed(r, &opts, libs);
		goto out;
	}
	rc = set_rpaths(&opts, &rp);
	if (rc)
		goto out;

	uint64_t t = mono_ns();
	size_t n = 0, cap = l->n + libs->n;
	struct link_input *in = calloc(cap ? cap : 1, sizeof *in);
	struct blob **bytes = calloc(cap ? cap : 1, sizeof *bytes);
	if (!in || !bytes) {
		free(in);
		free(bytes);
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; !rc && i < l->n; i++) {
		if (l->v[i].role != ROLE_OBJECT && l->v[i].role != ROLE_LIBRARY)
			continue;
		rc = input_bytes(u, l->v[i].hash, &bytes[n]);
		if (rc)
			break;
		in[n].name = l->v[i].name;
		in[n].data = bytes[n]->data;
		in[n].size = bytes[n]->len;
		in[n].id = l->v[i].hash;
		in[n].parsed = blob_parsed(bytes[n]);
		n++;
	}
	for (size_t i = 0; !rc && i < libs->n; i++) {   /* after the unit's own */
		bytes[n] = libs->v[i].bytes;
		libs->v[i].bytes = NULL;
		in[n].name = libs->v[i].path;
		in[n].data = bytes[n]->data;
		in[n].size = bytes[n]->len;
		in[n].id = libs->v[i].id;
		n++;
	}
	struct link_image *img = NULL;
	struct link_patch_state *state = NULL;
	int patched = 0;
	atomic_store(&u->counters.last_read_us, lap_us(&t));
	atomic_store(&u->counters.last_inputs, n);
	atomic_store(&u->counters.last_inputs_parsed, 0);
	if (!rc) {
		atomic_fetch_add(&u->counters.links, 1);
		activity_link(u->act, x->dir, LINK_LINKING);
		patched = try_patch(u, x, in, n, &opts, conf_id, r);
		if (!patched) {
			/* the executable is served while the records for the
			 * tables are made (dump_render waits for them) */
			opts.defer_records = 1;
			opts.records_done = link_finished;
			opts.records_done_arg = u;
			struct held_inputs *h = malloc(sizeof *h);
			if (h) {
				h->u = u;
				h->bytes = bytes;
				h->n = n;
				h->rpaths = rp;
				bytes = NULL;
				rp = NULL;
				opts.inputs_done = inputs_read;
				opts.records_done = held_link_finished;
				opts.records_done_arg = h;
			} else {   /* the link reads them before it returns,
				      but the records come after: parse */
				for (size_t i = 0; i < n; i++)
					in[i].parsed = NULL;
			}
			size_t parsed = 0;
			for (size_t i = 0; i < n; i++)
				parsed += in[i].parsed != NULL;
			atomic_store(&u->counters.last_inputs_parsed, parsed);
			pthread_mutex_lock(&u->lock);
			u->links_running++;
			pthread_mutex_unlock(&u->lock);
			img = link_run_patchable(in, n, &opts, &state);
			if (!img)
				rc = -ENOMEM;
		}
	}
	atomic_store(&u->counters.last_link_us, lap_us(&t));
	for (size_t i = 0; bytes && i < n; i++)
		blob_unref(bytes[i]);
	free(bytes);
	free(in);
	if (rc || patched) {
		link_patch_state_free(state);
		goto out;
	}
	rc = set_link_log(r, &opts, img);
	if (!rc && img->ok) {
		rc = result_set_image(r, img);   /* tables: rendered on use */
		r->ok = !rc;
	}
	if (r->ok && state) {   /* the next relink may patch this one */
		link_patch_state_free(x->patch);
		x->patch = state;
		memcpy(x->patch_conf, conf_id, STORE_HASH_LEN);
		set_patch_result(x, r);
	} else {
		link_patch_state_free(state);
	}
	link_image_unref(img);
out:
	free(rp);
	free(conf);
	diag_release(&d);
	return rc;
}

/* Computes (loads or links) the result for dir's current inputs. */
static int compute(struct units *u, struct unit *x, uint64_t dir,
		   struct result **out, int64_t *input_ns, struct collected *c,
		   struct libs *libs)
{
	uint8_t key[STORE_HASH_LEN], kept[STORE_HASH_LEN];
	int has_kept;
	struct input_list l;
	int rc = store_unit_get(u->st, dir, input_ns, kept, &has_kept);
	if (!rc)
		rc = read_inputs(u, dir, &l, key, input_ns, c, libs);
	else
		memset(&l, 0, sizeof l);
	if (rc)
		goto out;

	pthread_mutex_lock(&u->lock);
	struct result *cur = x->res;
	if (cur && !memcmp(cur->key, key, STORE_HASH_LEN)) {
		result_ref(cur);
		*out = cur;
	}
	pthread_mutex_unlock(&u->lock);
	if (*out) {
		atomic_fetch_add(&u->counters.cache_hits, 1);
		goto out;
	}

	struct result *r = result_new(key);
	if (!r) {
		rc = -ENOMEM;
		goto out;
	}
	struct stored_result sr;
	rc = store_result_get(u->st, key, &sr);
	if (rc == 0) {
		atomic_fetch_add(&u->counters.kept_hits, 1);
		r->ok = sr.ok;
		memcpy(r->files, sr.files, sizeof r->files);
		r->log = sr.log;
		r->log_len = sr.log_len;
		snprintf(r->output, sizeof r->output, "%s", sr.output_name);
		free(sr.output_name);
		if (!has_kept || memcmp(kept, key, STORE_HASH_LEN))
			store_unit_set_result(u->st, dir, key);
		*out = r;
		goto out;
	}
	if (rc != -ENOENT) {
		result_unref(r);
		goto out;
	}
	activity_link(u->act, dir, LINK_READING);
	rc = link_inputs(u, x, &l, libs, r);
	if (!rc)
		rc = note_pending(r, &l);
	activity_link(u->act, dir, LINK_IDLE);
	if (rc) {
		result_unref(r);
		goto out;
	}
	activity_linked(u->act, dir, r->key, r->ok, wall_ns());
	keeper_push(u->keeper, dir, r);
	*out = r;
out:
	input_list_release(&l);
	return rc;
}

/* Waits for the writers of the directories dir's current result
 * collected its inputs from (the walk of the next link waits for those
 * it finds). 0 or -ENOMEM. */
static int wait_collected(struct units *u, uint64_t dir)
{
	pthread_mutex_lock(&u->lock);
	struct unit *x = get_unit(u, dir);
	size_t n = x && x->col.deep ? x->col.ndirs : 0;
	uint64_t *v = n ? malloc(n * sizeof *v) : NULL;
	if (v)
		memcpy(v, x->col.dirs, n * sizeof *v);
	pthread_mutex_unlock(&u->lock);
	if (n && !v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i] != dir)
			u->wait(u->wait_arg, v[i]);
	free(v);
	return 0;
}

/* 1 if x's result is for its current inputs; caller holds u->lock. A
 * unit that collects from its subtree, or links `libs`, follows every
 * change of the mount (all_gen): it then reads its inputs (and fetches
 * its libs) again, and links only when they changed (the key). */
static int res_current(const struct units *u, const struct unit *x)
{
	return x->res && x->res_gen == x->gen &&
	       (!(x->col.deep || x->res_libs) || x->res_all == u->all_gen);
}

/* x's current result in *out when it has one; caller holds u->lock. */
static int take_current(struct units *u, struct unit *x, struct result **out,
			int64_t *mtime_ns)
{
	if (!res_current(u, x))
		return 0;
	result_ref(x->res);
	*out = x->res;
	*mtime_ns = x->input_ns;
	atomic_fetch_add(&u->counters.cache_hits, 1);
	return 1;
}

/* Links libs fetched for another link.conf than the one read: fetched
 * again, at most this many times. */
#define LIBS_TRIES 8

int units_result(struct units *u, uint64_t dir, struct result **out,
		 int64_t *mtime_ns)
{
	return units_result_chain(u, dir, out, mtime_ns, NULL);
}

int units_result_chain(struct units *u, uint64_t dir, struct result **out,
		       int64_t *mtime_ns, struct unit_chain *up)
{
	*out = NULL;
	keeper_touch(u->keeper);   /* keeping waits until the units are quiet */
	if (u->wait) {
		u->wait(u->wait_arg, dir);   /* inputs still being written */
		int rc = wait_collected(u, dir);
		if (rc)
			return rc;
	}
	pthread_mutex_lock(&u->lock);
	struct unit *x = get_unit(u, dir);
	if (!x) {
		pthread_mutex_unlock(&u->lock);
		return -ENOMEM;
	}
	int cur = take_current(u, x, out, mtime_ns);
	pthread_mutex_unlock(&u->lock);
	if (cur)
		return 0;

	struct unit_chain me = { dir, 0, up };
	for (int tries = 1;; tries++) {
		/* the mount's generation before the libs are fetched: a
		 * change of a lib's unit after it makes the next read look
		 * again */
		pthread_mutex_lock(&u->lock);
		uint64_t all = u->all_gen;
		pthread_mutex_unlock(&u->lock);
		struct libs libs;
		int rc = libs_fetch(u, dir, &me, &libs);   /* no lock held */
		if (rc)
			return rc;

		pthread_mutex_lock(&x->link_lock);
		pthread_mutex_lock(&u->lock);
		uint64_t gen = x->gen;
		cur = take_current(u, x, out, mtime_ns);
		pthread_mutex_unlock(&u->lock);
		if (cur) {
			pthread_mutex_unlock(&x->link_lock);
			libs_release(&libs);
			return 0;
		}

		int64_t input_ns = 0;
		struct collected c = { 0 };
		rc = compute(u, x, dir, out, &input_ns, &c, &libs);
		if (rc == -EAGAIN && tries < LIBS_TRIES) {
			pthread_mutex_unlock(&x->link_lock);
			libs_release(&libs);
			continue;
		}
		if (!rc) {
			if (libs.mtime_ns > input_ns)
				input_ns = libs.mtime_ns;
			*mtime_ns = input_ns;
			pthread_mutex_lock(&u->lock);
			/* nothing changed meanwhile: install. A unit that
			 * collects or links libs keeps the mount's generation
			 * it began at: if something changed since, the next
			 * read looks again (and finds this result by its key
			 * when its inputs did not change) */
			if (x->gen == gen) {
				if (x->res != *out) {
					result_ref(*out);
					result_unref(x->res);
					x->res = *out;
				}
				x->res_gen = gen;
				x->res_all = all;
				x->res_libs = libs.text[0] != 0;
				free(x->col.dirs);
				x->col = c;
				c.dirs = NULL;
				x->input_ns = input_ns;
			}
			pthread_mutex_unlock(&u->lock);
		}
		free(c.dirs);
		pthread_mutex_unlock(&x->link_lock);
		libs_release(&libs);
		return rc;
	}
}

void units_output_name(struct units *u, uint64_t dir,
		       char out[LINKFS_NAME_MAX + 1])
{
	pthread_mutex_lock(&u->lock);
	struct unit *x = get_unit(u, dir);
	uint64_t gen = x ? x->gen : 0;
	if (x && x->out_gen == gen + 1) {
		memcpy(out, x->output, LINKFS_NAME_MAX + 1);
		pthread_mutex_unlock(&u->lock);
		return;
	}
	pthread_mutex_unlock(&u->lock);

	struct link_options opts;
	link_options_init(&opts);
	struct store_node n;
	if (store_lookup(u->st, dir, "link.conf", 9, &n) == 0 &&
	    n.kind == NODE_FILE && n.has_input) {
		uint8_t *data;
		size_t len;
		if (store_read_blob(u->st, n.input, &data, &len) == 0) {
			struct diag d;
			diag_init(&d);
			link_options_parse_conf(&opts, (const char *)data, len, &d);
			diag_release(&d);
			free(data);
		}
	}
	snprintf(out, LINKFS_NAME_MAX + 1, "%s",
		 output_refused(opts.output_name) ? "a.out" : opts.output_name);
	pthread_mutex_lock(&u->lock);
	if (x && x->gen == gen) {
		memcpy(x->output, out, LINKFS_NAME_MAX + 1);
		x->out_gen = gen + 1;
	}
	pthread_mutex_unlock(&u->lock);
}

/* 1 if one of dir's objects defines `_main` (external, in a section), or
 * does not parse (the link then says why, so the unit shows); 0 if none
 * does; -errno. Reads the objects through the blob cache (where the link
 * finds them). */
static int defines_main(struct units *u, uint64_t dir)
{
	struct input_list l;
	memset(&l, 0, sizeof l);
	l.h = XXH3_createState();
	if (!l.h)
		return -ENOMEM;
	XXH3_128bits_reset(l.h);
	int rc = store_unit_inputs(u->st, dir, add_input, &l);
	int found = 0;
	for (size_t i = 0; !rc && !found && i < l.n; i++) {
		if (l.v[i].role != ROLE_OBJECT)
			continue;
		struct blob *b;
		rc = input_bytes(u, l.v[i].hash, &b);
		if (rc)
			break;
		/* the parse a commit made, else one of our own: the link
		 * parses what was read back from the store (docs/
		 * architecture.md, "Objects parsed when they are written") */
		const struct obj_file *o = blob_parsed(b);
		struct obj_file own;
		struct diag d;
		diag_init(&d);
		if (!o && obj_parse(&own, l.v[i].name, b->data, b->len, &d) == 0)
			o = &own;
		diag_release(&d);
		if (!o)
			found = 1;
		for (uint32_t s = 0; o && !found && s < o->nsymbols; s++) {
			const struct obj_symbol *y = &o->symbols[s];
			found = (y->type & N_TYPE) == N_SECT && (y->type & N_EXT) &&
				y->namelen == 5 && !memcmp(y->name, "_main", 5);
		}
		if (o == &own)
			obj_release(&own);
		blob_unref(b);
	}
	input_list_release(&l);
	return rc ? rc : found;
}

int units_is_unit(struct units *u, uint64_t dir)
{
	/* the cheap answers first, from the store: no unit is made for a
	 * directory that cannot be one (opendir asks for every directory) */
	struct store_node n;
	int r = store_lookup(u->st, dir, "link.conf", 9, &n);
	if (r == 0 && n.kind == NODE_FILE && n.has_input)
		return 1;
	if (r && r != -ENOENT)
		return r;
	r = store_unit_has_object(u->st, dir);
	if (r != 1)
		return r;
	/* objects and no link.conf: a program's? (kept per generation) */
	pthread_mutex_lock(&u->lock);
	struct unit *x = get_unit(u, dir);
	if (!x) {
		pthread_mutex_unlock(&u->lock);
		return -ENOMEM;
	}
	uint64_t gen = x->gen;
	if (x->main_gen == gen + 1) {
		r = x->has_main;
		pthread_mutex_unlock(&u->lock);
		return r;
	}
	pthread_mutex_unlock(&u->lock);
	r = defines_main(u, dir);
	if (r < 0)
		return r;
	pthread_mutex_lock(&u->lock);
	if (x->gen == gen) {
		x->has_main = r;
		x->main_gen = gen + 1;
	}
	pthread_mutex_unlock(&u->lock);
	return r;
}
