/* b.cpp - the same instantiations again, plus Stack<double, 4>, and the
 * specialization of max_of for strings. */
#include "stack.h"

extern "C" unsigned long strlen(const char *);

template <> const char *max_of<const char *>(const char *a, const char *b)
{
	return strlen(a) < strlen(b) ? b : a;
}

void fill_b(Stack<int, 8> &s, Stack<double, 4> &d)
{
	while (s.push(max_of(s.n, 2)))
		;
	for (int i = 0; i < 6; i++)
		d.push(i * 0.5);
}

int ticks_b() { return tick<int>() * 100 + tick<double>(); }
const char *longest(const char *x, const char *y) { return max_of(x, y); }
