/* pool.cpp - Pooled's operators, on top of the global ones. */
#include "mem.h"

int Pooled::allocated, Pooled::freed;

void *Pooled::operator new(unsigned long size)
{
	allocated++;
	return ::operator new(size);
}
void Pooled::operator delete(void *p, unsigned long size)
{
	freed++;
	::operator delete(p, size);
}
void *Pooled::operator new[](unsigned long size)
{
	allocated += 10;
	return ::operator new[](size);
}
void Pooled::operator delete[](void *p)
{
	freed += 10;
	::operator delete[](p);
}
