/* main.c - checks that constructors ran before main. */
#include <stdio.h>
extern char order[32];
extern int norder;
extern int squares[16];
static int seen_argc = -1;
__attribute__((constructor)) static void m_init(void) { order[norder++] = 'm'; seen_argc = 0; }
int main(void)
{
	int sum = 0;
	for (int i = 0; i < 16; i++)
		sum += squares[i];
	/* order between objects depends on link order; print the sorted set */
	int counts[128] = { 0 };
	for (int i = 0; i < norder; i++)
		counts[(unsigned char)order[i]]++;
	for (int c = 0; c < 128; c++)
		if (counts[c])
			printf("ctor %c ran %d\n", c, counts[c]);
	printf("sum=%d seen=%d n=%d\n", sum, seen_argc, norder);
	return norder == 4 ? 0 : 1;
}
