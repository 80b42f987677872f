/* thrower.cpp - every throw of the program. */
#include "err.h"

void throw_int(int v) { throw v; }
void throw_string(const char *s) { throw s; }
void throw_error(int code) { throw Error{code, "thrower.cpp"}; }
void throw_double(double d) { throw d; }
void throw_pointer(Error *e) { throw e; }

Widget::~Widget() {}
int Widget::poke(int x)
{
	if (x > 2)
		throw Error{x * 100, "Widget::poke"};
	return x;
}
Widget *make_widget() { return new Widget; }
