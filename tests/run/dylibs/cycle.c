/* A program over the libcyc_a <-> libcyc_b cycle; cyc_missing is a weak
 * import that neither defines at run time (only the link-time libcyc_b
 * does): its lookup goes round the re-export cycle
 * and must end, binding 0. */
#include <stdio.h>

int cyc_a_calls_b(void), cyc_b_calls_a(void);
extern int cyc_a_inited, cyc_b_inited;
int cyc_missing(void) __attribute__((weak));

int main(void)
{
	printf("cycle: a->b %d b->a %d inited %d %d missing %s\n",
		cyc_a_calls_b(), cyc_b_calls_a(), cyc_a_inited, cyc_b_inited,
		cyc_missing ? "present" : "NULL");
	return 0;
}
