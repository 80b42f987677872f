/*
 * linkfs-bench-passthrough - a minimal FUSE passthrough filesystem, the
 * baseline of the copy-in benchmark (bench/run, figure 3).
 *
 *   linkfs-bench-passthrough [-f] [-s] -o source=DIR [-o OPTS] MOUNTPOINT
 *
 * Every file and directory under MOUNTPOINT is the one under DIR. It uses
 * libfuse's low-level API and its multithreaded loop, as linkfs does, and
 * by default the same connection settings as linkfs (fs/main.c): entry and
 * attribute timeouts of 1 s, no writeback cache, libfuse's default
 * max_write and max_read, no splice of written data. So a `cp` into it
 * pays the same kernel round trips as a `cp` into linkfs, and the
 * difference is what each daemon does per request. Options:
 *
 *   -o source=DIR      the backing directory (required)
 *   -o timeout=SECS    entry and attribute timeout (default 1.0)
 *   -o writeback       ask for the writeback cache (linkfs refuses it)
 *   -o splice          splice written data (FUSE_CAP_SPLICE_WRITE|MOVE)
 *   -o max_write=N     lower max_write to N bytes
 *
 * With `-o timeout=86400,writeback,splice` it comes close to the settings
 * of libfuse's passthrough_hp example.
 *
 * The design is passthrough_ll.c's, in less code: an inode is an O_PATH
 * descriptor of the backing file, keyed by (st_dev, st_ino) in a tsearch
 * tree under one mutex; the fuse_ino_t is the pointer; lookup counts
 * decide when it is freed. File handles are the backing descriptors.
 * Every handler sends exactly one reply.
 * Leaves out: symlinks, hard links, mknod, xattrs, locks, readdirplus,
 * mountpoints inside DIR (lookups that cross one fail with EXDEV).
 */
#define FUSE_USE_VERSION 314

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <pthread.h>
#include <search.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

struct inode {
	int fd;                 /* O_PATH; fixed after creation */
	dev_t dev;              /* the key, with ino */
	ino_t ino;
	uint64_t nlookup;       /* under pt.lock */
};

struct pt {
	pthread_mutex_t lock;   /* guards tree and every nlookup */
	void *tree;             /* struct inode *, by (dev, ino) */
	struct inode root;      /* never freed; FUSE_ROOT_ID */
	double timeout;
	int writeback, splice;
	unsigned max_write;
};

struct dir_handle {
	DIR *dp;
	off_t offset;           /* the telldir cookie of the next entry */
	struct dirent *entry;   /* read but not yet replied, or NULL */
};

static struct pt *pt_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static struct inode *inode_of(fuse_req_t req, fuse_ino_t ino)
{
	return ino == FUSE_ROOT_ID ? &pt_of(req)->root : (struct inode *)ino;
}

static int inode_cmp(const void *a, const void *b)
{
	const struct inode *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/*
 * Looks name up in parent and fills e, taking one lookup reference on the
 * inode (which is created on first sight). Returns 0 or an errno.
 */
static int do_lookup(fuse_req_t req, fuse_ino_t parent, const char *name,
		     struct fuse_entry_param *e)
{
	struct pt *pt = pt_of(req);
	memset(e, 0, sizeof *e);
	e->attr_timeout = pt->timeout;
	e->entry_timeout = pt->timeout;

	int fd = openat(inode_of(req, parent)->fd, name,
			O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstatat(fd, "", &e->attr, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		int err = errno;
		close(fd);
		return err;
	}
	if (e->attr.st_dev != pt->root.dev) {
		close(fd);
		return EXDEV;
	}

	struct inode key = { .dev = e->attr.st_dev, .ino = e->attr.st_ino };
	pthread_mutex_lock(&pt->lock);
	struct inode **found = tfind(&key, &pt->tree, inode_cmp);
	struct inode *in = found ? *found : NULL;
	if (!in) {
		in = calloc(1, sizeof *in);
		if (in) {
			*in = key;
			in->fd = fd;
			fd = -1;
			if (!tsearch(in, &pt->tree, inode_cmp)) {
				free(in);
				in = NULL;
			}
		}
	}
	if (in)
		in->nlookup++;
	pthread_mutex_unlock(&pt->lock);
	if (fd >= 0)
		close(fd);
	if (!in)
		return ENOMEM;
	e->ino = (fuse_ino_t)in;
	return 0;
}

static void forget_one(struct pt *pt, fuse_ino_t ino, uint64_t n)
{
	struct inode *in = (struct inode *)ino;
	if (ino == FUSE_ROOT_ID)
		return;
	pthread_mutex_lock(&pt->lock);
	in->nlookup -= n < in->nlookup ? n : in->nlookup;
	int gone = in->nlookup == 0;
	if (gone)
		tdelete(in, &pt->tree, inode_cmp);
	pthread_mutex_unlock(&pt->lock);
	if (gone) {
		close(in->fd);
		free(in);
	}
}

/* The backing file as a path that the *at-less calls accept. */
static void proc_path(char *buf, size_t size, int fd)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

static void pt_init(void *userdata, struct fuse_conn_info *conn)
{
	struct pt *pt = userdata;
	conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
	if (pt->writeback && (conn->capable & FUSE_CAP_WRITEBACK_CACHE))
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	if (pt->splice)
		conn->want |= conn->capable &
			(FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE);
	/* only lower it: libfuse 3.14 reads requests into a buffer of
	 * 1 MiB + header, so a larger max_write breaks the session */
	if (pt->max_write && pt->max_write < conn->max_write)
		conn->max_write = pt->max_write;
}

static void pt_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	int err = do_lookup(req, parent, name, &e);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_entry(req, &e);
}

static void pt_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	forget_one(pt_of(req), ino, nlookup);
	fuse_reply_none(req);
}

