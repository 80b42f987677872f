/* main.c - pointer tables that span many pages, with pages between them
 * that hold no pointer at all: the rebases and binds of each page (and each
 * chained-fixups page start) must be applied, and the empty pages skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A(i) &vals[(i) % 64]
#define A4(i) A(i), A(i + 1), A(i + 2), A(i + 3)
#define A16(i) A4(i), A4(i + 4), A4(i + 8), A4(i + 12)
#define A64(i) A16(i), A16(i + 16), A16(i + 32), A16(i + 48)
#define A256(i) A64(i), A64(i + 64), A64(i + 128), A64(i + 192)
#define F4 abs, labs_int, abs, labs_int
#define F16 F4, F4, F4, F4
#define F64 F16, F16, F16, F16
#define F256 F64, F64, F64, F64

int vals[64] = { 1, 2, 3 };
static int labs_int(int x) { return x < 0 ? -x * 2 : x * 2; }

/* 20 KiB of rebases: more than one page on x86_64 and arm64 */
int *table_a[2560] = {
	A256(0), A256(256), A256(512), A256(768), A256(1024),
	A256(1280), A256(1536), A256(1792), A256(2048), A256(2304),
};
/* 40 KB with no fixups at all: whole pages without a chain */
char gap[40000] = "gap";
/* binds to an import (abs) and rebases to a local function, mixed */
int (*fns[1280])(int) = { F256, F256, F256, F256, F256 };
char gap2[20000] = "gap2";
/* read-only after fixups (__DATA_CONST / __const) */
int *const table_c[1536] = {
	A256(7), A256(263), A256(519), A256(775), A256(1031), A256(1287),
};
const char *tail = "tail";

int main(void)
{
	long sum = 0, bad = 0;
	for (int i = 0; i < 64; i++)
		vals[i] = i * 3 + 1;
	for (int i = 0; i < 2560; i++) {
		bad += table_a[i] != &vals[i % 64];
		sum += *table_a[i];
	}
	printf("table_a: sum=%ld bad=%ld\n", sum, bad);
	sum = bad = 0;
	for (int i = 0; i < 1280; i++)
		sum += fns[i](-i);
	printf("fns: sum=%ld\n", sum);
	sum = 0;
	for (int i = 0; i < 1536; i++) {
		bad += table_c[i] != &vals[(i + 7) % 64];
		sum += *table_c[i];
	}
	printf("table_c: sum=%ld bad=%ld\n", sum, bad);
	printf("gap=%s gap2=%s tail=%s len=%zu\n", gap, gap2, tail,
		strlen(gap) + strlen(gap2));
	return 0;
}
