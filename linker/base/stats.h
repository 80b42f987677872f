/*
 * stats.h - the lines of `linkfs-ld -print_statistics`, one per stage of
 * a link, written the same way by the linker library (link.c) and by the
 * command-line tool for its own stages (reading inputs, writing output).
 *
 * Leaves out: CPU time and per-thread figures (wall time and the peak
 * resident memory so far are what the benchmark compares).
 */
#ifndef LINKFS_STATS_H
#define LINKFS_STATS_H

#include <stdint.h>

#include "buf.h"

/* A monotonic clock, in nanoseconds. */
uint64_t stats_now_ns(void);

/* Appends "stats: <stage> <ms> ms, peak RSS <n> MiB\n" to b, where ns is
 * the stage's wall time and the peak is the process's so far. */
void stats_line(struct buf *b, const char *stage, uint64_t ns);

#endif
