/* main.cpp - checks that a.cpp, b.cpp and main share one copy. */
#include "counter.h"

int main()
{
	printf("a=%d\n", use_a());
	printf("b=%d\n", use_b());
	printf("a=%d\n", use_a());
	printf("main=%d\n", next_id());
	add(1000);
	printf("total=%d entries=%d name=%s\n", shared_total,
		registry().entries, registry().name);
	printf("same address: %d %d\n", helper_from_a() == helper_from_b(),
		helper_from_a() == helper_address());
	return 0;
}
