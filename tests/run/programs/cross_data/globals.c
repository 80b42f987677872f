/* globals.c - global data shared by several objects. */
int counter = 100;
long totals[4];
const char banner[] = "cross-object data";
struct config { int verbose; const char *name; int *counter_ref; } config = { 1, "cfg", &counter };
