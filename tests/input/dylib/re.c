/* re.c - libre.dylib's own export; it re-exports libbar.dylib. */
int re_own(void) { return 4; }
