/* guard.cpp - Guard, Part and Tracked; Part throws from its constructor. */
#include "guard.h"

extern "C" void *malloc(unsigned long);
extern "C" void free(void *);

Guard::Guard(const char *n) : name(n) { printf("  enter %s\n", n); }
Guard::~Guard() { printf("  leave %s\n", name); }

Part::Part(int i) : n(i)
{
	if (i < 0)
		throw i;
	printf("  part %d\n", i);
}
Part::~Part() { printf("  ~part %d\n", n); }

Machine::Machine(int fail_at)
	: g("machine"), a(fail_at == 1 ? -1 : 1), b(fail_at == 2 ? -2 : 2),
	  c(fail_at == 3 ? -3 : 3)
{
}

void *Tracked::operator new(unsigned long size)
{
	printf("  Tracked new\n");
	return malloc(size);
}
void Tracked::operator delete(void *p)
{
	printf("  Tracked delete\n");
	free(p);
}
Tracked::Tracked(bool fail) : g("tracked")
{
	if (fail)
		throw 99;
}
