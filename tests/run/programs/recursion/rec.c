/* rec.c - recursive algorithms, one pair mutually recursive across objects. */
long ackermann(long m, long n)
{
	if (m == 0) return n + 1;
	if (n == 0) return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}
int is_odd(unsigned n);
int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
void hanoi(int n, int from, int to, int via, int *moves, char *log, int *len)
{
	if (!n) return;
	hanoi(n - 1, from, via, to, moves, log, len);
	(*moves)++;
	if (*len < 60) { log[(*len)++] = (char)('A' + from); log[(*len)++] = (char)('A' + to); }
	hanoi(n - 1, via, to, from, moves, log, len);
}
