/*
 * ops_file.c - FUSE handlers for file contents: create, open, read, write,
 * flush, fsync, release; and the status file.
 *
 * Write path: a handle open for writing holds the whole file in memory.
 * flush (each close), fsync and release commit it in one transaction when
 * it is dirty; a flush with no new writes is a no-op. flush's error is what
 * close() returns; release's error cannot reach anyone and is logged. A
 * created file is invisible as a link input until its first commit.
 * Synthetic files: open snapshots the unit's current result into the
 * handle; a failed link gives EIO except for link.log. A file under
 * .history is opened by ops_history.c. The status file: the counters,
 * then each unit's stages and last link (activity.h).
 * Leaves out: mmap-specific handling, writeback caching.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "activity.h"
#include "base/buf.h"
#include "blobcache.h"
#include "collector.h"
#include "ops.h"

/* Contents left for the collector past which a commit collects a batch
 * itself. */
enum { COLLECT_BEHIND = 4 };

/* After a commit: a link input's bytes go to the link's cache (parsed
 * there, a few microseconds on this close() instead of in the link that
 * the first read of a.out waits for); the collector looks for what the
 * commit left behind. */
static void committed(struct linkfs *fs, const uint8_t id[STORE_HASH_LEN],
		      int input, const uint8_t *whole, size_t len)
{
	if (input && fs->blobs && (whole || len == 0)) {
		struct blob *b = blobcache_put(fs->blobs, id, whole, len);
		if (b)
			(void)blob_parse(fs->blobs, b);   /* else: link parses */
		blob_unref(b);
	}
	if (fs->collector)
		collector_poke(fs->collector);
	/* back-pressure: when writers outrun the collector (a loaded
	 * machine, nice 10), the writer collects a batch itself, so the
	 * garbage stays bounded whatever the rate of rewrites */
	if (store_dead_contents(fs->st, COLLECT_BEHIND) >= COLLECT_BEHIND) {
		(void)store_collect(fs->st);
		store_checkpoint(fs->st, 1);
	}
}

/* Commits x as file ino's content, then committed(); input: the file is
 * a link input even if this commit does not touch its unit. */
static int commit_content(struct linkfs *fs, uint64_t ino, struct content *x,
			  int promote, int input, uint64_t *touched)
{
	uint8_t id[STORE_HASH_LEN];
	const uint8_t *whole;
	size_t len;
	int rc = content_commit(x, fs->st, fs->pins, ino, promote,
				linkfs_now(), id, touched, &whole, &len);
	if (!rc)
		committed(fs, id, input || *touched, whole, len);
	if (!rc && !*touched)   /* a plain file: a unit's `libs` may name it */
		units_tree_changed(fs->units);
	return rc;
}

int fh_commit(struct linkfs *fs, struct fh *f, int promote)
{
	if (f->kind != FH_FILE || !f->writable)
		return 0;
	uint64_t touched = 0;
	int rc = 0;
	/* before the handle's lock: the table's comes first (inode.h) */
	uint64_t unit = inodes_unit_of(fs->inodes, f);
	pthread_mutex_lock(&f->lock);
	if (f->dirty) {
		/* a link input's flush: the link takes it at the release
		 * (promote), from the cache */
		rc = commit_content(fs, f->ino, &f->x, promote, unit != 0,
				    &touched);
		if (!rc)
			f->dirty = 0;
	} else if (promote) {
		rc = store_promote(fs->st, f->ino, linkfs_now(), &touched);
	}
	pthread_mutex_unlock(&f->lock);
	linkfs_changed(fs, touched);
	return rc;
}

int commit_file(struct linkfs *fs, uint64_t ino, struct content *x,
		int promote)
{
	uint64_t touched = 0;
	int rc = commit_content(fs, ino, x, promote, 0, &touched);
	linkfs_changed(fs, touched);
	return rc;
}

/* The status file's unit lines (docs/usage.md): a unit's link and
 * keeping stages while it has one, and its last link; units whose
 * directory is gone are left out. */
