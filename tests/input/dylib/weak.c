/* weak.c - weak definitions (a function and a datum) beside a strong one. */
__attribute__((weak)) int weak_fn(void) { return 2; }
__attribute__((weak)) int weak_data = 5;
int strong_fn(void) { return 3; }