static void pt_forget_multi(fuse_req_t req, size_t count,
			    struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		forget_one(pt_of(req), forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void pt_getattr(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct stat st;
	if (fstatat(inode_of(req, ino)->fd, "", &st,
		    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		fuse_reply_err(req, errno);
	else
		fuse_reply_attr(req, &st, pt_of(req)->timeout);
}

/* Applies the attributes setattr asks for; 0 or an errno. */
static int do_setattr(struct inode *in, struct stat *attr, int valid,
		      struct fuse_file_info *fi)
{
	char path[64];
	proc_path(path, sizeof path, in->fd);
	if (valid & FUSE_SET_ATTR_MODE) {
		if (fi ? fchmod((int)fi->fh, attr->st_mode)
		       : chmod(path, attr->st_mode))
			return errno;
	}
	if (valid & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		uid_t uid = valid & FUSE_SET_ATTR_UID ? attr->st_uid : (uid_t)-1;
		gid_t gid = valid & FUSE_SET_ATTR_GID ? attr->st_gid : (gid_t)-1;
		if (fchownat(in->fd, "", uid, gid,
			     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
			return errno;
	}
	if (valid & FUSE_SET_ATTR_SIZE) {
		if (fi ? ftruncate((int)fi->fh, attr->st_size)
		       : truncate(path, attr->st_size))
			return errno;
	}
	if (valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME)) {
		struct timespec tv[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
		if (valid & FUSE_SET_ATTR_ATIME_NOW)
			tv[0].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_ATIME)
			tv[0] = attr->st_atim;
		if (valid & FUSE_SET_ATTR_MTIME_NOW)
			tv[1].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_MTIME)
			tv[1] = attr->st_mtim;
		if (fi ? futimens((int)fi->fh, tv)
		       : utimensat(AT_FDCWD, path, tv, 0))
			return errno;
	}
	return 0;
}

static void pt_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		       int valid, struct fuse_file_info *fi)
{
	int err = do_setattr(inode_of(req, ino), attr, valid, fi);
	if (err)
		fuse_reply_err(req, err);
	else
		pt_getattr(req, ino, fi);
}

static void pt_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode)
{
	struct fuse_entry_param e;
	int err = 0;
	if (mkdirat(inode_of(req, parent)->fd, name, mode))
		err = errno;
	else
		err = do_lookup(req, parent, name, &e);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_entry(req, &e);
}

static void pt_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	int rc = unlinkat(inode_of(req, parent)->fd, name, 0);
	fuse_reply_err(req, rc ? errno : 0);
}

static void pt_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	int rc = unlinkat(inode_of(req, parent)->fd, name, AT_REMOVEDIR);
	fuse_reply_err(req, rc ? errno : 0);
}

static void pt_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	if (flags) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	int rc = renameat(inode_of(req, parent)->fd, name,
			  inode_of(req, newparent)->fd, newname);
	fuse_reply_err(req, rc ? errno : 0);
}