static void status_units(struct linkfs *fs, struct buf *b)
{
	struct activity_row *v;
	int n = activity_rows(units_activity(fs->units), &v);
	if (n < 0) {
		b->oom = 1;   /* no memory for the rows */
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[1024], line[1400];
		if (activity_path(fs->st, v[i].dir, path, sizeof path))
			continue;   /* removed (or unreadable): not shown */
		int k;
		if (v[i].link_stage != LINK_IDLE) {
			k = snprintf(line, sizeof line, "unit %s %s %llu ms\n", path,
				     activity_link_name(v[i].link_stage),
				     (unsigned long long)v[i].link_ms);
			buf_append(b, line, (size_t)k);
		}
		if (v[i].keep_stage != KEEP_IDLE) {
			k = snprintf(line, sizeof line, "unit %s %s %llu ms\n", path,
				     activity_keep_name(v[i].keep_stage),
				     (unsigned long long)v[i].keep_ms);
			buf_append(b, line, (size_t)k);
		}
		if (v[i].has_last) {
			time_t t = (time_t)(v[i].last_ns / 1000000000);
			struct tm tm;
			char when[32], gen[24] = "-";
			gmtime_r(&t, &tm);
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
			if (v[i].last_gen)
				snprintf(gen, sizeof gen, "%llu",
					 (unsigned long long)v[i].last_gen);
			k = snprintf(line, sizeof line,
				     "last %s %s %s generation %s\n", path,
				     v[i].last_ok ? "ok" : "failed", when, gen);
			buf_append(b, line, (size_t)k);
		}
	}
	free(v);
}

int status_render(struct linkfs *fs, struct fh *f)
{
	struct unit_counters *c = units_counters(fs->units);
	char text[512];
	int n = snprintf(text, sizeof text,
			 "links %lu\npatches %lu\nkept_hits %lu\ncache_hits %lu\n"
			 "last_read_us %lu\nlast_link_us %lu\nlast_keep_us %lu\n"
			 "last_inputs %lu\nlast_inputs_parsed %lu\n",
			 (unsigned long)atomic_load(&c->links),
			 (unsigned long)atomic_load(&c->patches),
			 (unsigned long)atomic_load(&c->kept_hits),
			 (unsigned long)atomic_load(&c->cache_hits),
			 (unsigned long)atomic_load(&c->last_read_us),
			 (unsigned long)atomic_load(&c->last_link_us),
			 (unsigned long)atomic_load(&c->last_keep_us),
			 (unsigned long)atomic_load(&c->last_inputs),
			 (unsigned long)atomic_load(&c->last_inputs_parsed));
	struct buf b;
	buf_init(&b);
	buf_append(&b, text, (size_t)n);
	status_units(fs, &b);
	size_t len;
	uint8_t *data = buf_failed(&b) ? NULL : buf_detach(&b, &len);
	if (!data) {
		buf_release(&b);
		return -ENOMEM;
	}
	free(f->data);
	f->data = data;
	f->len = len;
	return 0;
}

static int wants_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

/* Opens a synthetic file: snapshots the result into a new handle. */
static int open_synth(struct linkfs *fs, uint64_t ino, struct fuse_file_info *fi,
		      struct fh **out)
{
	if (wants_write(fi->flags))
		return -EACCES;
	if (ino == SYNTH_STATUS_INO) {
		struct fh *f = fh_new(FH_TEXT, ino);
		if (!f)
			return -ENOMEM;
		int rc = status_render(fs, f);
		if (rc) {
			fh_unref(f);
			return rc;
		}
		fi->direct_io = 1;   /* counters change: never cache */
		*out = f;
		return 0;
	}
	uint64_t dir = synth_dir(ino);
	int k = synth_kind(ino);
	int has = units_is_unit(fs->units, dir);
	if (has <= 0)
		return has < 0 ? has : -ENOENT;
	struct result *r;
	int64_t mtime;
	int rc = units_result(fs->units, dir, &r, &mtime);
	if (rc)
		return rc;
	if (!r->ok && synth_role(k) != DUMP_FILE_LOG) {
		result_unref(r);
		return -EIO;         /* link.log says why */
	}
	if (synth_role(k) == DUMP_FILE_TABLE && result_render(r)) {
		result_unref(r);
		return -ENOMEM;
	}
	struct fh *f = fh_new(FH_SYNTH, ino);
	if (!f) {
		result_unref(r);
		return -ENOMEM;
	}
	f->res = r;
	f->synth = k;
	f->mtime_ns = mtime;
	size_t len;
	result_file(r, k, &len);
	int keep, announce;
	/* f->res and f->mtime_ns become the inode's snapshot if one is open */
	rc = inodes_open_snapshot(fs->inodes, ino, &f->res, len, &f->mtime_ns,
				  &keep, &announce);
	if (rc < 0) {
		fh_unref(f);
		return rc;
	}
	f->cached = rc;
	if (announce) {
		/* The kernel's size may be another result's, told while no
		 * cached open existed (a lookup or stat of the current result)
		 * and still trusted for the rest of its jiffy: make the next
		 * size check ask us (getattr with this handle). When the pages
		 * hold another result, drop them now too: the kernel would drop
		 * them when this open returns (no keep_cache), but a second open
		 * of this snapshot may read before that. Only this first open
		 * does it; the others wait (inodes_open_snapshot). */
		if (fs->se)
			fuse_lowlevel_notify_inval_inode(fs->se, ino,
							 keep ? -1 : 0, 0);
		inodes_announced(fs->inodes, ino);
	}
	fi->keep_cache = keep;
	*out = f;
	return 0;
}

