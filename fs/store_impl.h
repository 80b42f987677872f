/*
 * store_impl.h - what the store's own files share: the connection, its
 * prepared statements, and the checked SQLite helpers. Included only by
 * store.c (opening, the tree, link results) and store_content.c (chunks,
 * contents, the collector); nothing else sees SQLite.
 */
#ifndef LINKFS_STORE_IMPL_H
#define LINKFS_STORE_IMPL_H

#include <pthread.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

/* The node columns read_node reads; the last one, a directory's number of
 * subdirectories (st_nlink is 2 + that), comes from the partial index
 * nodes_subdirs (schema 3): one probe per directory, nothing for a file;
 * plus one for its .history (names.h) when it has generations and no
 * stored entry takes that name (two more probes, by primary key). */
#define NODE_COLS "id,parent,kind,mode,mtime_ns,ctime_ns,size,blob,complete," \
	"role,input," \
	"CASE WHEN kind=1 THEN (SELECT count(*) FROM nodes AS c INDEXED BY " \
	"nodes_subdirs WHERE c.parent=nodes.id AND c.kind=1) + " \
	"(EXISTS (SELECT 1 FROM history WHERE dir=nodes.id) AND NOT EXISTS " \
	"(SELECT 1 FROM nodes AS h WHERE h.parent=nodes.id AND " \
	"h.name=x'2e686973746f7279')) ELSE 0 END"

