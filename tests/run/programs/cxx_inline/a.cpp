/* a.cpp - uses the inline functions. */
#include "counter.h"

int use_a()
{
	add(10);
	registry().entries++;
	return next_id();
}

int (*helper_from_a())() { return helper_address(); }