static void pt_opendir(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct dir_handle *d = calloc(1, sizeof *d);
	int err = 0;
	if (!d) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	int fd = openat(inode_of(req, ino)->fd, ".", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err = errno;
	else if (!(d->dp = fdopendir(fd))) {
		err = errno;
		close(fd);
	}
	if (err) {
		free(d);
		fuse_reply_err(req, err);
		return;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	fuse_reply_open(req, fi);
}

static void pt_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t offset, struct fuse_file_info *fi)
{
	struct dir_handle *d = (struct dir_handle *)(uintptr_t)fi->fh;
	char *buf = malloc(size);
	size_t used = 0;
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (offset != d->offset) {
		seekdir(d->dp, offset);
		d->entry = NULL;
		d->offset = offset;
	}
	for (;;) {
		if (!d->entry) {
			errno = 0;
			d->entry = readdir(d->dp);
			if (!d->entry) {
				if (errno && used == 0) {
					int err = errno;
					free(buf);
					fuse_reply_err(req, err);
					return;
				}
				break;
			}
		}
		struct stat st = { .st_ino = d->entry->d_ino,
				   .st_mode = (mode_t)d->entry->d_type << 12 };
		off_t next = telldir(d->dp);
		size_t n = fuse_add_direntry(req, buf + used, size - used,
					     d->entry->d_name, &st, next);
		if (n > size - used)
			break;  /* keep d->entry for the next call */
		used += n;
		d->entry = NULL;
		d->offset = next;
	}
	fuse_reply_buf(req, buf, used);
	free(buf);
}

static void pt_releasedir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	struct dir_handle *d = (struct dir_handle *)(uintptr_t)fi->fh;
	closedir(d->dp);
	free(d);
	fuse_reply_err(req, 0);
}

static void pt_create(fuse_req_t req, fuse_ino_t parent, const char *name,
		      mode_t mode, struct fuse_file_info *fi)
{
	struct fuse_entry_param e;
	int fd = openat(inode_of(req, parent)->fd, name,
			(fi->flags | O_CREAT | O_CLOEXEC) & ~O_NOFOLLOW, mode);
	if (fd < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	int err = do_lookup(req, parent, name, &e);
	if (err) {
		close(fd);
		fuse_reply_err(req, err);
		return;
	}
	fi->fh = (uint64_t)fd;
	if (fuse_reply_create(req, &e, fi) != 0) {
		close(fd);
		forget_one(pt_of(req), e.ino, 1);
	}
}

static void pt_open(fuse_req_t req, fuse_ino_t ino,
		    struct fuse_file_info *fi)
{
	char path[64];
	struct pt *pt = pt_of(req);
	int flags = fi->flags & ~O_NOFOLLOW;
	/* with the writeback cache the kernel reads write-only files too */
	if (pt->writeback && (flags & O_ACCMODE) == O_WRONLY)
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	if (pt->writeback)
		flags &= ~O_APPEND;
	proc_path(path, sizeof path, inode_of(req, ino)->fd);
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	fi->fh = (uint64_t)fd;
	if (fuse_reply_open(req, fi) != 0)
		close(fd);
}

static void pt_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct fuse_bufvec buf = FUSE_BUFVEC_INIT(size);
	buf.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	buf.buf[0].fd = (int)fi->fh;
	buf.buf[0].pos = off;
	fuse_reply_data(req, &buf, FUSE_BUF_SPLICE_MOVE);
}

static void pt_write(fuse_req_t req, fuse_ino_t ino, const char *data,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	size_t done = 0;
	while (done < size) {
		ssize_t n = pwrite((int)fi->fh, data + done, size - done,
				   off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fuse_reply_err(req, errno);
			return;
		}
		done += (size_t)n;
	}
	fuse_reply_write(req, done);
}

static void pt_write_buf(fuse_req_t req, fuse_ino_t ino,
			 struct fuse_bufvec *in, off_t off,
			 struct fuse_file_info *fi)
{
	struct fuse_bufvec out = FUSE_BUFVEC_INIT(fuse_buf_size(in));
	out.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	out.buf[0].fd = (int)fi->fh;
	out.buf[0].pos = off;
	ssize_t n = fuse_buf_copy(&out, in, FUSE_BUF_SPLICE_MOVE);
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_write(req, (size_t)n);
}

static void pt_flush(fuse_req_t req, fuse_ino_t ino,
		     struct fuse_file_info *fi)
{
	/* what close() of the backing file would report, as passthrough_ll */
	int rc = close(dup((int)fi->fh));
	fuse_reply_err(req, rc ? errno : 0);
}

static void pt_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	close((int)fi->fh);
	fuse_reply_err(req, 0);
}

static void pt_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
		     struct fuse_file_info *fi)
{
	int fd = (int)fi->fh;
	int rc = datasync ? fdatasync(fd) : fsync(fd);
	fuse_reply_err(req, rc ? errno : 0);
}

