/* main.c - links against libarchive.a built from util_*.c. */
#include <stdio.h>
long gcd(long, long), lcm(long, long);
void reverse(char *s);
extern const char *const greetings[];
int main(void)
{
	printf("gcd=%ld lcm=%ld\n", gcd(462, 1071), lcm(21, 6));
	for (int i = 0; i < 3; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%s", greetings[i]);
		reverse(buf);
		printf("%s -> %s\n", greetings[i], buf);
	}
	return 0;
}
