#!/bin/sh
# deadstrip-test.sh LINKFS_LD RUNNER CORPUS_DIR - -dead_strip keeps exactly
# the symbols ld64.lld 19 keeps for the same object, removes unreachable
# code and strings, and the stripped programs still run like native ones
# (a few corpus programs, linked through a -dead_strip wrapper).
set -u
LD=$(realpath "$1"); RUN=$(realpath "$2"); CORPUS=$(realpath "$3")
. "$(dirname "$0")/lib.sh"
need ld64.lld llvm-nm
CC="$CC -O0"
cat > "$t/ds.c" <<'C'
#include <stdio.h>
int used(int x) { return x + 1; }
int unused_global(int x) { return x * 3; }
static int unused_static(int x) { return x - 1; }
int (*unused_ptr)(int) = unused_static;
const char *dead_str(void) { return "never printed"; }
__attribute__((used)) static int kept_by_attribute(void) { return 7; }
int main(void) { printf("%d\n", used(1)); return 0; }
C
$CC -c "$t/ds.c" -o "$t/ds.o" || fail compile
"$LD" -dead_strip -o "$t/ours" "$t/ds.o" || fail "linkfs-ld -dead_strip"
"$LLVM/ld64.lld" -arch x86_64 -platform_version macos 11.0 11.0 -no_fixup_chains -dead_strip \
	-o "$t/lld" "$t/ds.o" "$HERE/../../data/libSystem.tbd" || fail "ld64.lld"
"$LLVM/llvm-nm" -m "$t/ours" | awk '{print $NF}' | sort > "$t/ours.syms"
"$LLVM/llvm-nm" -m "$t/lld" | awk '{print $NF}' | sort > "$t/lld.syms"
diff "$t/lld.syms" "$t/ours.syms" || fail "symbols differ from ld64.lld -dead_strip"
for s in _unused_global _unused_ptr _dead_str; do
	grep -qx "$s" "$t/ours.syms" && fail "$s survived -dead_strip"
done
grep -q "never printed" "$t/ours" && fail "a dead string survived"
[ "$("$RUN" "$t/ours")" = 2 ] || fail "the stripped program does not run"
"$LD" -o "$t/full" "$t/ds.o" || fail "link without -dead_strip"
grep -qx _unused_global "$t/ours.syms" || "$LLVM/llvm-nm" -m "$t/full" | grep -q _unused_global ||
	fail "without -dead_strip the unused function must stay"
printf '#!/bin/sh\nexec "%s" -dead_strip "$@"\n' "$LD" > "$t/ld-ds"
chmod +x "$t/ld-ds"
for p in big const_tables fnptr_table tls switch_jump archive; do
	python3 "$CORPUS/../corpus-test" --linker linkfs --runner "$RUN" --linkfs-ld "$t/ld-ds" \
		--opt O2 "$CORPUS/$p" >"$t/log" 2>&1 || { cat "$t/log"; fail "$p with -dead_strip"; }
done
echo "deadstrip-test: ok"
