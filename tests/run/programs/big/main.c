/* main.c - calls every function of the generated parts through their tables. */
#include <stdio.h>
extern long (*const table0[])(long);
const char *name0(int i);
extern long (*const table1[])(long);
const char *name1(int i);
extern long (*const table2[])(long);
const char *name2(int i);
extern long (*const table3[])(long);
const char *name3(int i);
extern long (*const table4[])(long);
const char *name4(int i);
int main(void)
{
	unsigned long h = 1469598103934665603ul;
	for (int i = 0; i < 60; i++) {
		long v = table0[i](i % 6);
		h = (h ^ (unsigned long)v) * 1099511628211ul;
		if (i % 15 == 0)
			printf("%s(%d)=%ld\n", name0(i), i % 6, v);
	}
	for (int i = 0; i < 60; i++) {
		long v = table1[i](i % 6);
		h = (h ^ (unsigned long)v) * 1099511628211ul;
		if (i % 15 == 0)
			printf("%s(%d)=%ld\n", name1(i), i % 6, v);
	}
	for (int i = 0; i < 60; i++) {
		long v = table2[i](i % 6);
		h = (h ^ (unsigned long)v) * 1099511628211ul;
		if (i % 15 == 0)
			printf("%s(%d)=%ld\n", name2(i), i % 6, v);
	}
	for (int i = 0; i < 60; i++) {
		long v = table3[i](i % 6);
		h = (h ^ (unsigned long)v) * 1099511628211ul;
		if (i % 15 == 0)
			printf("%s(%d)=%ld\n", name3(i), i % 6, v);
	}
	for (int i = 0; i < 60; i++) {
		long v = table4[i](i % 6);
		h = (h ^ (unsigned long)v) * 1099511628211ul;
		if (i % 15 == 0)
			printf("%s(%d)=%ld\n", name4(i), i % 6, v);
	}
	printf("hash=%lx\n", h);
	return (int)(h % 97);
}
