/* first.cpp - where the exceptions start. */
#include "rt.h"

void Failure::hop(char c)
{
	trail[hops++] = c;
	trail[hops] = 0;
}

void start(int kind)
{
	if (kind == 1)
		throw 11;
	Failure f{};
	f.hop('s');
	throw f;
}

/* called from inside a handler in another object */
void rethrow_current() { throw; }
