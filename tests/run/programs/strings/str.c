/* str.c - string helpers over libc's string functions. */
#include <string.h>
#include <ctype.h>
size_t count_char(const char *s, char c) { size_t n = 0; while ((s = strchr(s, c))) { n++; s++; } return n; }
void upcase(char *s) { for (; *s; s++) *s = (char)toupper((unsigned char)*s); }
int join(char *dst, size_t cap, const char *const *parts, int n, const char *sep)
{
	size_t len = 0;
	dst[0] = 0;
	for (int i = 0; i < n; i++) {
		size_t need = strlen(parts[i]) + (i ? strlen(sep) : 0);
		if (len + need + 1 > cap)
			return -1;
		if (i)
			strcat(dst, sep);
		strcat(dst, parts[i]);
		len += need;
	}
	return (int)len;
}
