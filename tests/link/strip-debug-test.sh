#!/bin/sh
# strip-debug-test.sh TEST - link_options.strip_debug (ld64's -S) leaves
# the debug map out (test_strip_debug.c), for x86_64 and arm64 objects
# compiled with -g beside one without.
set -u
TD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
cat > "$t/a.c" <<'C'
static int counter = 3;
int g(int);
static int helper(int x) { return x * counter; }
int main(void) { return helper(g(2)); }
C
printf 'int g(int x) { return x + 1; }\n' > "$t/b.c"
for arch in x86_64 arm64; do
	cc="$CC -target $arch-apple-macos11"
	$cc -g -c "$t/a.c" -o "$t/a.o" || fail "compile a.c"
	$cc -c "$t/b.c" -o "$t/b.o" || fail "compile b.c"
	"$TD" "$t/a.o" "$t/b.o" || fail "$arch"
done
