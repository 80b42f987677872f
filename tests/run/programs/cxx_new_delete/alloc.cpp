/* alloc.cpp - allocates with the global operators. */
#include "mem.h"

int destroyed;
Node::~Node() { destroyed++; }

Node *build_list(int n)
{
	Node *head = nullptr;
	for (int i = 0; i < n; i++)
		head = new Node(i * i, head);
	return head;
}

int free_list(Node *n)
{
	int sum = 0;
	while (n) {
		Node *next = n->next;
		sum += n->value;
		delete n;
		n = next;
	}
	return sum;
}

Wide *make_wides(int n)
{
	Wide *w = new Wide[n];
	for (int i = 0; i < n; i++)
		w[i].v[0] = i;
	return w;
}

void drop_wides(Wide *w) { delete[] w; }
