/* see cyc_a.c */
int cyc_a_value(void);
int cyc_b_inited;

__attribute__((constructor)) static void cyc_b_init(void)
{
	cyc_b_inited++;
}

int cyc_b_value(void)
{
	return 200 + cyc_b_inited;
}

int cyc_b_calls_a(void)
{
	return cyc_a_value();
}

#ifdef WITH_MISSING
int cyc_missing(void) /* the link-time copy only */
{
	return 1;
}
#endif
