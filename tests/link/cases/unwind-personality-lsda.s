## Test: compact unwind with a personality and an LSDA (what every C++
## function with a try/catch or a destructor to run has). The entry keeps
## both: the personality, bound to ___gxx_personality_v0 in libc++abi
## through a GOT slot, is numbered in the personality array (encoding
## bits 28-29), the LSDA goes to the LSDA array, and entries with an
## LSDA are never folded with their neighbours. The FDEs the assembler
## also wrote are dropped (the compact entries describe the functions);
## their CIEs stay, as in lld without -dead_strip. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o %t/cxxabi.tbd
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o %t/cxxabi.tbd
# RUN: (llvm-nm -n %t/lfld.out; llvm-objdump --macho --unwind-info --bind %t/lfld.out; \
# RUN:  llvm-dwarfdump --eh-frame %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm -n %t/lld.out; llvm-objdump --macho --unwind-info --bind %t/lld.out; \
# RUN:  llvm-dwarfdump --eh-frame %t/lld.out) | FileCheck %s

# CHECK:      U ___gxx_personality_v0
# CHECK:      1[[A:[0-9a-f]+]] T _a
# CHECK-NEXT: 1[[B:[0-9a-f]+]] T _b
# CHECK-NEXT: 1[[C:[0-9a-f]+]] T _main
# CHECK-NEXT: 1[[LA:[0-9a-f]+]] s GCC_except_table0
# CHECK-NEXT: 1[[LB:[0-9a-f]+]] s GCC_except_table1
# CHECK:      Personality functions: (count = 1)
# CHECK-NEXT:   personality[1]: 0x[[GOT:[0-9a-f]+]]
# CHECK:      LSDA descriptors:
# CHECK-NEXT:   [0]: function offset=0x[[A]], LSDA offset=0x[[LA]]
# CHECK-NEXT:   [1]: function offset=0x[[B]], LSDA offset=0x[[LB]]
# CHECK:        [0]: function offset=0x[[A]], encoding[{{[0-9]+}}]=0x51000000
# CHECK-NEXT:   [1]: function offset=0x[[B]], encoding[{{[0-9]+}}]=0x51000000
# CHECK-NEXT:   [2]: function offset=0x[[C]], encoding[{{[0-9]+}}]=0x01000000
# CHECK:      Bind table:
# CHECK:      __DATA_CONST __got 0x1[[GOT]] pointer 0 libc++abi ___gxx_personality_v0
# CHECK:      CIE
# CHECK-NOT:  FDE

#--- a.s
.text
.globl _a
_a:
  .cfi_startproc
  .cfi_personality 155, ___gxx_personality_v0
  .cfi_lsda 16, Lexc0
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  popq %rbp
  retq
  .cfi_endproc

.globl _b
_b:
  .cfi_startproc
  .cfi_personality 155, ___gxx_personality_v0
  .cfi_lsda 16, Lexc1
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  popq %rbp
  retq
  .cfi_endproc

.globl _main
_main:
  .cfi_startproc
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  callq _a
  callq _b
  xorl %eax, %eax
  popq %rbp
  retq
  .cfi_endproc

.section __TEXT,__gcc_except_tab
GCC_except_table0:
Lexc0:
  .long 1
GCC_except_table1:
Lexc1:
  .long 2
.subsections_via_symbols

#--- cxxabi.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/usr/lib/libc++abi.dylib'
current-version: 1
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ ___gxx_personality_v0 ]
...