/* An open that raced with an unlink or a rename over the name: the kernel
 * resolved the name to ino just before its row went. As on a local
 * filesystem the open succeeds, with the content last seen; its writes
 * are dropped on commit (store_write_file), since no name holds them. */
static int orphan_node(struct linkfs *fs, uint64_t ino, struct store_node *n)
{
	struct stat st;
	int has_hash;
	memset(n, 0, sizeof *n);
	int rc = inodes_last_attr(fs->inodes, ino, &st, n->hash, &has_hash);
	if (rc)
		return rc;
	n->id = ino;
	n->kind = S_ISDIR(st.st_mode) ? NODE_DIR : NODE_FILE;
	n->size = (uint64_t)st.st_size;
	n->has_blob = has_hash;
	n->complete = 1;
	return 0;
}

static int writer_opened(struct linkfs *fs, struct fh *f,
			 const struct store_node *n);

/* How often an open reads the node again when the content it named was
 * collected before it could pin it (the file was rewritten meanwhile). */
enum { OPEN_TRIES = 8 };

/* Opens a stored file: pins its committed content and reads its chunk
 * list (the bytes are read as they are asked for); O_TRUNC starts empty. */
static int open_stored(struct linkfs *fs, uint64_t ino, int flags,
		       struct fh **out)
{
	struct store_node n;
	struct fh *f = NULL;
	int rc = -ENOENT;
	for (int i = 0; i < OPEN_TRIES && rc == -ENOENT; i++) {
		rc = store_get(fs->st, ino, &n);
		if (rc == -ENOENT)
			rc = orphan_node(fs, ino, &n);
		if (rc)
			return rc;
		if (n.kind == NODE_DIR)
			return -EISDIR;
		if (!f && !(f = fh_new(FH_FILE, ino)))
			return -ENOMEM;
		f->writable = (flags & O_ACCMODE) != O_RDONLY;
		int trunc = (flags & O_TRUNC) && f->writable;
		rc = content_open(&f->x, fs->st, fs->pins, n.hash,
				  n.has_blob && !trunc);
		if (trunc)
			f->dirty = n.size != 0;
	}
	if (!rc) {
		f->st = fs->st;
		f->pins = fs->pins;
	}
	if (!rc && f->writable)
		rc = writer_opened(fs, f, &n);
	if (rc) {
		fh_unref(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* A writable handle joins the inode's writers and, when the file is a
 * link input, its unit's (a link waits for those: inodes.h). */
static int writer_opened(struct linkfs *fs, struct fh *f,
			 const struct store_node *n)
{
	int rc = inodes_add_writer(fs->inodes, f->ino, f);
	if (!rc && n->role > 0 && n->parent) {
		rc = inodes_unit_writer_set(fs->inodes, f, n->parent);
		if (rc)
			(void)inodes_remove_writer(fs->inodes, f->ino, f);
	}
	return rc;
}

void writers_moved(struct linkfs *fs, uint64_t ino, uint64_t unit_dir)
{
	struct fh **v;
	int n = inodes_writers(fs->inodes, ino, &v);
	for (int i = 0; i < n; i++) {
		(void)inodes_unit_writer_set(fs->inodes, v[i], unit_dir);
		fh_unref(v[i]);
	}
	free(n > 0 ? v : NULL);
}

/* Drops an open handle: its writer entries or cached snapshot, then it. A
 * writer that commits at its release (op_release) has left the inode's
 * writers already. */
static void fh_close(struct linkfs *fs, uint64_t ino, struct fh *f)
{
	if (f->kind == FH_FILE && f->writable) {
		(void)inodes_remove_writer(fs->inodes, ino, f);
		(void)inodes_unit_writer_set(fs->inodes, f, 0);
	}
	if (f->kind == FH_SYNTH && f->cached)
		inodes_close_snapshot(fs->inodes, ino);
	fh_unref(f);
}

void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct linkfs *fs = lfs(req);
	struct fh *f = NULL;
	int rc = ino_is_synth(ino) ? open_synth(fs, ino, fi, &f)
		 : ino_is_hist(ino) ? hist_open(fs, ino, fi->flags, &f)
				    : open_stored(fs, ino, fi->flags, &f);
	if (rc) {
		fuse_reply_err(req, -rc);
		return;
	}
	fi->fh = (uintptr_t)f;
	fh_opened(fs->open, f);
	if (fuse_reply_open(req, fi) == -ENOENT) {  /* interrupted */
		fh_released(fs->open, f);
		fh_close(fs, ino, f);
	}
}

void op_create(fuse_req_t req, fuse_ino_t parent, const char *name,
	       mode_t mode, struct fuse_file_info *fi)
{
	struct linkfs *fs = lfs(req);
	size_t len = strlen(name);
	struct store_node n;
	struct fh *f = NULL;
	int rc = len > LINKFS_NAME_MAX ? -ENAMETOOLONG : 0;
	if (!rc)
		rc = hist_refuse_create(fs, parent, name, len);
	if (!rc && synth_lookup_name(fs, parent, name, len) >= 0)
		rc = -EEXIST;
	if (!rc)
		rc = store_create(fs->st, parent, name, len, NODE_FILE,
				  mode & 07777, name_role(name, len), 0,
				  linkfs_now(), &n);
	if (rc == -EEXIST && !(fi->flags & O_EXCL) && !ino_is_hist(parent) &&
	    !hist_is_name(name, len) &&
	    synth_lookup_name(fs, parent, name, len) < 0) {
		/* raced with another create: open the existing file */
		rc = store_lookup(fs->st, parent, name, len, &n);
		if (!rc)
			rc = open_stored(fs, n.id, fi->flags, &f);
	} else if (!rc) {
		f = fh_new(FH_FILE, n.id);
		if (!f)
			rc = -ENOMEM;
		if (f) {
			f->writable = 1;
			f->dirty = 1;   /* the first flush makes it complete */
			f->st = fs->st;
			f->pins = fs->pins;
			rc = writer_opened(fs, f, &n);
		}
	}
	if (rc) {
		if (f)
			fh_unref(f);
		fuse_reply_err(req, -rc);
		return;
	}
	struct fuse_entry_param e;
	memset(&e, 0, sizeof e);
	e.ino = n.id;
	attr_of_node(fs, &n, &e.attr);
	/* cached (cp's fstat after the create costs no round trip); a write
	 * makes the kernel drop them, and a commit without one invalidates
	 * them (op_flush): the commit sets the mtime */
	e.attr_timeout = fs->attr_timeout;
	f->attr_told = 1;
	e.entry_timeout = fs->entry_timeout;
	e.generation = 1;
	fi->fh = (uintptr_t)f;
	inodes_ref(fs->inodes, n.id);
	fh_opened(fs->open, f);
	if (fuse_reply_create(req, &e, fi) == -ENOENT) {
		fh_released(fs->open, f);
		inodes_forget(fs->inodes, n.id, 1);
		fh_close(fs, n.id, f);
	}
}

void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
	     struct fuse_file_info *fi)
{
	struct fh *f = (struct fh *)(uintptr_t)fi->fh;
	/* The kernel may send release as soon as our reply is consumed, so
	 * the buffer must outlive fuse_reply_buf's return (sanitizers read it
	 * after the writev): hold a reference over the reply. */
	fh_ref(f);
	if (f->kind == FH_SYNTH) {
		size_t len;
		const uint8_t *p = result_file(f->res, f->synth, &len);
		size_t o = (size_t)off < len ? (size_t)off : len;
		size_t n = len - o < size ? len - o : size;
		fuse_reply_buf(req, p ? (const char *)p + o : NULL, n);
		fh_unref(f);
		return;
	}
	if (f->kind == FH_TEXT) {
		size_t o = (size_t)off < f->len ? (size_t)off : f->len;
		size_t n = f->len - o < size ? f->len - o : size;
		fuse_reply_buf(req, (const char *)f->data + o, n);
		fh_unref(f);
		return;
	}
	pthread_mutex_lock(&f->lock);
	const uint8_t *p;
	uint8_t *tmp;
	size_t n;
	int rc = off < 0 ? -EINVAL
			 : content_read(&f->x, f->st, (uint64_t)off, size, &p,
					&tmp, &n);
	if (rc)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_buf(req, (const char *)p, n);
	pthread_mutex_unlock(&f->lock);
	free(tmp);
	fh_unref(f);
}

void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
	      off_t off, struct fuse_file_info *fi)
{
	struct fh *f = (struct fh *)(uintptr_t)fi->fh;
	int rc = -EBADF;
	if (f->kind == FH_FILE && f->writable) {
		pthread_mutex_lock(&f->lock);
		if (off < 0)
			rc = -EINVAL;
		else
			rc = content_write(&f->x, f->st, buf, size,
					   (uint64_t)off);
		if (!rc)
			f->dirty = 1;
		f->attr_told = 0;   /* the kernel dropped its attributes */
		pthread_mutex_unlock(&f->lock);
	}
	if (rc)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_write(req, size);
}

