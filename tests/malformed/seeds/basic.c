/* basic.c - seed: calls, globals, strings, zerofill, common data. */
extern int printf(const char *, ...);
extern int ext_counter;
int zero_table[64];
static int local_bss[16];
int data_word = 42;
const char *greeting = "hello";

static int helper(int x)
{
	local_bss[x & 15] += x;
	return local_bss[(x + 1) & 15] + ext_counter;
}

int main(int argc, char **argv)
{
	(void)argv;
	zero_table[argc & 63] = helper(argc);
	printf("%s %d\n", greeting, data_word + zero_table[3]);
	return 0;
}
