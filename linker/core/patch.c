/*
 * patch.c - incremental relinks: patches the previous output instead of
 * linking again (link_run_patchable, link_patch in link.h).
 *
 * Why a patch is exact. A link reads the contents of a plain section
 * (type S_REGULAR, not __compact_unwind or __eh_frame) in two ways only:
 * it copies them to where the layout put each atom, and it reads the
 * bytes around each relocation -- the field itself and the bytes before
 * it that the architecture may read or rewrite (arch.h,
 * reloc_window_before: on x86_64 the opcode of a GOT or TLV load, two
 * bytes before the field). Debug sections are dropped (atoms.c), so none
 * of their bytes is read, relocated or not, but for the source file name
 * the debug map takes from the first DWARF unit (debugmap.c): the digest
 * hashes that name (or why it is unreadable) instead. Every other byte of an object (header, load
 * commands, symbol, string and relocation tables, linkedit data, the
 * contents of literal, unwind and other special sections) may change the
 * layout, the symbols or the fixups. An object's digest hashes all of
 * those bytes and leaves out only the plain bytes outside relocation
 * windows. Two objects with the same digest therefore link to the same
 * layout, symbol table, fixups and relocated fields; the outputs differ
 * only in the plain bytes, which the link copies verbatim, and in the
 * UUID, a hash of the rest. obj_parse refuses objects whose file ranges
 * overlap, so no masked byte is also read as part of another table.
 *
 * The state keeps, per input, its name, size and an identity of its
 * bytes; per direct object input also its digest and its copy runs
 * (input offset, output offset, length) for the live atoms of its plain
 * sections. A patch checks every changed input before it writes a byte.
 *
 * The state is recorded in two parts (link.c): patch_record, after
 * layout, copies the names, sizes and given identities; patch_finish,
 * from the link's end (finish_work, with deferred records after the link
 * returned), reads the inputs for the rest. Until it has run the state is
 * pending: link_patch and link_patch_state_free wait for it.
 *
 * Leaves out: signed outputs (arm64 by default), which relink in full,
 * never with a stale signature; changes that move anything (a section grows, a symbol or a
 * relocation comes or goes), changed archives or TBDs, a different list
 * of inputs, names or options: those are refused (0), and the caller
 * links in full.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "../base/latch.h"
#include "../base/macho.h"
#include "ctx.h"
#include "debugmap.h"


struct patch_run {
	uint64_t in_off, out_off, len;
};

struct window {                /* file offsets of the object, [start, end) */
	uint64_t start, end;
};

struct patch_input {
	char *name;
	size_t size;
	uint8_t id[16];
	int has_id;                /* id came with the input (link_input.id) */
	int object;                /* a direct object: digest and runs set */
	uint8_t digest[16];
	struct patch_run *runs;    /* sorted by in_off */
	size_t nruns;
};

struct link_patch_state {
	struct link_options opts;
	struct patch_input *in;
	size_t n;
	size_t out_size;
	uint64_t uuid_off;
	uint32_t window_before;    /* the arch's reloc_window_before */
	struct latch finished;     /* armed when handed out, opened by
				      patch_finish; failed: it patches
				      nothing */
};

/* 1 if a link copies s's contents verbatim outside relocation windows
 * (or, a debug section, drops them unread). */
static int section_plain(const struct obj_section *s)
{
	return (s->flags & SECTION_TYPE) == S_REGULAR && s->data && s->size &&
	       section_fate(s) != SECT_UNWIND;
}

static int by_start(const void *a, const void *b)
{
	const struct window *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The relocation windows of o's plain sections, merged and sorted by
 * file offset (malloc'd). 0, or -1 when out of memory. */
static int object_windows(const struct obj_file *o, uint32_t before,
			  struct window **out, size_t *n)
{
	size_t cap = 0;
	for (uint32_t si = 0; si < o->nsections; si++)
		if (section_plain(&o->sections[si]))
			cap += o->sections[si].nrelocs;
	struct window *w = malloc((cap ? cap : 1) * sizeof *w);
	if (!w)
		return -1;
	size_t k = 0;
	for (uint32_t si = 0; si < o->nsections; si++) {
		const struct obj_section *s = &o->sections[si];
		if (!section_plain(s) || section_fate(s) == SECT_DEBUG)
			continue;   /* nothing reads a debug section's bytes */
		const struct obj_reloc *r = o->relocs + s->reloc_first;
		for (uint32_t i = 0; i < s->nrelocs; i++) {
			/* obj_parse: offset + width <= size */
			uint64_t a = r[i].offset, e = a + (1u << r[i].length);
			a = a > before ? a - before : 0;
			w[k].start = s->offset + a;
			w[k].end = s->offset + (e < s->size ? e : s->size);
			k++;
		}
	}
	qsort(w, k, sizeof *w, by_start);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && w[i].start <= w[m - 1].end) {
			if (w[i].end > w[m - 1].end)
				w[m - 1].end = w[i].end;
		} else {
			w[m++] = w[i];
		}
	}
	*out = w;
	*n = m;
	return 0;
}

