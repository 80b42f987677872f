/* main.cpp - virtual calls on objects made in other files. */
#include "shapes.h"

int main()
{
	Shape *v[3];
	for (int i = 0; i < 3; i++)
		v[i] = make_shape(i, 100 + i);
	for (int i = 0; i < 3; i++)
		printf("%d %s area=%ld scaled=%ld\n", v[i]->id, v[i]->name(),
			v[i]->area(), v[i]->scaled(3));
	printf("sum=%ld\n", sum_area(v, 3));
	for (int i = 0; i < 3; i++) {
		Named *n = as_named(v[i]);
		printf("named %d: %s\n", i, n ? n->label() : "(none)");
	}
	Both both;
	Left left;
	Base *pb = &both, *pl = &left;
	printf("both=%d left=%d\n", pb->value(), pl->value());
	for (int i = 2; i >= 0; i--)
		delete v[i];
	return 0;
}
