#!/bin/sh
# threads-test.sh LINKFS_LD RUNNER - the output does not depend on the
# number of threads: a 64-unit program (cross-unit calls, GOT loads,
# pointer tables in data and const data, pointers to libc functions,
# shared and private literals, weak definitions, static helpers, a global
# symbol on a merged literal) links to the same bytes and the same text
# tables with --threads=1, 2, 3, 4 and 7, and runs. A failing link (many
# duplicate and undefined symbols, a malformed object) reports the same
# messages in the same order with any number of threads.
set -u
LD=$(realpath "$1")
RUN=$(realpath "$2")
. "$(dirname "$0")/lib.sh"
need llvm-mc
CC="$CC -O1"
N=64

i=0
while [ $i -lt $N ]; do
	a=$(( (i * 7 + 1) % N )); b=$(( (i * 13 + 5) % N ))
	cat > "$t/u$i.c" <<C
#include <stdio.h>
#include <string.h>
extern int g_$a, g_$b;
int f_$a(int), f_$b(int), f_$i(int);
int g_$i = $i;
static const char *priv = "private $i";
static int helper(int x) { return x * 3 + g_$i + (int)strlen(priv); }
int (*tab_$i[])(int) = { f_$a, f_$b, helper };
int (*const ctab_$i[])(int) = { f_$b, f_$i };
const char *const names_$i[] = { "shared", "n$i" };
size_t (*lfn_$i)(const char *) = strlen;
__attribute__((weak)) int weak_one(int x) { return x + 1; }
int f_$i(int x) { return x <= 0 ? helper(x) + g_$a : f_$a(x - 1) + weak_one(x); }
int u_$i(void) { return (int)lfn_$i(names_$i[1]) + tab_$i[2](1) + ctab_$i[1](0) + g_$b; }
C
	i=$((i + 1))
done
{
	echo '#include <stdio.h>'
	i=0; while [ $i -lt $N ]; do echo "int u_$i(void);"; i=$((i + 1)); done
	echo 'int main(void) { long s = 0;'
	i=0; while [ $i -lt $N ]; do echo "s += u_$i();"; i=$((i + 1)); done
	printf 'printf("sum %%ld\\n", s); puts("done"); return 0; }\n'
} > "$t/main.c"
objs="$t/main.o"
$CC -c "$t/main.c" -o "$t/main.o" || fail "compile main"
compile_units $N
# a global symbol on a literal that another object's identical literal
# replaces (this used to crash the linker)
printf '.section __TEXT,__cstring,cstring_literals\n.globl _lit_a\n_lit_a: .asciz "same"\n' > "$t/la.s"
printf '.section __TEXT,__cstring,cstring_literals\n.globl _lit_b\n_lit_b: .asciz "same"\nltmp9: .asciz "x"\n' > "$t/lb.s"
"$LLVM/llvm-mc" -triple x86_64-apple-macos11 -filetype=obj "$t/la.s" -o "$t/la.o" &&
	"$LLVM/llvm-mc" -triple x86_64-apple-macos11 -filetype=obj "$t/lb.s" -o "$t/lb.o" ||
	fail "assemble"
objs="$objs $t/la.o $t/lb.o"

# shellcheck disable=SC2086
"$LD" --threads=1 -o "$t/ref" $objs || fail "link --threads=1"
out=$("$RUN" "$t/ref") || fail "the program did not run: $out"
echo "$out" | grep -q '^done$' || fail "the program printed '$out'"
for k in rebase bind lazy_bind weak_bind exports got stubs symbols map; do
	# shellcheck disable=SC2086
	"$LD" --threads=1 -o "$t/x" --dump=$k $objs > "$t/ref.$k" || fail "dump $k"
done
for n in 2 3 4 7; do
	# shellcheck disable=SC2086
	"$LD" --threads=$n -o "$t/out$n" $objs || fail "link --threads=$n"
	cmp -s "$t/ref" "$t/out$n" || fail "--threads=$n gives other bytes than --threads=1"
	for k in rebase bind lazy_bind weak_bind exports got stubs symbols map; do
		# shellcheck disable=SC2086
		"$LD" --threads=$n -o "$t/x" --dump=$k $objs > "$t/d.$k" || fail "dump $k"
		cmp -s "$t/ref.$k" "$t/d.$k" || fail "--threads=$n: $k differs from --threads=1"
	done
done

# a failing link: the same messages in the same order
i=0
while [ $i -lt 8 ]; do
	echo "int dup_a = $i; int dup_b = $i; int use_$i(void); int f$i(void) { return use_$i(); }" > "$t/d$i.c"
	$CC -c "$t/d$i.c" -o "$t/d$i.o" || fail "compile d$i"
	i=$((i + 1))
done
head -c 100 "$t/u1.o" > "$t/bad.o"
bad="$t/d0.o $t/d1.o $t/bad.o $t/d2.o $t/d3.o $t/d4.o $t/d5.o $t/d6.o $t/d7.o $t/main.o"
# shellcheck disable=SC2086
"$LD" --threads=1 -o "$t/y" $bad 2> "$t/err1" && fail "a bad link succeeded"
grep -q "duplicate symbol _dup_a" "$t/err1" || fail "no duplicate report: $(cat "$t/err1")"
for n in 2 3 5; do
	# shellcheck disable=SC2086
	"$LD" --threads=$n -o "$t/y" $bad 2> "$t/errn" && fail "a bad link succeeded"
	cmp -s "$t/err1" "$t/errn" || fail "--threads=$n reports differently:
$(diff "$t/err1" "$t/errn")"
done
# relocations the scan refuses (scanned in parallel, reported in order):
# calls to symbols that live in a dropped debug section, in 12 objects
i=0
scan=
while [ $i -lt 12 ]; do
	printf '\t.section __TEXT,__text,regular,pure_instructions\n\t.globl _g%d\n_g%d:\n\tcallq _dbg%d\n\tretq\n\t.section __DWARF,__debug_info,regular,debug\n_dbg%d:\n\t.byte 0\n' $i $i $i $i > "$t/s$i.s"
	"$LLVM/llvm-mc" -triple x86_64-apple-macos11 -filetype=obj "$t/s$i.s" -o "$t/s$i.o" || fail "assemble s$i"
	scan="$scan $t/s$i.o"
	i=$((i + 1))
done
# shellcheck disable=SC2086
"$LD" --threads=1 -e _g0 -o "$t/y" $scan 2> "$t/err1" && fail "a link with bad relocations succeeded"
[ "$(grep -c "refers to symbol .*, which is a debug entry or lies in a dropped section" "$t/err1")" = 12 ] ||
	fail "expected 12 scan errors: $(cat "$t/err1")"
grep -q "^error: '$t/s0.o': relocation at offset 0x1 of __TEXT,__text" "$t/err1" || fail "scan error text: $(cat "$t/err1")"
for n in 2 3; do
	# shellcheck disable=SC2086
	"$LD" --threads=$n -e _g0 -o "$t/y" $scan 2> "$t/errn" && fail "a link with bad relocations succeeded"
	cmp -s "$t/err1" "$t/errn" || fail "--threads=$n reports scan errors differently:
$(diff "$t/err1" "$t/errn")"
done
"$LD" --threads=0 -o "$t/y" "$t/main.o" 2>&1 | grep -q -- "--threads wants a number" ||
	fail "--threads=0 accepted"
echo "threads-test: ok"
