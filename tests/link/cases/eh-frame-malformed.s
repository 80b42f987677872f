## Test: a damaged __eh_frame is an error that names the file, the offset
## in the section and the problem, never a crash or a silent drop.

# RUN: rm -rf %t && split-file %s %t
# RUN: for f in len cieptr version pers len64 aug; do \
# RUN:   llvm-mc -filetype=obj -triple=x86_64-apple-macos11 -I %t %t/$f.s -o %t/$f.o || exit 1; done
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/o %t/len.o 2>&1 | FileCheck %s --check-prefix=LEN
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/o %t/cieptr.o 2>&1 | FileCheck %s --check-prefix=CIEPTR
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/o %t/version.o 2>&1 | FileCheck %s --check-prefix=VERSION
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/o %t/pers.o 2>&1 | FileCheck %s --check-prefix=PERS
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/o %t/len64.o 2>&1 | FileCheck %s --check-prefix=LEN64
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -o %t/o %t/aug.o 2>&1 | FileCheck %s --check-prefix=AUG

# LEN: '{{.*}}len.o': __eh_frame offset 0x0: record length runs past the section end
# CIEPTR: '{{.*}}cieptr.o': __eh_frame offset 0x1c: FDE's CIE pointer does not point at an earlier CIE
# VERSION: '{{.*}}version.o': __eh_frame offset 0x0: CIE version is not 1 or 3
# PERS: '{{.*}}pers.o': __eh_frame offset 0x12: CIE personality has no GOT relocation to a symbol
# LEN64: '{{.*}}len64.o': __eh_frame offset 0x0: 64-bit DWARF records are not supported
# AUG: '{{.*}}aug.o': __eh_frame offset 0x0: CIE augmentation has a letter linkfs does not read

#--- main.inc
.text
.globl _main
_main:
  retq

#--- len.s
.include "main.inc"
.section __TEXT,__eh_frame
  .long 0x100            # longer than the section
  .long 0

#--- cieptr.s
.include "main.inc"
.section __TEXT,__eh_frame
  .long 0x14             # CIE
  .long 0
  .byte 1
  .asciz "zR"
  .byte 1, 0x78, 0x10, 1, 0x10
  .byte 0x0c, 7, 8, 0x90, 1, 0, 0
  .long 0x10             # FDE whose CIE pointer points nowhere
  .long 0x7
  .long 0, 1
  .byte 0, 0, 0, 0

#--- version.s
.include "main.inc"
.section __TEXT,__eh_frame
  .long 0x14
  .long 0
  .byte 9                # no such version
  .asciz "zR"
  .byte 1, 0x78, 0x10, 1, 0x10
  .byte 0x0c, 7, 8, 0x90, 1, 0, 0

#--- pers.s
.include "main.inc"
.section __TEXT,__eh_frame
  .long 0x18
  .long 0
  .byte 1
  .asciz "zPR"
  .byte 1, 0x78, 0x10, 6
  .byte 0x9b             # a personality with no relocation
  .long 0
  .byte 0x10
  .byte 0x0c, 7, 8, 0x90, 1

#--- len64.s
.include "main.inc"
.section __TEXT,__eh_frame
  .long 0xffffffff
  .quad 8
  .quad 0

#--- aug.s
.include "main.inc"
.section __TEXT,__eh_frame
  .long 0x14
  .long 0
  .byte 1
  .asciz "zQ"
  .byte 1, 0x78, 0x10, 1, 0x10
  .byte 0x0c, 7, 8, 0x90, 1, 0, 0
