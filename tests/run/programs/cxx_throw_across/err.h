/* err.h - exception types and the functions that throw them, each defined
 * in another object than the handler that catches it. */
extern "C" int printf(const char *, ...);

struct Error {
	int code;
	const char *where;
};

struct Widget {
	virtual ~Widget();
	virtual int poke(int x);
};

void throw_int(int v);
void throw_string(const char *s);
void throw_error(int code);
void throw_double(double d);
void throw_pointer(Error *e);
int depth(int n, int kind); /* recurses through middle.cpp, then throws */
int call_through(int (*fn)(int), int x);
Widget *make_widget();
