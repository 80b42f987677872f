/* relay.cpp - handlers that rethrow. */
#include "rt.h"

void relay(int kind)
{
	try {
		start(kind);
	} catch (Failure &f) {
		f.hop('r');
		throw; /* the same object, with the change */
	} catch (int &v) {
		v += 100;
		rethrow_current();
	}
}

int relay_all(int kind)
{
	try {
		try {
			relay(kind);
		} catch (Failure &f) {
			f.hop('i');
			throw;
		}
	} catch (...) {
		printf("relay_all saw an exception\n");
		throw;
	}
	return 0;
}
