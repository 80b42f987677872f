/* guard.h - objects whose destructors print, so the output shows which
 * frames unwinding passed through and in what order. */
extern "C" int printf(const char *, ...);

struct Guard {
	const char *name;
	explicit Guard(const char *n);
	~Guard();
};

/* a member whose constructor throws after other members were built */
struct Part {
	int n;
	explicit Part(int i);
	~Part();
};
struct Machine {
	Guard g;
	Part a, b, c;
	explicit Machine(int fail_at);
};

/* a class whose operator delete shows that a failed new frees memory */
struct Tracked {
	static void *operator new(unsigned long size);
	static void operator delete(void *p);
	Guard g;
	explicit Tracked(bool fail);
};

void level3(int fail);
void level2(int fail);
void level1(int fail);
void build_array(int fail_at);
