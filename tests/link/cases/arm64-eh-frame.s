## Test: __eh_frame on arm64, where the assembler gives an FDE's function
## and LSDA pointers as SUBTRACTOR/UNSIGNED pairs instead of writing them
## in the bytes. The pointers are written again for the output's
## addresses, the personality points at its GOT slot, and __unwind_info
## gives each function DWARF mode (0x03000000 | FDE offset). ld64.lld
## agrees.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 --emit-dwarf-unwind always %s -o %t/full.o
# RUN: llvm-objcopy --remove-section __LD,__compact_unwind %t/full.o %t/a.o
# RUN: llvm-objdump --macho -r %t/a.o | FileCheck %s --check-prefix=RELOCS
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem -o %t/lfld.out %t/a.o
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/a.o
# RUN: (llvm-nm -n %t/lfld.out; llvm-dwarfdump --eh-frame %t/lfld.out; \
# RUN:  llvm-objdump --macho --unwind-info %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm -n %t/lld.out; llvm-dwarfdump --eh-frame %t/lld.out; \
# RUN:  llvm-objdump --macho --unwind-info %t/lld.out) | FileCheck %s

# RELOCS: SUB
# RELOCS: UNSIGND

# CHECK:      1[[MAIN:[0-9a-f]+]] T _main
# CHECK-NEXT: 1[[F:[0-9a-f]+]] T _f
# CHECK-NEXT: 1[[DEAD:[0-9a-f]+]] T _dead
# CHECK-NEXT: 1[[PERS:[0-9a-f]+]] T _my_personality
# CHECK-NEXT: 1[[LSDA:[0-9a-f]+]] s GCC_except_table0
# CHECK:      00000000 00000010 00000000 CIE
# CHECK:      00000014 00000018 00000018 FDE cie=00000000 pc=1[[F]]...
# CHECK:      00000030 0000001c 00000034 FDE cie=00000000 pc=1[[DEAD]]...
# CHECK:      00000050 00000018 00000000 CIE
# CHECK:        Personality Address:
# CHECK:      0000006c 00000028 00000020 FDE cie=00000050 pc=1[[MAIN]]...
# CHECK:        LSDA Address: 00000001[[LSDA]]
# CHECK:      LSDA descriptors:
# CHECK-NEXT:   [0]: function offset=0x[[MAIN]], LSDA offset=0x[[LSDA]]
# CHECK:        [0]: function offset=0x[[MAIN]], encoding[{{[0-9]+}}]=0x0300006c
# CHECK-NEXT:   [1]: function offset=0x[[F]], encoding[{{[0-9]+}}]=0x03000014
# CHECK-NEXT:   [2]: function offset=0x[[DEAD]], encoding[{{[0-9]+}}]=0x03000030
# CHECK-NEXT:   [3]: function offset=0x[[PERS]], encoding[{{[0-9]+}}]=0x00000000

.text
.globl _main
_main:
  .cfi_startproc
  .cfi_personality 155, _my_personality
  .cfi_lsda 16, Lexc
  stp x29, x30, [sp, #-16]!
  .cfi_def_cfa_offset 16
  .cfi_offset w30, -8
  .cfi_offset w29, -16
  mov x29, sp
  .cfi_def_cfa w29, 16
  bl _f
  mov w0, #0
  ldp x29, x30, [sp], #16
  ret
  .cfi_endproc

.globl _f
_f:
  .cfi_startproc
  ret
  .cfi_endproc

.globl _dead
_dead:
  .cfi_startproc
  ret
  .cfi_endproc

.globl _my_personality
_my_personality:
  ret

.section __TEXT,__gcc_except_tab
GCC_except_table0:
Lexc:
  .long 0x12345678
.subsections_via_symbols