void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct linkfs *fs = lfs(req);
	struct fh *f = (struct fh *)(uintptr_t)fi->fh;
	int told = 0;
	if (f->kind == FH_FILE && f->writable) {
		pthread_mutex_lock(&f->lock);
		told = f->attr_told && f->dirty;
		pthread_mutex_unlock(&f->lock);
	}
	/* a close of one descriptor of possibly several (dup, fork): what it
	 * wrote is committed, but it is not yet the link input (release) */
	int rc = fh_commit(fs, f, 0);
	/* the release may follow after close() returned: a read of the
	 * unit's output then waits for it, even after an earlier wait on
	 * this writer gave up */
	if (f->kind == FH_FILE && f->writable)
		inodes_unit_flushed(fs->inodes, f);
	/* A file created and closed without a write (touch, `: > f`): the
	 * kernel still holds the create reply's attributes, whose mtime the
	 * commit just changed. Only attributes (offset -1): no page lock, so
	 * this is safe inside the FLUSH, and done before close() returns. */
	if (!rc && told && fs->se) {
		pthread_mutex_lock(&f->lock);
		f->attr_told = 0;
		pthread_mutex_unlock(&f->lock);
		fuse_lowlevel_notify_inval_inode(fs->se, ino, -1, 0);
	}
	fuse_reply_err(req, -rc);
}

