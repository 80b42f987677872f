/*
 * ops_entry.c - FUSE handlers for names and attributes: lookup, forget,
 * getattr, setattr, mkdir, unlink, rmdir, rename, readdir, statfs, and the
 * refused node types (symlink, mknod, hard link: EPERM).
 *
 * Synthetic files (names.h) are read-only: changing them fails with EPERM,
 * creating a name they use with EEXIST. A name longer than 255 bytes fails
 * with ENAMETOOLONG, never truncated. readdir never links; lookup and
 * getattr of a synthetic file may (stat reports exact sizes). A unit's
 * .history and the names and inodes under it go to ops_history.c.
 * Leaves out: file contents (ops_file.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "ops.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int64_t linkfs_now(void)
{
	return wall_ns();
}

static struct timespec ts_of(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
	return ts;
}

/* The I/O size tools pick from stat: cat and cp use max(128 KiB,
 * st_blksize) for their buffer. Stored files say 1 MiB, the largest
 * request the kernel sends us, so copying an object in takes one round
 * trip per MiB. The files a link makes are served from memory and read
 * whole: they say their size rounded up to a power of two, from 1 MiB to
 * 64 MiB, so a reader takes a.out with one read() and writes its copy
 * with one write(), where the destination's page cache can use large
 * folios (docs/architecture.md, "Serving the link's files"). */
enum { IO_SIZE = 1 << 20, IO_SIZE_MAX = 64 << 20 };

static blksize_t whole_file_io_size(uint64_t size)
{
	blksize_t b = IO_SIZE;
	while (b < IO_SIZE_MAX && (uint64_t)b < size)
		b *= 2;
	return b;
}

static void attr_common(struct stat *st, uint64_t ino, mode_t mode,
			uint64_t size, int64_t mtime, int64_t ctime)
{
	memset(st, 0, sizeof *st);
	st->st_ino = ino;
	st->st_mode = mode;
	st->st_nlink = S_ISDIR(mode) ? 2 : 1;   /* attr_of_node adds subdirs */
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_size = (off_t)size;
	st->st_blksize = IO_SIZE;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_mtim = ts_of(mtime);
	st->st_atim = st->st_mtim;
	st->st_ctim = ts_of(ctime);
}

void attr_fill(struct stat *st, uint64_t ino, mode_t mode, uint64_t size,
	       int64_t mtime, int64_t ctime)
{
	attr_common(st, ino, mode, size, mtime, ctime);
}

double attr_of_node(struct linkfs *fs, const struct store_node *n,
		    struct stat *st)
{
	uint64_t size = n->size;
	int live = n->kind == NODE_FILE &&
		   inodes_live_size(fs->inodes, n->id, &size);
	mode_t type = n->kind == NODE_DIR ? S_IFDIR : S_IFREG;
	attr_common(st, n->id, type | (n->mode & 07777), size, n->mtime_ns,
		    n->ctime_ns);
	if (n->kind == NODE_DIR)   /* ".", its entry in the parent, each ".." */
		st->st_nlink = (nlink_t)(2 + n->subdirs);
	/* remembered for known inodes only (reply_entry does new ones) */
	inodes_set_attr(fs->inodes, n->id, st, n->has_blob ? n->hash : NULL);
	/* A file with uncommitted writes gets its mtime (and ctime) at the
	 * commit: the kernel must not keep these attributes, or a stat right
	 * after close() would show the old mtime for up to attr_timeout. */
	return live ? 0.0 : fs->attr_timeout;
}

/* attr_common for a file a link makes: read whole (whole_file_io_size) */
static void attr_synth(struct stat *st, uint64_t ino, mode_t mode,
		       uint64_t size, int64_t mtime)
{
	attr_common(st, ino, mode, size, mtime, mtime);
	st->st_blksize = whole_file_io_size(size);
}

