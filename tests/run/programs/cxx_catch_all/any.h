/* any.h - catch (...) of every kind of exception, function-try-blocks and
 * std::uncaught_exceptions, across objects. */
extern "C" int printf(const char *, ...);

namespace std {
int uncaught_exceptions() noexcept;
}

struct Thing {
	int v;
	explicit Thing(int x) : v(x) {}
	virtual ~Thing();
};

struct Watcher {
	const char *name;
	explicit Watcher(const char *n) : name(n) {}
	~Watcher(); /* prints std::uncaught_exceptions() */
};

struct Fragile {
	int v;
	explicit Fragile(int x); /* function-try-block around a throwing init */
};

void throw_kind(int kind);
int swallow(int kind);   /* catch (...) and return */
void pass_on(int kind);  /* catch (...) and rethrow */
