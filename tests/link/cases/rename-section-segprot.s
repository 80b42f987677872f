## Test: -rename_section OLDSEG OLDSECT NEWSEG NEWSECT moves an input
## section, then -rename_segment OLD NEW every output section of OLD (a
## section renamed into OLD too, __DATA,__zeros; not __DATA,__const,
## which the linker's own rename put in __DATA_CONST first, as in
## ld64.lld), and -segprot SEG MAX INIT
## sets a segment's protections (letters, as ld64.lld, or ld64's hex).
## The sections, their addresses and the segments' protections are
## ld64.lld's, and the program runs. Refused as ld64.lld refuses them: a
## name with a special character, a bad protection, MAX other than INIT,
## and -segprot __LINKEDIT; and -rename_segment __TEXT (ld64.lld writes
## a broken file).

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: %lfld -arch x86_64 -lSystem -o %t/lfld.out %t/main.o \
# RUN:   -rename_section __TEXT __cstring __STR __strs -rename_segment __DATA __MYDATA \
# RUN:   -rename_section __DATA __bss __DATA __zeros \
# RUN:   -segprot __MYDATA rwx rwx -segprot __STR 1 1
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/main.o \
# RUN:   -rename_section __TEXT __cstring __STR __strs -rename_segment __DATA __MYDATA \
# RUN:   -rename_section __DATA __bss __DATA __zeros \
# RUN:   -segprot __MYDATA rwx rwx -segprot __STR r r
# RUN: llvm-objdump --macho --section-headers %t/lfld.out | FileCheck %s
# RUN: llvm-objdump --macho --section-headers %t/lld.out | FileCheck %s
# CHECK:      __text
# CHECK-NEXT: __const       00000008 0000000100001000 DATA
# CHECK-NEXT: __data        00000004 0000000100002000 DATA
# CHECK-NEXT: __zeros       00000004 0000000100002004 BSS
# CHECK-NEXT: __strs        00000003 0000000100003000 DATA
# RUN: llvm-objdump --macho --private-headers %t/lfld.out | FileCheck %s --check-prefix=SEG
# RUN: llvm-objdump --macho --private-headers %t/lld.out | FileCheck %s --check-prefix=SEG
# SEG:      segname __TEXT
# SEG:      maxprot r-x
# SEG-NEXT: initprot r-x
# SEG:      segname __DATA_CONST
# SEG:      maxprot rw-
# SEG-NEXT: initprot rw-
# SEG:      sectname __const
# SEG-NEXT: segname __DATA_CONST
# SEG:      segname __MYDATA
# SEG:      maxprot rwx
# SEG-NEXT: initprot rwx
# SEG:      sectname __data
# SEG-NEXT: segname __MYDATA
# SEG:      sectname __zeros
# SEG-NEXT: segname __MYDATA
# SEG:      segname __STR
# SEG:      maxprot r--
# SEG-NEXT: initprot r--
# SEG:      sectname __strs
# SEG-NEXT: segname __STR
# RUN: %macho-run %t/lfld.out

# RUN: not %lfld -arch x86_64 -lSystem %t/main.o -rename_section __DATA __data '__DA#TA' __x \
# RUN:   2>&1 | FileCheck %s --check-prefix=BADNAME
# BADNAME: linkfs-ld: error: -rename_section: invalid name for segment or section: __DA#TA
# RUN: not %lfld -arch x86_64 -lSystem %t/main.o -rename_segment __DATA 2>&1 \
# RUN:   | FileCheck %s --check-prefix=ARGS
# ARGS: linkfs-ld: error: missing argument to '-rename_segment'
# RUN: not %lfld -arch x86_64 -lSystem %t/main.o -segprot __DATA rwz rwz 2>&1 \
# RUN:   | FileCheck %s --check-prefix=LETTER
# LETTER: linkfs-ld: error: -segprot __DATA rwz rwz: a protection is letters r, w, x, - or a hex number up to 7, not 'rwz'
# RUN: not %lfld -arch x86_64 -lSystem %t/main.o -segprot __DATA 3 8 2>&1 \
# RUN:   | FileCheck %s --check-prefix=HEX
# HEX: linkfs-ld: error: -segprot __DATA 3 8: a protection is letters r, w, x, - or a hex number up to 7, not '8'
# RUN: not %lfld -arch x86_64 -lSystem %t/main.o -segprot __DATA rwx rw 2>&1 \
# RUN:   | FileCheck %s --check-prefix=DIFF
# DIFF: linkfs-ld: error: -segprot __DATA rwx rw: max and init must be the same for non-i386 archs
# RUN: not %lfld -arch x86_64 -lSystem %t/main.o -segprot __LINKEDIT rw rw 2>&1 \
# RUN:   | FileCheck %s --check-prefix=LINKEDIT
# LINKEDIT: linkfs-ld: error: -segprot cannot be used to change __LINKEDIT's protections
# RUN: not %lfld -arch x86_64 -lSystem %t/main.o -rename_segment __TEXT __CODE 2>&1 \
# RUN:   | FileCheck %s --check-prefix=TEXT
# TEXT: linkfs-ld: error: -rename_segment __TEXT is not supported

#--- main.s
	.text
	.globl _main
_main:
	movq _p(%rip), %rax
	movl (%rax), %eax
	addl _z(%rip), %eax
	subl $42, %eax
	retq
	.data
	.globl _v
_v:
	.long 42
	.section __DATA,__const
	.globl _p
_p:
	.quad _v
	.section __TEXT,__cstring,cstring_literals
L_s:
	.asciz "hi"
	.globl _z
.zerofill __DATA,__bss,_z,4,2
	.subsections_via_symbols
