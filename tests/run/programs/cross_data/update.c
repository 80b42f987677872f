/* update.c - changes globals defined in globals.c. */
extern int counter;
extern long totals[4];
struct config { int verbose; const char *name; int *counter_ref; };
extern struct config config;
void bump(int n)
{
	counter += n;
	totals[n & 3] += counter;
	*config.counter_ref += 1;
}
