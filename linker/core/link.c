/*
 * link.c - the link pipeline:
 *
 *   resolve inputs -> check (every undefined/duplicate at once, then stop)
 *   -> scan relocations (GOT, stubs, TLV pointers) -> layout -> copy and
 *   relocate -> synthetic sections (lazy binds encoded first) ->
 *   __LINKEDIT -> header and load commands -> records for the text files.
 *
 * Each stage reports problems through the link's diag; the pipeline stops
 * after the first stage that reported an error. Leaves out: arm64 output,
 * chained fixups (refused with a clear message until
 * written), -r, dylib and bundle outputs.
 */
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../base/diag.h"
#include "../base/hugepage.h"
#include "../base/macho.h"
#include "../base/stats.h"
#include "../image.h"
#include "ctx.h"
#include "unwind_input.h"
#include "image_build.h"

void stage_done(struct link_ctx *c, const char *stage)
{
	if (!c->opt->print_stats)
		return;
	uint64_t now = stats_now_ns();
	stats_line(&c->diag->text, stage, now - c->stage_start_ns);
	c->stage_start_ns = now;
}

static void ctx_release(struct link_ctx *c)
{
	for (size_t i = 0; i < c->nfiles; i++)
		obj_release(&c->files[i]->obj);
	free(c->files);
	for (size_t i = 0; i < c->narchives; i++) {
		archive_release(&c->archives[i].ar);
		free(c->archives[i].member_loaded);
	}
	free(c->archives);
	for (size_t i = 0; i < c->ndylibs; i++) {
		dylib_release(&c->dylibs[i].dl);
		for (size_t k = 0; k < c->dylibs[i].nsame; k++)
			dylib_release(&c->dylibs[i].same[k]);
		free(c->dylibs[i].same);
	}
	free(c->dylibs);
	if (c->loader) {
		dylib_release(&c->loader->dl);
		free(c->loader);
	}
	free(c->osecs);
	free(c->got_syms);
	free(c->stub_syms);
	free(c->tlvp_syms);
	free(c->lazy_offsets);
	free(c->fixups.v);
	free(c->rebase_e);
	free(c->bind_e);
	free(c->weak_e);
	free(c->lazy_e);
	free(c->exp_e);
	free(c->nl);
	free(c->dead);
	free(c->map_file);
	free(c->map_dylib);
	struct buf *bufs[] = { &c->chained_fixups, &c->rebase, &c->bind, &c->weak_bind,
			       &c->lazy_bind, &c->exports, &c->func_starts, &c->dice,
			       &c->symtab_out, &c->indirect, &c->strtab, &c->why_text };
	for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
		buf_release(bufs[i]);
	if (!c->out_given)
		free(c->out);
	atoms_release(c);
	lazy_release(c);
	unwind_release(c);
	thunks_release(c);
	symtab_release(&c->symtab);
	arena_release(&c->arena);
	for (int w = 0; w < PAR_MAX_THREADS; w++) {
		arena_release(&c->warena[w]);
		arena_release(&c->nlist_arena[w]);
		arena_release(&c->reloc_arena[w]);
	}
}

/*
 * Once the output is written, frees what record_image does not read, so
 * the image's records reuse that memory instead of adding to the peak:
 * the fixups and __LINKEDIT pieces (now in the output) and the literal
 * table.
 */
static void ctx_trim(struct link_ctx *c)
{
	free(c->fixups.v);
	memset(&c->fixups, 0, sizeof c->fixups);
	struct buf *bufs[] = { &c->chained_fixups, &c->rebase, &c->bind, &c->weak_bind,
			       &c->lazy_bind, &c->exports, &c->func_starts, &c->dice,
			       &c->symtab_out, &c->indirect, &c->strtab };
	for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
		buf_release(bufs[i]);
	atoms_release(c);
}

/* After resolution (and dead stripping) nothing reads the objects' nlist
 * entries: f->syms, indexed the same way and as long (obj.nsymbols stays),
 * took their place. After relocation nothing reads relocations. Freeing
 * them early lowers the link's peak memory. A borrowed parse
 * (link_input.parsed) is its owner's: it stays as it is, and the owner
 * hears of it (link_options.nlists_done). */
static void drop_nlists(struct link_ctx *c)
{
	if (c->opt->nlists_done)
		c->opt->nlists_done(c->opt->nlists_done_arg);
	for (size_t i = 0; i < c->nfiles; i++) {
		struct obj_file *o = &c->files[i]->obj;
		if (o->borrowed)
			continue;
		if (!o->symbols_in_arena)
			free(o->symbols);
		o->symbols = NULL;
	}
	for (int w = 0; w < PAR_MAX_THREADS; w++)
		arena_release(&c->nlist_arena[w]);
}

