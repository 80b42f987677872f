/* compare-lld self-test program: a table of function pointers. */
#include <string.h>

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
int (*op_table[2])(int, int) = { add, mul };
const char *names[] = { "add", "mul" };
size_t name_len(int i) { return strlen(names[i]); }
