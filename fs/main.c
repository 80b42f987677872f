/*
 * main.c - the linkfs daemon: options, the store's location, mounting, and
 * the session loop (a goto cleanup ladder, as in passthrough_hp).
 *
 * The store is opened once before forking (to report errors such as a
 * newer schema on the terminal), closed, and reopened after daemonizing,
 * because an SQLite connection must not cross a fork. Every path is made
 * absolute before fuse_daemonize(), which changes to "/".
 *
 * Two command lines: `linkfs [-o OPTS] MOUNTPOINT` and the one mount(8)'s
 * helpers use (mount.fuse3, mount-scripts/mount.fuse.linkfs):
 * `linkfs SOURCE MOUNTPOINT -o OPTS`, where SOURCE is the store (or
 * "linkfs"/"none" for the default one) and OPTS may hold options only
 * mount(8) knows (nofail, noauto, x-*...), which are dropped here.
 * Leaves out: the handlers (ops_*.c) and the store itself (store.c).
 */
#include <errno.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobcache.h"
#include "collector.h"
#include "ops.h"
#include "pins.h"

/* Input bytes kept in memory for links (blobcache.h). */
#define BLOB_CACHE_BYTES ((size_t)256 << 20)
/* The collector's last pass at unmount, at most. */
#define UNMOUNT_COLLECT_MS 300

/* How long a link waits for the writers of its inputs to close them. */
#define WRITERS_WAIT_MS 2000

static void wait_writers(void *arg, uint64_t dir)
{
	(void)inodes_unit_wait(arg, dir, WRITERS_WAIT_MS);
}



/* 1 if an -o option among args sets fsname. */
static int has_fsname(const struct fuse_args *args)
{
	for (int i = 1; i < args->argc; i++)
		if (strstr(args->argv[i], "fsname="))
			return 1;
	return 0;
}

/* Adds -o fsname=PATH, with the commas and backslashes of PATH escaped as
 * libfuse's option parser wants; 0 or -1 (out of memory, logged). */
static int add_fsname(struct fuse_args *args, const char *path)
{
	size_t n = strlen(path);
	char *o = malloc(2 * n + sizeof "-ofsname=");
	if (!o) {
		fprintf(stderr, "linkfs: out of memory\n");
		return -1;
	}
	char *p = o + sprintf(o, "-ofsname=");
	for (size_t i = 0; i < n; i++) {
		if (path[i] == ',' || path[i] == '\\')
			*p++ = '\\';
		*p++ = path[i];
	}
	*p = 0;
	int rc = fuse_opt_add_arg(args, o);
	free(o);
	if (rc)
		fprintf(stderr, "linkfs: out of memory\n");
	return rc ? -1 : 0;
}

struct options {
	char *store;
	char *sync;
	char *pos[2];   /* the arguments that are not options, malloc'd */
	int npos;       /* how many there were (more than 2 is an error) */
};

static const struct fuse_opt option_spec[] = {
	{ "store=%s", offsetof(struct options, store), 0 },
	{ "sync=%s", offsetof(struct options, sync), 0 },
	FUSE_OPT_END
};

/* 1 for an option only mount(8) and fstab know. mount(8) passes nofail
 * down to the helper, and mount.fuse3 passes on all but a few; libfuse
 * would refuse them as unknown. */
static int mount_only_option(const char *o)
{
	static const char *const names[] = {
		"defaults", "auto", "noauto", "user", "users", "nouser",
		"owner", "group", "nofail", "_netdev",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(o, names[i]))
			return 1;
	return !strncmp(o, "x-", 2) || !strncmp(o, "comment=", 8);
}

/* fuse_opt_parse's callback: keeps the arguments that are not options in
 * o->pos (SOURCE and MOUNTPOINT, or MOUNTPOINT) and drops mount-only
 * options; 0 (drop), 1 (keep) or -1 (out of memory). */
static int opt_proc(void *data, const char *arg, int key,
		    struct fuse_args *outargs)
{
	struct options *o = data;
	(void)outargs;
	if (key == FUSE_OPT_KEY_NONOPT) {
		if (o->npos < 2 && !(o->pos[o->npos] = strdup(arg))) {
			fprintf(stderr, "linkfs: out of memory\n");
			return -1;
		}
		o->npos++;
		return 0;
	}
	return key == FUSE_OPT_KEY_OPT && mount_only_option(arg) ? 0 : 1;
}

/*
 * SOURCE, mount(8)'s first argument, names the store, unless it is
 * "linkfs", "none" or empty: the default store. 0, or -1 after a message
 * when -o store= names another one.
 */
