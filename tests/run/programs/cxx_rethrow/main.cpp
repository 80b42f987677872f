/* main.cpp - the outermost handlers. */
#include "rt.h"

int main()
{
	for (int kind = 0; kind < 2; kind++) {
		try {
			relay_all(kind);
		} catch (Failure &f) {
			f.hop('m');
			printf("failure: %d hops, trail %s\n", f.hops, f.trail);
		} catch (int v) {
			printf("int %d\n", v);
		}
	}
	/* a rethrown exception caught by value: a copy */
	try {
		try {
			start(0);
		} catch (Failure f) {
			f.hop('x');
			throw;
		}
	} catch (const Failure &f) {
		printf("original trail %s\n", f.trail);
	}
	/* a handler that catches, rethrows and catches again, in a loop */
	int n = 0;
	for (int i = 0; i < 3; i++) {
		try {
			try {
				start(1);
			} catch (int) {
				n++;
				throw;
			}
		} catch (int v) {
			n += v;
		}
	}
	printf("n=%d\n", n);
	return 0;
}
