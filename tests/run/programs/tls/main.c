/* main.c - reads and writes thread-local variables. */
#include <stdio.h>
#include <string.h>
extern _Thread_local int tl_counter;
extern _Thread_local long tl_zero;
extern _Thread_local char tl_name[16];
extern __thread double tl_array[8];
int *counter_addr(void);
double add_all(void);
int bump_hidden(void);
int main(void)
{
	printf("counter=%d zero=%ld name=%s\n", tl_counter, tl_zero, tl_name);
	tl_counter++;
	*counter_addr() += 10;
	tl_array[7] = 100;
	strcpy(tl_name, "changed");
	printf("counter=%d same=%d\n", tl_counter, counter_addr() == &tl_counter);
	for (int i = 0; i < 2; i++) {
		double s = add_all();
		printf("sum=%.2f zero=%ld\n", s, tl_zero);
	}
	int h1 = bump_hidden();
	int h2 = bump_hidden();
	printf("hidden %d %d name=%s\n", h1, h2, tl_name);
	return tl_counter - 52;
}