/* The digest of o: every byte but the plain bytes outside the windows w
 * (object_windows). 0, or -1 when out of memory. */
static int object_digest(const struct obj_file *o, const struct window *w,
			 size_t nw, uint8_t out[16])
{
	struct window *plain = malloc((o->nsections + 1) * sizeof *plain);
	XXH3_state_t *h = XXH3_createState();
	if (!plain || !h) {
		free(plain);
		XXH3_freeState(h);
		return -1;
	}
	size_t np = 0;
	for (uint32_t si = 0; si < o->nsections; si++) {
		const struct obj_section *s = &o->sections[si];
		if (section_plain(s)) {
			plain[np].start = s->offset;
			plain[np].end = s->offset + s->size;
			np++;
		}
	}
	qsort(plain, np, sizeof *plain, by_start);
	XXH3_128bits_reset(h);
	uint64_t size = o->size;
	XXH3_128bits_update(h, "linkfs-patch-1", 14);
	XXH3_128bits_update(h, &size, sizeof size);
	uint64_t cur = 0;
	size_t wi = 0;
	for (size_t i = 0; i < np; i++) {
		/* obj_parse refused overlapping ranges: cur <= plain[i].start,
		 * and each window lies inside one plain range */
		XXH3_128bits_update(h, o->data + cur, plain[i].start - cur);
		for (; wi < nw && w[wi].start < plain[i].end; wi++)
			XXH3_128bits_update(h, o->data + w[wi].start,
					    w[wi].end - w[wi].start);
		cur = plain[i].end;
	}
	XXH3_128bits_update(h, o->data + cur, o->size - cur);
	/* the debug map's N_SO text comes from debug bytes masked above */
	struct buf src;
	buf_init(&src);
	int dm = debugmap_source(o, &src);
	if (dm) {
		XXH3_128bits_update(h, &dm, sizeof dm);
		XXH3_128bits_update(h, src.data, src.len);
	}
	int oom = buf_failed(&src);
	buf_release(&src);
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits_digest(h));
	memcpy(out, c.digest, 16);
	XXH3_freeState(h);
	free(plain);
	return oom ? -1 : 0;
}

static int by_in_off(const void *a, const void *b)
{
	const struct patch_run *x = a, *y = b;
	return x->in_off < y->in_off ? -1 : x->in_off > y->in_off;
}

/* f's copy runs: the live atoms of its plain sections, as
 * copy_file_atoms (x86_64.c) copies them, merged where contiguous. */
static int object_runs(const struct input_file *f, struct patch_input *p)
{
	size_t cap = 0;
	for (uint32_t si = 0; si < f->obj.nsections; si++)
		if (f->sect_kept[si] && section_plain(&f->obj.sections[si]))
			cap += f->natoms[si];
	struct patch_run *r = malloc((cap ? cap : 1) * sizeof *r);
	if (!r)
		return -1;
	size_t k = 0;
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		const struct obj_section *s = &f->obj.sections[si];
		if (!f->sect_kept[si] || !section_plain(s))
			continue;
		for (uint32_t i = 0; i < f->natoms[si]; i++) {
			const struct atom *a = &f->atoms[si][i];
			if (!a->live || a->dup || a->osec->kind != OSEC_REGULAR || !a->size)
				continue;
			r[k].in_off = s->offset + a->off;
			r[k].out_off = a->osec->fileoff + (a->addr - a->osec->addr);
			r[k].len = a->size;
			k++;
		}
	}
	qsort(r, k, sizeof *r, by_in_off);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && r[m - 1].in_off + r[m - 1].len == r[i].in_off &&
		    r[m - 1].out_off + r[m - 1].len == r[i].out_off)
			r[m - 1].len += r[i].len;
		else
			r[m++] = r[i];
	}
	p->runs = r;
	p->nruns = m;
	return 0;
}

static void input_id(const struct link_input *in, uint8_t id[16])
{
	if (in->id) {
		memcpy(id, in->id, 16);
		return;
	}
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits(in->data, in->size));
	memcpy(id, c.digest, 16);
}

