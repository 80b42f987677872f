/* compare-lld self-test program: a different program, which must not
 * agree with the one in ../order. */
#include <stdio.h>

int value = 3;
int *value_ptr = &value;

int main(void)
{
	puts("other");
	return *value_ptr - 3;
}
