# lib.sh - the shared setup of the tests/link shell tests, sourced after
# they read their arguments. Gives LLVM (the LLVM 19 tools), HERE (this
# directory), a temp dir $t removed on exit, `fail MSG`, `need TOOL...`
# (exit 77, skip, when an LLVM tool is missing), CC: clang-19 for
# x86_64-apple-macos11 with musl's headers (callers add -O flags), and
# `compile_units N` (builds $t/u0.c.. into objects listed in $objs).
LLVM=${LLVM_BIN:-/usr/lib/llvm-19/bin}
HERE=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
need() {
	for x in "$@"; do
		[ -x "$LLVM/$x" ] || { echo "skip: no $LLVM/$x"; exit 77; }
	done
}
need clang
CC="$LLVM/clang -target x86_64-apple-macos11 -nostdinc -isystem $("$LLVM/clang" -print-resource-dir)/include -isystem /usr/include/x86_64-linux-musl"
# compile_units N: compiles $t/u0.c .. $t/u<N-1>.c and appends the objects
# to $objs
compile_units() {
	_i=0
	while [ $_i -lt "$1" ]; do
		$CC -c "$t/u$_i.c" -o "$t/u$_i.o" || fail "compile u$_i"
		objs="$objs $t/u$_i.o"
		_i=$((_i + 1))
	done
}
# write_units N: writes $t/u0.c .. $t/u<N-1>.c, units that call each
# other in a ring and load each other's globals (GOT), with pointer
# tables (rebases), libc calls and pointers (stubs, binds), private and
# shared literals, a weak definition and a static helper
write_units() {
	i=0
	while [ $i -lt $1 ]; do
		a=$(( (i * 5 + 1) % $1 ))
		cat > "$t/u$i.c" <<C
#include <stdio.h>
#include <string.h>
extern int g_$a;
int f_$a(int), f_$i(int);
int g_$i = $i;
static const char *priv = "private $i";
static int helper(int x) { return x * 3 + g_$i + (int)strlen(priv); }
int (*tab_$i[])(int) = { f_$a, helper };
const char *const names_$i[] = { "shared", "n$i" };
size_t (*lfn_$i)(const char *) = strlen;
__attribute__((weak)) int weak_one(int x) { return x + 1; }
int f_$i(int x) { return x <= 0 ? helper(x) + g_$a : f_$a(x - 1) + weak_one(x); }
int u_$i(void) { return (int)lfn_$i(names_$i[1]) + tab_$i[1](1) + g_$a; }
C
		i=$((i + 1))
	done
}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
