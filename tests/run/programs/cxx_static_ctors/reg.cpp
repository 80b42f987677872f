/* reg.cpp - the registry; its data needs no constructor. */
#include "reg.h"

Entry slots[NSLOTS];

Plugin::Plugin(int s, const char *name, int value) : slot(s)
{
	slots[s].name = name;
	slots[s].value = value;
	slots[s].ran++;
}

/* runs at exit, through __cxa_atexit; only main.cpp's object prints */
Plugin::~Plugin()
{
	if (slot == SLOT_MAIN)
		printf("plugin %s destroyed\n", slots[slot].name);
}

int square(int x) { return x * x; }
