// Test: objects compiled with -g get a debug map: STABS at the head of the
// output's symbol table (counted in LC_DYSYMTAB's locals), per object
// whose first __debug_info unit names its source: N_SO with the source
// (DW_AT_comp_dir + "/" + DW_AT_name, or an absolute DW_AT_name alone),
// N_OSO with the object's name (an archive member as "lib.a(m.o)"),
// n_sect the CPU subtype, n_desc 1 and n_value 0 (lld's under
// ZERO_AR_DATE), then per symbol in the symbol table, locals first, then
// externs in the order lld's symbol table first saw them (the entry
// symbol first): N_FUN name/address and N_FUN size for code, N_STSYM
// (local) or N_GSYM (extern) for data, and N_SO "" closing the object.
// An object without debug info gets none. The same llvm-nm -pa reading
// as ld64.lld's output, for DWARF 4 (x86_64, strp) and DWARF 5 (arm64,
// strx and line_strp forms).

// RUN: rm -rf %t && split-file %s %t
// RUN: cd %t && clang -target x86_64-apple-macos11 -g -fdebug-compilation-dir=/src/dir -c a.c -o a.o
// RUN: clang -target x86_64-apple-macos11 -g -c %t/b.c -o %t/b.o
// RUN: clang -target x86_64-apple-macos11 -c %t/nodebug.c -o %t/nodebug.o
// RUN: rm -f %t/libb.a && llvm-ar rcs %t/libb.a %t/b.o
// RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
// RUN:   -o %t/lfld.out %t/a.o %t/nodebug.o %t/libb.a
// RUN: env ZERO_AR_DATE=1 %lld -arch x86_64 -platform_version macos 11.0 11.0 \
// RUN:   -L %libsystem -lSystem -o %t/lld.out %t/a.o %t/nodebug.o %t/libb.a
// RUN: llvm-nm -pa %t/lfld.out | FileCheck %s -DDIR=%t -DSUB=03
// RUN: llvm-nm -pa %t/lld.out | FileCheck %s -DDIR=%t -DSUB=03
// RUN: llvm-otool -l %t/lfld.out | FileCheck %s --check-prefix=DYSYM
// RUN: llvm-otool -l %t/lld.out | FileCheck %s --check-prefix=DYSYM

// RUN: cd %t && clang -target arm64-apple-macos11 -gdwarf-5 -fdebug-compilation-dir=/src/dir -c a.c -o a64.o
// RUN: clang -target arm64-apple-macos11 -gdwarf-5 -c %t/b.c -o %t/b64.o
// RUN: clang -target arm64-apple-macos11 -c %t/nodebug.c -o %t/nodebug64.o
// RUN: llvm-dwarfdump -v --debug-info %t/b64.o | FileCheck %s --check-prefix=DWARF5
// RUN: rm -f %t/libb64.a && llvm-ar rcs %t/libb64.a %t/b64.o
// RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
// RUN:   -o %t/lfld64.out %t/a64.o %t/nodebug64.o %t/libb64.a
// RUN: env ZERO_AR_DATE=1 %lld -arch arm64 -platform_version macos 11.0 11.0 \
// RUN:   -L %libsystem -lSystem -o %t/lld64.out %t/a64.o %t/nodebug64.o %t/libb64.a
// RUN: llvm-nm -pa %t/lfld64.out | sed 's/a64\.o/a.o/; s/b64\.a/b.a/' | FileCheck %s -DDIR=%t -DSUB=00
// RUN: llvm-nm -pa %t/lld64.out | sed 's/a64\.o/a.o/; s/b64\.a/b.a/' | FileCheck %s -DDIR=%t -DSUB=00

// DWARF5: DW_AT_name [DW_FORM_strx1]
// DWARF5: DW_AT_comp_dir [DW_FORM_strx1]

// a.o: its source from comp_dir and name; _helper and _counter are
// locals; _main, seen first, comes before _add although it follows it
// CHECK:      {{^0+}} - 00 0000    SO /src/dir/a.c
// CHECK-NEXT: {{^0+}} - [[SUB]] 0001   OSO [[DIR]]/a.o
// CHECK-NEXT: [[#%x,HELPER:]] - 01 0000   FUN _helper
// CHECK-NEXT: {{^0+}}20 - 00 0000   FUN {{$}}
// CHECK-NEXT: [[#%x,COUNTER:]] - {{[0-9a-f]+}} 0000 STSYM _counter
// CHECK-NEXT: [[#%x,MAIN:]] - 01 0000   FUN _main
// CHECK-NEXT: {{^[0-9a-f]+}} - 00 0000   FUN {{$}}
// CHECK-NEXT: [[#%x,ADD:]] - 01 0000   FUN _add
// CHECK-NEXT: [[#%.16x,HELPER - ADD]] - 00 0000   FUN {{$}}
// CHECK-NEXT: [[#%x,GDATA:]] - {{[0-9a-f]+}} 0000  GSYM _global_data
// CHECK-NEXT: {{^0+}} - 01 0000    SO {{$}}
// b.o, from the archive, compiled by its absolute path: no nodebug.o
// CHECK-NEXT: {{^0+}} - 00 0000    SO [[DIR]]/b.c
// CHECK-NEXT: {{^0+}} - [[SUB]] 0001   OSO [[DIR]]/libb.a(b{{(64)?}}.o)
// CHECK-NEXT: [[#%x,BSTAT:]] - {{[0-9a-f]+}} 0000 STSYM _bstat
// CHECK-NEXT: [[#%x,TWICE:]] - 01 0000   FUN _twice
// CHECK-NEXT: {{^[0-9a-f]+}} - 00 0000   FUN {{$}}
// CHECK-NEXT: [[#%x,BGLOB:]] - {{[0-9a-f]+}} 0000  GSYM _bglob
// CHECK-NEXT: {{^0+}} - 01 0000    SO {{$}}
// CHECK-NOT:  SO
// CHECK-NOT:  FUN
// the stabs' addresses are the symbols'
// CHECK-DAG:  [[#%.16x,HELPER]] t _helper
// CHECK-DAG:  [[#%.16x,COUNTER]] d _counter
// CHECK-DAG:  [[#%.16x,BSTAT]] {{[bd]}} _bstat
// CHECK-DAG:  [[#%.16x,MAIN]] T _main
// CHECK-DAG:  [[#%.16x,ADD]] T _add
// CHECK-DAG:  [[#%.16x,GDATA]] D _global_data
// CHECK-DAG:  [[#%.16x,TWICE]] T _twice
// CHECK-DAG:  [[#%.16x,BGLOB]] D _bglob
// CHECK-DAG:  T _nodebug

// 18 stabs and 3 locals
// DYSYM:      ilocalsym 0
// DYSYM-NEXT: nlocalsym 21
// DYSYM-NEXT: iextdefsym 21

//--- a.c
static int counter = 3;
int global_data = 7;
int nodebug(int);
int twice(int);
static int helper(int x) { return x * counter; }
int add(int a, int b) { return helper(a) + b; }
int main(void) { return add(global_data, nodebug(2)) + twice(1); }

//--- b.c
int bglob = 5;
static int bstat;
int twice(int x) { bstat++; return x * 2 + bglob; }

//--- nodebug.c
int nodebug(int x) { return x + 1; }
