/* list.c - a singly linked list on malloc/free. */
#include <stdlib.h>
#include <string.h>
struct node { struct node *next; int value; char *label; };
struct node *push(struct node *head, int v, const char *label)
{
	struct node *n = malloc(sizeof(*n));
	if (!n)
		return head;
	n->next = head;
	n->value = v;
	n->label = malloc(strlen(label) + 1);
	strcpy(n->label, label);
	return n;
}
struct node *reverse_list(struct node *h)
{
	struct node *prev = NULL;
	while (h) { struct node *nx = h->next; h->next = prev; prev = h; h = nx; }
	return prev;
}
void free_list(struct node *h)
{
	while (h) { struct node *nx = h->next; free(h->label); free(h); h = nx; }
}
