/* common2.c - the same tentative definitions, plus a bigger one. */
#include <string.h>
int shared_count;
char shared_buf[64];
int big_common[5000];
void fill_buf(const char *s) { strncpy(shared_buf, s, sizeof(shared_buf) - 1); }
