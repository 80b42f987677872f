/* fmt.c - own variadic functions that pass a va_list to vsnprintf. */
#include <stdarg.h>
#include <stdio.h>
static char logbuf[512];
static int loglen;
int logf_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);
	va_end(ap);
	if (n > 0)
		loglen += n;
	return n;
}
const char *logged(void) { return logbuf; }
double sum_mixed(int n, ...)
{
	va_list ap;
	double s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		if (i % 2)
			s += va_arg(ap, double);
		else
			s += va_arg(ap, int);
	}
	va_end(ap);
	return s;
}
