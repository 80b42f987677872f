/* main.c - prints argc and the arguments (not argv[0]: it differs). */
#include <stdio.h>
#include <stdlib.h>
const char *kind(const char *arg);
int main(int argc, char **argv, char **envp)
{
	long total = 0;
	printf("argc=%d envp=%s argv[argc]=%s\n", argc, envp ? "set" : "null", argv[argc] ? "set" : "null");
	for (int i = 1; i < argc; i++) {
		printf("argv[%d]=%s (%s)\n", i, argv[i], kind(argv[i]));
		total += atol(argv[i]);
	}
	printf("total=%ld\n", total);
	return argc;
}
