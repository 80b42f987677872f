/* sys/sysctl.h - Darwin's sysctlbyname for tests/real. glibc has none, so
 * this inline version knows no names: it fails with ENOENT, which callers
 * (zstd's UTIL_countCores) handle by assuming one core. */
#ifndef REAL_SYS_SYSCTL_H
#define REAL_SYS_SYSCTL_H
#include <errno.h>
#include <stddef.h>

static inline int sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
			       void *newp, size_t newlen)
{
	(void)name; (void)oldp; (void)oldlenp; (void)newp; (void)newlen;
	errno = ENOENT;
	return -1;
}
#endif
