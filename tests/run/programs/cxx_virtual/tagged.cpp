/* tagged.cpp - Tagged (two polymorphic bases) and the factory. */
#include "shapes.h"

const char *Tagged::name() const { return "tagged"; }
long Tagged::area() const { return 7; }
const char *Tagged::label() const { return tag; }

Shape *make_shape(int kind, int id)
{
	switch (kind) {
	case 0: return new Rect(id, 3, 4);
	case 1: return new Square(id, 5);
	default: return new Tagged(id, "blue");
	}
}

Named *as_named(Shape *s)
{
	return dynamic_cast<Named *>(s);
}
