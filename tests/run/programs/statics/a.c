/* a.c - static functions and variables with names also used in b.c. */
static int count;
static int helper(int x) { return x * 2 + count++; }
int a_run(int x) { return helper(x) + helper(x + 1); }
int a_count(void) { return count; }
