/* tls.c - seed: thread-local variables (TLV relocations, __thread_bss). */
__thread int tls_zero;
__thread int tls_init = 5;
extern __thread int tls_ext;

int bump(void)
{
	tls_zero += tls_init;
	return tls_zero + tls_ext;
}
