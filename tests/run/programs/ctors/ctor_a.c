/* ctor_a.c - constructors that record their order. */
#include <stdio.h>
char order[32];
int norder;
void note(char c) { order[norder++] = c; }
__attribute__((constructor)) static void a_init(void) { note('a'); }
__attribute__((constructor)) static void a_init2(void) { note('A'); }
