/* b.c - the same literals as a.c. */
const char *b_hello(void) { return "hello, world"; }
const char *b_other(void) { return "tail"; }
const char *b_names[] = { "alpha", "beta", "hello, world" };
