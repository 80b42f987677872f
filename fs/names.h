/*
 * names.h - what a name means inside a mount: its role in the directory's
 * link unit, the synthetic files, and the inode numbers we hand out.
 *
 * Inode numbers: a stored node's inode is its row id (the root is 1, as
 * FUSE wants). A synthetic file's inode has bit 62 set, a version in bits
 * 46..61, the directory's id in bits 4..45 and the file's index (its row
 * in linker/dump/dump_files.c, which is also its readdir place) in bits
 * 0..3. A lookup gives another version while an older one is open on
 * another result (inodes_synth_ino), so each snapshot has an inode, a
 * size and a page cache of its own; readdir shows version 0. The status
 * file at the mount root is SYNTH_STATUS_INO. Leaves out: anything
 * stored.
 */
#ifndef LINKFS_NAMES_H
#define LINKFS_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "dump/dump_files.h"
#include "link.h"   /* LINK_MAX_HISTORY */

#define LINKFS_NAME_MAX 255

enum name_role {
	ROLE_PLAIN = 0,
	ROLE_OBJECT = 1,   /* *.o */
	ROLE_LIBRARY = 2,  /* *.a, *.tbd */
	ROLE_CONF = 3,     /* link.conf */
};

/* The synthetic files of a unit: file k is row k of dump_files.c (k is
 * also its readdir place); its role says what it is (enum dump_file_role). */
#define SYNTH_COUNT DUMP_FILE_COUNT

#define SYNTH_BIT (1ULL << 62)
#define SYNTH_STATUS_INO (SYNTH_BIT | 15)
_Static_assert(SYNTH_COUNT <= 15, "a unit's synthetic inodes are dir << 4 | k with k < 15: 15 is the status file's");
#define STATUS_NAME ".linkfs-status"

int name_role(const char *name, size_t len);

static inline int ino_is_synth(uint64_t ino) { return (ino & SYNTH_BIT) != 0; }
static inline uint64_t synth_ino(uint64_t dir, int k)
{
	return SYNTH_BIT | dir << 4 | (uint64_t)k;
}
#define SYNTH_VERSION_SHIFT 46
#define SYNTH_VERSIONS (1u << 16)
static inline uint64_t synth_dir(uint64_t ino)
{
	return (ino & ((1ULL << SYNTH_VERSION_SHIFT) - 1)) >> 4;
}
static inline int synth_kind(uint64_t ino) { return (int)(ino & 15); }

/*
 * A unit's link history (ops_history.c): `.history` in a directory that
 * has generations, `.history/GEN/` for each, and in it the files of that
 * link. Their inodes have bit 63 set (bit 62 never: the directory's id
 * has 42 bits, as above), the directory's id in bits 20..61, the low 15
 * bits of the generation in bits 5..19 (a unit keeps at most
 * LINK_MAX_HISTORY generations, fewer than 2^15, so they tell its live
 * ones apart) and in bits 0..4 a file's index (its row, as for synthetic
 * files), HIST_GEN_K for the generation's directory or HIST_TOP_K for
 * .history itself.
 */
#define HIST_NAME ".history"
#define HIST_BIT (1ULL << 63)
#define HIST_GEN_BITS 15
enum { HIST_GEN_K = 30, HIST_TOP_K = 31 };
_Static_assert((int)SYNTH_COUNT <= (int)HIST_GEN_K, "a generation's files are k < 30");
_Static_assert(LINK_MAX_HISTORY < (1 << HIST_GEN_BITS), "live generations differ in their low bits");
static inline int ino_is_hist(uint64_t ino) { return (ino & HIST_BIT) != 0; }
static inline uint64_t hist_ino(uint64_t dir, uint64_t gen, int k)
{
	return HIST_BIT | dir << 20 |
	       (gen & ((1u << HIST_GEN_BITS) - 1)) << 5 | (uint64_t)k;
}
static inline uint64_t hist_dir(uint64_t ino)
{
	return (ino & ~HIST_BIT) >> 20;
}
static inline uint64_t hist_gen16(uint64_t ino)
{
	return (ino >> 5) & ((1u << HIST_GEN_BITS) - 1);
}
static inline int hist_kind(uint64_t ino) { return (int)(ino & 31); }

/* The name of synthetic file k ("a.out" is replaced by output), or NULL. */
const char *synth_name(int k, const char *output);
/* Synthetic file k's enum dump_file_role, or -1 for no file. */
int synth_role(int k);
/* The index of a synthetic name, or -1. */
int synth_from_name(const char *name, size_t len, const char *output);

#endif
