#!/bin/sh
# cli-test.sh LINKFS_LD RUNNER - linkfs-ld as users and clang drive it:
#   clang -fuse-ld=linkfs-ld links and the result runs; the same inputs give
#   the same bytes; llvm-objdump --all-headers reads the output without a
#   warning; every undefined and duplicate symbol is reported in one run,
#   naming the referencing files; unknown options are refused clearly.
set -u
LD=$(realpath "$1")
RUN=$(realpath "$2")
. "$(dirname "$0")/lib.sh"
need llvm-objdump
CC="$CC -O1"

cat > "$t/m.c" <<'C'
#include <stdio.h>
int twice(int);
int main(void) { printf("twice=%d\n", twice(21)); return 3; }
C
echo 'int twice(int x) { return 2 * x; }' > "$t/u.c"
$CC -c "$t/m.c" -o "$t/m.o" && $CC -c "$t/u.c" -o "$t/u.o" || fail "compile"

# clang drives linkfs-ld like ld64
"$LLVM/clang" -target x86_64-apple-macos11 -fuse-ld="$LD" "$t/m.o" "$t/u.o" -o "$t/viaclang" ||
	fail "clang -fuse-ld=linkfs-ld failed"
out=$("$RUN" "$t/viaclang"); rc=$?
[ "$out" = "twice=42" ] && [ $rc = 3 ] || fail "clang-linked program printed '$out' rc=$rc"

# determinism
"$LD" -o "$t/a1" "$t/m.o" "$t/u.o" && "$LD" -o "$t/a2" "$t/m.o" "$t/u.o" || fail "link"
cmp -s "$t/a1" "$t/a2" || fail "two links of the same inputs differ"

# objdump reads every header without a warning
w=$("$LLVM/llvm-objdump" --macho --all-headers "$t/a1" 2>&1 >/dev/null)
[ -z "$w" ] || fail "llvm-objdump --all-headers warned: $w"
"$LLVM/llvm-objdump" --macho --all-headers "$t/a1" | grep -q LC_DYLD_INFO_ONLY || fail "no LC_DYLD_INFO_ONLY"

# every undefined symbol at once, with referrers
cat > "$t/undef.c" <<'C'
int f1(void); int f2(void); extern int v3;
int main(void) { return f1() + f2() + v3; }
C
echo 'int f2(void); int other(void) { return f2(); }' > "$t/undef2.c"
$CC -c "$t/undef.c" -o "$t/undef.o" && $CC -c "$t/undef2.c" -o "$t/undef2.o" || fail compile
"$LD" -o "$t/x" "$t/undef.o" "$t/undef2.o" 2>"$t/err" && fail "link with undefined symbols succeeded"
grep -q "undefined symbol _f1, referenced from $t/undef.o$" "$t/err" || fail "no _f1 report: $(cat "$t/err")"
grep -q "undefined symbol _f2, referenced from $t/undef.o, $t/undef2.o$" "$t/err" || fail "no _f2 report: $(cat "$t/err")"
grep -q "undefined symbol _v3" "$t/err" || fail "no _v3 report"
[ -e "$t/x" ] && fail "an output was written for a failed link"

# every duplicate at once
echo 'int dup1 = 1; int dup2 = 2; int main(void) { return 0; }' > "$t/d1.c"
echo 'int dup1 = 3; int dup2 = 4;' > "$t/d2.c"
$CC -c "$t/d1.c" -o "$t/d1.o" && $CC -c "$t/d2.c" -o "$t/d2.o" || fail compile
"$LD" -o "$t/x" "$t/d1.o" "$t/d2.o" 2>"$t/err" && fail "link with duplicates succeeded"
grep -q "duplicate symbol _dup1: defined in $t/d1.o and $t/d2.o" "$t/err" || fail "no _dup1 report: $(cat "$t/err")"
grep -q "duplicate symbol _dup2" "$t/err" || fail "no _dup2 report"

# the output replaces a regular file (exchanged, then unlinked), is
# written through a symlink (the link stays, its target gets the output;
# tests/fs/store-ldout.sh covers FIFOs, devices and failed writes), and
# never replaces a directory; no temporary file is left behind
echo old > "$t/over" && "$LD" -o "$t/over" "$t/m.o" "$t/u.o" || fail "link over an existing file"
cmp -s "$t/over" "$t/a1" || fail "the output over an existing file differs"
[ -x "$t/over" ] || fail "the output over an existing file is not executable"
echo target > "$t/target" && ln -s target "$t/sym" && "$LD" -o "$t/sym" "$t/m.o" "$t/u.o" || fail "link over a symlink"
[ -L "$t/sym" ] && cmp -s "$t/target" "$t/a1" ||
	fail "a link over a symlink did not write through it to its target"
mkdir "$t/dir" && echo keep > "$t/dir/f"
"$LD" -o "$t/dir" "$t/m.o" "$t/u.o" 2>"$t/err" && fail "a link replaced a directory"
[ "$(cat "$t/dir/f")" = keep ] || fail "a link over a directory changed it"
ls -A "$t" | grep -q linkfs-tmp && fail "a temporary output file was left: $(ls -A "$t")"

# -print_statistics: one "stats:" line per stage, and the same output
"$LD" -print_statistics -o "$t/st" "$t/m.o" "$t/u.o" 2>"$t/err" || fail "link with -print_statistics"
for stage in read parse symbols resolve scan layout relocate linkedit write; do
	grep -Eq "^stats: $stage +[0-9]+\.[0-9]{2} ms, peak RSS [0-9]+ MiB$" "$t/err" || fail "no '$stage' in -print_statistics: $(cat "$t/err")"
done
cmp -s "$t/st" "$t/a1" || fail "-print_statistics changed the output"

# unknown options and a malformed input
"$LD" -frobnicate "$t/m.o" 2>"$t/err" && fail "unknown option accepted"
grep -q "unknown option '-frobnicate'" "$t/err" || fail "unclear unknown-option message: $(cat "$t/err")"
printf 'junk' > "$t/bad.o"
"$LD" -o "$t/x" "$t/m.o" "$t/u.o" "$t/bad.o" 2>"$t/err" && fail "junk input accepted"
grep -q "'$t/bad.o': offset 0x0" "$t/err" || fail "junk input message: $(cat "$t/err")"
echo "cli-test: ok"
