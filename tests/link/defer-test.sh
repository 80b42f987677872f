#!/bin/sh
# defer-test.sh TEST - builds a 12-unit program (binds, lazy binds,
# rebases, GOT, exports, weak definitions) and runs TEST on its objects:
# test_defer (deferred records render every table as a plain link's do)
# or test_parsed (a link given the caller's parses, link_input.parsed,
# writes and renders what a link that parses does) or test_bytesless (the
# same with parses that need no bytes).
set -u
TD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
CC="$CC -O1"
N=12
write_units $N
printf 'int f_0(int);\nint printf(const char *, ...);\nint main(void) { printf("%%d\\n", f_0(3)); return 0; }\n' > "$t/main.c"
objs=""
compile_units $N
$CC -c "$t/main.c" -o "$t/main.o" || fail "compile main"
# shellcheck disable=SC2086
"$TD" "$t/main.o" $objs || fail "$(basename "$TD")"
