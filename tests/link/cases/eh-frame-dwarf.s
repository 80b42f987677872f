## Test: __eh_frame kept for functions that need DWARF unwind. The object
## has FDEs and no compact unwind (compiled with --emit-dwarf-unwind
## always, then __compact_unwind removed): every live function keeps its
## FDE, pointing at its output address, with its LSDA; the CIE's
## personality points at the personality's GOT slot (rebased: it is
## defined here); __unwind_info gives each function DWARF mode with its
## FDE's offset (0x04000000 | offset) and the LSDA in its LSDA array.
## Without -dead_strip every CIE stays; with it, the FDE of the dead
## function goes and the CIEs are those its FDEs use.
## ld64.lld agrees on all of it.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 --emit-dwarf-unwind always %s -o %t/full.o
# RUN: llvm-objcopy --remove-section __LD,__compact_unwind %t/full.o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/lfld.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o
# RUN: (llvm-nm -n %t/lfld.out; llvm-dwarfdump --eh-frame %t/lfld.out; \
# RUN:  llvm-objdump --macho --unwind-info --rebase %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm -n %t/lld.out; llvm-dwarfdump --eh-frame %t/lld.out; \
# RUN:  llvm-objdump --macho --unwind-info --rebase %t/lld.out) | FileCheck %s
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -dead_strip \
# RUN:   -o %t/lfld-ds.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -dead_strip -o %t/lld-ds.out %t/a.o
# RUN: (llvm-nm -n %t/lfld-ds.out; llvm-dwarfdump --eh-frame %t/lfld-ds.out; \
# RUN:  llvm-objdump --macho --unwind-info %t/lfld-ds.out) | FileCheck %s --check-prefix=DS
# RUN: (llvm-nm -n %t/lld-ds.out; llvm-dwarfdump --eh-frame %t/lld-ds.out; \
# RUN:  llvm-objdump --macho --unwind-info %t/lld-ds.out) | FileCheck %s --check-prefix=DS

# CHECK:      1[[MAIN:[0-9a-f]+]] T _main
# CHECK-NEXT: 1[[F:[0-9a-f]+]] T _f
# CHECK-NEXT: 1[[DEAD:[0-9a-f]+]] T _dead
# CHECK-NEXT: 1[[PERS:[0-9a-f]+]] T _my_personality
# CHECK-NEXT: 1[[LSDA:[0-9a-f]+]] s GCC_except_table0
# CHECK:      00000000 00000014 00000000 CIE
# CHECK:      00000018 0000001c 0000001c FDE cie=00000000 pc=1[[F]]...
# CHECK:      00000038 0000001c 0000003c FDE cie=00000000 pc=1[[DEAD]]...
# CHECK:      00000058 0000001c 00000000 CIE
# CHECK:        Personality Address: 00000001[[GOT:[0-9a-f]+]]
# CHECK:      00000078 0000002c 00000024 FDE cie=00000058 pc=1[[MAIN]]...
# CHECK:        LSDA Address: 00000001[[LSDA]]
# CHECK:      LSDA descriptors:
# CHECK-NEXT:   [0]: function offset=0x[[MAIN]], LSDA offset=0x[[LSDA]]
# CHECK:        [0]: function offset=0x[[MAIN]], encoding[{{[0-9]+}}]=0x04000078
# CHECK-NEXT:   [1]: function offset=0x[[F]], encoding[{{[0-9]+}}]=0x04000018
# CHECK-NEXT:   [2]: function offset=0x[[DEAD]], encoding[{{[0-9]+}}]=0x04000038
# CHECK-NEXT:   [3]: function offset=0x[[PERS]], encoding[{{[0-9]+}}]=0x00000000
# CHECK:      Rebase table:
# CHECK:      __DATA_CONST __got 0x1[[GOT]] pointer

# DS-NOT:     _dead
# DS:         00000000 00000014 00000000 CIE
# DS:         00000018 0000001c 0000001c FDE cie=00000000 pc=
# DS:         00000038 0000001c 00000000 CIE
# DS:         00000058 0000002c 00000024 FDE cie=00000038 pc=
# DS-NOT:     FDE
# DS:         encoding[{{[0-9]+}}]=0x04000058
# DS-NEXT:    encoding[{{[0-9]+}}]=0x04000018

.text
.globl _main
_main:
  .cfi_startproc
  .cfi_personality 155, _my_personality
  .cfi_lsda 16, Lexc
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  callq _f
  xorl %eax, %eax
  popq %rbp
  retq
  .cfi_endproc

.globl _f
_f:
  .cfi_startproc
  retq
  .cfi_endproc

.globl _dead
_dead:
  .cfi_startproc
  retq
  .cfi_endproc

.globl _my_personality
_my_personality:
  retq

.section __TEXT,__gcc_except_tab
GCC_except_table0:
Lexc:
  .long 0x12345678
.subsections_via_symbols
