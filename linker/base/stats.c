/*
 * stats.c - the stage lines of stats.h.
 */
#include "stats.h"

#include <sys/resource.h>
#include <time.h>

uint64_t stats_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void stats_line(struct buf *b, const char *stage, uint64_t ns)
{
	struct rusage ru;
	long peak_kib = getrusage(RUSAGE_SELF, &ru) ? 0 : ru.ru_maxrss;
	buf_printf(b, "stats: %-14s %4u.%02u ms, peak RSS %ld MiB\n", stage,
		   (unsigned)(ns / 1000000), (unsigned)(ns / 10000 % 100),
		   peak_kib / 1024);
}
