/*
 * image.c - link image lifecycle: creation, reference counting, freeing.
 */
#include <stdlib.h>
#include <string.h>

#include "../image.h"
#include "image_build.h"

struct link_image *image_new(void)
{
	struct link_image *img = calloc(1, sizeof *img);
	if (!img)
		return NULL;
	atomic_init(&img->refs, 1);
	latch_init(&img->records);
	arena_init(&img->arena);
	for (int i = 0; i < IMAGE_PARTS; i++)
		arena_init(&img->part[i]);
	return img;
}

int image_set_log(struct link_image *img, const struct buf *text)
{
	img->log = malloc(text->len + 1);
	if (!img->log)
		return -1;
	if (text->len)
		memcpy(img->log, text->data, text->len);
	img->log[text->len] = 0;
	img->log_len = text->len;
	return 0;
}

void link_image_ref(struct link_image *img)
{
	atomic_fetch_add_explicit(&img->refs, 1, memory_order_relaxed);
}

void link_image_unref(struct link_image *img)
{
	if (!img)
		return;
	if (atomic_fetch_sub_explicit(&img->refs, 1, memory_order_acq_rel) != 1)
		return;
	free(img->bytes);
	free(img->log);
	latch_destroy(&img->records);
	arena_release(&img->arena);
	for (int i = 0; i < IMAGE_PARTS; i++)
		arena_release(&img->part[i]);
	free(img);
}

int link_image_wait_records(const struct link_image *cimg)
{
	/* the latch is the image's only mutable part */
	struct link_image *img = (struct link_image *)cimg;
	return latch_wait(&img->records);
}

void image_records_made(struct link_image *img, int failed)
{
	latch_open(&img->records, failed);
}
