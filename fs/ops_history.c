/*
 * ops_history.c - a unit's .history directory (names.h): `.history/GEN/`
 * for each generation the store keeps (store_history.c), holding that
 * link's executable, tables and link.log, read from its kept result.
 *
 * Nothing here links: every name and size comes from the store. The tree
 * is read-only as the synthetic files are: opening for writing fails with
 * EACCES, creating a name that exists with EEXIST and any other with
 * EACCES, rename, chmod, truncate and utimens with EPERM. Removing a name
 * in it (or .history itself) succeeds and changes nothing, so `rm -rf`
 * of a unit works in one pass; the generations go with the directory.
 * A stored entry named .history keeps its name, and hides the history.
 * Leaves out: adding and dropping generations (the keeper, store.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

/* 1 if dir shows a .history: it has generations and no stored entry
 * takes the name; 0 if not; -errno. *latest_ns: the newest one's time. */
static int shown(struct linkfs *fs, uint64_t dir, int64_t *latest_ns)
{
	uint64_t gen;
	int rc = store_history_latest(fs->st, dir, &gen, latest_ns);
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	struct store_node n;
	rc = store_lookup(fs->st, dir, HIST_NAME, strlen(HIST_NAME), &n);
	return rc == -ENOENT ? 1 : rc ? rc : 0;
}

int hist_is_name(const char *name, size_t len)
{
	return len == strlen(HIST_NAME) && !memcmp(name, HIST_NAME, len);
}

/* A generation's number from its name (decimal, no leading zero): 0 when
 * name is not one. */
static uint64_t gen_of_name(const char *name, size_t len)
{
	if (!len || len > 19 || name[0] == '0')
		return 0;
	uint64_t g = 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		g = g * 10 + (uint64_t)(name[i] - '0');
	}
	return g;
}

/* The generation ino names (its low bits, the newest that has them). */
static int gen_of_ino(struct linkfs *fs, uint64_t ino, struct store_gen *g)
{
	return store_history_get(fs->st, hist_dir(ino), hist_gen16(ino),
				 (1u << HIST_GEN_BITS) - 1, g);
}

/* File k of generation g: 1 and its size if the generation has it. */
static int gen_file(const struct store_gen *g, int k, uint64_t *size)
{
	const struct dump_file *d = dump_file_at(k);
	if (!d)
		return 0;
	if (d->role == DUMP_FILE_LOG) {
		*size = g->log_len;
		return 1;
	}
	int i = dump_file_stored(k);
	if (i < 0 || !g->ok)
		return 0;   /* a failed link kept its log only */
	*size = g->size[i];
	return 1;
}

static void dir_attr(struct stat *st, uint64_t ino, int64_t mtime)
{
	attr_fill(st, ino, S_IFDIR | 0555, 0, mtime, mtime);
}

static int count_gen(void *arg, uint64_t gen, int ok, int64_t created_ns)
{
	(void)gen;
	(void)ok;
	(void)created_ns;
	++*(nlink_t *)arg;
	return 0;
}

int hist_attr(struct linkfs *fs, uint64_t ino, struct stat *st)
{
	int k = hist_kind(ino);
	if (k == HIST_TOP_K) {
		int64_t t;
		int rc = shown(fs, hist_dir(ino), &t);
		if (rc <= 0)
			return rc ? rc : -ENOENT;
		dir_attr(st, ino, t);
		/* 2 + its subdirectories, the generations (find relies on it) */
		return store_history_list(fs->st, hist_dir(ino), count_gen,
					  &st->st_nlink);
	}
	struct store_gen g;
	int rc = gen_of_ino(fs, ino, &g);
	if (rc)
		return rc;
	if (k == HIST_GEN_K) {
		dir_attr(st, ino, g.created_ns);
		return 0;
	}
	uint64_t size;
	if (!gen_file(&g, k, &size))
		return -ENOENT;
	mode_t mode = synth_role(k) == DUMP_FILE_EXE ? 0555 : 0444;
	attr_fill(st, ino, S_IFREG | mode, size, g.created_ns, g.created_ns);
	return 0;
}

