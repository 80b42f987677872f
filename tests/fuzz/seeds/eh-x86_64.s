# eh-x86_64.s - a fuzz seed: functions with FDEs (a personality, an LSDA)
# for the link harness's __eh_frame reader; assembled with
# --emit-dwarf-unwind always by tests/fuzz/run. No _main: the fixed object has it.
.text
.globl _eh_caller
_eh_caller:
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
