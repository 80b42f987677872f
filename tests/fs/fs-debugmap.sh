#!/bin/sh
# fs-debugmap: the debug map of an a.out the mount links from -g objects.
# N_OSO names each object as the unit names it (main.o, relative: the
# daemon leaves link_options.oso_dir unset, docs/architecture.md "The
# mount"), so dsymutil run in the unit's directory of the mount finds
# every object there and makes a dSYM that verifies, and llvm-symbolizer
# with it names main and its source line.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
LLVM=/usr/lib/llvm-19/bin
[ -x "$LLVM/dsymutil" ] || skip "dsymutil is missing"
mount_fs
cd "$MNT" || fail "cd"
mkdir app || fail "mkdir"
cat > "$T/main.c" <<'C'
int printf(const char *, ...);
extern int twice(int);
int main(void)
{
	return printf("%d\n", twice(21)) < 0;
}
C
cat > "$T/util.c" <<'C'
int twice(int x)
{
	return 2 * x;
}
C
R=$("$CLANG" -print-resource-dir)
for f in main util; do
	"$CLANG" -target x86_64-apple-macos11 -g -nostdinc -isystem "$R/include" \
		-c "$T/$f.c" -o "app/$f.o" || fail "clang -g $f"
done
cd app || fail "cd app"
"$LLVM/dsymutil" -s a.out > "$T/stabs.txt" || fail "dsymutil -s"
grep -q "N_OSO.*'main.o'" "$T/stabs.txt" || fail "no N_OSO for main.o: $(cat "$T/stabs.txt")"
grep -q "N_FUN.*'_twice'" "$T/stabs.txt" || fail "no N_FUN for _twice"
ok "the map names main.o and util.o as the unit does"
"$LLVM/dsymutil" a.out -o "$T/a.dSYM" > "$T/dsym.log" 2>&1 || fail "dsymutil: $(cat "$T/dsym.log")"
[ -s "$T/dsym.log" ] && fail "dsymutil warned: $(cat "$T/dsym.log")"
"$LLVM/llvm-dwarfdump" --verify "$T/a.dSYM" | grep -q "No errors." || fail "the dSYM does not verify"
addr=$("$LLVM/llvm-nm" a.out | awk '$3 == "_main" { print $1 }')
"$LLVM/llvm-symbolizer" --obj="$T/a.dSYM/Contents/Resources/DWARF/a.out" "0x$addr" > "$T/sym.txt"
grep -q "^main$" "$T/sym.txt" && grep -q "main.c:4" "$T/sym.txt" ||
	fail "llvm-symbolizer: $(cat "$T/sym.txt")"
ok "dsymutil in the unit's directory: a dSYM that verifies, main at main.c:4"
