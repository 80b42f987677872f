/* bar.c - plain exports (two functions, one datum) for libbar.dylib. */
int bar_data = 1;
int bar_a(void) { return 1; }
int bar_b(void) { return bar_data; }
