/* log.c - writes diagnostics to stderr. */
#include <stdio.h>
void warn(const char *what, int code)
{
	fprintf(stderr, "warning: %s (code %d)\n", what, code);
}
void progress(int i)
{
	fputs("progress ", stderr);
	fprintf(stderr, "%d\n", i);
}
