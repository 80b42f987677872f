## Test: -order_file. The atoms it names come first in their output
## section (code and data), in its order; the rest keep input order. A
## line may name an architecture ("x86_64:", only read for that link) and
## an object ("b.o:", only that object's symbol: locals too); '#' starts
## a comment; names nothing defines are ignored. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/b.s -o %t/b.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -order_file %t/order.txt -o %t/lfld.out %t/a.o %t/b.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -order_file %t/order.txt -o %t/lld.out %t/a.o %t/b.o
# RUN: llvm-nm -n %t/lfld.out | FileCheck %s
# RUN: llvm-nm -n %t/lld.out | FileCheck %s
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/plain.out %t/a.o %t/b.o
# RUN: llvm-nm -n %t/plain.out | FileCheck %s --check-prefix=PLAIN

# CHECK:      T _f3
# CHECK-NEXT: t _local_b
# CHECK-NEXT: T _f2
# CHECK-NEXT: T _main
# CHECK-NEXT: T _f1
# CHECK-NEXT: D _d2
# CHECK-NEXT: D _d1

# PLAIN:      T _main
# PLAIN-NEXT: T _f1
# PLAIN-NEXT: T _f2
# PLAIN-NEXT: T _f3

#--- order.txt
# order
_f3
x86_64:_d2
arm64:_f1
b.o:_local_b
other.o:_f2
_nosuch
_f2

#--- a.s
.text
.globl _main, _f1, _f2, _f3
_main:
  retq
_f1:
  retq
_f2:
  retq
.data
.globl _d1, _d2
_d1: .quad 1
_d2: .quad 2
.subsections_via_symbols

#--- b.s
.text
.globl _f3
_f3:
  retq
_local_b:
  retq
.subsections_via_symbols
