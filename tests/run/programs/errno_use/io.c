/* io.c - fails in libc and reports errno. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
int try_open(const char *path)
{
	errno = 0;
	FILE *f = fopen(path, "r");
	if (f) { fclose(f); return 0; }
	return errno;
}
int try_strtol(const char *s, long *out)
{
	errno = 0;
	*out = strtol(s, NULL, 10);
	return errno;
}
