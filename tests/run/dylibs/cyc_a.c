/* libcyc_a and libcyc_b load and re-export each other: a cycle the
 * runner loads once each, initializes once each, and searches once each
 * when a symbol is not found. */
int cyc_b_value(void);
int cyc_a_inited;

__attribute__((constructor)) static void cyc_a_init(void)
{
	cyc_a_inited++;
}

int cyc_a_value(void)
{
	return 100 + cyc_a_inited;
}

int cyc_a_calls_b(void)
{
	return cyc_b_value();
}
