/*
 * test_patch.c - link_patch must give exactly what a full link gives.
 *
 *   test_patch [--rounds N] [--seed S] [--swap NAME=PATH]...
 *              [--refuse NAME=PATH]... [--out FILE] OBJ...
 *
 * Random rounds: each round changes one byte of one object, chosen by one
 * of four kinds, and calls link_patch on the state of the current inputs:
 *   plain   a byte of a plain section at least 8 bytes from every
 *           relocation: the patch must be taken (not in the debug
 *           sections the debug map reads the source's name from, where
 *           a byte may change it: those are only for "any");
 *   window  a byte of a plain, non-debug section in a relocation's field
 *           or the two bytes before it: it must be refused;
 *   special a byte of a non-plain section (literals, unwind, ...): it must
 *           be refused;
 *   any     any byte of the file: either.
 * Whenever a patch is taken, the patched output must equal, byte for byte,
 * link_run's output for the changed inputs; the change then stays and the
 * next round patches on top of it. A refused change is undone.
 * Then, from a fresh full link, each --swap replaces an input with another
 * file (a recompiled object) and must be patched exactly; each --refuse
 * must be refused. --out writes the final output, so the caller can run it.
 * --deferred makes each full link as the daemon does (defer_records with
 * inputs_done): the link reads private copies of the inputs, which
 * inputs_done scribbles over and frees, and the patch state is finished
 * by the link's own thread after the call returned (link_patch waits for
 * it). At the end, inputs_done must have been called exactly once per
 * full link, before its records_done.
 * Exit 0 when every check held; prints the counts. Meant to run under
 * ASan too, where a read of the copies after inputs_done is a use after
 * free.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macho.h"
#include "image.h"
#include "input/object.h"
#include "link.h"

struct file {
	char *name;
	uint8_t *data;
	size_t size;
};

static int read_file(const char *path, struct file *f)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	f->data = malloc(n > 0 ? (size_t)n : 1);
	f->size = (size_t)n;
	int ok = f->data && fread(f->data, 1, f->size, fp) == f->size;
	fclose(fp);
	const char *b = strrchr(path, '/');
	f->name = strdup(b ? b + 1 : path);
	return ok && f->name ? 0 : -1;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int plain(const struct obj_section *s)
{
	return (s->flags & SECTION_TYPE) == S_REGULAR && s->data && s->size &&
	       !(strcmp(s->segname, "__LD") == 0 && strcmp(s->sectname, "__compact_unwind") == 0) &&
	       strcmp(s->sectname, "__eh_frame") != 0;
}

/* 1 for a debug section the debug map reads (core/debugmap.c) */
static int debug_map_read(const struct obj_section *s)
{
	static const char *const names[] = { "__debug_info", "__debug_abbrev",
		"__debug_str", "__debug_str_offs", "__debug_line_str" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(s->segname, "__DWARF") && !strcmp(s->sectname, names[i]))
			return 1;
	return 0;
}

enum kind { K_PLAIN, K_WINDOW, K_SPECIAL, K_ANY, K_COUNT };
static const char *const kind_name[] = { "plain", "window", "special", "any" };

/* Picks a file offset of kind k in f; -1 if f has none. */
static long pick(const struct file *f, enum kind k)
{
	if (k == K_ANY)
		return (long)(rnd() % f->size);
	struct diag d;
	diag_init(&d);
	struct obj_file o;
	if (obj_parse(&o, f->name, f->data, f->size, &d)) {
		diag_release(&d);
		return -1;
	}
	diag_release(&d);
	long found = -1;
	for (int tries = 0; tries < 200 && found < 0; tries++) {
		const struct obj_section *s = &o.sections[rnd() % (o.nsections ? o.nsections : 1)];
		if (!o.nsections || !s->data || !s->size)
			continue;
		if (k == K_SPECIAL) {
			if (!plain(s))
				found = (long)(s->offset + rnd() % s->size);
			continue;
		}
		if (!plain(s) || debug_map_read(s))
			continue;
		const struct obj_reloc *r = o.relocs + s->reloc_first;
		if (k == K_WINDOW) {
			if (!s->nrelocs || (s->flags & S_ATTR_DEBUG) || !strcmp(s->segname, "__DWARF"))
				continue;
			const struct obj_reloc *x = &r[rnd() % s->nrelocs];
			uint64_t lo = x->offset >= 2 ? x->offset - 2 : 0;
			uint64_t hi = x->offset + (1u << x->length);
			found = (long)(s->offset + lo + rnd() % (hi - lo));
			continue;
		}
		uint64_t off = rnd() % s->size;
		int near = 0;
		for (uint32_t i = 0; i < s->nrelocs && !near; i++)
			near = off + 8 >= r[i].offset && off < (uint64_t)r[i].offset + 16;
		if (!near)
			found = (long)(s->offset + off);
	}
	obj_release(&o);
	return found;
}

static void fill(struct link_input *in, const struct file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		in[i].name = f[i].name;
		in[i].data = f[i].data;
		in[i].size = f[i].size;
		in[i].id = NULL;
	}
}

