/*
 * image_build.h - internal helpers for filling a link image (not part of
 * the public interface).
 */
#ifndef LINKFS_IMAGE_BUILD_H
#define LINKFS_IMAGE_BUILD_H

#include "../base/buf.h"
#include "../image.h"

/* A new, empty image with refcount 1, or NULL when out of memory. */
struct link_image *image_new(void);
/* Copies the diagnostics text into img->log. Returns 0 or -1 (no memory). */
int image_set_log(struct link_image *img, const struct buf *text);
/* Deferred records (link_options.defer_records) are made, or failed:
 * wakes link_image_wait_records. */
void image_records_made(struct link_image *img, int failed);

#endif
