/* main.c - pointers with addends in data, defined here and in data.c. */
#include <stdio.h>
struct rec { int id; char name[12]; double weight; long tail[4]; };
extern int arr[10];
extern struct rec recs[3];
extern int *p_arr3, *p_arr_end;
extern char *p_name2;
extern double *p_weight1;
extern long *p_tail;
int *local_ptrs[] = { &arr[0], &arr[5], &arr[8] };
long *cross_tail = &recs[2].tail[3];
static const int *const cptrs[] = { &arr[1], &arr[7] };
int main(void)
{
	printf("arr[3]=%d end=%d diff=%d\n", *p_arr3, *p_arr_end, (int)(p_arr_end - p_arr3));
	printf("name2=%s weight1=%.2f tail=%ld\n", p_name2, *p_weight1, *p_tail);
	for (int i = 0; i < 3; i++)
		printf("local[%d]=%d\n", i, *local_ptrs[i]);
	printf("cross=%ld c0=%d c1=%d\n", *cross_tail, *cptrs[0], *cptrs[1]);
	*p_arr3 = 99;
	printf("arr[3] now %d\n", arr[3]);
	return p_arr3 == &arr[3] && p_name2 == recs[2].name ? 0 : 1;
}
