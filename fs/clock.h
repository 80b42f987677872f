/*
 * clock.h - the daemon's two clocks, in nanoseconds: wall time for the
 * times files and results carry, monotonic time for durations and
 * deadlines. Leaves out: conversions to struct timespec (callers).
 */
#ifndef LINKFS_CLOCK_H
#define LINKFS_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