struct record_job {
	const struct link_input *in;
	struct patch_input *p;
	struct input_file **file;  /* per input: the direct object, or NULL */
	int *failed;               /* per input */
	uint32_t before;           /* bytes of window before each field */
};

static void record_one(void *arg, size_t i, int worker)
{
	struct record_job *j = arg;
	(void)worker;
	if (!j->p[i].has_id)
		input_id(&j->in[i], j->p[i].id);
	const struct input_file *f = j->file[i];
	if (!f)
		return;
	struct window *w;
	size_t nw;
	if (object_windows(&f->obj, j->before, &w, &nw)) {
		j->failed[i] = 1;
		return;
	}
	if (object_digest(&f->obj, w, nw, j->p[i].digest) || object_runs(f, &j->p[i]))
		j->failed[i] = 1;
	else
		j->p[i].object = 1;
	free(w);
}

struct link_patch_state *patch_state_new(void)
{
	struct link_patch_state *st = calloc(1, sizeof *st);
	if (st)
		latch_init(&st->finished);
	return st;
}

/* Frees st, which nobody else uses any more. */
static void state_free(struct link_patch_state *st)
{
	for (size_t i = 0; st->in && i < st->n; i++) {
		free(st->in[i].name);
		free(st->in[i].runs);
	}
	free(st->in);
	latch_destroy(&st->finished);
	free(st);
}

void patch_record(struct link_ctx *c, const struct link_input *in, size_t n)
{
	struct link_patch_state *st = c->patch;
	if (c->sign) {
		/* a patch would leave a stale signature: signed outputs
		 * (arm64 by default) relink in full */
		state_free(st);
		c->patch = NULL;
		return;
	}
	st->window_before = c->ops->reloc_window_before;
	st->opts = *c->opt;
	st->opts.inputs_done = NULL;
	st->opts.records_done = NULL;
	st->opts.nlists_done = NULL;
	st->in = calloc(n + 1, sizeof *st->in);
	struct link_input *keep = arena_alloc(&c->arena, (n + 1) * sizeof *keep);
	int bad = !st->in || !keep;
	if (!bad) {
		st->n = n;
		for (size_t i = 0; i < n && !bad; i++) {
			st->in[i].size = in[i].size;
			st->in[i].name = strdup(in[i].name);
			bad = !st->in[i].name;
			if (in[i].id) {
				memcpy(st->in[i].id, in[i].id, 16);
				st->in[i].has_id = 1;
			}
			/* patch_finish reads the data only */
			keep[i].name = NULL;
			keep[i].data = in[i].data;
			keep[i].size = in[i].size;
			keep[i].id = NULL;
		}
	}
	if (bad) {
		state_free(st);
		c->patch = NULL;
		return;
	}
	c->patch_in = keep;
}

void patch_hand_out(struct link_patch_state *st)
{
	latch_arm(&st->finished);
}

/* The rest of the state, from the inputs c->patch_in (patch_record).
 * 0, or -1 when out of memory. */
static int record_inputs(struct link_ctx *c, struct link_patch_state *st)
{
	size_t n = st->n;
	struct input_file **file = calloc(n + 1, sizeof *file);
	int *failed = calloc(n + 1, sizeof *failed);
	int bad = !file || !failed || !c->patch_in;
	if (!bad) {
		for (size_t i = 0; i < c->nfiles; i++) {
			struct input_file *f = c->files[i];
			if (f->input && f->input <= n)
				file[f->input - 1] = f;
		}
		struct record_job j = { c->patch_in, st->in, file, failed,
					st->window_before };
		par_for(c->nthreads, n, 0, record_one, &j);
		for (size_t i = 0; i < n; i++)
			bad |= failed[i];
	}
	free(file);
	free(failed);
	return bad ? -1 : 0;
}

void patch_finish(struct link_ctx *c, struct link_patch_state *st)
{
	int failed = record_inputs(c, st) != 0;
	c->patch_in = NULL;
	latch_open(&st->finished, failed);
}

void patch_set_output(struct link_ctx *c)
{
	c->patch->out_size = c->out_size;
	c->patch->uuid_off = c->uuid_off;
}

void link_patch_state_free(struct link_patch_state *st)
{
	if (!st)
		return;
	(void)latch_wait(&st->finished);
	state_free(st);
}