int attr_of_synth(struct linkfs *fs, uint64_t *pick, uint64_t ino,
		  const struct fh *f, struct stat *st)
{
	if (ino == SYNTH_STATUS_INO) {
		struct fh *text = fh_new(FH_TEXT, ino);
		if (!text)
			return -ENOMEM;
		int rc = status_render(fs, text);
		if (!rc)
			attr_common(st, ino, S_IFREG | 0444, text->len,
				    fs->mount_ns, fs->mount_ns);
		fh_unref(text);
		return rc;
	}
	uint64_t dir = synth_dir(ino);
	int k = synth_kind(ino);
	if (k >= SYNTH_COUNT)
		return -ENOENT;
	mode_t mode = S_IFREG | (synth_role(k) == DUMP_FILE_EXE ? 0555 : 0444);
	uint64_t size;
	int64_t mtime;
	if (f && f->kind == FH_SYNTH && f->cached) {   /* this open's snapshot */
		size_t len;
		result_file(f->res, k, &len);
		attr_synth(st, ino, mode, len, f->mtime_ns);
		return 0;
	}
	if (!pick && inodes_snapshot_attr(fs->inodes, ino, &size, &mtime)) {
		attr_synth(st, ino, mode, size, mtime);
		return 0;
	}
	int has = units_is_unit(fs->units, dir);
	if (has <= 0)
		return has < 0 ? has : -ENOENT;
	struct result *r;
	int rc = units_result(fs->units, dir, &r, &mtime);
	if (rc)
		return rc;
	size_t len;
	result_file(r, k, &len);
	size = len;
	if (pick) {   /* the inode of this result (names.h, versions) */
		*pick = ino = inodes_synth_ino(fs->inodes, ino, r->key);
		(void)inodes_snapshot_attr(fs->inodes, ino, &size, &mtime);
	}
	attr_synth(st, ino, mode, size, mtime);
	result_unref(r);
	return 0;
}

void linkfs_changed(struct linkfs *fs, uint64_t dir)
{
	if (!dir)
		return;
	units_changed(fs->units, dir);
}

/* 1 if dir holds a stored entry called name (or the store failed: a name
 * then stays the store's, never hidden by a synthetic one). */
static int stored_name(struct linkfs *fs, uint64_t dir, const char *name,
		       size_t len)
{
	struct store_node n;
	return store_lookup(fs->st, dir, name, len, &n) != -ENOENT;
}

/* 1 if dir holds a committed file called name. */
static int stored_input(struct linkfs *fs, uint64_t dir, const char *name,
			size_t len)
{
	struct store_node n;
	return store_lookup(fs->st, dir, name, len, &n) == 0 &&
	       n.kind == NODE_FILE && n.has_input;
}

int synth_lookup_name(struct linkfs *fs, uint64_t dir, const char *name,
		      size_t len)
{
	int k = -1;
	if (dir == FUSE_ROOT_ID && len == strlen(STATUS_NAME) &&
	    !memcmp(name, STATUS_NAME, len)) {
		k = SYNTH_COUNT;      /* the status file */
	} else {
		if (name_role(name, len) != ROLE_PLAIN || len > LINKFS_NAME_MAX)
			return -1;    /* *.o, *.a, *.tbd, link.conf never are */
		if (store_unit_has_object(fs->st, dir) != 1 &&
		    !stored_input(fs, dir, "link.conf", 9))
			return -1;    /* cannot be a unit: the cheap answer */
		char out[LINKFS_NAME_MAX + 1];
		units_output_name(fs->units, dir, out);
		k = synth_from_name(name, len, out);
		/* only a synthetic name asks whether dir is a unit, which
		 * may read its objects (unit.h) */
		if (k >= 0 && units_is_unit(fs->units, dir) != 1)
			return -1;
	}
	/* a stored entry keeps its name: the synthetic file is not shown */
	if (k >= 0 && stored_name(fs, dir, name, len))
		return -1;
	return k;
}

static int name_check(const char *name)
{
	return strlen(name) > LINKFS_NAME_MAX ? -ENAMETOOLONG : 0;
}

/* Replies with a new entry; n is its stored node, NULL if synthetic. */
static void reply_entry(fuse_req_t req, uint64_t ino, const struct stat *st,
			const struct store_node *n, double timeout,
			double attr_timeout)
{
	struct fuse_entry_param e;
	memset(&e, 0, sizeof e);
	e.ino = ino;
	e.attr = *st;
	e.attr_timeout = attr_timeout;
	e.entry_timeout = timeout;
	e.generation = 1;
	inodes_ref(lfs(req)->inodes, ino);
	if (n)
		inodes_set_attr(lfs(req)->inodes, ino, st,
				n->has_blob ? n->hash : NULL);
	if (fuse_reply_entry(req, &e) == -ENOENT)   /* interrupted */
		inodes_forget(lfs(req)->inodes, ino, 1);
}

