/*
 * ops.h - the state shared by the FUSE handlers, and helpers they share.
 *
 * Every handler gets this through fuse_req_userdata(req). Each handler
 * sends exactly one reply; inner helpers return 0 or -errno. Fields are set
 * before the session loop starts and never change (the objects they point
 * to have their own locks). Leaves out: option parsing and mounting
 * (main.c).
 */
#ifndef LINKFS_OPS_H
#define LINKFS_OPS_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdint.h>
#include <sys/stat.h>

#include "fh.h"
#include "inode.h"
#include "names.h"
#include "store.h"
#include "unit.h"

struct linkfs {
	struct store *st;
	struct store *keep_st;     /* the keeper's connection (store_open_more) */
	struct units *units;
	struct inodes *inodes;
	struct fuse_session *se;    /* NULL until the session is mounted */
	struct blobcache *blobs;    /* committed input bytes, for links */
	struct pins *pins;          /* contents open handles read */
	struct collector *collector; /* NULL until started */
	struct fh_registry *open;   /* handles the kernel holds */
	int64_t mount_ns;           /* the status file's times */
	double entry_timeout;       /* stored nodes; synthetic ones use 0 */
	double attr_timeout;
};

extern const struct fuse_lowlevel_ops linkfs_ops;

static inline struct linkfs *lfs(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

int64_t linkfs_now(void);

/* Fills st for a stored node (uncommitted writes included; a directory's
 * st_nlink is 2 + its subdirectories). Returns the attribute timeout to
 * reply with: 0 while the file has uncommitted writes (its mtime changes
 * at the commit), else attr_timeout. */
double attr_of_node(struct linkfs *fs, const struct store_node *n,
		    struct stat *st);
/* Fills st for a synthetic inode; may link. With f (an open handle of
 * it, or NULL), that snapshot's attributes; while the inode has a snapshot
 * open, that one's. With pick (a lookup of ino, version 0): the current
 * result's, and *pick its inode (inodes_synth_ino). 0 or -errno. */
int attr_of_synth(struct linkfs *fs, uint64_t *pick, uint64_t ino,
		  const struct fh *f, struct stat *st);

/* A committed input of dir changed: bump its generation (the next open or
 * stat of its synthetic files relinks). The kernel's caches of them are not
 * invalidated here: open decides (inodes_open_snapshot). dir 0 is ignored. */
void linkfs_changed(struct linkfs *fs, uint64_t dir);

/* Commits x as stored file ino's content (content_commit; promote: also
 * its link input), caches a link input's bytes for the next link, tells
 * the units and the collector. */
int commit_file(struct linkfs *fs, uint64_t ino, struct content *x,
		int promote);
/* Commits a writable handle's changes if dirty (through commit_file's
 * path); promote as there, and with nothing to commit, promote alone
 * makes the committed content the link input. 0 or -errno. */
int fh_commit(struct linkfs *fs, struct fh *f, int promote);

/* The writable handles of ino now belong to unit_dir's inputs (0: to
 * none): a rename while they are open. */
void writers_moved(struct linkfs *fs, uint64_t ino, uint64_t unit_dir);

/* After the session loop: commits and frees every handle whose RELEASE
 * never came (a lazy unmount can drop them). */
void linkfs_release_all(struct linkfs *fs);

/* Fills st's common fields (owner, link count, times, sizes). */
void attr_fill(struct stat *st, uint64_t ino, mode_t mode, uint64_t size,
	       int64_t mtime, int64_t ctime);

/* A unit's .history (ops_history.c; inodes in names.h). Each returns 0
 * or -errno and never links. */
int hist_is_name(const char *name, size_t len);
/* The inode of name in parent: a history inode, or a directory's
 * .history; -ENOENT when there is none. */
int hist_lookup(struct linkfs *fs, uint64_t parent, const char *name,
		size_t len, uint64_t *ino);
int hist_attr(struct linkfs *fs, uint64_t ino, struct stat *st);
/* The listing of a history directory into f (FH_DIR). */
int hist_list(struct linkfs *fs, uint64_t ino, struct fh *f);
/* Opens a history file (read only) as an FH_TEXT handle. */
int hist_open(struct linkfs *fs, uint64_t ino, int flags, struct fh **out);
/* What creating name in parent fails with because of the history: in a
 * history directory EEXIST if name is there, else EACCES; a shown
 * .history: EEXIST; else 0 (nothing to refuse). */
int hist_refuse_create(struct linkfs *fs, uint64_t parent, const char *name,
		       size_t len);

/* Renders the status file's text into f (FH_TEXT). 0 or -ENOMEM. */
int status_render(struct linkfs *fs, struct fh *f);

/* If name in dir is a synthetic file, returns its kind, else -1.
 * Never links. A stored entry keeps its name: a synthetic file whose name
 * a stored file or directory holds is not shown (-1). */
int synth_lookup_name(struct linkfs *fs, uint64_t dir, const char *name,
		      size_t len);

/* Handlers split over ops_entry.c and ops_file.c. */
void op_lookup(fuse_req_t, fuse_ino_t, const char *);
void op_forget(fuse_req_t, fuse_ino_t, uint64_t);
void op_forget_multi(fuse_req_t, size_t, struct fuse_forget_data *);
void op_getattr(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void op_setattr(fuse_req_t, fuse_ino_t, struct stat *, int,
		struct fuse_file_info *);
void op_mkdir(fuse_req_t, fuse_ino_t, const char *, mode_t);
void op_unlink(fuse_req_t, fuse_ino_t, const char *);
void op_rmdir(fuse_req_t, fuse_ino_t, const char *);
void op_rename(fuse_req_t, fuse_ino_t, const char *, fuse_ino_t,
	       const char *, unsigned int);
void op_opendir(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void op_readdir(fuse_req_t, fuse_ino_t, size_t, off_t, struct fuse_file_info *);
void op_releasedir(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void op_statfs(fuse_req_t, fuse_ino_t);
void op_symlink(fuse_req_t, const char *, fuse_ino_t, const char *);
void op_mknod(fuse_req_t, fuse_ino_t, const char *, mode_t, dev_t);
void op_link(fuse_req_t, fuse_ino_t, fuse_ino_t, const char *);
void op_create(fuse_req_t, fuse_ino_t, const char *, mode_t,
	       struct fuse_file_info *);
void op_open(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void op_read(fuse_req_t, fuse_ino_t, size_t, off_t, struct fuse_file_info *);
void op_write(fuse_req_t, fuse_ino_t, const char *, size_t, off_t,
	      struct fuse_file_info *);
void op_flush(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void op_fsync(fuse_req_t, fuse_ino_t, int, struct fuse_file_info *);
void op_release(fuse_req_t, fuse_ino_t, struct fuse_file_info *);

#endif
