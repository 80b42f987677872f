/* middle.cpp - frames between the throw and the handler, with no handler
 * of their own. */
#include "err.h"

__attribute__((noinline)) int depth(int n, int kind)
{
	if (n == 0) {
		if (kind == 0)
			throw_int(-7);
		throw_error(40 + kind);
	}
	return depth(n - 1, kind) + 1;
}

__attribute__((noinline)) int call_through(int (*fn)(int), int x)
{
	return fn(x) * 2;
}
