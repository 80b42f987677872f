// Test: the debug map is what dsymutil needs: from linkfs-ld's output of
// -g objects (one of them an archive member) it finds every object and
// makes a .dSYM, without a warning, whose DWARF has both compile units
// at the output's addresses, so that llvm-symbolizer names the function
// and the source line of an address, as for ld64.lld's output; x86_64
// (DWARF 4) and arm64 (DWARF 5).

// RUN: rm -rf %t && split-file %s %t
// RUN: cd %t && clang -target x86_64-apple-macos11 -g -c a.c -o a.o
// RUN: cd %t && clang -target x86_64-apple-macos11 -g -c b.c -o b.o
// RUN: rm -f %t/libb.a && llvm-ar rcs %t/libb.a %t/b.o
// RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
// RUN:   -o %t/lfld.out %t/a.o %t/libb.a
// RUN: env ZERO_AR_DATE=1 %lld -arch x86_64 -platform_version macos 11.0 11.0 \
// RUN:   -L %libsystem -lSystem -o %t/lld.out %t/a.o %t/libb.a
// RUN: dsymutil %t/lfld.out -o %t/lfld.dSYM 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: dsymutil %t/lld.out -o %t/lld.dSYM 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: llvm-dwarfdump --debug-info %t/lfld.dSYM | FileCheck %s --check-prefix=CU
// RUN: llvm-dwarfdump --debug-info %t/lld.dSYM | FileCheck %s --check-prefix=CU
// RUN: sh %t/sym.sh llvm-nm llvm-symbolizer llvm-dwarfdump %t/lfld.out \
// RUN:   %t/lfld.dSYM/Contents/Resources/DWARF/lfld.out %t/b.o | FileCheck %s -DDIR=%t
// RUN: sh %t/sym.sh llvm-nm llvm-symbolizer llvm-dwarfdump %t/lld.out \
// RUN:   %t/lld.dSYM/Contents/Resources/DWARF/lld.out %t/b.o | FileCheck %s -DDIR=%t

// RUN: cd %t && clang -target arm64-apple-macos11 -gdwarf-5 -c a.c -o a64.o
// RUN: cd %t && clang -target arm64-apple-macos11 -gdwarf-5 -c b.c -o b64.o
// RUN: rm -f %t/libb64.a && llvm-ar rcs %t/libb64.a %t/b64.o
// RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
// RUN:   -o %t/lfld64.out %t/a64.o %t/libb64.a
// RUN: env ZERO_AR_DATE=1 %lld -arch arm64 -platform_version macos 11.0 11.0 \
// RUN:   -L %libsystem -lSystem -o %t/lld64.out %t/a64.o %t/libb64.a
// RUN: dsymutil %t/lfld64.out -o %t/lfld64.dSYM 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: dsymutil %t/lld64.out -o %t/lld64.dSYM 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: llvm-dwarfdump --debug-info %t/lfld64.dSYM | FileCheck %s --check-prefix=CU
// RUN: sh %t/sym.sh llvm-nm llvm-symbolizer llvm-dwarfdump %t/lfld64.out \
// RUN:   %t/lfld64.dSYM/Contents/Resources/DWARF/lfld64.out %t/b64.o | FileCheck %s -DDIR=%t
// RUN: sh %t/sym.sh llvm-nm llvm-symbolizer llvm-dwarfdump %t/lld64.out \
// RUN:   %t/lld64.dSYM/Contents/Resources/DWARF/lld64.out %t/b64.o | FileCheck %s -DDIR=%t

// QUIET-NOT: {{.}}

// CU:      DW_TAG_compile_unit
// CU:        DW_AT_name ("a.c")
// CU:        DW_AT_low_pc (0x0000000100
// CU:        DW_TAG_subprogram
// CU:          DW_AT_low_pc (0x0000000100
// CU:          DW_AT_name ("add")
// CU:      DW_TAG_compile_unit
// CU:        DW_AT_name ("b.c")
// CU:          DW_AT_name ("twice")

// the start of each function, and the first address of line 4 in b.o's
// line table, moved to where _twice is in the output
// CHECK:      _main
// CHECK-NEXT: main
// CHECK-NEXT: [[DIR]]/a.c:6:0
// CHECK:      _add
// CHECK-NEXT: add
// CHECK-NEXT: [[DIR]]/a.c:4:0
// CHECK:      _twice
// CHECK-NEXT: twice
// CHECK-NEXT: [[DIR]]/b.c:2:0
// CHECK:      _twice+line
// CHECK-NEXT: twice
// CHECK-NEXT: [[DIR]]/b.c:4:{{[0-9]+}}

//--- a.c
int twice(int);
static int counter = 3;
int add(int a, int b)
{ return a * counter + b; }
int
main(void) { return add(1, twice(2)); }

//--- b.c
int twice(int x)
{
	int y = x * 2;
	return y + 1;
}

//--- sym.sh
# sym.sh NM SYMBOLIZER DWARFDUMP OUT DSYM_DWARF OBJ: for a few addresses
# of OUT, a label and what the symbolizer says of it from the dSYM.
nm=$1 sym=$2 dd=$3 out=$4 dwarf=$5 obj=$6
addr() { "$nm" "$out" | awk -v s="$1" '$3 == s { print $1 }'; }
for s in _main _add _twice; do
	echo "$s"
	"$sym" --obj="$dwarf" "0x$(addr $s)"
done
off=$("$dd" --debug-line "$obj" | awk '$1 ~ /^0x/ && $2 == 4 { print $1; exit }')
echo "_twice+line"
"$sym" --obj="$dwarf" "$(printf '0x%x' $((0x$(addr _twice) + off)))"
