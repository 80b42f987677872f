## Test: -pagezero_size SIZE (hexadecimal) sizes an executable's
## __PAGEZERO, and __TEXT starts where it ends; 0 leaves __PAGEZERO out
## (__TEXT at 0); a size that is not a multiple of the page is rounded
## down with a warning. ld64.lld agrees, and each program runs.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: for z in 0x10000 0x0; do \
# RUN:   %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -pagezero_size $z \
# RUN:     -o %t/lfld-$z.out %t/a.o && \
# RUN:   %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:     -pagezero_size $z -o %t/lld-$z.out %t/a.o || exit 1; \
# RUN:   for l in lfld lld; do \
# RUN:     llvm-objdump --macho --private-headers %t/$l-$z.out \
# RUN:       | FileCheck %s --check-prefix=Z$z || exit 1; \
# RUN:   done; \
# RUN: done
# RUN: %macho-run %t/lfld-0x10000.out; test $? = 42
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -pagezero_size 0x10800 \
# RUN:   -o %t/odd.out %t/a.o 2>&1 | FileCheck %s --check-prefix=ODD
# RUN: llvm-objdump --macho --private-headers %t/odd.out | FileCheck %s --check-prefix=Z0x10000

# Z0x10000:      segname __PAGEZERO
# Z0x10000-NEXT: vmaddr 0x0000000000000000
# Z0x10000-NEXT: vmsize 0x0000000000010000
# Z0x10000:      segname __TEXT
# Z0x10000-NEXT: vmaddr 0x0000000000010000

# Z0x0-NOT:      __PAGEZERO
# Z0x0:          segname __TEXT
# Z0x0-NEXT:     vmaddr 0x0000000000000000

# ODD: warning: __PAGEZERO size is not page aligned, rounding down to 0x10000

.text
.globl _main
_main:
  movl $42, %eax
  retq
