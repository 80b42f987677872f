/* main.c - mixes stdout and stderr output. */
#include <stdio.h>
void warn(const char *what, int code);
void progress(int i);
int main(void)
{
	for (int i = 0; i < 3; i++) {
		printf("step %d\n", i);
		progress(i);
	}
	warn("disk almost full", 28);
	fputs("done\n", stdout);
	fwrite("raw bytes\n", 1, 10, stderr);
	return 3;
}