void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
	      struct fuse_file_info *fi)
{
	struct fh *f = (struct fh *)(uintptr_t)fi->fh;
	int rc = fh_commit(lfs(req), f, 0);
	if (!rc)
		rc = store_sync(lfs(req)->st);   /* durable, whatever -o sync */
	fuse_reply_err(req, -rc);
}

/* The end of a writable handle: what it wrote since the last flush is
 * committed (flush may not have been called), and when it was the file's
 * last writer, the file's committed content becomes its link input. Its
 * errors reach no one but the log. */
static void release_writer(struct linkfs *fs, struct fh *f, const char *when)
{
	int last = inodes_remove_writer(fs->inodes, f->ino, f) == 0;
	int rc = fh_commit(fs, f, last);
	if (rc)
		fprintf(stderr, "linkfs: cannot commit inode %llu %s: %s\n",
			(unsigned long long)f->ino, when, strerror(-rc));
}

void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct linkfs *fs = lfs(req);
	struct fh *f = (struct fh *)(uintptr_t)fi->fh;
	if (f->kind == FH_FILE && f->writable)
		release_writer(fs, f, "on release");
	fh_released(fs->open, f);
	fh_close(fs, ino, f);
	fuse_reply_err(req, 0);
}

void linkfs_release_all(struct linkfs *fs)
{
	struct fh *f;
	while ((f = fh_take_open(fs->open))) {
		if (f->kind == FH_FILE && f->writable)
			release_writer(fs, f, "at unmount");
		if (f->kind == FH_DIR)
			fh_unref(f);
		else
			fh_close(fs, f->ino, f);
	}
}
