#!/bin/sh
# patch-test.sh TEST_PATCH RUNNER - incremental relinks (link_patch) give
# exactly the bytes of a full link. Builds a 12-unit program (cross-unit
# calls, GOT loads, pointer tables, libc calls and pointers, literals,
# weak definitions, a thread-local, a -g unit), then:
#   - 3,000 random one-byte changes (test_patch.c says which kinds must
#     be patched and which refused; every patch is compared with a full
#     link), with the default threads and with several, and 1,000 with
#     the state finished after the call returned (--deferred);
#   - a recompiled unit with another constant, and one with only other
#     line numbers in its debug info, are patched; the patched program
#     runs and prints the new value;
#   - a unit that grew a function, and one with another string literal,
#     are refused (they need a full link).
set -u
TP=$(realpath "$1")
RUN=$(realpath "$2")
. "$(dirname "$0")/lib.sh"
CC="$CC -O1"
N=12
write_units $N
kfile() { # kfile NAME CONSTANT [EXTRA]
	cat > "$t/$1.c" <<C
_Thread_local int tl = 3;
const char *k_name(void) { return "k-label"; }
int k_value(void) { return $2 + tl + 1; }
$3
C
}
kfile k 41 ""
{
	echo '#include <stdio.h>'
	i=0; while [ $i -lt $N ]; do echo "int u_$i(void);"; i=$((i + 1)); done
	echo 'int k_value(void);'
	echo 'int main(void) { long s = 0;'
	i=0; while [ $i -lt $N ]; do echo "s += u_$i();"; i=$((i + 1)); done
	printf 'printf("sum %%ld k %%d\\n", s, k_value()); return 0; }\n'
} > "$t/main.c"
objs="$t/main.o $t/k.o"
$CC -c "$t/main.c" -o "$t/main.o" && $CC -c "$t/k.c" -o "$t/k.o" || fail "compile"
compile_units $N
objs="$objs $t/ug.o"   # u0.c renamed and built with -g, below
sed -i 's/u_0\b/ug_0/g; s/f_0\b/fg_0/g; s/g_0\b/gg_0/g; s/tab_0\b/tabg_0/g; s/names_0\b/namesg_0/g; s/lfn_0\b/lfng_0/g' "$t/u0.c"
$CC -g -c "$t/u0.c" -o "$t/ug.o" || fail "compile -g"
# the -g unit again with two blank lines on top: only line numbers move
{ printf '\n\n'; cat "$t/u0.c"; } > "$t/ug2.c"
$CC -g -c "$t/ug2.c" -o "$t/ug2.o" -fdebug-prefix-map="$t/ug2.c=$t/u0.c" || fail "compile ug2"
mkdir -p "$t/alt"
kfile alt/k 42 "" && $CC -c "$t/alt/k.c" -o "$t/alt/k.o" || fail "compile k 42"
mkdir -p "$t/grown" "$t/str"
kfile grown/k 41 "int k_more(int x) { return x * 7; }" &&
	$CC -c "$t/grown/k.c" -o "$t/grown/k.o" || fail "compile grown"
sed 's/k-label/j-label/' "$t/k.c" > "$t/str/k.c" && $CC -c "$t/str/k.c" -o "$t/str/k.o" ||
	fail "compile str"

# shellcheck disable=SC2086
"$TP" --rounds 3000 --seed 7 $objs || fail "random rounds"
# shellcheck disable=SC2086
"$TP" --rounds 300 --seed 11 $objs || fail "random rounds, seed 11"
# as the daemon links: the state finished after the call, inputs freed
# shellcheck disable=SC2086
"$TP" --deferred --rounds 1000 --seed 13 $objs || fail "random rounds, deferred"
# shellcheck disable=SC2086
"$TP" --swap "k.o=$t/alt/k.o" --swap "ug.o=$t/ug2.o" --refuse "k.o=$t/grown/k.o" \
	--refuse "k.o=$t/str/k.o" --out "$t/patched" $objs || fail "swaps"
# shellcheck disable=SC2086
"$TP" --deferred --swap "k.o=$t/alt/k.o" --refuse "k.o=$t/grown/k.o" $objs ||
	fail "swaps, deferred"
out=$("$RUN" "$t/patched") || fail "the patched program did not run: $out"
case "$out" in
*" k 46") ;;
*) fail "the patched program printed '$out', not k 46" ;;
esac
echo "patch-test: ok ($out)"
