/* parse.c - classifies command-line arguments. */
#include <stdlib.h>
#include <string.h>
const char *kind(const char *arg)
{
	char *end;
	if (!strncmp(arg, "--", 2)) return "option";
	strtol(arg, &end, 10);
	if (*arg && !*end) return "number";
	return strchr(arg, ' ') ? "phrase" : "word";
}
