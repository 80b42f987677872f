/* main.cpp - typeid, dynamic_cast (down, cross, to void*, failing) and
 * std::bad_cast from a failed reference cast. */
#include "zoo.h"

int main()
{
	for (int i = 0; i < 3; i++) {
		Animal *a = make_animal(i);
		Pet *p = to_pet(a);
		Dog *d = dynamic_cast<Dog *>(a);
		Puppy *pp = dynamic_cast<Puppy *>(a);
		printf("%d: %s says %s dog=%d puppy=%d pet=%s same_dog=%d void=%d\n",
			i, typeid(*a).name(), a->sound(), is_dog(a), pp != nullptr,
			p ? p->owner() : "-", typeid(*a) == dog_type(),
			dynamic_cast<void *>(a) == (void *)d || !d);
		if (p) {
			Animal *back = dynamic_cast<Animal *>(p);
			printf("   cross back: %s\n", back == a ? "same" : "different");
		}
		try {
			Cat &c = dynamic_cast<Cat &>(*a);
			printf("   is a cat: %s\n", c.sound());
		} catch (std::bad_cast &e) {
			printf("   bad_cast: %s\n", e.what());
		}
		delete a;
	}
	Robot r;
	Robot *rp = &r;
	printf("robot pet=%d type=%s\n", dynamic_cast<Pet *>(rp) != nullptr,
		typeid(*rp).name());
	printf("int=%s ptr=%s\n", typeid(int).name(), typeid(const char *).name());
	return 0;
}
