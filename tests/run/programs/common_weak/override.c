/* override.c - strong definitions that override weak ones. */
int hook(int x) { return x * 100; }
int weak_value = 42;
