/* main.c - errno values and strerror text, through libc. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
int try_open(const char *path);
int try_strtol(const char *s, long *out);
int main(void)
{
	int e = try_open("/nonexistent/linkfs/file");
	printf("open: %d enoent=%d %s\n", e, e == ENOENT, strerror(e));
	long v;
	e = try_strtol("99999999999999999999999", &v);
	printf("strtol: erange=%d v=%ld\n", e == ERANGE, v);
	e = try_strtol("123", &v);
	printf("strtol: %d v=%ld\n", e, v);
	errno = EINVAL;
	printf("set errno %d\n", errno == EINVAL);
	return try_open("/") == 0 ? 0 : 9;
}
