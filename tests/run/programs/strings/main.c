/* main.c - strlen, strcmp, memcpy, memmove, strstr, strncpy, strtok_r. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
size_t count_char(const char *s, char c);
void upcase(char *s);
int join(char *dst, size_t cap, const char *const *parts, int n, const char *sep);
static const char *const words[] = { "linkfs", "links", "mach-o", "objects" };
int main(void)
{
	char buf[128], tmp[64];
	int n = join(buf, sizeof(buf), words, 4, ", ");
	printf("%d [%s] len=%zu\n", n, buf, strlen(buf));
	printf("s count=%zu cmp=%d %d %d\n", count_char(buf, 's'), strcmp("a", "b") < 0,
		strcmp("same", "same"), strncmp("abcx", "abcy", 3));
	memcpy(tmp, buf, 7); tmp[7] = 0;
	printf("memcpy [%s]\n", tmp);
	memmove(buf + 2, buf, 10);
	buf[12] = 0;
	printf("memmove [%s]\n", buf);
	const char *hay = "the quick brown fox";
	printf("strstr [%s] strrchr [%s]\n", strstr(hay, "brown"), strrchr(hay, 'o'));
	strncpy(tmp, "abcdefghij", 5); tmp[5] = 0;
	upcase(tmp);
	printf("upcase [%s] atoi=%d strtol=%ld\n", tmp, atoi("1234"), strtol("-ff", NULL, 16));
	char line[] = "a:bb:ccc::dddd", *save, *tok;
	for (tok = strtok_r(line, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
		printf("tok %s %zu\n", tok, strlen(tok));
	return (int)strlen(hay);
}
