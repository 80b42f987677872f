/*
 * fh.h - open file handles: the write buffer of a stored file, the result
 * snapshot of a synthetic file, and the listing snapshot of a directory.
 *
 * A stored file's handle holds its content as chunks (content.h): a
 * reader loads what it reads, a writer keeps what it changed until
 * fh_commit (flush, fsync, release; staged earlier past a bound). A handle
 * is reference-counted because the inode table's writer list (inode.c)
 * may hold it while release runs; the last reference closes its content
 * (unstage, unpin). `lock` guards the content, data, len and dirty.
 * Leaves out: FUSE (ops_file.c).
 */
#ifndef LINKFS_FH_H
#define LINKFS_FH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "content.h"
#include "unit.h"

enum fh_kind { FH_FILE, FH_SYNTH, FH_TEXT, FH_DIR };

struct dirent_snap {
	uint64_t ino;
	uint32_t type;       /* S_IFREG or S_IFDIR */
	size_t len;
	char *name;          /* malloc'd, NUL-terminated (len bytes) */
};

struct fh {
	atomic_int refs;
	int kind;            /* enum fh_kind */
	uint64_t ino;
	pthread_mutex_t lock;

	/* FH_FILE */
	struct content x;
	struct store *st;    /* x's store and pins (closed with the handle) */
	struct pins *pins;
	uint64_t unit_dir;   /* writable, of a link input: its directory
				(guarded by the inode table's lock) */

	/* FH_TEXT */
	uint8_t *data;
	size_t len;

	/* FH_FILE */
	int writable;
	int dirty;           /* writes since the last commit */
	int attr_told;       /* the create reply's attributes (cached by the
				kernel) and no write since: a commit must
				invalidate them (ops_file.c, op_flush) */
	struct fh *next_writer; /* inode.c's list; guarded by its lock */

	/* FH_SYNTH */
	struct result *res;
	int synth;           /* the file's index (names.h) */
	int cached;          /* served through the page cache (inode.h) */
	int64_t mtime_ns;    /* the snapshot's */

	/* handles the kernel holds (fh_opened .. fh_released) */
	struct fh *open_prev, *open_next;
	int is_open;

	/* FH_DIR */
	struct dirent_snap *ents;
	size_t nents, capents;
};

/* Returns a new handle with one reference, or NULL. */
struct fh *fh_new(int kind, uint64_t ino);
void fh_ref(struct fh *f);
void fh_unref(struct fh *f);

/* Adds a listing entry; 0 or -ENOMEM. */
int fh_add_dirent(struct fh *f, uint64_t ino, uint32_t type,
		  const char *name, size_t len);

/* The registry of handles given to the kernel: a handle is registered
 * before the reply that hands it over, unregistered at release. At
 * unmount the kernel may drop the RELEASE of the last handles (a lazy
 * unmount aborts the connection), so the daemon releases what is left. */
struct fh_registry;
struct fh_registry *fh_registry_new(void);
void fh_registry_free(struct fh_registry *r);
void fh_opened(struct fh_registry *r, struct fh *f);
void fh_released(struct fh_registry *r, struct fh *f);
/* Unregisters and returns one registered handle, or NULL. */
struct fh *fh_take_open(struct fh_registry *r);

#endif