static void drop_relocs(struct link_ctx *c)
{
	for (size_t i = 0; i < c->nfiles; i++) {
		struct obj_file *o = &c->files[i]->obj;
		if (o->borrowed)
			continue;
		if (!o->relocs_in_arena)
			free(o->relocs);
		o->relocs = NULL;
		o->nrelocs = 0;
		for (uint32_t s = 0; s < o->nsections; s++)
			o->sections[s].nrelocs = 0;
	}
	for (int w = 0; w < PAR_MAX_THREADS; w++)
		arena_release(&c->reloc_arena[w]);
}

/* A name for the image's own Mach-O header, hidden and left out of the
 * symbol table (lld's and ld64's choice), defined only when some object
 * refers to it and nothing defines it: ___dso_handle, which C++ code
 * passes to __cxa_atexit, and a dylib's __mh_dylib_header or a bundle's
 * __mh_bundle_header. NULL when not. */
static struct symbol *define_hidden_header(struct link_ctx *c, const char *name)
{
	struct symbol *s = symtab_find(&c->symtab, name);
	if (!s || s->kind != SYM_UNDEF)
		return NULL;
	s->kind = SYM_SYNTHETIC;
	s->private_extern = 1;
	s->external = 0;
	s->referenced = 1;
	return s;
}

/* An export list: its plain names sorted (each global is looked up, not
 * compared with every line: lists run to thousands of names), and its
 * patterns (with *, ? or [), which are matched one by one. */
