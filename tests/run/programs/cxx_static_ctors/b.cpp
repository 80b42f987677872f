/* b.cpp - two globals with constructors, one a static member. */
#include "reg.h"

struct Holder {
	static Plugin p;
};
Plugin Holder::p(SLOT_B, "beta", square(4) + 1);
static int b_local = square(5); /* dynamic initialization, no class */
int b_value() { return b_local; }
