/* dog.cpp - Dog and Puppy. */
#include "zoo.h"

const char *Dog::sound() const { return "woof"; }
const char *Dog::owner() const { return "alice"; }
const char *Puppy::sound() const { return "yip"; }
const std::type_info &dog_type() { return typeid(Dog); }
