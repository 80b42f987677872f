/* b.c - same static names as a.c, different behaviour. */
static int count = 1000;
static int helper(int x) { return x - count--; }
int b_run(int x) { return helper(x) * 3; }
int b_count(void) { return count; }
