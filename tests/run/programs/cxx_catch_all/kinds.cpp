/* kinds.cpp - throws one of several unrelated types. */
#include "any.h"

Thing::~Thing() {}

struct Local { int a, b; };

void throw_kind(int kind)
{
	Watcher w("thrower");
	switch (kind) {
	case 0: throw 1;
	case 1: throw 2.0f;
	case 2: throw "text";
	case 3: throw Thing(4);
	case 4: throw Local{5, 6};
	case 5: throw (Thing *)nullptr;
	case 6: throw 7L;
	}
}

static int checked(int x)
{
	if (x > 10)
		throw x;
	return x;
}

Fragile::Fragile(int x) try : v(checked(x)) {
	printf("  fragile %d\n", v);
} catch (...) {
	printf("  fragile ctor failed for %d\n", x);
	/* the exception is rethrown automatically at the end */
}
