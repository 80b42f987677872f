/* main.c - builds lists, grows arrays with realloc, uses calloc. */
#include <stdio.h>
#include <stdlib.h>
struct node { struct node *next; int value; char *label; };
struct node *push(struct node *, int, const char *);
struct node *reverse_list(struct node *);
void free_list(struct node *);
int main(void)
{
	struct node *h = NULL;
	char lbl[16];
	for (int i = 0; i < 10; i++) {
		snprintf(lbl, sizeof(lbl), "n%d", i * i);
		h = push(h, i, lbl);
	}
	h = reverse_list(h);
	for (struct node *n = h; n; n = n->next)
		printf("%d:%s ", n->value, n->label);
	printf("\n");
	free_list(h);
	int *v = NULL;
	size_t cap = 0;
	for (int i = 0; i < 1000; i++) {
		if ((size_t)i == cap) {
			cap = cap ? cap * 2 : 4;
			v = realloc(v, cap * sizeof(*v));
		}
		v[i] = i * 3;
	}
	long s = 0;
	for (int i = 0; i < 1000; i++)
		s += v[i];
	free(v);
	int *z = calloc(100, sizeof(int));
	int nz = 0;
	for (int i = 0; i < 100; i++)
		nz += z[i] != 0;
	free(z);
	printf("cap=%zu sum=%ld nonzero=%d\n", cap, s, nz);
	return 0;
}