/* Options that change the output (threads do not). */
static int same_options(const struct link_options *a, const struct link_options *b)
{
	return a->arch == b->arch && !strcmp(a->entry, b->entry) &&
	       !strcmp(a->output_name, b->output_name) &&
	       a->platform == b->platform && a->minos == b->minos &&
	       a->sdk == b->sdk && a->fixups == b->fixups &&
	       a->dead_strip == b->dead_strip && a->undefined == b->undefined &&
	       a->no_default_libsystem == b->no_default_libsystem &&
	       a->print_stats == b->print_stats && a->kind == b->kind &&
	       !strcmp(a->install_name, b->install_name) &&
	       a->current_version == b->current_version &&
	       a->compat_version == b->compat_version &&
	       a->dead_strippable_dylib == b->dead_strippable_dylib &&
	       a->pagezero_size == b->pagezero_size &&
	       /* the image's why.txt chains (the output's bytes are the same) */
	       !strcmp(a->why_live_conf, b->why_live_conf);
}

/* A changed object that passed the check: its windows, to copy around. */
struct change {
	size_t input;
	struct window *w;
	size_t nw;
	uint8_t id[16];
};

/* 1 if object input `in` has p's digest (parsing it), 0 if not, -1 on
 * OOM; on 1 fills ch's windows. */
static int same_structure(const struct patch_input *p, uint32_t before,
			  const struct link_input *in, struct change *ch)
{
	struct diag d;
	diag_init(&d);
	struct obj_file o;
	int rc = 0;
	if (obj_parse(&o, in->name, in->data, in->size, &d) == 0) {
		uint8_t digest[16];
		if (object_windows(&o, before, &ch->w, &ch->nw))
			rc = -1;
		else if (object_digest(&o, ch->w, ch->nw, digest))
			rc = -1;
		else
			rc = !memcmp(digest, p->digest, 16);
		obj_release(&o);
	}
	diag_release(&d);
	if (rc != 1) {
		free(ch->w);
		ch->w = NULL;
	}
	return rc;
}

/* Copies run r of the new bytes `data` into out, except the windows. */
static void copy_run(uint8_t *out, const uint8_t *data, const struct patch_run *r,
		     const struct window *w, size_t nw)
{
	/* the first window ending after the run starts */
	size_t lo = 0, hi = nw;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w[mid].end <= r->in_off)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint64_t cur = r->in_off, end = r->in_off + r->len;
	for (size_t i = lo; i < nw && w[i].start < end && cur < end; i++) {
		if (w[i].start > cur)
			memcpy(out + r->out_off + (cur - r->in_off), data + cur,
			       w[i].start - cur);
		if (w[i].end > cur)
			cur = w[i].end;
	}
	if (cur < end)
		memcpy(out + r->out_off + (cur - r->in_off), data + cur, end - cur);
}

int link_patch(struct link_patch_state *st, const struct link_input *in,
	       size_t n, const struct link_options *opts, const uint8_t *prev,
	       uint8_t *out, size_t size)
{
	if (!st || latch_wait(&st->finished) || n != st->n || size != st->out_size ||
	    !same_options(&st->opts, opts) || !inputs_have_bytes(in, n))
		return 0;
	struct change *ch = NULL;
	size_t nch = 0, cap = 0;
	int rc = 1;
	for (size_t i = 0; i < n && rc == 1; i++) {
		const struct patch_input *p = &st->in[i];
		if (strcmp(p->name, in[i].name) || p->size != in[i].size) {
			rc = 0;
			break;
		}
		uint8_t id[16];
		input_id(&in[i], id);
		if (!memcmp(id, p->id, 16))
			continue;
		if (!p->object) {
			rc = 0;
			break;
		}
		if (nch == cap) {
			cap = cap ? 2 * cap : 8;
			struct change *v = realloc(ch, cap * sizeof *v);
			if (!v) {
				rc = -1;
				break;
			}
			ch = v;
		}
		memset(&ch[nch], 0, sizeof ch[nch]);
		ch[nch].input = i;
		memcpy(ch[nch].id, id, 16);
		rc = same_structure(p, st->window_before, &in[i], &ch[nch]);
		if (rc == 1)
			nch++;
	}
	if (rc == 1) {
		if (out != prev)
			memcpy(out, prev, size);
		for (size_t k = 0; k < nch; k++) {
			struct patch_input *p = &st->in[ch[k].input];
			for (size_t r = 0; r < p->nruns; r++)
				copy_run(out, in[ch[k].input].data, &p->runs[r],
					 ch[k].w, ch[k].nw);
			memcpy(p->id, ch[k].id, 16);
		}
		if (nch)
			stamp_uuid(out, size, st->uuid_off);
	}
	for (size_t k = 0; k < nch; k++)
		free(ch[k].w);
	free(ch);
	return rc;
}
