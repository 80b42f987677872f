/* main.c - runs the command table of commands.c. */
#include <stdio.h>
#include <string.h>
struct command { const char *name; int (*run)(int); int arg; };
extern struct command commands[];
extern int (**indirect)(int);
int main(void)
{
	int s = 0;
	for (struct command *c = commands; c->name; c++) {
		printf("%s: ", c->name);
		s += c->run(c->arg);
	}
	s += (*indirect)(9);
	printf("s=%d\n", s);
	return s > 0 ? 0 : 1;
}
