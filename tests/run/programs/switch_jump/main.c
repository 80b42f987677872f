/* main.c - a tiny interpreter whose dispatch is a dense switch. */
#include <stdio.h>
int classify(int c);
const char *opname(unsigned op);
static long run(const unsigned char *code, int n)
{
	long acc = 0, stack[16];
	int sp = 0;
	for (int pc = 0; pc < n; pc++) {
		switch (code[pc]) {
		case 0: break;
		case 1: acc = code[++pc]; break;
		case 2: stack[sp++ & 15] = acc; break;
		case 3: acc += stack[(sp - 1) & 15]; break;
		case 4: acc -= 3; break;
		case 5: acc *= 2; break;
		case 6: acc = acc * acc % 1009; break;
		case 7: return acc;
		case 8: acc ^= 0x55; break;
		case 9: acc = -acc; break;
		default: acc = 0;
		}
	}
	return acc;
}
int main(void)
{
	long s = 0;
	for (int i = -2; i < 14; i++) {
		printf("classify(%d)=%d\n", i, classify(i));
		s += classify(i);
	}
	for (unsigned i = 0; i < 11; i++)
		printf("op %u %s\n", i, opname(i));
	static const unsigned char prog[] = { 1, 5, 2, 3, 5, 6, 8, 4, 9, 0, 3, 2, 6, 7 };
	printf("run=%ld sum=%ld\n", run(prog, sizeof(prog)), s);
	return 0;
}
