/*
 * store.h - the SQLite store behind a mount: the tree, the blobs, and the
 * kept link results. store.c is the only file that includes sqlite3.h.
 *
 * Invariants:
 *   - node id 1 is the mount root; ids are never reused while a row exists;
 *   - a file row with complete = 0 was created but never flushed; it is not
 *     a link input and does not survive a restart (store_open deletes it);
 *   - every blob hash is XXH3-128 of its data (16 bytes, big-endian);
 *   - every function takes the store's mutex itself, so callers may use one
 *     store from many threads; writes run in BEGIN IMMEDIATE transactions.
 * Errors are negative errno values: -ENOENT, -EEXIST, -ENOTEMPTY, -ENOSPC
 * (SQLITE_FULL), -ENOMEM, -EFBIG (SQLITE_TOOBIG: content over the store's
 * limit), -EIO (anything else, logged to stderr with the SQL text); every
 * SQLite call that writes is checked (docs/store.md lists them). Leaves
 * out: anything FUSE, linking, caching.
 */
#ifndef LINKFS_STORE_H
#define LINKFS_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_HASH_LEN 16
#define STORE_NFILES 13   /* link_files idx: 0 executable, 1..12 tables
			     (1 + DUMP_KIND_COUNT: checked in result.c) */

enum node_kind { NODE_FILE = 0, NODE_DIR = 1 };

struct store_node {
	uint64_t id, parent;
	int kind;               /* enum node_kind */
	uint32_t mode;          /* permission bits only */
	int64_t mtime_ns, ctime_ns;
	uint64_t size;
	uint8_t hash[STORE_HASH_LEN];
	int has_blob;
	int complete;
	int role;               /* enum name_role (names.h) */
	uint64_t subdirs;       /* a directory's subdirectories (st_nlink - 2) */
};

struct store;

/*
 * Opens (creating if needed) the store at path with SQLITE_OPEN_NOFOLLOW,
 * after checking that the store, its -wal and -shm files and its directory
 * belong to this user and no one else can write them (regular files only;
 * a store this call created is removed again when the open fails),
 * sets WAL, synchronous=NORMAL (store_set_sync: FULL) and a busy
 * timeout, applies the embedded migrations, refuses a store newer than
 * this binary, and deletes incomplete rows. Returns 0 and *out, or -1 with a message in err.
 * Free with store_close.
 */
int store_open(const char *path, struct store **out, char *err, size_t errlen);
/* Another connection to a store store_open opened (no migration, no
 * clean-up), for the keeper: WAL lets the daemon read while it writes. */
int store_open_more(const char *path, struct store **out, char *err,
		    size_t errlen);
void store_close(struct store *st);

int store_get(struct store *st, uint64_t id, struct store_node *out);
int store_lookup(struct store *st, uint64_t parent, const char *name,
		 size_t len, struct store_node *out);
/* Inserts a new empty file or directory; -EEXIST if the name is taken. */
int store_create(struct store *st, uint64_t parent, const char *name,
		 size_t len, int kind, uint32_t mode, int role, int complete,
		 int64_t now, struct store_node *out);

/*
 * Commits the whole content of file id in one transaction (blob, path row,
 * complete = 1, and the unit's input time when the file is an input).
 * *touched_unit is set to the parent dir when a unit's inputs changed,
 * else 0. A vanished node (unlinked while open) is not an error. hash is
 * store_hash of the content (the caller has it for its own use too).
 */
int store_write_file(struct store *st, uint64_t id, const uint8_t *data,
		     size_t len, const uint8_t hash[STORE_HASH_LEN],
		     int64_t now, uint64_t *touched_unit);
/* The largest content the store takes in one file: SQLITE_LIMIT_LENGTH
 * (1,000,000,000 unless LINKFS_TEST_LIMIT_LENGTH lowers it) less 64 bytes
 * for the rest of the row. The handlers refuse to grow a file past it
 * (EFBIG at write() and truncate()); store_write_file of more fails with
 * -EFBIG from SQLite itself. */
