/* b.cpp - uses the same inline functions. */
#include "counter.h"

int use_b()
{
	add(100);
	registry().entries += 2;
	return next_id() * 10;
}

int (*helper_from_b())() { return &next_id; }
