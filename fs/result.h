/*
 * result.h - the result of linking one unit: the executable, the table
 * files and link.log (the rows of linker/dump/dump_files.c).
 *
 * A result is reference-counted and, once rendered, immutable: a file
 * handle holds one, so a relink while a file is read never mixes two
 * results. The executable and the log are set when the link ends; the
 * tables are rendered from the link image on first use (an open or stat
 * of a table, or the keeper storing the result), exactly once. So a
 * `cat a.out` does not wait for tables it does not read.
 * Leaves out: linking (unit.c) and storing (keeper.c).
 */
#ifndef LINKFS_RESULT_H
#define LINKFS_RESULT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "names.h"
#include "store.h"

struct link_image;

struct result {
	atomic_int refs;
	uint8_t key[STORE_HASH_LEN];
	int ok;
	struct stored_file files[STORE_NFILES]; /* by link_files idx (store.h):
						   STORE_EXE, then the tables */
	char *log;
	size_t log_len;
	char output[LINKFS_NAME_MAX + 1];
	int history;               /* generations its unit keeps (link.conf
				      `history`, unit.c) */

	pthread_mutex_t render_lock; /* held while rendering (long) */
	pthread_mutex_t img_lock;  /* guards img, and the switch to rendered
				      (short: a relink's patch reads them
				      while the keeper renders) */
	atomic_int rendered;       /* the tables in files[] are final */
	struct link_image *img;    /* what they are rendered from, until then */
	int bytes_in_img;          /* files[STORE_EXE] is img->bytes, which
				      img owns (until r is rendered) */
	struct result *img_bytes;  /* with img: the result whose
				      files[STORE_EXE] is img's
				      executable, which the records'
				      names point into (a reference; NULL
				      when that is r itself) */
};

/* A new result with refcount 1, rendered (no image), or NULL. */
struct result *result_new(const uint8_t key[STORE_HASH_LEN]);
void result_ref(struct result *r);
void result_unref(struct result *r);

/* Takes img's executable (img->bytes becomes r->files[STORE_EXE], not
 * copied; r owns it once rendered) and, for rendering later, a reference
 * to img. 0. */
int result_set_image(struct result *r, struct link_image *img);

/* Makes r a relink of prev by patching: r takes `out` (len bytes, the
 * patched executable) and prev's log and tables, which a patch never
 * changes (shared until rendered, else copied; shared, r also holds the
 * result whose executable the image's names are in). 0 or -ENOMEM (then
 * out is still the caller's). */
int result_set_patched(struct result *r, struct result *prev, uint8_t *out,
		       size_t len);

/* Renders the tables if not yet done. 0 or -ENOMEM. */
int result_render(struct result *r);

/* The bytes of synthetic file k (names.h) of r, rendering the tables
 * first if needed; NULL with *len 0 if r failed (or rendering did). */
const uint8_t *result_file(struct result *r, int k, size_t *len);

#endif
