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

#include "dump/dump_files.h"

#define STORE_HASH_LEN 16
/* A kept result's files, by link_files idx: dump_file_stored() of each
 * row of linker/dump/dump_files.c (the executable 0, the table of kind k
 * 1 + k); link.log is link_results.log. */
#define STORE_NFILES DUMP_STORED_COUNT
#define STORE_EXE DUMP_STORED_EXE

enum node_kind { NODE_FILE = 0, NODE_DIR = 1 };

struct store_node {
	uint64_t id, parent;
	int kind;               /* enum node_kind */
	uint32_t mode;          /* permission bits only */
	int64_t mtime_ns, ctime_ns;
	uint64_t size;
	uint8_t hash[STORE_HASH_LEN];
	int has_blob;
	uint8_t input[STORE_HASH_LEN];   /* the link input's content */
	int has_input;
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
 * Contents. A file's content is a list of chunks: chunk i holds bytes
 * [i * STORE_CHUNK, (i + 1) * STORE_CHUNK) (the last one may be shorter),
 * each stored once under XXH3-128 of its bytes; a hole (has[i] == 0)
 * reads as zeros and stores nothing. A content's id is store_content_id
 * of its list, so a commit never hashes more than the chunks it changed.
 * Contents no file, link input or kept link refers to, and chunks no
 * content or writer refers to, are garbage: store_collect deletes them
 * while the daemon runs, except the contents an open handle pinned.
 */
#define STORE_CHUNK ((size_t)1 << 20)
/* The largest file: 4 TiB (a 4 MiB chunk table in a handle). */
#define STORE_MAX_FILE ((uint64_t)1 << 42)

struct store_chunks {
	uint64_t size;
	size_t n;                          /* chunks: ceil(size / STORE_CHUNK) */
	uint8_t (*hash)[STORE_HASH_LEN];   /* n entries (malloc'd) */
	uint8_t *has;                      /* n entries: 0 for a hole */
};
/* 0, or -ENOMEM (a list of more than 8 chunks is hashed in one buffer). */
int store_content_id(const struct store_chunks *c, uint8_t id[STORE_HASH_LEN]);
void store_chunks_free(struct store_chunks *c);
/* Sets c->size and c->n, growing the arrays (new chunks are holes); 0 or
 * -ENOMEM. */
int store_chunks_resize(struct store_chunks *c, uint64_t size);
/* The length of chunk i of a content of size bytes (it starts at
 * i * STORE_CHUNK). */
static inline size_t store_chunk_len(uint64_t size, size_t i)
{
	uint64_t left = size - (uint64_t)i * STORE_CHUNK;
	return left < STORE_CHUNK ? (size_t)left : STORE_CHUNK;
}
/* c (zeroed or freed before) becomes the chunk list of data[0..len), every
 * chunk hashed; 0 or -ENOMEM. */
int store_chunks_of(struct store_chunks *c, const uint8_t *data, size_t len);

/* The chunk list of content id: 0, -ENOENT (collected), -errno. */
int store_content_chunks(struct store *st, const uint8_t id[STORE_HASH_LEN],
			 struct store_chunks *out);
/* One chunk's bytes (*data malloc'd): 0, -ENOENT, -errno. */
int store_chunk_get(struct store *st, const uint8_t hash[STORE_HASH_LEN],
		    uint8_t **data, size_t *len);
/* A writer's token for store_chunk_stage: random, never 0. */
uint64_t store_new_token(void);
/* Stores one chunk (at most STORE_CHUNK bytes, hash its XXH3-128) in a
 * transaction of its own and holds it for token until store_unstage or a
 * commit with token: a big file is written a chunk at a time, so no
 * transaction holds the write lock for long. */
int store_chunk_stage(struct store *st, uint64_t token,
		      const uint8_t hash[STORE_HASH_LEN], const void *data,
		      size_t len);
int store_unstage(struct store *st, uint64_t token);

/*
 * Commits content c (every chunk of it stored: staged by token, or stored
 * before) as file id's content in one transaction: the content row, the
 * path row (size, mtime, complete = 1), token's staged chunks released.
 * promote: the content is also the file's link input (nodes.input), and
 * an input's unit input time moves (*touched_unit = the directory, else
 * 0). A vanished node (unlinked while open) is not an error. *content
 * gets the content's id.
 */
int store_commit_chunks(struct store *st, uint64_t id, uint64_t token,
			const struct store_chunks *c, int promote, int64_t now,
			uint8_t content[STORE_HASH_LEN], uint64_t *touched_unit);
/* The same for a whole content in memory (chunked here: a content of one
 * chunk is one transaction, a bigger one a transaction per chunk and one
 * to commit). */
int store_write_file(struct store *st, uint64_t id, const uint8_t *data,
		     size_t len, int promote, int64_t now,
		     uint8_t content[STORE_HASH_LEN], uint64_t *touched_unit);
/* Makes file id's committed content its link input (the last writable
 * handle was released); *touched_unit as above when that changed it. */
int store_promote(struct store *st, uint64_t id, int64_t now,
		  uint64_t *touched_unit);

/* Reads a whole content, in one snapshot; *data is malloc'd (caller
 * frees; NULL when len is 0). -ENOENT when it was collected. */
int store_read_blob(struct store *st, const uint8_t hash[STORE_HASH_LEN],
		    uint8_t **data, size_t *len);

/* The contents open handles read (the daemon's pins.h): the collector
 * keeps them. lock is held over a whole batch, has asks for one id. */
struct store_pins {
	void (*lock)(void *arg);
	int (*has)(void *arg, const uint8_t id[STORE_HASH_LEN]);
	void (*unlock)(void *arg);
	void *arg;
};
/* Every connection that collects (store_collect, and a commit that finds
 * no room) must know the pins; the ops are copied. */
void store_set_pins(struct store *st, const struct store_pins *pins);

/* Deletes a batch of garbage in one short transaction: contents nothing
 * refers to and no pin claims, then chunks nothing refers to. Returns
 * how many rows went (0: nothing left), or -errno. */
int store_collect(struct store *st);
/* Gives at most max_pages free pages back to the filesystem (incremental
 * vacuum) when the free pages are more than a quarter of the file and
 * over 1 MiB. Returns the free pages left worth giving back (0: done),
 * or -errno. */
int64_t store_vacuum_step(struct store *st, uint64_t max_pages);
/* Contents nothing refers to, counted up to limit (0 on an error). */
unsigned store_dead_contents(struct store *st, unsigned limit);
/* A checkpoint after garbage was deleted (deleted), or once the WAL is
 * over 4 MiB (journal_size_limit; below, SQLite's own checkpoints
 * suffice): passive (copies what it can without waiting for anyone), or,
 * once the WAL is over 8 MiB, one that waits (the busy timeout) for
 * readers of older snapshots and truncates it. */
void store_checkpoint(struct store *st, int deleted);

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

/* Node id's parent and name (cut at cap - 1 bytes, NUL-terminated;
 * *len its length as cut): 0, -ENOENT, -errno. */
int store_name(struct store *st, uint64_t id, uint64_t *parent, char *name,
	       size_t cap, size_t *len);

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
/* Calls fn for each link input of dir whose committed content is not its
 * link input (a writer not released yet), in name order: its name,
 * committed size, whether it has an earlier complete version, and the
 * commit's time. */
typedef int (*store_pending_fn)(void *arg, const char *name, size_t len,
				uint64_t size, int has_input, int64_t mtime_ns);
int store_unit_pending(struct store *st, uint64_t dir, store_pending_fn fn,
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
	int history;                    /* store_result_put: the unit keeps
					   its last `history` results as
					   generations (0: none) */
};
/* Loads a kept result: 0, -ENOENT, or -errno. Free with
 * stored_result_release. */
int store_result_get(struct store *st, const uint8_t key[STORE_HASH_LEN],
		     struct stored_result *out);
void stored_result_release(struct stored_result *r);
/* Makes an already kept result dir's current one. */
int store_unit_set_result(struct store *st, uint64_t dir,
			  const uint8_t key[STORE_HASH_LEN]);
/* Keeps a result under key and makes it dir's current result; with
 * r->history > 0 it is also dir's next generation (unless the latest one
 * is the same result: *gen is then that one's) and the generations past
 * the last r->history are dropped; with 0 every generation of dir is.
 * *gen: the generation, 0 for none. */
int store_result_put(struct store *st, uint64_t dir,
		     const uint8_t key[STORE_HASH_LEN],
		     const struct stored_result *r, int64_t now, uint64_t *gen);

/*
 * History (store_history.c): the generations of a unit, each a kept
 * result (schema/006_history.sql). Read only here; store_result_put adds
 * them and store_gc drops those of vanished directories.
 */
struct store_gen {
	uint64_t gen;
	uint8_t key[STORE_HASH_LEN];
	int ok;
	int64_t created_ns;
	char output[256];                 /* the executable's name */
	uint64_t size[STORE_NFILES];      /* by link_files idx (ok only) */
	uint64_t log_len;
};
/* Calls fn for each generation of dir, oldest first (no sizes or
 * output read); stops when fn returns nonzero. 0 or -errno. */
typedef int (*store_gen_fn)(void *arg, uint64_t gen, int ok,
			    int64_t created_ns);
int store_history_list(struct store *st, uint64_t dir, store_gen_fn fn,
		       void *arg);
/* dir's newest generation and its time: 0, -ENOENT (none), -errno. */
int store_history_latest(struct store *st, uint64_t dir, uint64_t *gen,
			 int64_t *created_ns);
/* The newest generation of dir whose number & mask is gen (mask
 * UINT64_MAX: exactly gen), with its sizes: 0, -ENOENT, -errno. */
int store_history_get(struct store *st, uint64_t dir, uint64_t gen,
		      uint64_t mask, struct store_gen *out);
/* The bytes of one file of a kept result: idx a link_files idx, or -1
 * for its log. *data malloc'd (NULL when *len is 0). */
int store_history_file(struct store *st, const uint8_t key[STORE_HASH_LEN],
		       int idx, uint8_t **data, size_t *len);

/* Deletes the units and generations of vanished directories, then link
 * results no unit and no generation points to (their contents become
 * garbage for store_collect when nothing else references them).
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
