/* main.c - checks the zerofill arrays start zeroed, then uses them. */
#include <stdio.h>
unsigned char *static_area(void);
extern unsigned int big_global[1 << 20];
static long small_zero[100];
int main(void)
{
	unsigned char *a = static_area();
	unsigned long nonzero = 0, sum = 0;
	for (long i = 0; i < (1 << 20); i++)
		nonzero += a[i] != 0 || big_global[i] != 0;
	for (int i = 0; i < 100; i++)
		nonzero += small_zero[i] != 0;
	for (long i = 0; i < (1 << 20); i++) {
		a[i] = (unsigned char)(i * 7);
		big_global[i] = (unsigned int)(i ^ (i >> 3));
	}
	for (long i = 0; i < (1 << 20); i += 997)
		sum += a[i] + big_global[i];
	printf("nonzero=%lu sum=%lu last=%u\n", nonzero, sum, big_global[(1 << 20) - 1]);
	return nonzero ? 1 : 0;
}
