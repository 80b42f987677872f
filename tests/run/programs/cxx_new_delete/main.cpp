/* main.cpp - uses every form and checks alignment and counts. */
#include "mem.h"

extern int destroyed;

int main()
{
	Node *l = build_list(10);
	int sum = free_list(l);
	printf("list sum=%d destroyed=%d\n", sum, destroyed);

	Wide *w = make_wides(5);
	printf("wide aligned=%d v4=%d\n", (int)((unsigned long)w % 64 == 0),
		w[4].v[0]);
	drop_wides(w);
	Wide *one = new Wide;
	printf("one aligned=%d\n", (int)((unsigned long)one % 64 == 0));
	delete one;

	int *n = new (std::nothrow) int(42);
	printf("nothrow=%d\n", n ? *n : -1);
	delete n;
	char *buf = new (std::nothrow) char[100];
	buf[99] = 1;
	delete[] buf;

	alignas(Node) unsigned char raw[sizeof(Node)];
	Node *placed = new (raw) Node(5, nullptr);
	printf("placed=%d at raw=%d\n", placed->value, (void *)placed == raw);
	placed->~Node();

	Pooled *p = new Pooled;
	Pooled *arr = new Pooled[4];
	delete p;
	delete[] arr;
	printf("pooled allocated=%d freed=%d destroyed=%d\n", Pooled::allocated,
		Pooled::freed, destroyed);
	return 0;
}
