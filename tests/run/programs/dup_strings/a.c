/* a.c - string literals also present in b.c and main.c. */
const char *a_hello(void) { return "hello, world"; }
const char *a_other(void) { return "shared tail"; }
const char *a_names[] = { "alpha", "shared tail", "hello, world" };