struct export_set {
	const char **names, **globs;
	size_t nnames, nglobs;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int export_set_init(struct export_set *e, const struct link_options *o)
{
	size_t n = o->nexport_patterns;
	e->names = malloc((n + 1) * sizeof *e->names);
	e->globs = malloc((n + 1) * sizeof *e->globs);
	e->nnames = e->nglobs = 0;
	if (!e->names || !e->globs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *p = o->export_patterns[i];
		if (strpbrk(p, "*?["))
			e->globs[e->nglobs++] = p;
		else
			e->names[e->nnames++] = p;
	}
	qsort(e->names, e->nnames, sizeof *e->names, cmp_str);
	return 0;
}

static int export_matches(const struct export_set *e, const char *name)
{
	if (bsearch(&name, e->names, e->nnames, sizeof *e->names, cmp_str))
		return 1;
	for (size_t i = 0; i < e->nglobs; i++)
		if (!fnmatch(e->globs[i], name, FNM_NOESCAPE))
			return 1;
	return 0;
}

/* -exported_symbols_list and -unexported_symbols_list (as lld): a global
 * definition the list leaves out (or names, for the unexported list)
 * becomes private extern; one the exported list names that was hidden
 * only as a "can be hidden" weak definition becomes visible again, and
 * one hidden by its object stays hidden, with a warning. */
static int apply_export_list(struct link_ctx *c)
{
	const struct link_options *o = c->opt;
	if (!o->export_list)
		return 0;
	size_t ng;
	struct symbol *const *g = symtab_all(&c->symtab, &ng);
	struct export_set set = { NULL, NULL, 0, 0 };
	if (!g || export_set_init(&set, o)) {
		free(set.names);
		free(set.globs);
		return diag_error(c->diag, "out of memory");
	}
	for (size_t i = 0; i < ng; i++) {
		struct symbol *s = g[i];
		if (s->kind != SYM_DEFINED && s->kind != SYM_ABS && s->kind != SYM_COMMON &&
		    s->kind != SYM_SYNTHETIC)   /* __mh_execute_header too, as lld */
			continue;
		int match = export_matches(&set, s->name);
		if (o->export_list == 2 ? match : !match) {
			s->private_extern = 1;
			s->external = 0;
		} else if (o->export_list == 1 && s->private_extern) {
			if (s->autohide) {
				s->private_extern = 0;
				s->external = 1;
			} else {
				diag_warn(c->diag, "cannot export hidden symbol %s", s->name);
			}
		}
	}
	free(set.names);
	free(set.globs);
	return 0;
}

/* An executable's __mh_execute_header (exported, as lld) and entry
 * point; a dylib or bundle has neither. */
static int setup_specials(struct link_ctx *c)
{
	if (c->opt->kind != OUTPUT_EXECUTE)
		return 0;
	struct symbol *mh = symtab_intern(c, "__mh_execute_header");
	if (!mh)
		return diag_error(c->diag, "out of memory");
	if (mh->kind == SYM_UNDEF || mh->kind == SYM_DYLIB) {
		mh->kind = SYM_SYNTHETIC;
		mh->external = 1;
		mh->referenced = 1;
	}
	c->mh_header = mh;
	struct symbol *e = symtab_find(&c->symtab, c->opt->entry);
	if (!e || e->kind == SYM_UNDEF || e->kind == SYM_COMMON) {
		return diag_error(c->diag, "undefined symbol %s (the entry point)%s",
				  c->opt->entry,
				  e && e->file ? "" : ": no input defines or references it");
	}
	if (e->kind == SYM_DYLIB)
		return diag_error(c->diag, "entry point %s is imported from a dylib; it must be defined in an object",
				  c->opt->entry);
	e->referenced = 1;
	c->entry = e;
	return 0;
}

/* The header flags that depend on every global: one pass over them. */
static int note_header_flags(struct link_ctx *c)
{
	size_t ng;
	struct symbol *const *g = symtab_all(&c->symtab, &ng);
	if (!g)
		return diag_error(c->diag, "out of memory");
	for (size_t i = 0; i < ng; i++) {
		const struct symbol *s = g[i];
		if (s->kind == SYM_DEFINED && s->weak_def && s->external)
			c->has_weak_defs = 1;
		if (s->kind == SYM_DYLIB && s->dylib == 0 && s->referenced)
			c->flat_lookups = 1;
	}
	if (!c->chained)   /* build_chained_fixups set it */
		c->binds_to_weak = c->nweak_e > 0;
	return 0;
}

/*
 * The output buffer: the segments' bytes, and room after them for
 * __LINKEDIT, which is built last and whose size is not known yet. The
 * room is half the inputs' bytes (at 10,000 objects __LINKEDIT is 4.5 MiB
 * of 29 MiB of inputs); pages nobody touches are never mapped, so it
 * costs address space only. write_output then does not move the block,
 * and the block can be in huge pages (at 10,000 objects, 2,900 page
 * faults fewer; moving a huge-page block cost 3-4 ms). A __LINKEDIT that
 * does not fit is realloc'd; the rest of the room is given back there
 * (write_output). Only the segments' bytes are zeroed: the
 * block may be reused heap memory, and calloc would zero all of it.
 */
static int alloc_output(struct link_ctx *c, const struct link_input *in, size_t n)
{
	const struct out_segment *last = &c->segs[c->nsegs - 1];
	size_t size = (size_t)(last->fileoff + last->filesize);
	size_t inputs = 0;
	for (size_t i = 0; i < n; i++)
		inputs += input_bytes(&in[i]);
	size_t room = size + ((inputs / 2 + 4095) & ~(size_t)4095);
	if (room < size)
		room = size;
	c->out = huge_malloc(room ? room : 1);
	if (!c->out && room > size) {
		room = size;
		c->out = huge_malloc(size ? size : 1);
	}
	if (!c->out)
		return diag_error(c->diag, "out of memory (%zu bytes of output)", size);
	memset(c->out, 0, size);
	c->out_size = size;
	c->out_room = room;
	return 0;
}

static int run(struct link_ctx *c, const struct link_input *in, size_t n)
{
	if (n == 0)
		return diag_error(c->diag, "no input files");
	if (resolve_inputs(c, in, n))
		return -1;
	stage_done(c, "resolve");
	c->ops = arch_ops_for(c->arch);
	if (!c->ops)
		return diag_error(c->diag, "no architecture to link for");
	c->page_size = c->ops->page_size;
	c->sign = c->opt->codesign < 0 ? c->ops->sign_by_default : c->opt->codesign;
	c->chained = c->opt->fixups == FIXUPS_DEFAULT
			     ? link_chained_by_default(c->opt->platform,
						       c->opt->minos)
			     : c->opt->fixups == FIXUPS_CHAINED;
	c->base = 0;
	if (c->opt->kind == OUTPUT_EXECUTE) {   /* as lld: rounded down to a page */
		c->base = c->opt->pagezero_size & ~(c->page_size - 1);
		if (c->base != c->opt->pagezero_size)
			diag_warn(c->diag, "__PAGEZERO size is not page aligned, rounding down to 0x%llx",
				  (unsigned long long)c->base);
		if (c->base > LINK_PAGEZERO_MAX)
			return diag_error(c->diag, "__PAGEZERO size 0x%llx is larger than the address space",
					  (unsigned long long)c->base);
	}
	c->pagezero = c->base != 0;
	c->dso_handle = define_hidden_header(c, "___dso_handle");
	if (c->opt->kind != OUTPUT_EXECUTE)
		c->own_header = define_hidden_header(c, c->opt->kind == OUTPUT_DYLIB
							       ? "__mh_dylib_header"
							       : "__mh_bundle_header");
	int rc = resolve_check(c);
	rc |= setup_specials(c);
	rc |= apply_export_list(c);
	if (rc)
		return -1;
	if (unwind_read_inputs(c))
		return -1;
	if (c->opt->dead_strip && dead_strip(c))
		return -1;
	if (eh_frame_select(c))
		return -1;
	drop_nlists(c);
	stage_done(c, "check");
	if (scan_relocs(c))
		return -1;
	if (c->opt->dead_strip_dylibs && strip_unused_dylibs(c))
		return -1;
	stage_done(c, "scan");
	/* the last lookup is scan's dyld_stub_binder */
	if (symtab_freeze(&c->symtab))
		return diag_error(c->diag, "out of memory");
	/* the name sort needs a core, layout only one */
	linkedit_sort_start(c);
	if (layout_sections(c))
		return -1;
	stage_done(c, "layout");
	if (c->patch)
		patch_record(c, in, n);
	if (alloc_output(c, in, n))
		return -1;
	/* the names may lie in the inputs, which end after relocation */
	linkedit_sort_join(c);
	if (relocate_all(c) || init_offsets_write(c) || eh_frame_write(c))
		return -1;
	/* the last read of input bytes: compact unwind was collected
	 * before layout, the synthetic sections and __LINKEDIT are made
	 * from the link's own state and the copied names */
	if (c->opt->inputs_done)
		c->opt->inputs_done(c->opt->inputs_done_arg);
	stage_done(c, "relocate");
	if (got_write(c) || tlvp_write(c) || stubs_write(c) || thunks_write(c) ||
	    unwind_write(c))
		return -1;
	if (!c->patch_in)   /* else patch_finish reads them */
		drop_relocs(c);
	unwind_release(c);
	stage_done(c, "synthetic");
	if (linkedit_build(c))
		return -1;
	stage_done(c, "linkedit");
	if (note_header_flags(c) || write_output(c))
		return -1;
	stage_done(c, "header");
	if (c->patch)
		patch_set_output(c);
	ctx_trim(c);
	return 0;
}

/* By default threads are used only for a link of some size: starting them
 * costs tens of microseconds per parallel stage, about what a small link
 * takes in all. An explicit count is always used. Either way the output is
 * the same. */
enum { SMALL_LINK_BYTES = 512 * 1024 };

static int link_threads(const struct link_options *opts,
			const struct link_input *in, size_t n)
{
	if (opts->threads > 0)
		return par_threads(opts->threads);
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += input_bytes(&in[i]);
	return bytes < SMALL_LINK_BYTES ? 1 : par_threads(0);
}

struct link_image *link_run(const struct link_input *inputs, size_t n,
			    const struct link_options *opts)
{
	return link_run_patchable(inputs, n, opts, NULL);
}

/* One link's working state, on the heap: with deferred records it
 * outlives link_run_patchable's frame. */
struct link_job {
	struct link_ctx c;
	struct link_options o;
	struct diag d;
	struct link_image *img;
	int make_records;
	struct link_patch_state *finish; /* handed out, for patch_finish */
	void (*inputs_done)(void *);     /* a patchable link's: finish_work's */
	void *inputs_done_arg;
};

/* Makes the rest of the patch state the link handed out (patch_finish),
 * with its stage line; the inputs are not read after it. */
static void finish_patch(struct link_job *j)
{
	if (j->finish) {
		patch_finish(&j->c, j->finish);
		j->finish = NULL;
		stage_done(&j->c, "patch-state");
	}
	j->c.patch_in = NULL;
}

/* The end of a link's work: the rest of the patch state it handed out,
 * the end of its inputs (inputs_done), its records (when asked for), then
 * its working memory, each with its stage line. Returns what
 * record_image returned. The log (j->d) is the caller's. */
static int finish_work(struct link_job *j)
{
	struct link_ctx *c = &j->c;
	finish_patch(j);
	if (j->inputs_done) {
		j->inputs_done(j->inputs_done_arg);
		j->inputs_done = NULL;
	}
	int rc = j->make_records ? record_image(c, j->img) : 0;
	if (!j->o.no_records)
		stage_done(c, "records");
	link_patch_state_free(c->patch);
	c->patch = NULL;
	if (!j->o.no_cleanup) {
		ctx_release(c);
		stage_done(c, "free");
	}
	return rc;
}

static void job_free(struct link_job *j)
{
	diag_release(&j->d);
	free(j);
}

static void *records_thread(void *arg)
{
	struct link_job *j = arg;
	struct link_image *img = j->img;
	void (*done)(void *) = j->o.records_done;
	void *done_arg = j->o.records_done_arg;
	int rc = finish_work(j);
	job_free(j);
	image_records_made(img, rc != 0);
	link_image_unref(img);
	if (done)
		done(done_arg);
	return NULL;
}

/* Starts the records' thread for j (the image is done but for them).
 * 0, or -1 when no thread or memory could be had: then the caller makes
 * them. The inputs' names are copied first: they need to be valid during
 * the call only (link_input), and the map names every file. */
static int defer_records(struct link_job *j)
{
	struct link_ctx *c = &j->c;
	for (size_t i = 0; i < c->nfiles; i++) {
		const char *name = arena_strdup(&c->arena, c->files[i]->name);
		if (!name)
			return -1;
		c->files[i]->name = name;
	}
	pthread_attr_t attr;
	if (pthread_attr_init(&attr))
		return -1;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	latch_arm(&j->img->records);
	link_image_ref(j->img);
	pthread_t t;
	int rc = pthread_create(&t, &attr, records_thread, j);
	pthread_attr_destroy(&attr);
	if (rc) {
		latch_disarm(&j->img->records);
		link_image_unref(j->img);
		return -1;
	}
	return 0;
}

struct link_image *link_run_patchable(const struct link_input *inputs,
				      size_t n, const struct link_options *opts,
				      struct link_patch_state **state)
{
	if (state)
		*state = NULL;
	struct link_image *img = image_new();
	struct link_job *j = img ? calloc(1, sizeof *j) : NULL;
	if (!j) {
		link_image_unref(img);
		if (state && opts->inputs_done)
			opts->inputs_done(opts->inputs_done_arg);
		if (opts->defer_records && opts->records_done)
			opts->records_done(opts->records_done_arg);
		return NULL;
	}
	j->img = img;
	diag_init(&j->d);
	j->d.max_errors = 1000;
	j->o = *opts;
	if (state) {
		/* the patch state reads the inputs at the end (finish_work) */
		j->inputs_done = opts->inputs_done;
		j->inputs_done_arg = opts->inputs_done_arg;
		j->o.inputs_done = NULL;
	}
	struct link_ctx *c = &j->c;
	c->opt = &j->o;
	c->diag = &j->d;
	if (opts->print_stats)
		c->stage_start_ns = stats_now_ns();
	arena_init(&c->arena);
	c->nthreads = link_threads(opts, inputs, n);
	/* NULL: no state, same link; inputs without bytes (a parse that
	 * needs none) leave nothing to hash or patch from */
	if (state && inputs_have_bytes(inputs, n))
		c->patch = patch_state_new();
	for (int w = 0; w < PAR_MAX_THREADS; w++) {
		arena_init(&c->warena[w]);
		arena_init(&c->nlist_arena[w]);
		arena_init(&c->reloc_arena[w]);
	}

