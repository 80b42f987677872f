/*
 * inputs.c - reads linkfs-ld's inputs on several threads (see inputs.h).
 *
 * Each worker keeps the directory of the last file it opened as an O_PATH
 * descriptor and opens the next file relative to it when the directory is
 * the same. Files up to BIG_FILE bytes are read into the worker's scratch
 * buffer; an object is parsed there at once (obj_parse_in, its arrays and
 * names in the worker's arenas) and of the file only the span from its
 * first section's contents to the end of its last one's is kept, copied
 * to the worker's slabs (huge_malloc'd, SLAB bytes or more): at 10,000
 * objects 11 of 29 MiB. Anything else small (and an object that
 * does not parse, for the link to report) is kept whole in the slabs;
 * bigger files are mapped read-only.
 *
 * Why: on a VM, memory the process has never touched can cost 1-3 ms per
 * MiB to fault in (the host backs it afresh); bytes that are only read
 * once should pass through memory that is reused. Leaves out: parsing
 * objects inside archives (the link does it) and big objects (mapped,
 * parsed by the link).
 */
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/bytes.h"
#include "../base/hugepage.h"
#include "../base/macho.h"
#include "../base/par.h"

enum { SLAB = 4 << 20, BIG_FILE = 1 << 20, DIR_MAX = 4096 };

struct block {                   /* a slab or a mapping */
	struct block *next;
	void *p;
	size_t size;
	int mapped;
};

struct worker {
	char dir[DIR_MAX];       /* the directory dirfd refers to */
	int dirfd;               /* -1: none */
	uint8_t *slab;           /* the slab being filled */
	size_t used, cap;
	struct block *blocks;    /* everything this worker holds */
	uint8_t *scratch;        /* where a small file is read first */
	size_t scratch_cap;
	/* the parses' nlist entries, relocations, and the rest (sections,
	 * names, the parses themselves); link_input.parsed says how long
	 * each must live */
	struct arena nlists, relocs, keep;
	struct parsed_obj *parses; /* to release (their data-in-code) */
};

struct parsed_obj {
	struct obj_file o;
	struct parsed_obj *next;
};

struct input_store {
	int nworkers;
	struct worker w[PAR_MAX_THREADS];
};

struct read_job {
	struct input_store *st;
	struct cli_input *in;
};

static int keep_block(struct worker *w, void *p, size_t size, int mapped)
{
	struct block *b = malloc(sizeof *b);
	if (!b)
		return -1;
	b->p = p;
	b->size = size;
	b->mapped = mapped;
	b->next = w->blocks;
	w->blocks = b;
	return 0;
}

/* Maps the whole pages of [p, p+n) at once (in huge pages: slabs are
 * huge_malloc'd): one call instead of a fault per page as read() fills
 * the slab. Advice only: on an older kernel nothing happens. */
static void prefault(uint8_t *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
	if (e <= a)
		return;
#ifdef MADV_POPULATE_WRITE
	madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#endif
}

/* Room for n bytes in the worker's slab; NULL when out of memory. */
static uint8_t *slab_room(struct worker *w, size_t n)
{
	if (w->slab && w->cap - w->used >= n)
		return w->slab + w->used;
	size_t cap = n > SLAB ? n : SLAB;
	uint8_t *p = huge_malloc(cap);
	if (p)
		prefault(p, cap);
	if (!p || keep_block(w, p, cap, 0)) {
		free(p);
		return NULL;
	}
	w->slab = p;
	w->used = 0;
	w->cap = cap;
	return p;
}

