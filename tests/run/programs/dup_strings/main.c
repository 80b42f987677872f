/* main.c - prints and compares duplicate literals (contents only). */
#include <stdio.h>
#include <string.h>
const char *a_hello(void), *a_other(void), *b_hello(void), *b_other(void);
extern const char *a_names[], *b_names[];
int main(void)
{
	const char *m = "hello, world";
	printf("%s|%s|%s\n", a_hello(), b_hello(), m);
	printf("%s|%s\n", a_other(), b_other());
	int same = 0;
	for (int i = 0; i < 3; i++) {
		printf("%s %s\n", a_names[i], b_names[i]);
		same += strcmp(a_names[i], b_names[i]) == 0;
	}
	printf("equal contents: %d %d\n", strcmp(a_hello(), m) == 0, same);
	return same == 2 ? 0 : 1;
}
