#!/bin/sh
# archive_test.sh - builds Mach-O objects with clang and archives them with
# llvm-ar (GNU and BSD/darwin layouts), then runs test_archive on them.
# usage: archive_test.sh TEST_ARCHIVE WORKDIR. Exits 77 (skip) when the
# LLVM 19 tools are missing.
set -eu
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$2
bin=/usr/lib/llvm-19/bin
[ -x "$bin/clang" ] && [ -x "$bin/llvm-ar" ] || { echo "no llvm-19 tools"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
cd "$work"
res=$("$bin/clang" -print-resource-dir)
cc() {
	"$bin/clang" -target x86_64-apple-macos11 -nostdinc -isystem "$res/include" \
		-isystem /usr/include/x86_64-linux-musl -c "$1" -o "$2"
}
echo 'int alpha(void) { return 1; } int shared_a = 3;' > a.c
echo 'int beta(void) { return 2; } int gamma_(void) { return 3; }' > long.c
echo 'int delta[4] = { 1 };' > c.c
cc a.c a.o
cc long.c a_very_long_member_name.o
cc c.c c.o
"$bin/llvm-ar" --format=gnu rcs gnu.a a.o a_very_long_member_name.o c.o
"$bin/llvm-ar" --format=darwin rcs bsd.a a.o a_very_long_member_name.o c.o
exec "$exe" "$work"
