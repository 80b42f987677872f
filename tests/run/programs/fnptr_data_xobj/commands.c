/* commands.c - initialised data holding pointers to functions in impl.c. */
int cmd_hello(int), cmd_square(int), cmd_count(int);
extern int (*hidden_ptr)(int);
struct command { const char *name; int (*run)(int); int arg; };
struct command commands[] = {
	{ "hello", cmd_hello, 3 }, { "square", cmd_square, 12 }, { "count", cmd_count, 5 },
	{ "again", cmd_hello, 1 }, { 0, 0, 0 } };
int (**indirect)(int) = &hidden_ptr;
