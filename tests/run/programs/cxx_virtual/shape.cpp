/* shape.cpp - the key functions of Shape, Named and Base, and helpers that
 * call through base pointers made elsewhere. */
#include "shapes.h"

Shape::~Shape() { printf("~Shape %d\n", id); }
Named::~Named() {}
Base::~Base() {}
int Base::value() const { return b; }

long sum_area(Shape *const *v, int n)
{
	long s = 0;
	for (int i = 0; i < n; i++)
		s += v[i]->area();
	return s;
}
