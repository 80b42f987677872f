## Test: a GOT load of a thread-local variable is refused, as lld refuses
## it: a thread-local is reached through its TLV descriptor, and the old
## output (a leaq of the descriptor) read the descriptor as the variable.
## Both architectures.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/x86.s -o %t/x86.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/arm.s -o %t/arm.o
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/x86.out %t/x86.o 2>&1 | FileCheck %s --check-prefix=X86
# RUN: not %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/arm.out %t/arm.o 2>&1 | FileCheck %s --check-prefix=ARM
# RUN: not %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/x86.o 2>&1 | FileCheck %s --check-prefix=LLD

# X86: error: '{{.*}}x86.o': X86_64_RELOC_GOT_LOAD at offset 0x3 of __TEXT,__text refers to _tv, a thread-local variable
# ARM: error: '{{.*}}arm.o': ARM64_RELOC_GOT_LOAD_PAGE21 at offset 0x0 of __TEXT,__text refers to _tv, a thread-local variable
# LLD: GOT_LOAD relocation requires that symbol _tv not be thread-local

#--- x86.s
.section __DATA,__thread_data,thread_local_regular
_tv$tlv$init:
  .long 5
.section __DATA,__thread_vars,thread_local_variables
.globl _tv
_tv:
  .quad __tlv_bootstrap
  .quad 0
  .quad _tv$tlv$init
.text
.globl _main
_main:
  movq _tv@GOTPCREL(%rip), %rax
  retq

#--- arm.s
.section __DATA,__thread_data,thread_local_regular
_tv$tlv$init:
  .long 5
.section __DATA,__thread_vars,thread_local_variables
.globl _tv
_tv:
  .quad __tlv_bootstrap
  .quad 0
  .quad _tv$tlv$init
.text
.globl _main
_main:
  adrp x0, _tv@GOTPAGE
  ldr x0, [x0, _tv@GOTPAGEOFF]
  ret
