/* compare-lld self-test program: cross-object data and function pointers,
 * string literals, statics, TLV, weak definitions and dylib imports. */
#include <stdio.h>
#include <stdlib.h>

extern int shared_counter;
extern int *counter_ptr;
extern const char *greeting;
extern int (*op_table[2])(int, int);
extern __thread int tls_value;
int helper_weak(void);

static const char *local_msgs[] = { "alpha", "beta", "gamma" };
static int local_state = 41;
int *state_ptr = &local_state;

int main(int argc, char **argv)
{
	(void)argv;
	*counter_ptr += argc;
	printf("%s %d %d\n", greeting, shared_counter, *state_ptr);
	for (int i = 0; i < 3; i++)
		fprintf(stderr, "%s\n", local_msgs[i]);
	printf("%d %d %d\n", op_table[0](3, 4), op_table[1](3, 4), tls_value);
	return helper_weak() + (getenv("NOPE") != NULL);
}
