/* jumptable.c - seed: a switch dense enough for a jump table
 * (SUBTRACTOR/UNSIGNED pairs on x86_64, data-in-code on arm64). */
extern int sink(int);

int dispatch(int op, int v)
{
	switch (op) {
	case 0: return sink(v + 1);
	case 1: return sink(v * 3);
	case 2: return sink(v - 7);
	case 3: return sink(v ^ 0x55);
	case 4: return sink(v << 2);
	case 5: return sink(v >> 1);
	case 6: return sink(~v);
	case 7: return sink(v | 9);
	default: return 0;
	}
}

static int one(void) { return 1; }
static int two(void) { return 2; }
int (*const fptrs[2])(void) = { one, two };
