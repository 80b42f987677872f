/* main.c - static names do not collide across objects. */
#include <stdio.h>
int a_run(int), a_count(void), b_run(int), b_count(void);
static int helper(int x) { return -x; }
int main(void)
{
	for (int i = 0; i < 4; i++)
		printf("a=%d b=%d h=%d\n", a_run(i), b_run(i), helper(i));
	printf("counts %d %d\n", a_count(), b_count());
	return a_count() == 8 && b_count() == 996 ? 0 : 2;
}