void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct linkfs *fs = lfs(req);
	int rc = name_check(name);
	size_t len = strlen(name);
	struct stat st;
	if (rc)
		goto fail;
	if (ino_is_hist(parent) || hist_is_name(name, len)) {
		uint64_t ino;
		rc = hist_lookup(fs, parent, name, len, &ino);
		if (!rc)
			rc = hist_attr(fs, ino, &st);
		if (!rc) {   /* generations go: never cached */
			reply_entry(req, ino, &st, NULL, 0.0, 0.0);
			return;
		}
		if (ino_is_hist(parent) || rc != -ENOENT)
			goto fail;
		rc = 0;   /* a stored .history, or none */
	}
	int k = synth_lookup_name(fs, parent, name, len);
	if (k >= 0) {
		uint64_t ino = k == SYNTH_COUNT ? SYNTH_STATUS_INO
						: synth_ino(parent, k);
		rc = attr_of_synth(fs, &ino, ino, NULL, &st);
		if (rc)
			goto fail;
		reply_entry(req, ino, &st, NULL, 0.0, 0.0);
		return;
	}
	struct store_node n;
	rc = store_lookup(fs->st, parent, name, len, &n);
	if (rc)
		goto fail;
	double t = attr_of_node(fs, &n, &st);
	reply_entry(req, n.id, &st, &n, fs->entry_timeout, t);
	return;
fail:
	fuse_reply_err(req, -rc);
}

void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	inodes_forget(lfs(req)->inodes, ino, nlookup);
	fuse_reply_none(req);
}

void op_forget_multi(fuse_req_t req, size_t count,
		     struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		inodes_forget(lfs(req)->inodes, forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct linkfs *fs = lfs(req);
	struct stat st;
	int rc;
	double timeout = 0.0;
	if (ino_is_synth(ino)) {
		const struct fh *f = fi ? (const struct fh *)(uintptr_t)fi->fh : NULL;
		rc = attr_of_synth(fs, NULL, ino, f, &st);
	} else if (ino_is_hist(ino)) {
		rc = hist_attr(fs, ino, &st);
	} else {
		struct store_node n;
		rc = store_get(fs->st, ino, &n);
		if (!rc) {
			timeout = attr_of_node(fs, &n, &st);
		} else if (rc == -ENOENT) {
			/* unlinked or renamed over while open: fstat still works */
			rc = inodes_last_attr(fs->inodes, ino, &st, NULL, NULL);
			uint64_t size;
			if (!rc && inodes_live_size(fs->inodes, ino, &size))
				st.st_size = (off_t)size;
			else
				timeout = fs->attr_timeout;
		}
	}
	if (rc)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_attr(req, &st, timeout);
}

/* Commits every dirty writer of ino, so a later change is not undone by
 * their flush. */
static int commit_writers(struct linkfs *fs, uint64_t ino)
{
	struct fh **v;
	int n = inodes_writers(fs->inodes, ino, &v), rc = 0;
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		int r = fh_commit(fs, v[i], 0);
		if (r && !rc)
			rc = r;
		fh_unref(v[i]);
	}
	free(v);
	return rc;
}

/* truncate(2) by path, or ftruncate on a handle not open for writing. */
static int truncate_stored(struct linkfs *fs, uint64_t ino, uint64_t size)
{
	int rc = commit_writers(fs, ino);
	if (rc)
		return rc;
	struct store_node n;
	rc = store_get(fs->st, ino, &n);
	if (rc)
		return rc;
	if (n.kind == NODE_DIR)
		return -EISDIR;
	/* the file as it is committed, cut to size, committed again; with
	 * no writer open it is also the link input */
	struct content x;
	struct fh **v;
	int nw = inodes_writers(fs->inodes, ino, &v);
	if (nw < 0)
		return nw;
	rc = content_open(&x, fs->st, fs->pins, n.hash, n.has_blob);
	if (!rc) {
		rc = content_truncate(&x, fs->st, size);
		if (!rc)
			rc = commit_file(fs, ino, &x, nw == 0);
		content_close(&x, fs->st, fs->pins);
	}
	/* keep open writers' contents in step with the new size */
	for (int i = 0; i < nw; i++) {
		pthread_mutex_lock(&v[i]->lock);
		if (!rc)
			(void)content_truncate(&v[i]->x, fs->st, size);
		pthread_mutex_unlock(&v[i]->lock);
		fh_unref(v[i]);
	}
	free(nw > 0 ? v : NULL);
	return rc;
}

