/* weak_default.c - weak definitions: hook() is overridden, name() is not. */
__attribute__((weak)) int hook(int x) { return x + 1; }
__attribute__((weak)) const char *name(void) { return "default-name"; }
__attribute__((weak)) int weak_value = 7;
__attribute__((weak)) int weak_kept = 11;
