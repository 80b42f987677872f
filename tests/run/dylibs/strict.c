/* A program whose non-weak import (front_optional) is missing from
 * libfront at run time: the runner must refuse it, naming both. */
#include <stdio.h>

int front_optional(void);

int main(void)
{
	printf("%d\n", front_optional());
	return 0;
}
