/* reg.h - a registry that global constructors in several objects fill.
 * Each object owns a fixed slot, so the output does not depend on the order
 * in which the objects' initializers run. */
extern "C" int printf(const char *, ...);

enum { SLOT_A, SLOT_B, SLOT_C, SLOT_MAIN, NSLOTS };

struct Entry {
	const char *name;
	int value;
	int ran;
};

extern Entry slots[NSLOTS]; /* constant-initialized (zero), never ordered */

struct Plugin {
	int slot;
	Plugin(int s, const char *name, int value);
	~Plugin();
};

int square(int x);
extern int computed_c; /* dynamically initialized in c.cpp */
int c_value();
