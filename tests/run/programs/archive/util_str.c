/* util_str.c - archive member used by main, with data. */
#include <string.h>
const char *const greetings[] = { "hello", "bonjour", "hola" };
void reverse(char *s) { for (size_t i = 0, j = strlen(s); i + 1 < j; i++, j--) { char t = s[i]; s[i] = s[j - 1]; s[j - 1] = t; } }
