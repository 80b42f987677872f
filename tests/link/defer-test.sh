#!/bin/sh
# defer-test.sh TEST_DEFER - builds a 12-unit program (binds, lazy binds,
# rebases, GOT, exports, weak definitions) and runs test_defer on it:
# deferred records render every table as a plain link's do.
set -u
TD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
CC="$CC -O1"
N=12
i=0
while [ $i -lt $N ]; do
	a=$(( (i * 5 + 1) % N ))
	cat > "$t/u$i.c" <<C
#include <stdio.h>
#include <string.h>
extern int g_$a;
int f_$a(int), f_$i(int);
int g_$i = $i;
static const char *priv = "private $i";
static int helper(int x) { return x * 3 + g_$i + (int)strlen(priv); }
int (*tab_$i[])(int) = { f_$a, helper };
size_t (*lfn_$i)(const char *) = strlen;
__attribute__((weak)) int weak_one(int x) { return x + 1; }
int f_$i(int x) { return x <= 0 ? helper(x) + g_$a : f_$a(x - 1) + weak_one(x); }
C
	i=$((i + 1))
done
printf 'int f_0(int);\nint printf(const char *, ...);\nint main(void) { printf("%%d\\n", f_0(3)); return 0; }\n' > "$t/main.c"
objs=""
compile_units $N
$CC -c "$t/main.c" -o "$t/main.o" || fail "compile main"
# shellcheck disable=SC2086
"$TD" "$t/main.o" $objs || fail "test_defer"
