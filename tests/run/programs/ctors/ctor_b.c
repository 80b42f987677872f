/* ctor_b.c - a constructor that builds a table used by main. */
void note(char c);
int squares[16];
__attribute__((constructor)) static void b_init(void)
{
	for (int i = 0; i < 16; i++)
		squares[i] = i * i;
	note('b');
}
