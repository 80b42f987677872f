/*
 * activity.h - what the daemon does for each unit right now, and the last
 * link of each: the rows of the status file (/.linkfs-status), and a line
 * in the daemon's log for each stage of a long link.
 *
 * A unit has two stages at a time: its link's (reading its inputs,
 * linking) and its keeping's (queued: the keeper waits for the units to
 * be quiet; keeping: rendering the tables and writing the store), since
 * the keeper keeps one link while the next runs. The last link is its
 * result (ok or failed), its end (wall clock), and, once the keeper kept
 * it, its generation in the unit's .history.
 * Leaves out: the counters (unit.h) and the file's text (ops_file.c).
 */
#ifndef LINKFS_ACTIVITY_H
#define LINKFS_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum link_stage { LINK_IDLE, LINK_READING, LINK_LINKING };
enum keep_stage { KEEP_IDLE, KEEP_QUEUED, KEEP_KEEPING };

struct activity;

/* st: to name units by path in the log (their directory's names). */
struct activity *activity_new(struct store *st);
void activity_free(struct activity *a);

/* dir's link (keeping) moves to stage; the stage it leaves is logged
 * when it took ACTIVITY_LOG_MS or more. No memory: not recorded. */
#define ACTIVITY_LOG_MS 250
void activity_link(struct activity *a, uint64_t dir, enum link_stage stage);
void activity_keep(struct activity *a, uint64_t dir, enum keep_stage stage);
/* dir's link of key ended, ok or failed, at now (wall ns). */
void activity_linked(struct activity *a, uint64_t dir,
		     const uint8_t key[STORE_HASH_LEN], int ok, int64_t now);
/* The keeper kept key as dir's generation gen (0: none). */
void activity_kept(struct activity *a, uint64_t dir,
		   const uint8_t key[STORE_HASH_LEN], uint64_t gen);

struct activity_row {
	uint64_t dir;
	int link_stage, keep_stage;
	uint64_t link_ms, keep_ms;   /* in the current stage so far */
	int has_last, last_ok;
	int64_t last_ns;
	uint64_t last_gen;           /* 0: not kept (yet) */
};
/* A copy of every unit's row that has something to show, by dir; *out
 * malloc'd. The count, or -ENOMEM. */
int activity_rows(struct activity *a, struct activity_row **out);
const char *activity_link_name(int stage);
const char *activity_keep_name(int stage);
/* dir's path from the mount root ("/" for the root), bytes outside
 * '!'..'~' and '\\' written \xNN, so it is one word; NUL-terminated,
 * cut at cap. 0, or -errno (-ENOENT: dir or a parent is gone; buf then
 * says "(gone:DIR)"). */
int activity_path(struct store *st, uint64_t dir, char *buf, size_t cap);

#endif
