/* animal.cpp - key functions of Animal, Pet and Robot. */
#include "zoo.h"

Animal::~Animal() {}
Pet::~Pet() {}
Robot::~Robot() {}

/* dynamic_cast in a different object from the classes' definitions */
bool is_dog(Animal *a) { return dynamic_cast<Dog *>(a) != nullptr; }
Pet *to_pet(Animal *a) { return dynamic_cast<Pet *>(a); }
