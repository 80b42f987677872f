/* main.c - common and weak symbols resolved across objects. */
#include <stdio.h>
extern int shared_count;
extern double shared_ratio;
extern char shared_buf[64];
extern int big_common[5000];
extern int weak_value, weak_kept;
void add_count(int n);
void fill_buf(const char *s);
int hook(int x);
const char *name(void);
int (*hook_ptr)(int) = hook;
int *weak_ptr = &weak_value;
int main(void)
{
	add_count(5); add_count(6);
	fill_buf("common buffer");
	shared_ratio = shared_count / 4.0;
	for (int i = 0; i < 5000; i++)
		big_common[i] = i;
	long s = 0;
	for (int i = 0; i < 5000; i++)
		s += big_common[i];
	printf("count=%d ratio=%.3f buf=%s sum=%ld\n", shared_count, shared_ratio, shared_buf, s);
	printf("hook=%d via ptr=%d name=%s\n", hook(3), hook_ptr(4), name());
	printf("weak_value=%d (ptr %d) weak_kept=%d\n", weak_value, *weak_ptr, weak_kept);
	return 0;
}