/* --deferred: the calls of inputs_done and records_done so far. */
struct deferred {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int inputs_done, records_done, early;
};

/* A deferred full link's private inputs: the copies and their count. */
struct copies {
	struct deferred *d;
	struct link_input *in;
	size_t n;
};

static void drop_copies(void *arg)
{
	struct copies *c = arg;
	for (size_t i = 0; i < c->n; i++) {
		memset((uint8_t *)c->in[i].data, 0xA5, c->in[i].size);
		free((uint8_t *)c->in[i].data);
	}
	free(c->in);
	pthread_mutex_lock(&c->d->lock);
	c->d->inputs_done++;
	pthread_mutex_unlock(&c->d->lock);
	free(c);
}

static void count_records_done(void *arg)
{
	struct deferred *d = arg;
	pthread_mutex_lock(&d->lock);
	/* each link's inputs_done comes first */
	if (d->inputs_done <= d->records_done)
		d->early = 1;
	d->records_done++;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

/* Full link with state; the output copied to *out. With d, as the daemon
 * links (--deferred). */
static struct link_patch_state *full(const struct file *f, size_t n,
				     const struct link_options *opts,
				     struct deferred *d, uint8_t **out,
				     size_t *size)
{
	struct link_options o = *opts;
	struct link_input *in = calloc(n, sizeof *in);
	fill(in, f, n);
	if (d) {
		struct copies *c = malloc(sizeof *c);
		struct link_input *copy = calloc(n, sizeof *copy);
		if (!c || !copy) {
			fprintf(stderr, "FAIL: out of memory\n");
			exit(1);
		}
		for (size_t i = 0; i < n; i++) {
			copy[i] = in[i];
			copy[i].data = malloc(in[i].size ? in[i].size : 1);
			if (!copy[i].data) {
				fprintf(stderr, "FAIL: out of memory\n");
				exit(1);
			}
			memcpy((uint8_t *)copy[i].data, in[i].data, in[i].size);
		}
		*c = (struct copies){ d, copy, n };
		o.defer_records = 1;
		o.inputs_done = drop_copies;
		o.inputs_done_arg = c;
		o.records_done = count_records_done;
		o.records_done_arg = d;
		free(in);
		in = copy;
	}
	struct link_patch_state *st = NULL;
	struct link_image *img = link_run_patchable(in, n, &o, &st);
	if (!d)
		free(in);
	if (!img || !img->ok || !st) {
		fprintf(stderr, "FAIL: full link: %s\n", img && img->log ? img->log : "no image");
		exit(1);
	}
	*out = malloc(img->size);
	memcpy(*out, img->bytes, img->size);
	*size = img->size;
	link_image_unref(img);
	return st;
}

/* link_patch, and when it patched, the check against a full link. */
static int patch_and_check(struct link_patch_state *st, const struct file *f,
			   size_t n, const struct link_options *o, uint8_t *out,
			   size_t size, const char *what)
{
	struct link_input *in = calloc(n, sizeof *in);
	fill(in, f, n);
	int rc = link_patch(st, in, n, o, out, out, size);
	if (rc == 1) {
		struct link_image *img = link_run(in, n, o);
		if (!img || !img->ok) {
			fprintf(stderr, "FAIL: %s: patched, but a full link fails: %s\n",
				what, img && img->log ? img->log : "");
			exit(1);
		}
		if (img->size != size || memcmp(img->bytes, out, size)) {
			size_t k = 0;
			while (k < size && k < img->size && img->bytes[k] == out[k])
				k++;
			fprintf(stderr, "FAIL: %s: patched output differs from the full link at offset 0x%zx (sizes %zu, %zu)\n",
				what, k, size, img->size);
			exit(1);
		}
		link_image_unref(img);
	}
	free(in);
	return rc;
}

static size_t find(const struct file *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return i;
	fprintf(stderr, "FAIL: no input named %s\n", name);
	exit(1);
}

int main(int argc, char **argv)
{
	long rounds = 0;
	rng_state = 0x9e3779b97f4a7c15ull;
	const char *outpath = NULL;
	struct deferred dd = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };
	struct deferred *d = NULL;
	int nfull = 0;
	const char *swaps[64];
	int swap_accept[64];
	int nswaps = 0;
	struct file *f = calloc((size_t)argc, sizeof *f);
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			rng_state = strtoull(argv[++i], NULL, 0) | 1;
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			outpath = argv[++i];
		} else if (!strcmp(argv[i], "--deferred")) {
			d = &dd;
		} else if ((!strcmp(argv[i], "--swap") || !strcmp(argv[i], "--refuse")) &&
			   i + 1 < argc && nswaps < 64) {
			swap_accept[nswaps] = argv[i][2] == 's';
			swaps[nswaps++] = argv[++i];
		} else if (read_file(argv[i], &f[n++])) {
			fprintf(stderr, "FAIL: cannot read %s\n", argv[i]);
			return 1;
		}
	}
	struct link_options o;
	link_options_init(&o);
	uint8_t *out;
	size_t size;
	struct link_patch_state *st = full(f, n, &o, d, &out, &size);
	nfull++;

	long taken[K_COUNT] = { 0 }, refused[K_COUNT] = { 0 }, none = 0;
	for (long r = 0; r < rounds; r++) {
		enum kind k = (enum kind)(rnd() % K_COUNT);
		size_t i = rnd() % n;
		long at = pick(&f[i], k);
		if (at < 0) {
			none++;
			continue;
		}
		uint8_t old = f[i].data[at];
		f[i].data[at] ^= (uint8_t)(1 + rnd() % 255);
		char what[300];
		snprintf(what, sizeof what, "round %ld: %s byte at 0x%lx of %s", r,
			 kind_name[k], at, f[i].name);
		int rc = patch_and_check(st, f, n, &o, out, size, what);
		if (rc < 0) {
			fprintf(stderr, "FAIL: %s: out of memory\n", what);
			return 1;
		}
		if ((k == K_PLAIN && rc != 1) || ((k == K_WINDOW || k == K_SPECIAL) && rc != 0)) {
			fprintf(stderr, "FAIL: %s: patch %s\n", what, rc ? "taken" : "refused");
			return 1;
		}
		if (rc == 1) {
			taken[k]++;
		} else {
			refused[k]++;
			f[i].data[at] = old;
		}
	}
	if (rounds) {
		printf("rounds %ld:", rounds);
		for (int k = 0; k < K_COUNT; k++)
			printf(" %s %ld taken %ld refused;", kind_name[k], taken[k], refused[k]);
		printf(" %ld without a byte of the kind\n", none);
		if (!taken[K_PLAIN] || !refused[K_WINDOW]) {
			fprintf(stderr, "FAIL: the rounds did not exercise both outcomes\n");
			return 1;
		}
	}

	if (nswaps) {
		/* a fresh state from the inputs as given on the command line */
		for (size_t i = 0; i < n; i++) {
			free(f[i].data);
			free(f[i].name);
		}
		n = 0;
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--rounds") || !strcmp(argv[i], "--seed") ||
			    !strcmp(argv[i], "--out") || !strcmp(argv[i], "--swap") ||
			    !strcmp(argv[i], "--refuse")) {
				i++;
				continue;
			}
			if (!strcmp(argv[i], "--deferred"))
				continue;
			read_file(argv[i], &f[n++]);
		}
		link_patch_state_free(st);
		free(out);
		st = full(f, n, &o, d, &out, &size);
		nfull++;
	}
	for (int s = 0; s < nswaps; s++) {
		char name[256];
		const char *eq = strchr(swaps[s], '=');
		if (!eq || (size_t)(eq - swaps[s]) >= sizeof name) {
			fprintf(stderr, "FAIL: --swap NAME=PATH: %s\n", swaps[s]);
			return 1;
		}
		memcpy(name, swaps[s], (size_t)(eq - swaps[s]));
		name[eq - swaps[s]] = 0;
		size_t i = find(f, n, name);
		struct file alt;
		if (read_file(eq + 1, &alt)) {
			fprintf(stderr, "FAIL: cannot read %s\n", eq + 1);
			return 1;
		}
		struct file keep = f[i];
		f[i].data = alt.data;
		f[i].size = alt.size;
		int rc = patch_and_check(st, f, n, &o, out, size, swaps[s]);
		printf("%s %s: %s\n", swap_accept[s] ? "swap" : "refuse", swaps[s],
		       rc == 1 ? "patched, equal to the full link" : rc == 0 ? "refused" : "out of memory");
		if (rc != (swap_accept[s] ? 1 : 0))
			return 1;
		if (rc == 1) {
			free(keep.data);
		} else {
			free(alt.data);
			f[i] = keep;
		}
		free(alt.name);
	}
	if (outpath) {
		FILE *fp = fopen(outpath, "wb");
		if (!fp || fwrite(out, 1, size, fp) != size || fclose(fp)) {
			fprintf(stderr, "FAIL: cannot write %s\n", outpath);
			return 1;
		}
	}
	link_patch_state_free(st);
	free(out);
	for (size_t i = 0; i < n; i++) {
		free(f[i].data);
		free(f[i].name);
	}
	free(f);
	if (d) {
		pthread_mutex_lock(&d->lock);
		while (d->records_done < nfull)
			pthread_cond_wait(&d->cond, &d->lock);
		int inputs = d->inputs_done, records = d->records_done, early = d->early;
		pthread_mutex_unlock(&d->lock);
		if (inputs != nfull || records != nfull || early) {
			fprintf(stderr, "FAIL: %d deferred links: inputs_done %d calls, "
				"records_done %d%s\n", nfull, inputs, records,
				early ? ", one before its inputs_done" : "");
			return 1;
		}
		printf("deferred: %d links, inputs_done once each, before records_done\n", nfull);
	}
	return 0;
}
