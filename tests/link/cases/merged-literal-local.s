## Test: local symbols on merged literals. Two objects each name an
## identical C string with a local symbol (clang does this for a
## function's `static const char hex[] = "..."`, e.g. git's
## _fill_loose_path.hex). The strings merge into one copy, and both
## names stay in the symbol table at that copy's address, whichever
## object comes first. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/b.s -o %t/b.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/ab.out %t/a.o %t/b.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/ba.out %t/b.o %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o %t/b.o
# RUN: llvm-nm -n %t/ab.out | FileCheck %s
# RUN: llvm-nm -n %t/ba.out | FileCheck %s
# RUN: llvm-nm -n %t/lld.out | FileCheck %s
# RUN: llvm-objdump --macho --section-headers %t/ab.out | FileCheck %s --check-prefix=SECT

# CHECK:      [[ADDR:[0-9a-f]+]] s _a.hex
# CHECK-NEXT: [[ADDR]] s _b.hex
# SECT: __cstring 00000011

#--- a.s
.cstring
_a.hex:
  .asciz "0123456789abcdef"
.text
.globl _main
_main:
  leaq _a.hex(%rip), %rax
  callq _b
  xorl %eax, %eax
  retq
.subsections_via_symbols

#--- b.s
.cstring
_b.hex:
  .asciz "0123456789abcdef"
.text
.globl _b
_b:
  leaq _b.hex(%rip), %rax
  retq
.subsections_via_symbols
