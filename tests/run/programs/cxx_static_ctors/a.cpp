/* a.cpp - a global object with a constructor. */
#include "reg.h"

Plugin plugin_a(SLOT_A, "alpha", square(3));
