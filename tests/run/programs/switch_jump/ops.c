/* ops.c - dense switches, compiled to jump tables at -O2. */
int classify(int c)
{
	switch (c) {
	case 0: return 17;
	case 1: return 4;
	case 2: return 99;
	case 3: return -3;
	case 4: return 12;
	case 5: return 71;
	case 6: return 8;
	case 7: return 1000;
	case 8: return 33;
	case 9: return -50;
	case 10: return 6;
	case 11: return 64;
	default: return 0;
	}
}
const char *opname(unsigned op)
{
	switch (op) {
	case 0: return "nop";
	case 1: return "load";
	case 2: return "store";
	case 3: return "add";
	case 4: return "sub";
	case 5: return "jump";
	case 6: return "call";
	case 7: return "ret";
	case 8: return "push";
	case 9: return "pop";
	default: return "bad";
	}
}
