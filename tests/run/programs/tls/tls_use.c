/* tls_use.c - uses thread-locals defined in another object. */
extern _Thread_local int tl_counter;
extern _Thread_local long tl_zero;
extern _Thread_local char tl_name[16];
extern __thread double tl_array[8];
int *counter_addr(void) { return &tl_counter; }
double add_all(void)
{
	double s = tl_zero;
	for (int i = 0; i < 8; i++)
		s += tl_array[i] * (i + 1);
	tl_zero += 10;
	return s;
}
