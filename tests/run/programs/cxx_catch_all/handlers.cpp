/* handlers.cpp - catch (...) handlers. */
#include "any.h"

Watcher::~Watcher()
{
	printf("  ~%s uncaught=%d\n", name, std::uncaught_exceptions());
}

int swallow(int kind)
{
	try {
		throw_kind(kind);
	} catch (...) {
		printf("  swallowed kind %d, uncaught=%d\n", kind,
			std::uncaught_exceptions());
		return 1;
	}
	return 0;
}

void pass_on(int kind)
{
	Watcher w("pass_on");
	try {
		throw_kind(kind);
	} catch (...) {
		printf("  passing kind %d on\n", kind);
		throw;
	}
}
