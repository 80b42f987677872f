/* rt.h - rethrow across objects: handlers that modify the exception and
 * throw it on with `throw;`. */
extern "C" int printf(const char *, ...);

struct Failure {
	int hops;
	char trail[64];
	void hop(char c);
};

void start(int kind);     /* throws (first.cpp) */
void relay(int kind);     /* catches, changes, rethrows (relay.cpp) */
void rethrow_current();   /* `throw;` with no handler around (first.cpp) */
int relay_all(int kind);  /* catch (...) and rethrow (relay.cpp) */
