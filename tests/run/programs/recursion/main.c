/* main.c - drives the recursive functions of rec.c. */
#include <stdio.h>
long ackermann(long m, long n);
int is_even(unsigned n);
void hanoi(int n, int from, int to, int via, int *moves, char *log, int *len);
int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static void permute(char *s, int k, int n, int *count)
{
	if (k == n) { if (*count < 6) printf("perm %s\n", s); (*count)++; return; }
	for (int i = k; i < n; i++) {
		char t = s[k]; s[k] = s[i]; s[i] = t;
		permute(s, k + 1, n, count);
		t = s[k]; s[k] = s[i]; s[i] = t;
	}
}
int main(void)
{
	printf("ack(2,3)=%ld ack(3,3)=%ld\n", ackermann(2, 3), ackermann(3, 3));
	printf("fib(25)=%ld even(1001)=%d\n", fib(25), is_even(1001));
	int moves = 0, len = 0;
	char log[64];
	hanoi(10, 0, 2, 1, &moves, log, &len);
	printf("hanoi moves=%d first=%.*s\n", moves, len, log);
	char s[] = "abcde";
	int count = 0;
	permute(s, 0, 5, &count);
	printf("perms=%d\n", count);
	return moves % 100;
}
