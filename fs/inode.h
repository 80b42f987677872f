/*
 * inode.h - the inodes the kernel knows (lookup counts) and the open
 * writers of each stored file.
 *
 * The kernel's lookup count decides which synthetic inodes may be
 * invalidated (only known ones, as passthrough_hp does). The writer list
 * lets getattr report the size of uncommitted writes and lets setattr
 * commit pending writes before it changes times or size.
 * Lock order: the table lock, then a handle's lock. Leaves out: mapping
 * inodes to store rows (an inode number is the row id, see names.h).
 */
#ifndef LINKFS_INODE_H
#define LINKFS_INODE_H

#include <stddef.h>
#include <stdint.h>

#include "fh.h"

struct inodes;

struct inodes *inodes_new(void);
void inodes_free(struct inodes *t);

/* Counts one more kernel reference (a successful lookup/create reply). */
void inodes_ref(struct inodes *t, uint64_t ino);
void inodes_forget(struct inodes *t, uint64_t ino, uint64_t n);
int inodes_known(struct inodes *t, uint64_t ino);

int inodes_add_writer(struct inodes *t, uint64_t ino, struct fh *f);
void inodes_remove_writer(struct inodes *t, uint64_t ino, struct fh *f);

/* 1 and *size = the largest buffered length when some writer is dirty. */
int inodes_live_size(struct inodes *t, uint64_t ino, uint64_t *size);

/* The writers of ino, each with a new reference: *out is malloc'd (caller
 * unrefs each and frees the array). Returns the count or -ENOMEM. */
int inodes_writers(struct inodes *t, uint64_t ino, struct fh ***out);

/* Records the result key a synthetic inode was last opened with; returns 1
 * if it equals the previous one (so the kernel's cached pages are still
 * right and the open may keep_cache), else 0. */
int inodes_same_key(struct inodes *t, uint64_t ino, const uint8_t key[16]);

#endif
