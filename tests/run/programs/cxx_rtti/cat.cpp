/* cat.cpp - Cat and the factory. */
#include "zoo.h"

const char *Cat::sound() const { return "meow"; }

Animal *make_animal(int i)
{
	switch (i % 3) {
	case 0: return new Dog;
	case 1: return new Cat;
	default: return new Puppy;
	}
}
