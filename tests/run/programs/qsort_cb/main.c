/* main.c - qsort and bsearch with callbacks into this image. */
#include <stdio.h>
#include <stdlib.h>
struct person { const char *name; int age; };
int cmp_int(const void *, const void *), cmp_int_desc(const void *, const void *);
int cmp_person(const void *, const void *);
static int (*const cmps[])(const void *, const void *) = { cmp_int, cmp_int_desc };
struct person people[] = { { "zoe", 31 }, { "adam", 25 }, { "eve", 31 }, { "bob", 19 }, { "carl", 25 } };
int main(void)
{
	int v[20];
	srand(7);
	for (int i = 0; i < 20; i++)
		v[i] = rand() % 1000;
	for (int k = 0; k < 2; k++) {
		qsort(v, 20, sizeof(v[0]), cmps[k]);
		for (int i = 0; i < 20; i++)
			printf("%d%c", v[i], i == 19 ? '\n' : ' ');
	}
	qsort(v, 20, sizeof(v[0]), cmp_int);
	int key = v[13];
	int *hit = bsearch(&key, v, 20, sizeof(v[0]), cmp_int);
	printf("found %d at %d\n", key, hit ? (int)(hit - v) : -1);
	qsort(people, 5, sizeof(people[0]), cmp_person);
	for (int i = 0; i < 5; i++)
		printf("%s %d\n", people[i].name, people[i].age);
	return 0;
}
