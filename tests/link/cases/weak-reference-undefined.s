## Test: an undefined weak reference (.weak_reference) that no input and
## no dylib defines is an undefined symbol, as lld and ld64 report it,
## not a flat-namespace bind; -undefined dynamic_lookup still binds it
## flat (and weakly).

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o 2>&1 | FileCheck %s
# RUN: not %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/a.o 2>&1 | FileCheck %s --check-prefix=LLD
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -undefined dynamic_lookup -o %t/dyn.out %t/a.o
# RUN: llvm-objdump --macho --bind %t/dyn.out | FileCheck %s --check-prefix=DYN

# CHECK: error: undefined symbol _maybe, referenced from {{.*}}a.o
# LLD: error: undefined symbol: _maybe
# DYN: __got {{.*}} flat-namespace _maybe (weak_import)

.text
.globl _main
.weak_reference _maybe
_main:
  movq _maybe@GOTPCREL(%rip), %rax
  retq
