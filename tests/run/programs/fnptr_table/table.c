/* table.c - a writable table of function pointers into ops.c. */
int op_add(int, int), op_sub(int, int), op_mul(int, int);
int op_div(int, int), op_mod(int, int);
typedef int (*binop)(int, int);
binop ops[] = { op_add, op_sub, op_mul, op_div, op_mod };
const char opchars[] = "+-*/%";
int nops = sizeof(ops) / sizeof(ops[0]);
