# eh-arm64.s - a fuzz seed: functions with FDEs (a personality, an LSDA)
# for the link harness's __eh_frame reader; assembled with
# --emit-dwarf-unwind always by tests/fuzz/run. No _main: the fixed object has it.
.text
.globl _eh_caller
_eh_caller:
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