#define STORE_STMTS(X) \
	X(begin, "BEGIN IMMEDIATE") \
	X(begin_read, "BEGIN") \
	X(commit, "COMMIT") \
	X(rollback, "ROLLBACK") \
	X(node_get, "SELECT " NODE_COLS " FROM nodes WHERE id=?1") \
	X(node_lookup, "SELECT " NODE_COLS " FROM nodes WHERE parent=?1 AND name=?2") \
	X(node_insert, "INSERT INTO nodes(parent,name,kind,mode,mtime_ns," \
	  "ctime_ns,size,blob,complete,role) VALUES(?1,?2,?3,?4,?5,?5,0,NULL,?6,?7)") \
	/* ?5: also the link input (the last writable handle's commit) */ \
	X(node_content, "UPDATE nodes SET blob=?2,size=?3,mtime_ns=?4," \
	  "ctime_ns=?4,complete=1,input=CASE WHEN ?5 THEN ?2 ELSE input END " \
	  "WHERE id=?1") \
	X(node_promote, "UPDATE nodes SET input=blob WHERE id=?1 AND kind=0 " \
	  "AND complete=1 AND input IS NOT blob") \
	X(node_mode, "UPDATE nodes SET mode=?2,ctime_ns=?3 WHERE id=?1") \
	X(node_mtime, "UPDATE nodes SET mtime_ns=?2,ctime_ns=?3 WHERE id=?1") \
	X(node_delete, "DELETE FROM nodes WHERE id=?1") \
	X(node_move, "UPDATE nodes SET parent=?2,name=?3,role=?4,ctime_ns=?5 WHERE id=?1") \
	X(dir_touch, "UPDATE nodes SET mtime_ns=?2,ctime_ns=?2 WHERE id=?1") \
	X(dir_any, "SELECT 1 FROM nodes WHERE parent=?1 LIMIT 1") \
	X(node_name, "SELECT parent,name FROM nodes WHERE id=?1") \
	X(dir_list, "SELECT id,name,kind FROM nodes WHERE parent=?1 ORDER BY name") \
	X(chunk_has, "SELECT 1 FROM chunks WHERE hash=?1") \
	X(body_put, "INSERT INTO bodies(data) VALUES(?1)") \
	X(chunk_put, "INSERT INTO chunks(hash,size,body) VALUES(?1,?2,?3)") \
	X(chunk_get, "SELECT b.data FROM chunks c JOIN bodies b ON b.id=c.body " \
	  "WHERE c.hash=?1") \
	X(stage_put, "INSERT INTO staged(token,chunk) VALUES(?1,?2)") \
	X(stage_drop, "DELETE FROM staged WHERE token=?1") \
	X(content_has, "SELECT size FROM contents WHERE hash=?1") \
	X(content_put, "INSERT INTO contents(hash,size) VALUES(?1,?2)") \
	X(content_chunk_put, "INSERT INTO content_chunks(content,idx,chunk) " \
	  "VALUES(?1,?2,?3)") \
	X(content_list, "SELECT idx,chunk FROM content_chunks WHERE content=?1 " \
	  "ORDER BY idx") \
	X(content_data, "SELECT cc.idx,b.data FROM content_chunks cc " \
	  "JOIN chunks c ON c.hash=cc.chunk JOIN bodies b ON b.id=c.body " \
	  "WHERE cc.content=?1 ORDER BY cc.idx") \
	X(dead_contents, "SELECT hash FROM contents INDEXED BY contents_dead " \
	  "WHERE refs=0 LIMIT ?1") \
	X(dead_count, "SELECT count(*) FROM (SELECT 1 FROM contents " \
	  "INDEXED BY contents_dead WHERE refs=0 LIMIT ?1)") \
	X(content_delete, "DELETE FROM contents WHERE hash=?1 AND refs=0") \
	X(dead_chunks, "SELECT hash FROM chunks INDEXED BY chunks_dead " \
	  "WHERE refs=0 LIMIT ?1") \
	X(chunk_delete, "DELETE FROM chunks WHERE hash=?1 AND refs=0") \
	X(unit_any_obj, "SELECT 1 FROM nodes WHERE parent=?1 AND role=1 " \
	  "AND input IS NOT NULL AND kind=0 LIMIT 1") \
	X(unit_inputs, "SELECT name,input,role FROM nodes INDEXED BY nodes_inputs " \
	  "WHERE parent=?1 AND role>0 AND input IS NOT NULL AND kind=0 " \
	  "ORDER BY name") \
	X(unit_pending, "SELECT name,size,input IS NOT NULL,mtime_ns FROM nodes " \
	  "INDEXED BY nodes_pending WHERE parent=?1 AND kind=0 AND role>0 " \
	  "AND complete=1 AND input IS NOT blob ORDER BY name") \
	X(unit_touch, "INSERT INTO units(dir,input_ns) VALUES(?1,?2) " \
	  "ON CONFLICT(dir) DO UPDATE SET input_ns=max(input_ns,excluded.input_ns)") \
	X(unit_get, "SELECT input_ns,result_key FROM units WHERE dir=?1") \
	X(unit_result, "INSERT INTO units(dir,input_ns,result_key) VALUES(?1,0,?2) " \
	  "ON CONFLICT(dir) DO UPDATE SET result_key=excluded.result_key") \
	X(unit_delete, "DELETE FROM units WHERE dir=?1") \
	X(result_get, "SELECT ok,log,output_name FROM link_results WHERE key=?1") \
	X(result_put, "INSERT OR REPLACE INTO link_results(key,ok,log," \
	  "output_name,created_ns) VALUES(?1,?2,?3,?4,?5)") \
	X(result_files, "SELECT idx,blob FROM link_files WHERE key=?1") \
	/* an update, not OR REPLACE: a replace deletes without firing the \
	 * delete trigger that counts references */ \
	X(result_file_put, "INSERT INTO link_files(key,idx,blob) VALUES(?1,?2,?3) " \
	  "ON CONFLICT(key,idx) DO UPDATE SET blob=excluded.blob") \
	/* history (store_history.c, and store.c's result_put) */ \
	X(hist_next, "UPDATE units SET generation=generation+1 WHERE dir=?1 " \
	  "RETURNING generation") \
	X(hist_latest, "SELECT gen,key,created_ns FROM history WHERE dir=?1 " \
	  "ORDER BY gen DESC LIMIT 1") \
	X(hist_put, "INSERT INTO history(dir,gen,key,ok,created_ns) " \
	  "VALUES(?1,?2,?3,?4,?5)") \
	X(hist_trim, "DELETE FROM history WHERE dir=?1 AND gen<=?2") \
	X(hist_drop_dir, "DELETE FROM history WHERE dir=?1") \
	X(hist_list, "SELECT gen,ok,created_ns FROM history WHERE dir=?1 " \
	  "ORDER BY gen") \
	X(hist_get, "SELECT h.gen,h.key,h.ok,h.created_ns,r.output_name," \
	  "length(r.log) FROM history h JOIN link_results r ON r.key=h.key " \
	  "WHERE h.dir=?1 AND (h.gen & ?3)=?2 ORDER BY h.gen DESC LIMIT 1") \
	X(hist_sizes, "SELECT lf.idx,c.size FROM link_files lf " \
	  "JOIN contents c ON c.hash=lf.blob WHERE lf.key=?1") \
	X(hist_blob, "SELECT blob FROM link_files WHERE key=?1 AND idx=?2") \
	X(hist_log, "SELECT log FROM link_results WHERE key=?1") \
	X(totals, "SELECT (SELECT count(*) FROM nodes)," \
	  "(SELECT coalesce(sum(size),0) FROM contents)")

