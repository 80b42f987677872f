/* fail.c - exits from deep inside the program with atexit handlers. */
#include <stdio.h>
#include <stdlib.h>
static void last_words(void) { printf("atexit handler ran\n"); }
static void first_words(void) { printf("second handler ran first\n"); }
void die(int depth, int code)
{
	if (depth) { die(depth - 1, code + 1); return; }
	atexit(last_words);
	atexit(first_words);
	printf("exiting with %d\n", code);
	exit(code);
}
