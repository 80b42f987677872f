## Test: ARM64_RELOC_BRANCH26 (bl and b). A branch to a function of this
## image, forward, backward or into another object, is encoded with the
## displacement to that function; a branch to an import goes to the
## import's __stubs entry, and llvm-objdump names the stub. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/other.s -o %t/other.o

## The assembler left every branch to the linker (.subsections_via_symbols).
# RUN: llvm-objdump --macho -r %t/main.o | FileCheck %s --check-prefix=RELOC
# RELOC-COUNT-7: True long True BR26 False

# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lfld.out %t/main.o %t/other.o
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/main.o %t/other.o

## The targets by address: llvm-nm's values, then the branches.
# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands %t/lfld.out) | FileCheck %s --check-prefix=ADDR
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands %t/lld.out) | FileCheck %s --check-prefix=ADDR
# ADDR-DAG:  [[#%x,AFTER:]] t _after
# ADDR-DAG:  [[#%x,BEFORE:]] t _before
# ADDR-DAG:  [[#%x,OTHER:]] T _other
# ADDR-LABEL: _main:
# ADDR-NEXT: bl 0x[[#AFTER]]
# ADDR-NEXT: bl 0x[[#BEFORE]]
# ADDR-NEXT: b 0x[[#AFTER]]
# ADDR-NEXT: bl 0x[[#OTHER]]
# ADDR-NEXT: bl 0x[[#%x,PRINTF:]]
# ADDR-NEXT: bl 0x[[#%x,PUTS:]]
# ADDR-NEXT: b 0x[[#PRINTF]]
# ADDR-NEXT: ret

## The imports' branches land on their stubs: llvm-objdump reads the
## indirect symbol table to name them; for linkfs-ld the addresses are
## also those --dump=stubs prints.
# RUN: llvm-objdump --macho -d --no-show-raw-insn %t/lld.out | FileCheck %s
# RUN: mkdir %t/nolib
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem -o %t/nolib/lfld.out \
# RUN:   %t/main.o %t/other.o --dump=stubs > %t/stubs.txt
# RUN: (llvm-objdump --macho -d --no-show-raw-insn %t/nolib/lfld.out; cat %t/stubs.txt) \
# RUN:   | FileCheck %s --check-prefixes=CHECK,DUMP
# CHECK-LABEL: _main:
# CHECK-NEXT: bl _after
# CHECK-NEXT: bl _before
# CHECK-NEXT: b _after
# CHECK-NEXT: bl _other
# CHECK-NEXT: bl 0x[[#%x,PRINTF:]] ; symbol stub for: _printf
# CHECK-NEXT: bl 0x[[#%x,PUTS:]] ; symbol stub for: _puts
# CHECK-NEXT: b 0x[[#PRINTF]] ; symbol stub for: _printf
# CHECK-NEXT: ret
# DUMP:      stub lazy_ptr helper symbol dylib
# DUMP-NEXT: 0x[[#%X,PRINTF]] 0x{{[0-9A-F]+}} 0x{{[0-9A-F]+}} _printf libSystem
# DUMP-NEXT: 0x[[#%X,PUTS]] 0x{{[0-9A-F]+}} 0x{{[0-9A-F]+}} _puts libSystem

## -lSystem without -L (the built-in stub) links the same (the output's
## name, which a code signature holds, is the same too).
# RUN: cmp %t/lfld.out %t/nolib/lfld.out

#--- main.s
.text
.p2align 2
_before:
  ret

.globl _main
_main:
  bl _after
  bl _before
  b _after
  bl _other
  bl _printf
  bl _puts
  b _printf
  ret

_after:
  ret

.subsections_via_symbols

#--- other.s
.text
.p2align 2
.globl _other
_other:
  ret

.subsections_via_symbols
