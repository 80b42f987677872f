/* greet.c - data with pointers (rebases) and a libc call (a stub). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *greetings[] = { "hello", "bonjour", "hallo", "hola" };
int ngreetings = sizeof greetings / sizeof greetings[0];

const char *greeting(int i) { return greetings[i % ngreetings]; }

int shout(const char *s)
{
	char buf[64];
	size_t n = strlen(s);
	for (size_t i = 0; i < n && i < sizeof buf - 1; i++)
		buf[i] = (char)toupper((unsigned char)s[i]);
	buf[n < sizeof buf ? n : sizeof buf - 1] = 0;
	return puts(buf);
}
