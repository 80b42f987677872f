/* libbase: re-exported by libfront; its install name
 * (/usr/local/lib/libbase.dylib) is found through --dylib-dir. */
#include <stdio.h>

int base_value = 40;
int base_counter;
const char *base_log[4];
int base_nlog;

/* prints, so that the compiler cannot evaluate it at build time */
__attribute__((constructor)) static void base_init(void)
{
	puts("base: initializer");
	base_counter = 7;
	base_log[base_nlog++] = "base";
}

int base_add(int a, int b)
{
	return a + b;
}

void base_say(const char *who)
{
	printf("base says hello to %s\n", who);
}
