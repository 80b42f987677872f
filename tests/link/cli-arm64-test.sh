#!/bin/sh
# cli-arm64-test.sh LINKFS_LD RUNNER_AARCH64 QEMU - linkfs-ld for arm64
# as clang drives it: clang -target arm64-apple-macos11 -fuse-ld=linkfs-ld
# links (the driver passes -arch arm64 -macosx_version_min -mllvm ...),
# the output is signed by default and not with -no_adhoc_codesign, two
# links are identical, llvm-objdump reads every header without a warning,
# and the program runs under the aarch64 runner in qemu.
set -u
LD=$(realpath "$1")
RUN=$(realpath "$2")
QEMU=$3
. "$(dirname "$0")/lib.sh"
need llvm-objdump
[ -x "$QEMU" ] || { echo "skip: no $QEMU"; exit 77; }
CC64=$(echo "$CC -O1" | sed 's/x86_64-apple-macos11/arm64-apple-macos11/')

cat > "$t/m.c" <<'C'
#include <stdio.h>
int twice(int);
int main(void) { printf("twice=%d\n", twice(21)); return 3; }
C
echo 'int twice(int x) { return 2 * x; }' > "$t/u.c"
$CC64 -c "$t/m.c" -o "$t/m.o" && $CC64 -c "$t/u.c" -o "$t/u.o" || fail "compile"

"$LLVM/clang" -target arm64-apple-macos11 -fuse-ld="$LD" "$t/m.o" "$t/u.o" -o "$t/viaclang" ||
	fail "clang -fuse-ld=linkfs-ld failed for arm64"
out=$("$QEMU" -L /usr/aarch64-linux-gnu "$RUN" "$t/viaclang"); rc=$?
[ "$out" = "twice=42" ] && [ $rc = 3 ] || fail "arm64 program printed '$out' rc=$rc"
python3 "$HERE/check-codesign" "$t/viaclang" >/dev/null || fail "signature does not verify"

mkdir -p "$t/1" "$t/2"
"$LD" -arch arm64 -o "$t/1/a" "$t/m.o" "$t/u.o" && "$LD" -arch arm64 -o "$t/2/a" "$t/m.o" "$t/u.o" ||
	fail "link"
cmp -s "$t/1/a" "$t/2/a" || fail "two arm64 links of the same inputs differ"
w=$("$LLVM/llvm-objdump" --macho --all-headers "$t/1/a" 2>&1 >/dev/null)
[ -z "$w" ] || fail "llvm-objdump --all-headers warned: $w"
hdr=$("$LLVM/llvm-objdump" --macho --all-headers "$t/1/a")
echo "$hdr" | grep -q "cputype.*ARM64\|ARM64" || fail "not an arm64 header"
echo "$hdr" | grep -q LC_CODE_SIGNATURE || fail "no LC_CODE_SIGNATURE by default"
"$LD" -arch arm64 -no_adhoc_codesign -o "$t/1/u" "$t/m.o" "$t/u.o" || fail "link unsigned"
"$LLVM/llvm-objdump" --macho --all-headers "$t/1/u" | grep -q LC_CODE_SIGNATURE &&
	fail "-no_adhoc_codesign still signed"
out=$("$QEMU" -L /usr/aarch64-linux-gnu "$RUN" "$t/1/u"); rc=$?
[ "$out" = "twice=42" ] && [ $rc = 3 ] || fail "unsigned arm64 program printed '$out' rc=$rc"
# the arch comes from the objects when -arch is not given
mkdir -p "$t/3"
"$LD" -o "$t/3/a" "$t/m.o" "$t/u.o" || fail "link without -arch"
cmp -s "$t/1/a" "$t/3/a" || fail "link without -arch differs"
echo "ok"
