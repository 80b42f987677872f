/* main.c - prints buffered output, then exits with a nonzero status. */
#include <stdio.h>
void die(int depth, int code);
int main(void)
{
	printf("buffered line without flush\n");
	die(5, 37);
	return 0;
}
