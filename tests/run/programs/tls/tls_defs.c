/* tls_defs.c - thread-local variables: initialised, zero, arrays. */
_Thread_local int tl_counter = 41;
_Thread_local long tl_zero;
_Thread_local char tl_name[16] = "thread-name";
__thread double tl_array[8] = { 1.5, 2.5 };
static _Thread_local int tl_hidden = -7;
int bump_hidden(void) { return ++tl_hidden; }
