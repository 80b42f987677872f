/* main.c - the demo program: calls into another object, through a
 * function-pointer table, and into libc. */
#include <stdio.h>

const char *greeting(int i);
extern int ngreetings;
int shout(const char *s);

static int (*const actions[])(const char *) = { shout, puts };

int main(int argc, char **argv)
{
	for (int i = 0; i < ngreetings; i++)
		actions[i % 2](greeting(i));
	printf("linked by linkfs, %d greetings, argc=%d\n", ngreetings, argc);
	return 0;
}
