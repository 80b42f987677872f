## Test: the entry point is a reference, so an archive member that
## defines it is loaded (as lld and ld64 treat -e); with no definition
## anywhere the entry point is reported once, as such.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/helper.s -o %t/helper.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: rm -f %t/libmain.a && llvm-ar rcs %t/libmain.a %t/main.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/helper.o %t/libmain.a
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/helper.o %t/libmain.a
# RUN: llvm-nm %t/lfld.out | FileCheck %s
# RUN: llvm-nm %t/lld.out | FileCheck %s
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/none.out %t/helper.o 2>&1 | FileCheck %s --check-prefix=NONE

# CHECK: T _helper
# CHECK: T _main
# NONE: error: undefined symbol _main (the entry point): no input defines or references it
# NONE-NOT: error

#--- helper.s
.text
.globl _helper
_helper:
  retq

#--- main.s
.text
.globl _main
_main:
  callq _helper
  xorl %eax, %eax
  retq