static int take_source(struct options *o, const char *src)
{
	if (!*src || !strcmp(src, "linkfs") || !strcmp(src, "none"))
		return 0;
	if (o->store && strcmp(o->store, src)) {
		fprintf(stderr, "linkfs: two stores given: '%s' (the source) "
			"and '%s' (-o store=)\n", src, o->store);
		return -1;
	}
	free(o->store);
	if (!(o->store = strdup(src))) {
		fprintf(stderr, "linkfs: out of memory\n");
		return -1;
	}
	return 0;
}

static void usage(const char *prog)
{
	printf("usage: %s [options] [STORE] MOUNTPOINT\n\n"
	       "A filesystem that links: a directory holding a program's Mach-O\n"
	       "objects (or a link.conf) serves the linked executable and its\n"
	       "tables (see linkfs(1)).\n"
	       "STORE, as mount(8) passes it, is -o store=STORE (\"linkfs\" or\n"
	       "\"none\": the default store).\n\n"
	       "linkfs options:\n"
	       "    -o store=PATH          the SQLite store (default:\n"
	       "                           $XDG_DATA_HOME/linkfs/<hash of the mountpoint>.db,\n"
	       "                           else $HOME/.local/share/linkfs/..., else the same\n"
	       "                           under the home directory in /etc/passwd)\n"
	       "    -o sync=normal|full    normal (default): close() commits (survives\n"
	       "                           a daemon crash), fsync() makes it durable;\n"
	       "                           full: every close() is synced to disk\n"
	       "    -o nofail,noauto,x-... mount(8)'s own options are ignored\n\n",
	       prog);
}

/* mkdir -p with mode 0700 for each created component; 0 or -1. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * The home directory of the effective user in the password database, if
 * it is an absolute path to a directory that exists (a system user's
 * "/nonexistent" is not created); NULL after a message.
 */
static const char *passwd_home(void)
{
	struct passwd *pw = getpwuid(geteuid());
	struct stat sb;
	if (!pw || !pw->pw_dir || pw->pw_dir[0] != '/' ||
	    stat(pw->pw_dir, &sb) || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "linkfs: neither XDG_DATA_HOME nor HOME is set, "
			"and uid %u has no home directory: use -o store=PATH\n",
			(unsigned)geteuid());
		return NULL;
	}
	return pw->pw_dir;
}

/*
 * The default store path for mountpoint; malloc'd (the caller frees), or
 * NULL after a message. The directory is $XDG_DATA_HOME/linkfs, else
 * $HOME/.local/share/linkfs, else the same under the home directory the
 * password database gives: mount(8) at boot, systemd and cron run without
 * HOME, and the store must be the one a login shell's mount chose (for
 * root, /root/.local/share/linkfs).
 */
static char *default_store(const char *mountpoint)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char base[4096];
	if (!strncmp(mountpoint, "/dev/fd/", 8)) {
		/* mount.fuse3's drop_privileges passes the open /dev/fuse:
		 * there is no mountpoint to tell stores apart by */
		fprintf(stderr, "linkfs: mountpoint '%s' is a descriptor: "
			"name the store (-o store=PATH or the source)\n",
			mountpoint);
		return NULL;
	}
	if (xdg && *xdg == '/')
		snprintf(base, sizeof base, "%s/linkfs", xdg);
	else if (home && *home == '/')
		snprintf(base, sizeof base, "%s/.local/share/linkfs", home);
	else if ((home = passwd_home()))
		snprintf(base, sizeof base, "%s/.local/share/linkfs", home);
	else
		return NULL;
	if (make_dirs(base)) {
		fprintf(stderr, "linkfs: cannot create '%s': %s\n", base,
			strerror(errno));
		return NULL;
	}
	/* the store's own directory is ours alone: 0700, owned by us */
	struct stat sb;
	if (stat(base, &sb) || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "linkfs: '%s' is not a directory\n", base);
		return NULL;
	}
	if (sb.st_uid != geteuid()) {
		fprintf(stderr, "linkfs: '%s' belongs to another user (uid %u): "
			"use -o store=PATH\n", base, (unsigned)sb.st_uid);
		return NULL;
	}
	if ((sb.st_mode & 077) && chmod(base, 0700)) {
		fprintf(stderr, "linkfs: cannot make '%s' private: %s\n", base,
			strerror(errno));
		return NULL;
	}
	uint8_t h[STORE_HASH_LEN];
	store_hash(mountpoint, strlen(mountpoint), h);
	char *out = malloc(strlen(base) + 2 * STORE_HASH_LEN + 8);
	if (!out)
		return NULL;
	char *p = out + sprintf(out, "%s/", base);
	for (int i = 0; i < STORE_HASH_LEN; i++)
		p += sprintf(p, "%02x", h[i]);
	strcpy(p, ".db");
	return out;
}

