/* a.cpp - instantiates Stack<int, 8>, tick<int> and max_of<int>. */
#include "stack.h"

void fill_a(Stack<int, 8> &s)
{
	for (int i = 1; i <= 5; i++)
		s.push(max_of(i * 3, 7));
}

int ticks_a() { tick<int>(); return tick<int>(); }
