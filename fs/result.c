/*
 * result.c - link results and the lazy rendering of their tables (see
 * result.h). Leaves out: the renderers themselves (linker/dump).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/dump.h"
#include "image.h"
#include "result.h"

struct result *result_new(const uint8_t key[STORE_HASH_LEN])
{
	struct result *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	atomic_init(&r->refs, 1);
	atomic_init(&r->rendered, 1);
	pthread_mutex_init(&r->render_lock, NULL);
	pthread_mutex_init(&r->img_lock, NULL);
	memcpy(r->key, key, STORE_HASH_LEN);
	return r;
}

void result_ref(struct result *r)
{
	atomic_fetch_add(&r->refs, 1);
}

void result_unref(struct result *r)
{
	if (!r || atomic_fetch_sub(&r->refs, 1) != 1)
		return;
	for (int i = 0; i < STORE_NFILES; i++)
		if (i != STORE_EXE || !r->bytes_in_img)
			free(r->files[i].data);
	free(r->log);
	if (r->img)
		link_image_unref(r->img);
	result_unref(r->img_bytes);
	pthread_mutex_destroy(&r->render_lock);
	pthread_mutex_destroy(&r->img_lock);
	free(r);
}

int result_set_image(struct result *r, struct link_image *img)
{
	/* not copied: a copy of 12 MiB into fresh pages cost ~10 ms of the
	 * first read (page faults). The image keeps them until r renders
	 * its tables: the records' names point into them, and they may
	 * still be being made (link_options.defer_records). */
	r->files[STORE_EXE].data = img->bytes;
	r->files[STORE_EXE].len = img->size;
	r->bytes_in_img = 1;
	link_image_ref(img);
	r->img = img;
	atomic_store(&r->rendered, 0);
	return 0;
}

int result_set_patched(struct result *r, struct result *prev, uint8_t *out,
		       size_t len)
{
	char *log = malloc(prev->log_len + 1);
	if (!log)
		return -ENOMEM;
	if (prev->log_len)
		memcpy(log, prev->log, prev->log_len);
	log[prev->log_len] = 0;
	struct stored_file tables[STORE_NFILES];
	memset(tables, 0, sizeof tables);
	int rc = 0;
	/* not render_lock: the keeper may be rendering prev right now */
	pthread_mutex_lock(&prev->img_lock);
	int rendered = atomic_load(&prev->rendered);
	struct link_image *img = rendered ? NULL : prev->img;
	if (!rendered && !img)
		rc = -EIO;   /* cannot happen: an unrendered result has its image */
	for (int k = 0; rendered && k < STORE_NFILES && !rc; k++) {
		if (k == STORE_EXE)
			continue;
		const struct stored_file *f = &prev->files[k];
		tables[k].data = malloc(f->len ? f->len : 1);
		if (!tables[k].data) {
			rc = -ENOMEM;
			break;
		}
		if (f->len)
			memcpy(tables[k].data, f->data, f->len);
		tables[k].len = f->len;
	}
	struct result *owner = NULL;
	if (img && !rc) {
		link_image_ref(img);
		owner = prev->img_bytes ? prev->img_bytes : prev;
		result_ref(owner);
	}
	pthread_mutex_unlock(&prev->img_lock);
	if (rc) {
		for (int k = 0; k < STORE_NFILES; k++)
			free(tables[k].data);
		free(log);
		return rc;
	}
	for (int k = 0; k < STORE_NFILES; k++)
		r->files[k] = tables[k];   /* the executable's is set next */
	r->files[STORE_EXE].data = out;
	r->files[STORE_EXE].len = len;
	r->log = log;
	r->log_len = prev->log_len;
	snprintf(r->output, sizeof r->output, "%s", prev->output);
	r->ok = 1;
	if (img) {
		r->img = img;
		r->img_bytes = owner;
		atomic_store(&r->rendered, 0);
	}
	return 0;
}

/* Renders every table of r->img into its stored file of r->files; caller
 * holds the lock. */
static int render_locked(struct result *r)
{
	const struct stored_file *exe = &r->files[STORE_EXE];
	for (int k = 0; k < SYNTH_COUNT; k++) {
		const struct dump_file *d = dump_file_at(k);
		if (d->role != DUMP_FILE_TABLE)
			continue;
		struct stored_file *f = &r->files[dump_file_stored(k)];
		if (f->data)
			continue;   /* done by an earlier, interrupted attempt */
		struct buf b;
		buf_init(&b);
		/* the executable this result serves: a patched one's own */
		if (dump_render_exe(r->img, d->kind, exe->data, exe->len, &b) ||
		    buf_failed(&b)) {
			buf_release(&b);
			return -ENOMEM;
		}
		f->data = buf_detach(&b, &f->len);
	}
	return 0;
}

int result_render(struct result *r)
{
	if (atomic_load(&r->rendered))
		return 0;
	int rc = 0;
	pthread_mutex_lock(&r->render_lock);
	if (!atomic_load(&r->rendered)) {
		rc = r->img ? render_locked(r) : 0;
		if (!rc) {
			pthread_mutex_lock(&r->img_lock);
			struct link_image *img = r->img;
			struct result *owner = r->img_bytes;
			if (r->bytes_in_img) {   /* r's from now on */
				img->bytes = NULL;
				r->bytes_in_img = 0;
			}
			r->img = NULL;
			r->img_bytes = NULL;
			atomic_store(&r->rendered, 1);
			pthread_mutex_unlock(&r->img_lock);
			if (img)
				link_image_unref(img);
			result_unref(owner);
		}
	}
	pthread_mutex_unlock(&r->render_lock);
	return rc;
}

const uint8_t *result_file(struct result *r, int k, size_t *len)
{
	*len = 0;
	const struct dump_file *d = dump_file_at(k);
	if (d && d->role == DUMP_FILE_LOG) {
		*len = r->log_len;
		return (const uint8_t *)r->log;
	}
	int i = dump_file_stored(k);
	if (i < 0 || !r->ok)
		return NULL;
	if (d->role == DUMP_FILE_TABLE && result_render(r))
		return NULL;
	*len = r->files[i].len;
	return r->files[i].data;
}
