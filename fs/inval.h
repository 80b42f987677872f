/*
 * inval.h - a thread that tells the kernel to drop cached pages and
 * attributes of a unit's synthetic files after its inputs changed.
 *
 * Handlers only queue a directory (never blocking on the kernel); the
 * thread calls fuse_lowlevel_notify_inval_inode with no lock held, and only
 * for inodes the kernel knows (inode.c). Correctness does not depend on it:
 * synthetic files have a zero attribute timeout and are opened without
 * keep_cache when their content changed; this only refreshes mappings and
 * descriptors that stay open. Leaves out: entry invalidation.
 */
#ifndef LINKFS_INVAL_H
#define LINKFS_INVAL_H

#include <stdint.h>

struct fuse_session;
struct inodes;
struct inval;

/* Starts the thread; NULL on failure. */
struct inval *inval_start(struct fuse_session *se, struct inodes *t);
void inval_push(struct inval *v, uint64_t dir);
/* Stops and joins the thread, dropping what is still queued. */
void inval_stop(struct inval *v);

#endif
