/* zoo.h - a polymorphic hierarchy spread over several objects. */
#include "std.h"

struct Animal {
	virtual ~Animal();
	virtual const char *sound() const = 0;
};
struct Pet {
	virtual ~Pet();
	virtual const char *owner() const { return "nobody"; }
};
struct Dog : Animal, Pet {
	const char *sound() const override;
	const char *owner() const override;
};
struct Puppy : Dog {
	const char *sound() const override;
};
struct Cat : Animal {
	const char *sound() const override;
};
struct Robot {
	virtual ~Robot();
};

Animal *make_animal(int i);
const std::type_info &dog_type();
bool is_dog(Animal *a);
Pet *to_pet(Animal *a);
