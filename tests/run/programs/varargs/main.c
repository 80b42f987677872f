/* main.c - calls the variadic functions of fmt.c. */
#include <stdio.h>
int logf_(const char *fmt, ...);
const char *logged(void);
double sum_mixed(int n, ...);
int main(void)
{
	logf_("[%d]", 1);
	logf_("[%s:%05.1f]", "x", 3.14159);
	logf_("[%c%c%c]", 'a', 'b', 'c');
	logf_("[%ld %lu %x]", -5L, 7UL, 255);
	logf_("[%d %d %d %d %d %d %d %d %d]", 1, 2, 3, 4, 5, 6, 7, 8, 9);
	printf("%s\n", logged());
	printf("%.3f\n", sum_mixed(6, 1, 2.5, 3, 4.25, 5, 6.125));
	printf("%.3f\n", sum_mixed(12, 1, 1.0, 2, 2.0, 3, 3.0, 4, 4.0, 5, 5.0, 6, 6.0));
	return 0;
}
