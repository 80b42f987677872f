/* c.cpp - a global object and a dynamically initialized int. */
#include "reg.h"

int computed_c = square(6) + 6;
static Plugin plugin_c(SLOT_C, "gamma", 33);
int c_value() { return computed_c; }