uint64_t store_max_file(struct store *st);

/* Reads a blob; *data is malloc'd (caller frees; NULL when len is 0). */
int store_read_blob(struct store *st, const uint8_t hash[STORE_HASH_LEN],
		    uint8_t **data, size_t *len);

int store_set_mode(struct store *st, uint64_t id, uint32_t mode, int64_t now);
int store_set_mtime(struct store *st, uint64_t id, int64_t mtime, int64_t now);

/* Removes a file (dir = 0) or an empty directory (dir = 1). */
int store_remove(struct store *st, uint64_t parent, const char *name,
		 size_t len, int dir, int64_t now, uint64_t *touched_unit);

/*
 * Renames; replaces an existing file (or empty directory, for a directory)
 * unless noreplace. new_role is the role of the new name. touched[0..1]
 * receive the units whose inputs changed (0 = none).
 */
int store_rename(struct store *st, uint64_t parent, const char *name,
		 size_t len, uint64_t newparent, const char *newname,
		 size_t newlen, int new_role, int noreplace, int64_t now,
		 uint64_t touched[2]);

/* Calls fn for each child of dir in name (byte) order; stops when fn
 * returns nonzero. */
typedef int (*store_list_fn)(void *arg, uint64_t id, const char *name,
			     size_t len, int kind);
int store_list(struct store *st, uint64_t dir, store_list_fn fn, void *arg);

/* 1 if dir holds at least one committed *.o, 0 if not, or -errno. */
int store_unit_has_object(struct store *st, uint64_t dir);

/* Calls fn for each committed input (role > 0) of dir, in name order. */
typedef int (*store_input_fn)(void *arg, const char *name, size_t len,
			      const uint8_t hash[STORE_HASH_LEN], int role);
int store_unit_inputs(struct store *st, uint64_t dir, store_input_fn fn,
		      void *arg);
/* The unit's latest input change (0 if never) and its kept result key. */
int store_unit_get(struct store *st, uint64_t dir, int64_t *input_ns,
		   uint8_t key[STORE_HASH_LEN], int *has_key);

struct stored_file { uint8_t *data; size_t len; };
struct stored_result {
	int ok;
	char *log; size_t log_len;      /* malloc'd, NUL-terminated */
	char *output_name;              /* malloc'd */
	struct stored_file files[STORE_NFILES]; /* malloc'd data */
};
/* Loads a kept result: 0, -ENOENT, or -errno. Free with
 * stored_result_release. */
int store_result_get(struct store *st, const uint8_t key[STORE_HASH_LEN],
		     struct stored_result *out);
void stored_result_release(struct stored_result *r);
/* Makes an already kept result dir's current one. */
int store_unit_set_result(struct store *st, uint64_t dir,
			  const uint8_t key[STORE_HASH_LEN]);
/* Keeps a result under key and makes it dir's current result. */
int store_result_put(struct store *st, uint64_t dir,
		     const uint8_t key[STORE_HASH_LEN],
		     const struct stored_result *r, int64_t now);

/* Deletes link results no unit points to, then blobs nothing references.
 * Returns the number of blobs deleted, or -errno. */
int store_gc(struct store *st);

/*
 * Durability. A commit is in the WAL when it returns, so it survives the
 * daemon's death (kill -9) either way. With synchronous=NORMAL (the
 * default) the WAL is synced at checkpoints and by store_sync, so an OS
 * crash or power loss may lose commits since then, as a local filesystem
 * may lose data written since the last fsync. store_set_sync(st, 1) makes
 * every commit synced (synchronous=FULL): slower, and close() then implies
 * power-loss durability. 0 or -errno.
 */
int store_set_sync(struct store *st, int full);
/* Syncs the WAL and the database file: every commit so far is durable. */
int store_sync(struct store *st);

/* Totals for statfs. */
int store_totals(struct store *st, uint64_t *nodes, uint64_t *bytes);

/* XXH3-128 of data as 16 big-endian bytes. */
void store_hash(const void *data, size_t len, uint8_t out[STORE_HASH_LEN]);

#endif
