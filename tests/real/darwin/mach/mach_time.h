/* mach/mach_time.h - Darwin's monotonic clock for tests/real, on top of
 * clock_gettime: the runner binds imports to glibc, which has no
 * mach_absolute_time, so these are inline and import clock_gettime instead.
 * One tick is one nanosecond (numer = denom = 1). */
#ifndef REAL_MACH_TIME_H
#define REAL_MACH_TIME_H
#include <stdint.h>
#include <time.h>

typedef struct mach_timebase_info {
	uint32_t numer;
	uint32_t denom;
} mach_timebase_info_data_t, *mach_timebase_info_t;

static inline int mach_timebase_info(mach_timebase_info_t info)
{
	info->numer = 1;
	info->denom = 1;
	return 0;
}

static inline uint64_t mach_absolute_time(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif
