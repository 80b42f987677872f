/*
 * inode.h - the inodes the kernel knows (lookup counts) and the open
 * writers of each stored file.
 *
 * The kernel's lookup count decides how long an entry lives. The writer list
 * lets getattr report the size of uncommitted writes and lets setattr
 * commit pending writes before it changes times or size.
 * Lock order: the table lock, then a handle's lock. Leaves out: mapping
 * inodes to store rows (an inode number is the row id, see names.h).
 */
#ifndef LINKFS_INODE_H
#define LINKFS_INODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "fh.h"

struct inodes;

struct inodes *inodes_new(void);
void inodes_free(struct inodes *t);

/* Counts one more kernel reference (a successful lookup/create reply). */
void inodes_ref(struct inodes *t, uint64_t ino);
void inodes_forget(struct inodes *t, uint64_t ino, uint64_t n);

int inodes_add_writer(struct inodes *t, uint64_t ino, struct fh *f);
void inodes_remove_writer(struct inodes *t, uint64_t ino, struct fh *f);

/* 1 and *size = the largest buffered length when some writer is dirty. */
int inodes_live_size(struct inodes *t, uint64_t ino, uint64_t *size);

/* The writers of ino, each with a new reference: *out is malloc'd (caller
 * unrefs each and frees the array). Returns the count or -ENOMEM. */
int inodes_writers(struct inodes *t, uint64_t ino, struct fh ***out);

/*
 * Snapshots of synthetic files. The kernel has one page cache and one size
 * per inode, but every open is its own snapshot of a result. So at most one
 * snapshot at a time is served through the page cache: an open whose
 * result equals the cached snapshot, or any open when no cached snapshot is
 * open, goes through the cache (*keep_cache says whether the pages already
 * hold it); any other open is served with direct I/O, which the kernel
 * neither caches nor clamps to its size. Returns 1 for the cache, 0 for
 * direct I/O, -ENOMEM.
 *
 * *announce is 1 for the open that starts a run of cached opens: the size
 * the kernel holds may be another result's (told while none was open), so
 * the caller must invalidate the kernel's attributes once and then call
 * inodes_announced. Later opens of the same snapshot wait here until it
 * has, so none reads before the kernel was told. Nothing else may
 * invalidate the attributes while the run lasts: every invalidation bumps
 * the kernel's attribute version and makes it drop the getattr replies in
 * flight, which are the only things that correct the size.
 */
int inodes_open_snapshot(struct inodes *t, uint64_t ino, const uint8_t key[16],
			 uint64_t size, int64_t mtime_ns, int *keep_cache,
			 int *announce);
void inodes_announced(struct inodes *t, uint64_t ino);
/* Ends one cached open (an open that inodes_open_snapshot returned 1 for). */
void inodes_close_snapshot(struct inodes *t, uint64_t ino);
/* 1 and the cached snapshot's size and mtime while a cached open exists:
 * what getattr must report, so the kernel's size matches its pages. */
int inodes_snapshot_attr(struct inodes *t, uint64_t ino, uint64_t *size,
			 int64_t *mtime_ns);

/*
 * Stored files: the last attributes told to the kernel. An open file whose
 * name was unlinked or renamed over has no row any more, yet fstat on it
 * work, as on a local filesystem: getattr answers from here, and open
 * (which may race with the rename) reads the content last seen.
 */
void inodes_set_attr(struct inodes *t, uint64_t ino, const struct stat *st,
		     const uint8_t *hash16);
/* 0 and *st (nlink 0) and, when hash16 is not NULL, the content hash last
 * seen (*has_hash), or -ENOENT when ino has no remembered attributes. */
int inodes_last_attr(struct inodes *t, uint64_t ino, struct stat *st,
		     uint8_t *hash16, int *has_hash);

#endif
