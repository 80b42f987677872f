## Test: an absolute symbol is never weak, so two absolute definitions of
## one name marked .weak_definition are a duplicate symbol, as in lld,
## not one silently kept.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/b.s -o %t/b.o
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o %t/b.o 2>&1 | FileCheck %s
# RUN: not %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/a.o %t/b.o 2>&1 | FileCheck %s --check-prefix=LLD

# CHECK: error: duplicate symbol _k: defined in {{.*}}a.o and {{.*}}b.o
# LLD: error: duplicate symbol: _k

#--- a.s
.globl _k
.weak_definition _k
_k = 0x10
.text
.globl _main
_main:
  retq

#--- b.s
.globl _k
.weak_definition _k
_k = 0x20
