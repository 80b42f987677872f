/* main.cpp - prints what the constructors of every object recorded. */
#include "reg.h"

int b_value();
static Plugin plugin_main(SLOT_MAIN, "main", 0);

int main()
{
	for (int i = 0; i < NSLOTS; i++)
		printf("slot %d: %s value=%d ran=%d\n", i,
			slots[i].name ? slots[i].name : "(empty)", slots[i].value,
			slots[i].ran);
	printf("b=%d c=%d\n", b_value(), c_value());
	return 0;
}
