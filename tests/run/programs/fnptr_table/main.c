/* main.c - calls every operation of the table, then swaps two entries. */
#include <stdio.h>
typedef int (*binop)(int, int);
extern binop ops[];
extern const char opchars[];
extern int nops;
int main(void)
{
	int acc = 0;
	for (int i = 0; i < nops; i++)
		for (int a = 1; a < 30; a += 7) {
			int r = ops[i](a * 3, 4);
			printf("%d %c 4 = %d\n", a * 3, opchars[i], r);
			acc += r;
		}
	binop t = ops[0]; ops[0] = ops[2]; ops[2] = t;
	printf("swapped: %d %d\n", ops[0](6, 7), ops[2](6, 7));
	return acc & 0x3f;
}
