/* rect.cpp - Rect and Square, and the diamond's overrides. */
#include "shapes.h"

const char *Rect::name() const { return "rect"; }
long Rect::area() const { return w * h; }
const char *Square::name() const { return "square"; }
long Square::scaled(int k) const { return Rect::scaled(k) + 1; }

int Left::value() const { return b + l; }
int Both::value() const { return Left::value() + r; }
