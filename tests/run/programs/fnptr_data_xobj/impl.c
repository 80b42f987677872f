/* impl.c - command implementations referenced from commands.c's data. */
#include <stdio.h>
int cmd_hello(int n) { printf("hello x%d\n", n); return n; }
int cmd_square(int n) { printf("square %d\n", n * n); return n * n; }
int cmd_count(int n) { for (int i = 0; i < n; i++) printf("%d ", i); printf("\n"); return 0; }
static int cmd_hidden(int n) { printf("hidden %d\n", -n); return -n; }
int (*hidden_ptr)(int) = cmd_hidden;
