/* main.cpp - uses the instantiations made in a.cpp and b.cpp and checks
 * that their static data is shared. */
#include "stack.h"

int main()
{
	Stack<int, 8> s;
	Stack<double, 4> d;
	fill_a(s);
	fill_b(s, d);
	printf("int pushes=%d double pushes=%d\n", Stack<int, 8>::pushes,
		Stack<double, 4>::pushes);
	while (!s.empty())
		printf("%d ", s.pop());
	printf("\n");
	while (!d.empty())
		printf("%.1f ", d.pop());
	printf("\n");
	int ta = ticks_a(), tb = ticks_b(), tm = tick<int>();
	printf("ticks a=%d b=%d main=%d\n", ta, tb, tm);
	printf("sum=%d %.2f %ld\n", sum_all(1, 2, 3, 4), sum_all(0.25, 0.5),
		sum_all(10L, 20L));
	printf("longest=%s max=%c\n", longest("pear", "banana"), max_of('q', 'z'));
	return 0;
}
