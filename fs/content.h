/*
 * content.h - a stored file's content as one open handle sees it: the
 * store's chunks (store.h, STORE_CHUNK bytes each), loaded when read, and
 * the chunks this handle changed, in memory until they are staged.
 *
 * A reader loads only the chunks it reads (at most CONTENT_CLEAN of them
 * stay loaded); a writer keeps its changed chunks in memory up to
 * CONTENT_DIRTY_MAX bytes, then stages them in the store (a transaction
 * per chunk), so a file of any size is written in bounded memory. The
 * content the handle started from (or last committed) is pinned, so the
 * collector keeps its chunks while the handle reads them.
 * Not thread-safe: the handle's lock guards it. Leaves out: FUSE, the
 * writer list (inode.c), when to commit (ops_file.c).
 */
#ifndef LINKFS_CONTENT_H
#define LINKFS_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "pins.h"
#include "store.h"

/* Changed bytes a handle keeps before staging them. */
#define CONTENT_DIRTY_MAX ((size_t)64 << 20)
/* Unchanged chunks a handle keeps loaded. */
#define CONTENT_CLEAN 4

struct content {
	struct store_chunks c;   /* size, and the stored chunk of each index */
	uint8_t **data;          /* per chunk: its bytes in memory, or NULL */
	uint32_t *cap;           /* per chunk: bytes allocated at data[i] */
	uint8_t *dirty;          /* per chunk: data[i] differs from hash[i] */
	size_t slots;            /* entries allocated in data, cap, dirty */
	size_t dirty_bytes, clean_loaded;
	uint64_t token;          /* staging token of this handle (0: none) */
	uint8_t pin[STORE_HASH_LEN];
	int pinned;
};

/*
 * Starts x as the committed content id (has_id 0: an empty file). Pins
 * id first, then reads its chunk list: -ENOENT when the content was
 * collected in between (the caller reads the node again), -errno.
 */
int content_open(struct content *x, struct store *st, struct pins *p,
		 const uint8_t id[STORE_HASH_LEN], int has_id);
/* Drops what was staged and not committed, unpins, frees. */
void content_close(struct content *x, struct store *st, struct pins *p);

/* Up to size bytes at off: *out points at them (into x, or into *tmp,
 * a buffer the caller frees); *n is the count (0 at or past the end). */
int content_read(struct content *x, struct store *st, uint64_t off,
		 size_t size, const uint8_t **out, uint8_t **tmp, size_t *n);
/* Edits; 0 or -errno (-EFBIG past STORE_MAX_FILE, -ENOMEM). */
int content_write(struct content *x, struct store *st, const void *buf,
		  size_t size, uint64_t off);
int content_truncate(struct content *x, struct store *st, uint64_t size);

/*
 * Commits x as file ino's content (store_commit_chunks; promote: also its
 * link input) and pins the new content in place of the old. *whole gets
 * the whole content when it is one chunk in memory (for the link's
 * cache), else NULL; *whole_len is the content's size either way. 0 or -errno; on failure x is unchanged except that
 * changed chunks may have been staged.
 */
int content_commit(struct content *x, struct store *st, struct pins *p,
		   uint64_t ino, int promote, int64_t now,
		   uint8_t id[STORE_HASH_LEN], uint64_t *touched_unit,
		   const uint8_t **whole, size_t *whole_len);

#endif
