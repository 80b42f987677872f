/*
 * inode.h - the inodes the kernel knows (lookup counts) and the open
 * writers of each stored file.
 *
 * The kernel's lookup count decides how long an entry lives. The writer list
 * lets getattr report the size of uncommitted writes, lets setattr commit
 * pending writes before it changes times or size, and tells release which
 * handle is the last writer.
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
/* Returns the writers of ino still open after f. */
int inodes_remove_writer(struct inodes *t, uint64_t ino, struct fh *f);

/*
 * Writable handles open on a unit's link inputs. A link waits until its
 * unit has none (the last one's release makes the file's content its link
 * input, store_promote), at most timeout_ms: 0 when none is open, 1 when
 * it gave up (the link then takes each input's last complete content).
 * Once a wait gave up, later waits return at once until the unit's
 * writers change, or one of them flushes (inodes_unit_flushed).
 */
/* Makes writable handle f count for unit dir's inputs (0: for none; a
 * closing handle sets 0). f->unit_dir is guarded by the table lock. */
int inodes_unit_writer_set(struct inodes *t, struct fh *f, uint64_t dir);
uint64_t inodes_unit_of(struct inodes *t, const struct fh *f);
/* Writer f flushed (a close() of one of its descriptors): its release,
 * which the kernel sends after close() returned, may be the one that
 * makes its content a link input, so the next link waits for the unit's
 * writers again even if a wait gave up on them before. */
void inodes_unit_flushed(struct inodes *t, const struct fh *f);
int inodes_unit_wait(struct inodes *t, uint64_t dir, unsigned timeout_ms);


/* 1 and *size = the largest buffered length when some writer is dirty. */
int inodes_live_size(struct inodes *t, uint64_t ino, uint64_t *size);

/* The writers of ino, each with a new reference: *out is malloc'd (caller
 * unrefs each and frees the array). Returns the count or -ENOMEM. */
int inodes_writers(struct inodes *t, uint64_t ino, struct fh ***out);

/*
 * Snapshots of synthetic files. The kernel has one page cache and one size
 * per inode, but every open is its own snapshot of a result. So each inode
 * serves one snapshot at a time: an open when none is open on the inode
 * takes *r (the current result) and starts a run of cached opens (*keep_cache
 * says whether the pages already hold it); an open while one is open gets
 * that snapshot (*r and *mtime_ns are replaced, the reference moved), so
 * stat and read of every descriptor agree. A lookup picks an inode whose
 * snapshot is the current result (inodes_synth_ino), so this replacement
 * happens only to an open that raced with a relink after its lookup, or
 * that did not look up (a reopen through /proc/PID/fd). Returns 1 (the
 * page cache: no open is served with direct I/O) or -ENOMEM.
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
int inodes_open_snapshot(struct inodes *t, uint64_t ino, struct result **r,
			 uint64_t size, int64_t *mtime_ns, int *keep_cache,
			 int *announce);
/* The inode (synthetic ino with its version) a lookup gives for a result
 * of key: one that holds it, else the lowest with no snapshot open. */
uint64_t inodes_synth_ino(struct inodes *t, uint64_t ino,
			  const uint8_t key[16]);
void inodes_announced(struct inodes *t, uint64_t ino);
/* Ends one open of a snapshot (inodes_open_snapshot returned 1). */
void inodes_close_snapshot(struct inodes *t, uint64_t ino);
/* 1 and the inode's snapshot's size and mtime while it is open: what
 * getattr must report (fstat sends no handle), so the kernel's size
 * matches its pages and every descriptor's reads. */
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