struct store {
	pthread_mutex_t lock;   /* guards db and every statement below */
	sqlite3 *db;
	char *dir;              /* the store's directory (statvfs) */
	char *wal;              /* the path of its -wal file */
	uint64_t page_size;
	struct store_pins pins;  /* has == NULL: collect nothing pinnable */
#define X(name, sql) sqlite3_stmt *name;
	STORE_STMTS(X)
#undef X
};

/* Errors: an SQLite code to -errno (store.c explains each). */
int sq_fail_sql(struct store *st, const char *sql, int rc);
int sq_fail(struct store *st, sqlite3_stmt *s, int rc);

/* Binding: each does nothing once *err holds an error and records the
 * first failure; sq_run and sq_step never step a statement whose binding
 * failed. */
void sq_bind_i64(struct store *st, sqlite3_stmt *s, int i, int64_t v, int *err);
void sq_bind_blob(struct store *st, sqlite3_stmt *s, int i, const void *p,
		  uint64_t n, int *err);
void sq_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *t,
		  int *err);
void sq_bind_hash(struct store *st, sqlite3_stmt *s, int i, const uint8_t *h,
		  int *err);
/* Resets and clears; a reset error becomes err when err is 0. */
int sq_finish(struct store *st, sqlite3_stmt *s, int err);
/* Steps a statement whose rows are not read, then finishes it. */
int sq_run(struct store *st, sqlite3_stmt *s, int err);
/* 1 (a row: read it, then sq_finish), 0 (done, finished), or -errno. */
int sq_step(struct store *st, sqlite3_stmt *s, int err);

/* BEGIN IMMEDIATE; COMMIT, or ROLLBACK when err (returned). */
int sq_tx_begin(struct store *st);
int sq_tx_end(struct store *st, int err);
/* A read transaction (one snapshot for several queries); ends with
 * sq_read_end, which returns err. */
int sq_read_begin(struct store *st);
int sq_read_end(struct store *st, int err);

/* Space: 0 when committing `bytes` of new content keeps the reserve free
 * (after folding the WAL and collecting if need be), else -ENOSPC. */
int sq_make_room(struct store *st, uint64_t bytes);
int sq_relieve(struct store *st);
int sq_fold_wal(struct store *st);

/* A one-row, one-column integer query (a pragma); 0 or -1. */
int sq_pragma_u64(struct store *st, const char *sql, uint64_t *out);

int sq_get_locked(struct store *st, uint64_t id, struct store_node *out);
int sq_touch_unit(struct store *st, uint64_t dir, int64_t now);

/* store_content.c, inside the caller's transaction: puts a chunk's bytes
 * unless the chunk is stored; puts a content (its chunk list) unless it
 * is stored. */
int sq_chunk_put_locked(struct store *st, const uint8_t hash[STORE_HASH_LEN],
			const void *data, size_t len);
int sq_content_put_locked(struct store *st, const uint8_t id[STORE_HASH_LEN],
			  const struct store_chunks *c);
/* Collects batches until nothing is left or `batches` ran (the caller
 * holds st->lock, no transaction open): a commit short of room. */
void sq_collect_locked(struct store *st, int batches);
/* Reads a whole content into memory (the caller's transaction). */
int sq_content_read_locked(struct store *st, const uint8_t id[STORE_HASH_LEN],
			   uint8_t **data, size_t *len);
/* store_history.c, inside the caller's transaction (after unit_result
 * made dir's row): adds key as dir's next generation and drops those past
 * the last `keep` (keep 0: all of them); *gen as store_result_put's. */
int sq_history_add_locked(struct store *st, uint64_t dir,
			  const uint8_t key[STORE_HASH_LEN], int ok, int keep,
			  int64_t now, uint64_t *gen);

/* The store's former whole-file blobs into chunks (the migration to
 * schema 5, inside its transaction); 0 or -1 with a message. */
int sq_migrate_blobs(struct store *st, char *err, size_t errlen);

#endif
