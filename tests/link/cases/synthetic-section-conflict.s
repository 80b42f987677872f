## Test: an input section named like a section the linker makes itself
## (here __DATA_CONST,__got; __DATA,__got is moved there as lld moves it)
## is refused, as lld refuses it, instead of being mixed into the GOT.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/const.s -o %t/const.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/data.s -o %t/data.o
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/a.out %t/const.o 2>&1 | FileCheck %s --check-prefix=CONST
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/b.out %t/data.o 2>&1 | FileCheck %s --check-prefix=DATA
# RUN: not %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/const.o 2>&1 | FileCheck %s --check-prefix=LLD

# CONST: error: '{{.*}}const.o': section __DATA_CONST,__got conflicts with the synthetic section __DATA_CONST,__got the linker makes
# DATA: error: '{{.*}}data.o': section __DATA,__got conflicts with the synthetic section __DATA_CONST,__got the linker makes
# LLD: conflicts with synthetic section __DATA_CONST,__got

#--- const.s
.section __DATA_CONST,__got
.quad 0
.text
.globl _main
_main:
  movq _printf@GOTPCREL(%rip), %rax
  retq

#--- data.s
.section __DATA,__got
.quad 0
.text
.globl _main
_main:
  retq