void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		struct fuse_file_info *fi)
{
	struct linkfs *fs = lfs(req);
	int rc = 0;
	if (ino_is_synth(ino) || ino_is_hist(ino)) {
		rc = -EPERM;         /* synthetic files are read-only */
		goto out;
	}
	struct store_node n;
	rc = store_get(fs->st, ino, &n);
	if (rc)
		goto out;
	if (to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		if (((to_set & FUSE_SET_ATTR_UID) && attr->st_uid != getuid()) ||
		    ((to_set & FUSE_SET_ATTR_GID) && attr->st_gid != getgid())) {
			rc = -EPERM; /* one owner: the daemon's user */
			goto out;
		}
	}
	if (to_set & FUSE_SET_ATTR_SIZE) {
		struct fh *f = fi ? (struct fh *)(uintptr_t)fi->fh : NULL;
		if (n.kind == NODE_DIR) {
			rc = -EISDIR;
		} else if (attr->st_size < 0 ||
			   (uint64_t)attr->st_size > STORE_MAX_FILE) {
			rc = -EFBIG;      /* more than the store holds */
		} else if (f && f->kind == FH_FILE && f->writable) {
			pthread_mutex_lock(&f->lock);
			rc = content_truncate(&f->x, f->st,
					      (uint64_t)attr->st_size);
			if (!rc)
				f->dirty = 1;
			pthread_mutex_unlock(&f->lock);
		} else {
			rc = truncate_stored(fs, ino, (uint64_t)attr->st_size);
		}
		if (rc)
			goto out;
	}
	if (to_set & FUSE_SET_ATTR_MODE) {
		rc = store_set_mode(fs->st, ino, attr->st_mode & 07777, linkfs_now());
		if (rc)
			goto out;
	}
	if (to_set & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW)) {
		rc = commit_writers(fs, ino);
		int64_t now = linkfs_now();
		int64_t mt = (to_set & FUSE_SET_ATTR_MTIME_NOW) ? now :
			(int64_t)attr->st_mtim.tv_sec * 1000000000 + attr->st_mtim.tv_nsec;
		if (!rc)
			rc = store_set_mtime(fs->st, ino, mt, now);
		if (rc)
			goto out;
	}
	rc = store_get(fs->st, ino, &n);
out:
	if (rc) {
		fuse_reply_err(req, -rc);
		return;
	}
	struct stat st;
	double t = attr_of_node(fs, &n, &st);
	fuse_reply_attr(req, &st, t);
}

void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	struct linkfs *fs = lfs(req);
	size_t len = strlen(name);
	int rc = name_check(name);
	if (!rc)
		rc = hist_refuse_create(fs, parent, name, len);
	if (!rc && synth_lookup_name(fs, parent, name, len) >= 0)
		rc = -EEXIST;
	struct store_node n;
	if (!rc)
		rc = store_create(fs->st, parent, name, len, NODE_DIR,
				  mode & 07777, ROLE_PLAIN, 1, linkfs_now(), &n);
	if (rc) {
		fuse_reply_err(req, -rc);
		return;
	}
	struct stat st;
	double t = attr_of_node(fs, &n, &st);
	reply_entry(req, n.id, &st, &n, fs->entry_timeout, t);
}

static void remove_name(fuse_req_t req, fuse_ino_t parent, const char *name,
			int dir)
{
	struct linkfs *fs = lfs(req);
	size_t len = strlen(name);
	int rc = name_check(name);
	uint64_t hino;
	if (!rc && (ino_is_hist(parent) || hist_is_name(name, len)) &&
	    (rc = hist_lookup(fs, parent, name, len, &hino)) != -ENOENT) {
		/* as a synthetic file: succeeds, changes nothing */
		int is_dir = hist_kind(hino) >= HIST_GEN_K;
		if (!rc)
			rc = dir && !is_dir ? -ENOTDIR : !dir && is_dir ? -EISDIR : 0;
		fuse_reply_err(req, -rc);
		return;
	} else if (ino_is_hist(parent)) {
		fuse_reply_err(req, ENOENT);
		return;
	} else if (rc == -ENOENT) {
		rc = 0;   /* a stored .history, or none */
	}
	int synth = !rc ? synth_lookup_name(fs, parent, name, len) : -1;
	if (synth >= 0) {
		/* a unit's synthetic file is a view of its inputs: removing
		 * it succeeds and changes nothing (it is there again at the
		 * next lookup, and goes when the directory stops being a
		 * unit), so `rm -rf` of a build tree and CMake's clean-up
		 * work in one pass (docs/usage.md). The status file stays. */
		rc = dir ? -ENOTDIR : synth == SYNTH_COUNT ? -EPERM : 0;
		fuse_reply_err(req, -rc);
		return;
	}
	uint64_t touched = 0;
	if (!rc)
		rc = store_remove(fs->st, parent, name, len, dir, linkfs_now(),
				  &touched);
	if (!rc)
		linkfs_changed(fs, touched);
	if (!rc && !touched)   /* a plain file: a unit's `libs` may name it */
		units_tree_changed(fs->units);
	fuse_reply_err(req, -rc);
}