static void pt_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;
	if (fstatvfs(inode_of(req, ino)->fd, &sv))
		fuse_reply_err(req, errno);
	else
		fuse_reply_statfs(req, &sv);
}

static const struct fuse_lowlevel_ops pt_ops = {
	.init = pt_init,
	.lookup = pt_lookup,
	.forget = pt_forget,
	.forget_multi = pt_forget_multi,
	.getattr = pt_getattr,
	.setattr = pt_setattr,
	.mkdir = pt_mkdir,
	.unlink = pt_unlink,
	.rmdir = pt_rmdir,
	.rename = pt_rename,
	.opendir = pt_opendir,
	.readdir = pt_readdir,
	.releasedir = pt_releasedir,
	.create = pt_create,
	.open = pt_open,
	.read = pt_read,
	.write = pt_write,
	.flush = pt_flush,
	.release = pt_release,
	.fsync = pt_fsync,
	.statfs = pt_statfs,
};

struct options {
	char *source;
	double timeout;
	int writeback, splice;
	unsigned max_write;
};

static const struct fuse_opt option_spec[] = {
	{ "source=%s", offsetof(struct options, source), 0 },
	{ "timeout=%lf", offsetof(struct options, timeout), 0 },
	{ "writeback", offsetof(struct options, writeback), 1 },
	{ "splice", offsetof(struct options, splice), 1 },
	{ "max_write=%u", offsetof(struct options, max_write), 0 },
	FUSE_OPT_END
};

static void usage(const char *prog)
{
	printf("usage: %s [options] -o source=DIR MOUNTPOINT\n\n"
	       "A minimal passthrough filesystem: the copy-in baseline of\n"
	       "bench/run (see bench/README.md).\n\n"
	       "    -o source=DIR      the backing directory\n"
	       "    -o timeout=SECS    entry and attribute timeout (1.0)\n"
	       "    -o writeback       use the writeback cache (off)\n"
	       "    -o splice          splice written data (off)\n"
	       "    -o max_write=N     lower max_write (libfuse's: 1 MiB)\n\n",
	       prog);
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct options opt = { .timeout = 1.0 };
	struct fuse_cmdline_opts cmd = { 0 };
	struct pt pt = { .lock = PTHREAD_MUTEX_INITIALIZER, .root.fd = -1 };
	struct fuse_session *se = NULL;
	struct fuse_loop_config *cfg = NULL;
	struct fuse_lowlevel_ops ops = pt_ops;
	struct stat st;
	int ret = 1;

	if (fuse_opt_parse(&args, &opt, option_spec, NULL) == -1)
		return 1;
	if (fuse_parse_cmdline(&args, &cmd) != 0)
		goto out_args;
	if (cmd.show_help) {
		usage(argv[0]);
		fuse_cmdline_help();
		fuse_lowlevel_help();
		ret = 0;
		goto out_args;
	}
	if (cmd.show_version) {
		fuse_lowlevel_version();
		ret = 0;
		goto out_args;
	}
	if (!cmd.mountpoint || !opt.source) {
		fprintf(stderr, "%s: need -o source=DIR and a mountpoint "
			"(see --help)\n", argv[0]);
		goto out_args;
	}
	pt.root.fd = open(opt.source, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pt.root.fd < 0 || fstat(pt.root.fd, &st)) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", argv[0],
			opt.source, strerror(errno));
		goto out_args;
	}
	pt.root.dev = st.st_dev;
	pt.root.ino = st.st_ino;
	pt.root.nlookup = 2;
	pt.timeout = opt.timeout;
	pt.writeback = opt.writeback;
	pt.splice = opt.splice;
	pt.max_write = opt.max_write;
	if (opt.splice)
		ops.write_buf = pt_write_buf;

	se = fuse_session_new(&args, &ops, sizeof ops, &pt);
	if (!se)
		goto out_root;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_session;
	if (fuse_session_mount(se, cmd.mountpoint) != 0)
		goto out_signals;
	if (fuse_daemonize(cmd.foreground) != 0)
		goto out_unmount;

	if (cmd.singlethread) {
		ret = fuse_session_loop(se);
	} else {
		cfg = fuse_loop_cfg_create();
		if (!cfg)
			goto out_unmount;
		fuse_loop_cfg_set_clone_fd(cfg, (unsigned)cmd.clone_fd);
		fuse_loop_cfg_set_max_threads(cfg, cmd.max_threads);
		ret = fuse_session_loop_mt(se, cfg);
		fuse_loop_cfg_destroy(cfg);
	}
	ret = ret != 0;
out_unmount:
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
out_root:
	close(pt.root.fd);
out_args:
	free(opt.source);
	free(cmd.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
