/* tls.c - thread-local exports (initialised and zero-filled). */
__thread int tls_var = 3;
__thread int tls_zero;
int tls_get(void) { return tls_var + tls_zero; }