void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	remove_name(req, parent, name, 0);
}

void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	remove_name(req, parent, name, 1);
}

void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
	       fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	struct linkfs *fs = lfs(req);
	size_t len = strlen(name), newlen = strlen(newname);
	int rc = name_check(name);
	if (!rc)
		rc = name_check(newname);
	if (!rc && (flags & ~(unsigned)RENAME_NOREPLACE))
		rc = -EINVAL;        /* RENAME_EXCHANGE, RENAME_WHITEOUT */
	if (!rc && (synth_lookup_name(fs, parent, name, len) >= 0 ||
		    synth_lookup_name(fs, newparent, newname, newlen) >= 0))
		rc = -EPERM;         /* synthetic files cannot move or be replaced */
	uint64_t hino;
	if (!rc && (ino_is_hist(parent) || ino_is_hist(newparent) ||
		    (hist_is_name(name, len) &&
		     !hist_lookup(fs, parent, name, len, &hino)) ||
		    (hist_is_name(newname, newlen) &&
		     !hist_lookup(fs, newparent, newname, newlen, &hino))))
		rc = -EPERM;         /* nor can the history */
	uint64_t touched[2] = { 0, 0 };
	if (!rc)
		rc = store_rename(fs->st, parent, name, len, newparent, newname,
				  newlen, name_role(newname, newlen),
				  (flags & RENAME_NOREPLACE) != 0, linkfs_now(),
				  touched);
	if (!rc) {
		/* a file renamed while open for writing (clang writes
		 * x-1234.o.tmp and renames it to x.o before it closes it):
		 * its writers now count for the unit of its new name */
		struct store_node n;
		if (store_lookup(fs->st, newparent, newname, newlen, &n) == 0 &&
		    n.kind == NODE_FILE)
			writers_moved(fs, n.id, n.role > 0 ? newparent : 0);
		linkfs_changed(fs, touched[0]);
		if (touched[1] != touched[0])
			linkfs_changed(fs, touched[1]);
		units_tree_changed(fs->units);   /* paths under it moved */
	}
	fuse_reply_err(req, -rc);
}

/* The synthetic names of a directory listing; a stored entry of the same
 * name takes it (synth_lookup_name), so it is listed and they are not. */
struct list_ctx {
	struct fh *f;
	int rc;
	int n;
	const char *name[SYNTH_COUNT + 2];
	uint64_t ino[SYNTH_COUNT + 2];
	uint32_t type[SYNTH_COUNT + 2];
	int taken[SYNTH_COUNT + 2];
};

static int list_one(void *arg, uint64_t id, const char *name, size_t len,
		    int kind)
{
	struct list_ctx *c = arg;
	for (int i = 0; i < c->n; i++)
		if (strlen(c->name[i]) == len && !memcmp(c->name[i], name, len))
			c->taken[i] = 1;
	c->rc = fh_add_dirent(c->f, id, kind == NODE_DIR ? S_IFDIR : S_IFREG,
			      name, len);
	return c->rc;
}

