/* main.cpp - every kind caught by catch (...) and by type. */
#include "any.h"

int main()
{
	int n = 0;
	for (int kind = 0; kind < 8; kind++) {
		printf("kind %d\n", kind);
		n += swallow(kind);
	}
	printf("swallowed %d\n", n);
	for (int kind = 0; kind < 7; kind++) {
		printf("pass kind %d\n", kind);
		try {
			pass_on(kind);
		} catch (int v) {
			printf("  int %d\n", v);
		} catch (const char *s) {
			printf("  string %s\n", s);
		} catch (Thing &t) {
			printf("  thing %d\n", t.v);
		} catch (Thing *t) {
			printf("  thing pointer %s\n", t ? "set" : "null");
		} catch (...) {
			printf("  something else\n");
		}
	}
	for (int x = 9; x <= 12; x += 3) {
		try {
			Fragile f(x);
			printf("  made %d\n", f.v);
		} catch (...) {
			printf("  caught the ctor's exception\n");
		}
	}
	printf("uncaught at end=%d\n", std::uncaught_exceptions());
	return 0;
}