	int rc = run(c, inputs, n);
	linkedit_sort_end(c);
	img->arch = c->arch;   /* known to the caller at return, failed or not */
	int ok = rc == 0 && j->d.nerrors == 0;
	int deferred = 0;
	if (ok) {
		img->bytes = c->out;
		img->size = c->out_size;
		c->out_given = 1;   /* record_image still reads it */
		if (state) {
			*state = c->patch;
			if (c->patch)
				patch_hand_out(c->patch);
			j->finish = c->patch;
			c->patch = NULL;
			/* without inputs_done the inputs end with the call */
			if (!j->inputs_done)
				finish_patch(j);
		}
		j->make_records = !opts->no_records;
		/* the log ends here: records and free come after it */
		if (j->make_records && opts->defer_records &&
		    !image_set_log(img, &j->d.text)) {
			img->ok = 1;
			deferred = defer_records(j) == 0;
			if (!deferred) {
				free(img->log);
				img->log = NULL;
			}
		}
	}
	if (deferred)
		return img;
	if (finish_work(j) && ok) {
		/* no records, no tables: the link failed */
		ok = 0;
		free(img->bytes);
		img->bytes = NULL;
		img->size = 0;
		if (state) {
			link_patch_state_free(*state);
			*state = NULL;
		}
	}
	img->ok = ok;
	if (image_set_log(img, &j->d.text)) {
		link_image_unref(img);
		img = NULL;
	}
	job_free(j);
	if (opts->defer_records && opts->records_done)
		opts->records_done(opts->records_done_arg);
	return img;
}
