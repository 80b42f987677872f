/* main.c - the arm64 calling-convention bridges of macho-run, beyond what
 * the corpus uses: registers kept by the thread-local thunk and
 * ___chkstk_darwin (regs.s), variadic calls with many mixed, positional and
 * long double arguments, va_list functions, scanf, vararg open and fcntl,
 * and long double math bound to the double functions. Expected output:
 * the file 'expected'. */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Thread_local long tv = 41;
long *tlv_addr_out;
unsigned long check_tlv(void), check_chkstk(void);

static char logbuf[256];
static int logf_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(logbuf, sizeof(logbuf), fmt, ap);
	va_end(ap);
	return n;
}

int main(void)
{
	unsigned long m = check_tlv();
	printf("tlv clobbered 0x%lx, value %ld, same address %d\n", m,
		*tlv_addr_out, tlv_addr_out == &tv);
	printf("chkstk clobbered 0x%lx\n", check_chkstk());

	char buf[200];
	int n = snprintf(buf, sizeof(buf),
		"%d %.2f %s %lld %c %.1f %u %x %.3e %d %Lf %ld|%*d|",
		1, 2.5, "three", 4LL, '5', 6.0, 7u, 8, 9.0, 10, 11.0L, 12L, 4, 13);
	printf("%d [%s]\n", n, buf);
	printf("%3$.1Lf %2$s %1$s %4$d\n", "a", "b", 1.5L, 4);
	sprintf(buf, "%s-%d-%g", "sp", -3, 0.25);
	fprintf(stdout, "%s %5.1Lf %d\n", buf, (long double)2.25, 99);
	fprintf(stderr, "to stderr %d %f\n", 7, 1.5);
	logf_("%d/%s/%.2f/%Lg", 5, "x", 0.125, 3.5L);
	puts(logbuf);

	int i = 0;
	double d = 0;
	long double ld = 0;
	char word[16] = "", set[16] = "";
	int got = sscanf("12 3.25 6.5 hello abcXYZ", "%d %lf %Lf %15s %15[a-z]",
		&i, &d, &ld, word, set);
	printf("sscanf %d: %d %.2f %.2Lf %s %s\n", got, i, d, ld, word, set);

	int fd = open("abi-open.txt", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	printf("open %d, write %zd\n", fd >= 0,
		fd >= 0 ? write(fd, "ok\n", 3) : -1);
	printf("fcntl setfd %d getfd %d\n", fcntl(fd, F_SETFD, FD_CLOEXEC),
		fcntl(fd, F_GETFD));
	close(fd);
	FILE *f = fopen("abi-open.txt", "r");
	printf("reopen %d: %s", f != NULL, f && fgets(buf, 10, f) ? buf : "-\n");
	if (f)
		fclose(f);

	volatile long double two = 2.0L;
	printf("sqrtl %.12Lf powl %.1Lf fabsl %.1Lf strtold %Lg\n", sqrtl(two),
		powl(two, 10), fabsl(-two), strtold("2.5", NULL));
	printf("fpclassify normal %d\n", fpclassify(two) == FP_NORMAL);
	return 0;
}
