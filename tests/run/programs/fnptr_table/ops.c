/* ops.c - arithmetic operations called through a table in table.c. */
int op_add(int a, int b) { return a + b; }
int op_sub(int a, int b) { return a - b; }
int op_mul(int a, int b) { return a * b; }
int op_div(int a, int b) { return b ? a / b : 0; }
int op_mod(int a, int b) { return b ? a % b : 0; }