/*
 * The store's path with its directory resolved (realpath), or NULL after a
 * message. A store reached through a symlinked directory works: from here
 * on the daemon uses the resolved path, so the directory it checks
 * (store.c, check_dir) is the one SQLite writes in, and a link changed
 * later changes nothing. The store file itself must not be a symlink
 * (store.c refuses it). A store inside the mount is refused (it would be
 * hidden, and recursive).
 */
static char *resolve_store_path(const char *store, const char *mountpoint)
{
	const char *slash = strrchr(store, '/');
	const char *base = slash ? slash + 1 : store;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		fprintf(stderr, "linkfs: store '%s' names no file\n", store);
		return NULL;
	}
	char *dir = slash ? strndup(store, slash == store ? 1 : (size_t)(slash - store))
			  : strdup(".");
	char real[4096];
	char *out = NULL;
	if (!dir) {
		fprintf(stderr, "linkfs: out of memory\n");
		return NULL;
	}
	if (!realpath(dir, real)) {
		fprintf(stderr, "linkfs: cannot use store directory '%s': %s\n",
			dir, strerror(errno));
		goto done;
	}
	size_t n = strlen(mountpoint);
	if (!strncmp(real, mountpoint, n) && (real[n] == '/' || real[n] == 0)) {
		fprintf(stderr, "linkfs: store '%s' lies inside the mount '%s'\n",
			store, mountpoint);
		goto done;
	}
	size_t rl = strlen(real);
	out = malloc(rl + strlen(base) + 2);
	if (!out) {
		fprintf(stderr, "linkfs: out of memory\n");
		goto done;
	}
	sprintf(out, "%s%s%s", real, real[rl - 1] == '/' ? "" : "/", base);
done:
	free(dir);
	return out;
}

