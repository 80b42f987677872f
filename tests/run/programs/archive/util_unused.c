/* util_unused.c - archive member nothing refers to; must not be loaded. */
#include <stdio.h>
__attribute__((constructor)) static void never(void) { puts("unused member was linked"); }
int unused_function(void) { return 1; }
