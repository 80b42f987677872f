## Test: -x leaves every local symbol (and private extern) out of the
## symbol table, as ld64 and ld64.lld do; the code still calls them. Also:
## without chained fixups dyld_stub_binder is an undefined import of the
## symbol table even when nothing binds lazily, as lld writes it.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -x -o %t/lfld.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem -x \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o
# RUN: llvm-nm -m %t/lfld.out | FileCheck %s
# RUN: llvm-nm -m %t/lld.out | FileCheck %s
# RUN: llvm-objdump --macho -d %t/lfld.out | FileCheck %s --check-prefix=CODE
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/keep.out %t/a.o
# RUN: llvm-nm -m %t/keep.out | FileCheck %s --check-prefix=KEEP

# CHECK-NOT: _helper
# CHECK-NOT: _hidden
# CHECK-NOT: _ld
# CHECK: external _main
# CHECK: (undefined) external dyld_stub_binder (from libSystem)
# CODE: callq
# KEEP-DAG: non-external _helper
# KEEP-DAG: non-external (was a private external) _hidden
# KEEP-DAG: non-external _ld

.text
.globl _main
.private_extern _hidden
_main:
  callq _helper
  callq _hidden
  retq
_helper:
  retq
_hidden:
  retq
.data
_ld: .quad 1