static void init(void *userdata, struct fuse_conn_info *conn)
{
	/* O_TRUNC arrives with open, so the old content stays a link input
	 * until the new one is flushed */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
	/* No auto_inval_data (libfuse turns it on): it asks for the
	 * attributes before every read() of a synthetic file (attribute
	 * timeout 0), which halved the re-read rate of a cached a.out. The
	 * kernel's copies cannot go stale behind its back: every write
	 * comes through it, and synthetic files change only at an open,
	 * whose first cached open invalidates what the kernel holds
	 * (inodes_open_snapshot). A read past the kernel's size still asks.
	 * a.out is read whole, so let the kernel ask for up to 1 MiB at a
	 * time (libfuse already offers 1 MiB requests) instead of 128 KiB. */
	conn->want &= ~(unsigned)FUSE_CAP_AUTO_INVAL_DATA;
	if (conn->max_readahead < 1u << 20)
		conn->max_readahead = 1u << 20;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct options opt = { 0 };
	struct fuse_cmdline_opts cmd = { 0 };
	struct linkfs fs = { .entry_timeout = 1.0, .attr_timeout = 1.0 };
	struct store *gc_st = NULL;   /* the collector's connection */
	struct fuse_session *se = NULL;
	struct fuse_loop_config *cfg = NULL;
	char *store_path = NULL;
	char err[512];
	int ret = 1;

	if (fuse_opt_parse(&args, &opt, option_spec, opt_proc) == -1)
		goto out_args;
	if (opt.npos > 2) {
		fprintf(stderr, "linkfs: too many arguments (usage: '%s [options] "
			"[STORE] MOUNTPOINT')\n", argv[0]);
		goto out_args;
	}
	/* the mountpoint goes back for fuse_parse_cmdline, which makes it
	 * absolute (or takes /dev/fd/N) */
	if (opt.npos && fuse_opt_add_arg(&args, opt.pos[opt.npos - 1])) {
		fprintf(stderr, "linkfs: out of memory\n");
		goto out_args;
	}
	if (opt.npos == 2 && take_source(&opt, opt.pos[0]))
		goto out_args;
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
		printf("linkfs version %s\n", LINKFS_VERSION);
		/* before fusermount3 --version, which libfuse runs, writes */
		fflush(stdout);
		fuse_lowlevel_version();
		ret = 0;
		goto out_args;
	}
	if (!cmd.mountpoint) {
		fprintf(stderr, "linkfs: no mountpoint given (see '%s --help')\n",
			argv[0]);
		goto out_args;
	}
	int sync_full = opt.sync && !strcmp(opt.sync, "full");
	if (opt.sync && !sync_full && strcmp(opt.sync, "normal")) {
		fprintf(stderr, "linkfs: bad value '%s' for -o sync "
			"(normal or full)\n", opt.sync);
		goto out_args;
	}
	{
		char *given = opt.store ? strdup(opt.store)
					: default_store(cmd.mountpoint);
		store_path = given ? resolve_store_path(given, cmd.mountpoint) : NULL;
		free(given);
		if (!store_path)
			goto out_args;
	}

	/* report store problems on the terminal, before forking */
	if (store_open(store_path, &fs.st, err, sizeof err)) {
		fprintf(stderr, "linkfs: %s\n", err);
		goto out_args;
	}
	store_close(fs.st);
	fs.st = NULL;

	/* the mount's source (mount(8), /proc/mounts, df) names the store,
	 * unless -o fsname= says otherwise */
	if (!has_fsname(&args) && add_fsname(&args, store_path))
		goto out_args;

	struct fuse_lowlevel_ops ops = linkfs_ops;
	ops.init = init;
	se = fuse_session_new(&args, &ops, sizeof ops, &fs);
	if (!se)
		goto out_args;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_session;
	if (fuse_session_mount(se, cmd.mountpoint) != 0)
		goto out_signals;
	if (fuse_daemonize(cmd.foreground) != 0)
		goto out_unmount;

	if (store_open(store_path, &fs.st, err, sizeof err)) {
		fprintf(stderr, "linkfs: %s\n", err);
		goto out_unmount;
	}
	if (store_open_more(store_path, &fs.keep_st, err, sizeof err)) {
		fprintf(stderr, "linkfs: %s\n", err);
		goto out_stores;
	}
	if (store_open_more(store_path, &gc_st, err, sizeof err)) {
		fprintf(stderr, "linkfs: %s\n", err);
		goto out_stores;
	}
	if (sync_full && (store_set_sync(fs.st, 1) || store_set_sync(fs.keep_st, 1) ||
			  store_set_sync(gc_st, 1))) {
		fprintf(stderr, "linkfs: cannot set synchronous=FULL on the store\n");
		goto out_stores;
	}
	store_gc(fs.st);
	fs.mount_ns = linkfs_now();
	fs.blobs = blobcache_new(BLOB_CACHE_BYTES);
	fs.units = fs.blobs ? units_new(fs.st, fs.keep_st, fs.blobs) : NULL;
	fs.inodes = inodes_new();
	fs.open = fh_registry_new();
	if (fs.units && fs.inodes)
		units_set_wait(fs.units, wait_writers, fs.inodes, fs.mount_ns);
	fs.pins = pins_new();
	fs.collector = fs.pins ? collector_start(gc_st, fs.pins) : NULL;
	if (fs.collector) {
		collector_share_pins(fs.st, fs.pins);
		collector_share_pins(fs.keep_st, fs.pins);
	}
	if (fs.collector)
		collector_poke(fs.collector);   /* what earlier runs left */
	if (!fs.units || !fs.inodes || !fs.open || !fs.collector) {
		fprintf(stderr, "linkfs: out of memory\n");
		goto out_state;
	}
	fs.se = se;

	if (cmd.singlethread) {
		ret = fuse_session_loop(se);
	} else {
		cfg = fuse_loop_cfg_create();
		if (!cfg)
			goto out_state;
		fuse_loop_cfg_set_clone_fd(cfg, (unsigned)cmd.clone_fd);
		fuse_loop_cfg_set_max_threads(cfg, cmd.max_threads);
		ret = fuse_session_loop_mt(se, cfg);
		fuse_loop_cfg_destroy(cfg);
	}
	/* The kernel aborts the connection when the mount goes away (also a
	 * lazy unmount once the last file closes): a worker that was taking
	 * a request off the queue at that moment reads ECONNABORTED where
	 * the others read ENODEV, which libfuse treats as the normal end.
	 * It is the same end (fault-umountz saw it once in a sanitizer run;
	 * libfuse has already printed "reading device" for it). */
	if (ret == -ECONNABORTED)
		ret = 0;
	ret = ret != 0;
	linkfs_release_all(&fs);
	store_gc(fs.st);
out_state:
	units_free(fs.units);
	/* a last pass, bounded: unmount must not wait for all of it (the
	 * next mount goes on where this one stopped) */
	collector_stop(fs.collector, UNMOUNT_COLLECT_MS);
	fs.collector = NULL;
	pins_free(fs.pins);
	blobcache_free(fs.blobs);
	inodes_free(fs.inodes);
	fh_registry_free(fs.open);
out_stores:
	store_close(gc_st);
	store_close(fs.keep_st);
	store_close(fs.st);
out_unmount:
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
out_args:
	free(store_path);
	free(opt.store);
	free(opt.sync);
	free(opt.pos[0]);
	free(opt.pos[1]);
	free(cmd.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
