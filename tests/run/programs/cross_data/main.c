/* main.c - reads globals after update.c changed them. */
#include <stdio.h>
extern int counter;
extern long totals[4];
extern const char banner[];
struct config { int verbose; const char *name; int *counter_ref; };
extern struct config config;
void bump(int n);
int main(void)
{
	puts(banner);
	for (int i = 0; i < 10; i++)
		bump(i);
	printf("counter=%d name=%s\n", counter, config.name);
	for (int i = 0; i < 4; i++)
		printf("totals[%d]=%ld\n", i, totals[i]);
	return counter % 256 == 0;
}
