## Test: -rpath PATH adds one LC_RPATH per path, in order, after
## LC_DYSYMTAB as ld64.lld places them; -stack_size SIZE (hexadecimal, a
## multiple of 16 KiB, as ld64 reads it) is LC_MAIN's stacksize (ld64.lld
## 19 ignores it with a warning, so only the rpaths are compared).

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -rpath @executable_path/../lib -rpath /opt/x -stack_size 0x800000 \
# RUN:   -o %t/lfld.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -rpath @executable_path/../lib -rpath /opt/x -o %t/lld.out %t/a.o
# RUN: llvm-objdump --macho --private-headers %t/lfld.out | FileCheck %s --check-prefixes=CHECK,STACK
# RUN: llvm-objdump --macho --private-headers %t/lld.out | FileCheck %s
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -stack_size 0x1234 -o %t/x.out %t/a.o 2>&1 | FileCheck %s --check-prefix=BAD

# CHECK:      cmd LC_DYSYMTAB
# CHECK:      cmd LC_RPATH
# CHECK-NEXT: cmdsize 40
# CHECK-NEXT: path @executable_path/../lib (offset 12)
# CHECK:      cmd LC_RPATH
# CHECK-NEXT: cmdsize 24
# CHECK-NEXT: path /opt/x (offset 12)
# CHECK:      cmd LC_LOAD_DYLINKER
# STACK:      stacksize 8388608
# BAD: -stack_size '0x1234': not a hexadecimal multiple of 0x4000

.text
.globl _main
_main:
  retq