/* Opens path, relative to the worker's cached directory when it can. */
static int open_input(struct worker *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	if (!slash || dlen == 0 || dlen >= DIR_MAX)
		return open(path, O_RDONLY | O_CLOEXEC);
	if (w->dirfd < 0 || strncmp(w->dir, path, dlen) || w->dir[dlen]) {
		if (w->dirfd >= 0)
			close(w->dirfd);
		memcpy(w->dir, path, dlen);
		w->dir[dlen] = 0;
		w->dirfd = open(w->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (w->dirfd < 0)
			return open(path, O_RDONLY | O_CLOEXEC);
	}
	return openat(w->dirfd, slash + 1, O_RDONLY | O_CLOEXEC);
}

/* Records why in could not be read; returns -1. */
static int fail(struct cli_input *in, enum input_status s, int errnum)
{
	in->status = (uint8_t)s;
	in->errnum = errnum;
	return -1;
}

static int read_all(int fd, uint8_t *p, size_t size, size_t *got)
{
	*got = 0;
	while (*got < size) {
		ssize_t r = read(fd, p + *got, size - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break; /* it shrank: link what is there */
		*got += (size_t)r;
	}
	return 0;
}

/* A copy of n bytes of p in the worker's slab; NULL when out of memory. */
static uint8_t *slab_copy(struct worker *w, const uint8_t *p, size_t n)
{
	uint8_t *q = slab_room(w, n);
	if (!q)
		return NULL;
	memcpy(q, p, n);
	w->used += (n + 15) & ~(size_t)15;
	return q;
}

/* Parses the object in the scratch buffer and keeps only what the link
 * reads of it: the parse (arrays and names in the worker's arenas) and
 * its sections' contents (the span from the first to the end of the
 * last, with whatever lies between them), copied to the slab. 0, or -1
 * when it is not an object that parses (the caller keeps its bytes
 * instead). */
static int keep_parsed(struct worker *w, struct cli_input *in, const uint8_t *p,
		       size_t size)
{
	if (size < 32 || rd32(p) != MH_MAGIC_64 || rd32(p + 12) != MH_OBJECT ||
	    in->bundle_loader)   /* an error the link reports */
		return -1;
	struct parsed_obj *po = arena_alloc(&w->keep, sizeof *po);
	if (!po)
		return -1;
	struct diag d;
	diag_init(&d);
	struct obj_alloc al = { &w->nlists, &w->relocs, &w->keep };
	int rc = obj_parse_in(&po->o, in->path, p, size, &d, &al);
	diag_release(&d);
	if (rc)
		return -1;
	size_t lo = size, hi = 0;
	for (uint32_t i = 0; i < po->o.nsections; i++) {
		const struct obj_section *s = &po->o.sections[i];
		if (!s->data || !s->size)
			continue;
		size_t a = (size_t)(s->data - p);
		if (a < lo)
			lo = a;
		if (a + s->size > hi)
			hi = a + s->size;
	}
	uint8_t *q = NULL;
	if (hi > lo && !(q = slab_copy(w, p + lo, hi - lo))) {
		obj_release(&po->o);
		return -1;
	}
	for (uint32_t i = 0; i < po->o.nsections; i++) {
		struct obj_section *s = &po->o.sections[i];
		if (s->data)
			s->data = s->size ? q + (s->data - p - lo) : (const uint8_t *)"";
	}
	po->o.data = NULL;
	po->next = w->parses;
	w->parses = po;
	in->data = NULL;
	in->size = 0;
	in->parsed = &po->o;
	return 0;
}

/* A small file: read into the scratch buffer, then an object's parse and
 * contents are kept (keep_parsed), or else the whole file. */
static int read_small(struct worker *w, struct cli_input *in, int fd, size_t size)
{
	if (size > w->scratch_cap) {
		size_t cap = size > 65536 ? size : 65536;
		uint8_t *n = realloc(w->scratch, cap);
		if (!n)
			return fail(in, IN_NO_MEMORY, ENOMEM);
		w->scratch = n;
		w->scratch_cap = cap;
	}
	size_t got;
	if (read_all(fd, w->scratch, size, &got))
		return fail(in, IN_CANNOT_READ, errno);
	if (keep_parsed(w, in, w->scratch, got) == 0)
		return 0;
	uint8_t *p = slab_copy(w, w->scratch, got);
	if (!p)
		return fail(in, IN_NO_MEMORY, ENOMEM);
	in->data = p;
	in->size = got;
	return 0;
}

static int read_into(struct worker *w, struct cli_input *in, int fd, size_t size)
{
	if (size <= BIG_FILE)
		return read_small(w, in, fd, size);
	void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return fail(in, IN_CANNOT_MAP, errno);
	if (keep_block(w, p, size, 1)) {
		munmap(p, size);
		return fail(in, IN_NO_MEMORY, ENOMEM);
	}
	in->data = p;
	in->size = size;
	return 0;
}

static int read_input(struct worker *w, struct cli_input *in)
{
	int fd = open_input(w, in->path);
	if (fd < 0)
		return fail(in, IN_CANNOT_OPEN, errno);
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		rc = fail(in, IN_NOT_REGULAR, 0);
	else if (st.st_size == 0)
		in->data = (const uint8_t *)"";
	else
		rc = read_into(w, in, fd, (size_t)st.st_size);
	close(fd);
	return rc;
}

static void read_one(void *arg, size_t i, int worker)
{
	struct read_job *j = arg;
	if (j->in[i].path && !j->in[i].shipped)
		read_input(&j->st->w[worker], &j->in[i]);
}

struct input_store *inputs_read(struct cli_input *in, size_t n, int threads)
{
	struct input_store *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->nworkers = threads < 1 ? 1 : threads > PAR_MAX_THREADS ? PAR_MAX_THREADS : threads;
	for (int k = 0; k < st->nworkers; k++) {
		st->w[k].dirfd = -1;
		arena_init(&st->w[k].nlists);
		arena_init(&st->w[k].relocs);
		arena_init(&st->w[k].keep);
		/* a generated object's parse keeps ~650 bytes of nlist
		 * entries, ~500 of relocations, ~1 KiB of the rest: a big
		 * link starts with chunks in huge pages */
		size_t per = n / (size_t)st->nworkers;
		arena_expect(&st->w[k].nlists, per * 640);
		arena_expect(&st->w[k].relocs, per * 512);
		arena_expect(&st->w[k].keep, per * 1024);
	}
	struct read_job j = { st, in };
	/* objects are parsed here: a link of a few big ones wants the
	 * threads as much as one of many small ones */
	par_for(n < 2 ? 1 : st->nworkers, n, 0, read_one, &j);
	for (int k = 0; k < st->nworkers; k++) {
		struct worker *w = &st->w[k];
		free(w->scratch);
		w->scratch = NULL;
		w->scratch_cap = 0;
		if (w->dirfd >= 0)
			close(w->dirfd);
		w->dirfd = -1;
		/* the unused end of the last slab was prefaulted: give its
		 * whole pages back (nothing is read into it any more) */
		if (w->slab) {
			uintptr_t a = ((uintptr_t)w->slab + w->used + 4095) & ~(uintptr_t)4095;
			uintptr_t e = ((uintptr_t)w->slab + w->cap) & ~(uintptr_t)4095;
			if (e > a)
				madvise((void *)a, e - a, MADV_DONTNEED);
			w->slab = NULL;
		}
	}
	return st;
}

void inputs_drop_bytes(void *store)
{
	struct input_store *st = store;
	for (int k = 0; k < st->nworkers; k++) {
		struct block *b = st->w[k].blocks;
		while (b) {
			struct block *next = b->next;
			if (b->mapped)
				munmap(b->p, b->size);
			else
				free(b->p);
			free(b);
			b = next;
		}
		st->w[k].blocks = NULL;
		/* the link reads relocations no more (link_input.parsed) */
		arena_release(&st->w[k].nlists);
		arena_release(&st->w[k].relocs);
		st->w[k].slab = NULL;
		st->w[k].used = st->w[k].cap = 0;
	}
}

void inputs_drop_nlists(void *store)
{
	struct input_store *st = store;
	for (int k = 0; k < st->nworkers; k++)
		arena_release(&st->w[k].nlists);
}

void inputs_release(struct input_store *st)
{
	if (!st)
		return;
	inputs_drop_bytes(st);
	for (int k = 0; k < st->nworkers; k++) {
		for (struct parsed_obj *po = st->w[k].parses; po; po = po->next)
			obj_release(&po->o);
		arena_release(&st->w[k].keep);
	}
	free(st);
}

const char *input_error(const struct cli_input *in, char *buf, size_t size)
{
	const char *why = strerror(in->errnum);
	switch ((enum input_status)in->status) {
	case IN_READ_OK:
		snprintf(buf, size, "'%s' was read", in->path);
		break;
	case IN_CANNOT_OPEN:
		snprintf(buf, size, "cannot open '%s': %s", in->path, why);
		break;
	case IN_NOT_REGULAR:
		snprintf(buf, size, "'%s' is not a regular file", in->path);
		break;
	case IN_CANNOT_READ:
		snprintf(buf, size, "cannot read '%s': %s", in->path, why);
		break;
	case IN_CANNOT_MAP:
		snprintf(buf, size, "cannot map '%s': %s", in->path, why);
		break;
	case IN_NO_MEMORY:
		snprintf(buf, size, "out of memory reading '%s'", in->path);
		break;
	}
	return buf;
}
