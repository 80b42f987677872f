/* data.c - arrays and a struct whose interior addresses main.c stores. */
int arr[10] = { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 };
struct rec { int id; char name[12]; double weight; long tail[4]; };
struct rec recs[3] = { { 1, "one", 1.5, { 1, 2, 3, 4 } },
	{ 2, "two", 2.5, { 5, 6, 7, 8 } }, { 3, "three", 3.5, { 9, 10, 11, 12 } } };
int *p_arr3 = &arr[3];
int *p_arr_end = &arr[9];
char *p_name2 = recs[2].name;
double *p_weight1 = &recs[1].weight;
long *p_tail = &recs[0].tail[2];
