/* main.cpp - catches what the other objects throw. */
#include "err.h"

static int may_throw(int x)
{
	if (x & 1)
		throw_int(x);
	return x;
}

int main()
{
	try {
		throw_int(5);
	} catch (int v) {
		printf("int %d\n", v);
	}
	try {
		throw_string("hello");
	} catch (const char *s) {
		printf("string %s\n", s);
	}
	try {
		throw_error(3);
	} catch (const Error &e) {
		printf("error %d from %s\n", e.code, e.where);
	}
	try {
		throw_double(2.5);
	} catch (int) {
		printf("wrong handler\n");
	} catch (double d) {
		printf("double %.2f\n", d);
	}
	static Error global_err = {77, "global"};
	try {
		throw_pointer(&global_err);
	} catch (Error *e) {
		printf("pointer %d %s same=%d\n", e->code, e->where, e == &global_err);
	}
	for (int kind = 0; kind < 3; kind++) {
		try {
			depth(6, kind);
		} catch (int v) {
			printf("deep int %d\n", v);
		} catch (Error e) {
			printf("deep error %d\n", e.code);
		}
	}
	int total = 0;
	for (int x = 0; x < 6; x++) {
		try {
			total += call_through(may_throw, x);
		} catch (int v) {
			total += 1000 * v;
		}
	}
	printf("total %d\n", total);
	Widget *w = make_widget();
	for (int x = 1; x < 5; x++) {
		try {
			printf("poke %d -> %d\n", x, w->poke(x));
		} catch (Error &e) {
			printf("poke %d threw %d from %s\n", x, e.code, e.where);
		}
	}
	delete w;
	return 0;
}