int hist_lookup(struct linkfs *fs, uint64_t parent, const char *name,
		size_t len, uint64_t *ino)
{
	if (!ino_is_hist(parent)) {   /* .history in a directory */
		int64_t t;
		if (!hist_is_name(name, len))
			return -ENOENT;
		int rc = shown(fs, parent, &t);
		if (rc <= 0)
			return rc ? rc : -ENOENT;
		*ino = hist_ino(parent, 0, HIST_TOP_K);
		return 0;
	}
	uint64_t dir = hist_dir(parent);
	struct store_gen g;
	if (hist_kind(parent) == HIST_TOP_K) {
		uint64_t gen = gen_of_name(name, len);
		if (!gen)
			return -ENOENT;
		int rc = store_history_get(fs->st, dir, gen, UINT64_MAX, &g);
		if (rc)
			return rc;
		*ino = hist_ino(dir, gen, HIST_GEN_K);
		return 0;
	}
	if (hist_kind(parent) != HIST_GEN_K)
		return -ENOTDIR;
	int rc = gen_of_ino(fs, parent, &g);
	if (rc)
		return rc;
	int k = synth_from_name(name, len, g.output);
	uint64_t size;
	if (k < 0 || !gen_file(&g, k, &size))
		return -ENOENT;
	*ino = hist_ino(dir, g.gen, k);
	return 0;
}

struct list_gens {
	struct fh *f;
	uint64_t dir;
	int rc;
};

static int list_gen(void *arg, uint64_t gen, int ok, int64_t created_ns)
{
	struct list_gens *c = arg;
	char name[24];
	int n = snprintf(name, sizeof name, "%llu", (unsigned long long)gen);
	(void)ok;
	(void)created_ns;
	c->rc = fh_add_dirent(c->f, hist_ino(c->dir, gen, HIST_GEN_K), S_IFDIR,
			      name, (size_t)n);
	return c->rc;
}

int hist_list(struct linkfs *fs, uint64_t ino, struct fh *f)
{
	uint64_t dir = hist_dir(ino);
	int k = hist_kind(ino);
	if (k != HIST_TOP_K && k != HIST_GEN_K)
		return -ENOTDIR;
	struct stat st;
	int rc = hist_attr(fs, ino, &st);   /* it is (still) there */
	if (rc)
		return rc;
	uint64_t up = k == HIST_TOP_K ? dir : hist_ino(dir, 0, HIST_TOP_K);
	rc = fh_add_dirent(f, ino, S_IFDIR, ".", 1);
	if (!rc)
		rc = fh_add_dirent(f, up, S_IFDIR, "..", 2);
	if (rc)
		return rc;
	if (k == HIST_TOP_K) {
		struct list_gens c = { f, dir, 0 };
		rc = store_history_list(fs->st, dir, list_gen, &c);
		return rc ? rc : c.rc;
	}
	struct store_gen g;
	rc = gen_of_ino(fs, ino, &g);
	for (int i = 0; !rc && i < SYNTH_COUNT; i++) {
		uint64_t size;
		const char *name = synth_name(i, g.output);
		if (name && gen_file(&g, i, &size))
			rc = fh_add_dirent(f, hist_ino(dir, g.gen, i), S_IFREG,
					   name, strlen(name));
	}
	return rc;
}

int hist_open(struct linkfs *fs, uint64_t ino, int flags, struct fh **out)
{
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return -EACCES;
	int k = hist_kind(ino);
	if (k == HIST_TOP_K || k == HIST_GEN_K)
		return -EISDIR;
	struct store_gen g;
	int rc = gen_of_ino(fs, ino, &g);
	uint64_t size;
	if (!rc && !gen_file(&g, k, &size))
		rc = -ENOENT;
	if (rc)
		return rc;
	struct fh *f = fh_new(FH_TEXT, ino);
	if (!f)
		return -ENOMEM;
	const struct dump_file *d = dump_file_at(k);
	rc = store_history_file(fs->st, g.key,
				d->role == DUMP_FILE_LOG ? -1 : dump_file_stored(k),
				&f->data, &f->len);
	if (!rc && !f->data && !(f->data = malloc(1)))
		rc = -ENOMEM;   /* empty: reads take no offset of NULL */
	if (rc) {
		fh_unref(f);
		return rc;
	}
	*out = f;
	return 0;
}

int hist_refuse_create(struct linkfs *fs, uint64_t parent, const char *name,
		       size_t len)
{
	uint64_t ino;
	if (ino_is_hist(parent))
		return hist_lookup(fs, parent, name, len, &ino) == 0 ? -EEXIST
								   : -EACCES;
	if (hist_is_name(name, len) && !hist_lookup(fs, parent, name, len, &ino))
		return -EEXIST;
	return 0;
}
