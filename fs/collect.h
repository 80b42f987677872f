/*
 * collect.h - the inputs link.conf's `inputs` patterns name: committed
 * `*.o`, `*.a` and `*.tbd` files anywhere under a unit's directory, by
 * their path relative to it, sorted by that path (byte order), each once.
 *
 * A pattern is a relative path of names: `*`, `?` and `[...]` match
 * within one name (fnmatch), and a name `**` matches any number of
 * directories, none too: "CMakeFiles/app.dir", then `**`, then `*.o`,
 * joined by slashes, names every object below CMakeFiles/app.dir.
 * Leaves out: symlinks (the mount has none).
 */
#ifndef LINKFS_COLLECT_H
#define LINKFS_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * 1 if path ("a/b/c.o") matches pattern. With dir set, path names a
 * directory, and the answer is 1 when a file somewhere under it may match.
 */
int collect_match(const char *pattern, const char *path, int dir);

/* Waits (bounded) for the writers of a directory's inputs (unit.h). */
typedef void (*collect_wait_fn)(void *arg, uint64_t dir);

/*
 * Walks dir's subtree and calls fn for each committed input (role > 0,
 * not link.conf) whose relative path one of `patterns` (separated by
 * spaces) matches, in path order; *input_ns gets the latest input change
 * of the directories that hold one (store_unit_get), at least its value
 * on entry, and *dirs (malloc'd, caller frees; NULL for none) those
 * directories, *ndirs of them. Before it reads a subdirectory's inputs
 * it calls wait (if not NULL) for it, as a link does for its own
 * directory. Returns 0, fn's non-zero return, or -errno.
 */
int collect_inputs(struct store *st, uint64_t dir, const char *patterns,
		   collect_wait_fn wait, void *wait_arg, store_input_fn fn,
		   void *arg, int64_t *input_ns, uint64_t **dirs,
		   size_t *ndirs);

#endif