void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct linkfs *fs = lfs(req);
	struct store_node n;
	if (ino_is_hist(ino)) {
		struct fh *h = fh_new(FH_DIR, ino);
		int r = h ? hist_list(fs, ino, h) : -ENOMEM;
		if (r) {
			fh_unref(h);
			fuse_reply_err(req, -r);
			return;
		}
		fi->fh = (uintptr_t)h;
		fi->cache_readdir = 0;
		fh_opened(fs->open, h);
		if (fuse_reply_open(req, fi) == -ENOENT) {
			fh_released(fs->open, h);
			fh_unref(h);
		}
		return;
	}
	int rc = ino_is_synth(ino) ? -ENOTDIR : store_get(fs->st, ino, &n);
	if (!rc && n.kind != NODE_DIR)
		rc = -ENOTDIR;
	struct fh *f = rc ? NULL : fh_new(FH_DIR, ino);
	if (!rc && !f)
		rc = -ENOMEM;
	struct list_ctx c = { .f = f };
	char out[LINKFS_NAME_MAX + 1];
	if (!rc) {
		rc = fh_add_dirent(f, ino, S_IFDIR, ".", 1);
		if (!rc)
			rc = fh_add_dirent(f, n.parent ? n.parent : ino, S_IFDIR,
					   "..", 2);
	}
	int unit = rc ? 0 : units_is_unit(fs->units, ino);
	if (unit < 0)
		rc = unit;
	if (!rc && unit == 1) {       /* never links: names only */
		units_output_name(fs->units, ino, out);
		for (int k = 0; k < SYNTH_COUNT; k++) {
			c.name[c.n] = synth_name(k, out);
			c.type[c.n] = S_IFREG;
			c.ino[c.n++] = synth_ino(ino, k);
		}
	}
	if (!rc && ino == FUSE_ROOT_ID) {
		c.name[c.n] = STATUS_NAME;
		c.type[c.n] = S_IFREG;
		c.ino[c.n++] = SYNTH_STATUS_INO;
	}
	uint64_t hgen;
	int64_t htime;
	int hist = rc ? 0 : store_history_latest(fs->st, ino, &hgen, &htime);
	if (hist && hist != -ENOENT)
		rc = hist;
	if (!rc && !hist) {   /* names only, as above */
		c.name[c.n] = HIST_NAME;
		c.type[c.n] = S_IFDIR;
		c.ino[c.n++] = hist_ino(ino, 0, HIST_TOP_K);
	}
	if (!rc)
		rc = store_list(fs->st, ino, list_one, &c);
	if (!rc)
		rc = c.rc;
	for (int i = 0; !rc && i < c.n; i++)
		if (!c.taken[i])
			rc = fh_add_dirent(f, c.ino[i], c.type[i], c.name[i],
					   strlen(c.name[i]));
	if (rc) {
		fh_unref(f);
		fuse_reply_err(req, -rc);
		return;
	}
	fi->fh = (uintptr_t)f;
	fi->cache_readdir = 0;
	fh_opened(fs->open, f);
	if (fuse_reply_open(req, fi) == -ENOENT) {
		fh_released(fs->open, f);
		fh_unref(f);
	}
}

void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		struct fuse_file_info *fi)
{
	struct fh *f = (struct fh *)(uintptr_t)fi->fh;
	char *buf = malloc(size ? size : 1);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	size_t used = 0;
	for (size_t i = (size_t)off; i < f->nents; i++) {
		struct stat st = { .st_ino = f->ents[i].ino,
				   .st_mode = f->ents[i].type };
		size_t need = fuse_add_direntry(req, buf + used, size - used,
						f->ents[i].name, &st, (off_t)(i + 1));
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, buf, used);
	free(buf);
}

void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	fh_released(lfs(req)->open, (struct fh *)(uintptr_t)fi->fh);
	fh_unref((struct fh *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct linkfs *fs = lfs(req);
	struct statvfs sv;
	memset(&sv, 0, sizeof sv);
	uint64_t nodes = 0, bytes = 0;
	store_totals(fs->st, &nodes, &bytes);
	sv.f_bsize = 4096;
	sv.f_frsize = 4096;
	sv.f_blocks = (bytes + 4095) / 4096 + (1u << 20);
	sv.f_bfree = 1u << 20;
	sv.f_bavail = 1u << 20;
	sv.f_files = nodes + (1u << 20);
	sv.f_ffree = 1u << 20;
	sv.f_favail = 1u << 20;
	sv.f_namemax = LINKFS_NAME_MAX;
	fuse_reply_statfs(req, &sv);
}

/* Only regular files and directories exist in a linkfs tree. */
void op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
		const char *name)
{
	fuse_reply_err(req, EPERM);
}

void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
	      dev_t rdev)
{
	fuse_reply_err(req, EPERM);
}

void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
	     const char *newname)
{
	fuse_reply_err(req, EPERM);
}

const struct fuse_lowlevel_ops linkfs_ops = {
	.lookup = op_lookup,
	.forget = op_forget,
	.forget_multi = op_forget_multi,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_rmdir,
	.rename = op_rename,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_releasedir,
	.statfs = op_statfs,
	.symlink = op_symlink,
	.mknod = op_mknod,
	.link = op_link,
	.create = op_create,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.flush = op_flush,
	.fsync = op_fsync,
	.release = op_release,
};
