/* counter.h - inline functions and variables used from several objects:
 * each must exist once in the linked program, static locals included. */
extern "C" int printf(const char *, ...);

inline int next_id()
{
	static int n = 0;
	return ++n;
}

inline int shared_total = 0;

inline void add(int v) { shared_total += v; }

struct Registry {
	const char *name;
	int entries = 0;
	explicit Registry(const char *n) : name(n) { printf("registry %s made\n", n); }
};

/* a static local with a constructor: guarded by __cxa_guard_acquire */
inline Registry &registry()
{
	static Registry r("main");
	return r;
}

inline int (*helper_address())() { return &next_id; }

int use_a();
int use_b();
int (*helper_from_a())();
int (*helper_from_b())();
