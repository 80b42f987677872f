/* compare-lld self-test program: data and pointers defined in another
 * object than their users. */
#include <stdio.h>

int shared_counter = 7;
int *counter_ptr = &shared_counter;
const char *greeting = "hello";
FILE *const *err_ptr = &stderr;
__thread int tls_value = 5;
__attribute__((weak)) int helper_weak(void) { return 0; }
