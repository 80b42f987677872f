/* levels.cpp - three frames, each with a live Guard, the deepest throws. */
#include "guard.h"

__attribute__((noinline)) void level3(int fail)
{
	Guard g("level3");
	if (fail == 3)
		throw 3;
	{
		Guard inner("level3-inner");
		if (fail == 4)
			throw 4;
	}
}

__attribute__((noinline)) void level2(int fail)
{
	Guard g("level2");
	level3(fail);
	Guard after("level2-after");
	if (fail == 2)
		throw 2;
}

__attribute__((noinline)) void level1(int fail)
{
	Guard g("level1");
	level2(fail);
}

/* an array whose element fail_at throws: the built ones are destroyed in
 * reverse order */
void build_array(int fail_at)
{
	struct Elem {
		Part p;
		explicit Elem(int i) : p(i) {}
	};
	static int next;
	next = 0;
	struct Maker {
		int fail_at;
		int operator()() { int i = next++; return i == fail_at ? -10 - i : i; }
	} mk{fail_at};
	Elem arr[5] = { Elem(mk()), Elem(mk()), Elem(mk()), Elem(mk()), Elem(mk()) };
	printf("  array built %d\n", arr[4].p.n);
}
