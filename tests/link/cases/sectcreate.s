## Test: -sectcreate SEG SECT FILE (and its older name -segcreate) makes
## section SEG,SECT of FILE's bytes, as ld64.lld does: in an existing
## segment after the inputs' sections, or in a segment of its own
## (read-write, after __DATA), byte-aligned, at the same addresses as
## ld64.lld's; -dead_strip keeps it though nothing refers to it. The
## program runs. A FILE that cannot be read, and a name longer than 16
## bytes, are errors that name them.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: %lfld -arch x86_64 -lSystem -o %t/lfld.out %t/main.o -dead_strip \
# RUN:   -sectcreate __DATA __blob %t/blob.txt -segcreate __MYSEG __x %t/x.txt
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/main.o -dead_strip \
# RUN:   -sectcreate __DATA __blob %t/blob.txt -segcreate __MYSEG __x %t/x.txt
# RUN: llvm-objdump --macho --section-headers %t/lfld.out | FileCheck %s --check-prefix=HDR
# RUN: llvm-objdump --macho --section-headers %t/lld.out | FileCheck %s --check-prefix=HDR
# HDR:      __text
# HDR-NEXT: __data        00000004 0000000100001000 DATA
# HDR-NEXT: __blob        00000011 0000000100001004 DATA
# HDR-NEXT: __x           00000004 0000000100002000 DATA
# RUN: llvm-objdump --macho --private-headers %t/lfld.out | FileCheck %s --check-prefix=SEG
# RUN: llvm-objdump --macho --private-headers %t/lld.out | FileCheck %s --check-prefix=SEG
# SEG:      segname __MYSEG
# SEG:      maxprot rw-
# SEG-NEXT: initprot rw-
# SEG:      sectname __x
# SEG-NEXT: segname __MYSEG
# SEG:      align 2^0 (1)
# RUN: llvm-objdump --macho -s --section=__DATA,__blob %t/lfld.out | FileCheck %s --check-prefix=BYTES
# RUN: llvm-objdump --macho -s --section=__DATA,__blob %t/lld.out | FileCheck %s --check-prefix=BYTES
# BYTES: 0000000100001004 68 65 6c 6c 6f 20 73 65 63 74 63 72 65 61 74 65
# BYTES-NEXT: 0000000100001014 0a
# RUN: %macho-run %t/lfld.out

## arm64: the object made for the section is arm64 too (the link would
## refuse a mix); the same sections as ld64.lld's
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/arm.s -o %t/arm.o
# RUN: %lfld -arch arm64 -lSystem -o %t/arm.out %t/arm.o -sectcreate __DATA __blob %t/blob.txt
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/armlld.out %t/arm.o -sectcreate __DATA __blob %t/blob.txt
# RUN: llvm-objdump --macho --section-headers %t/arm.out | FileCheck %s --check-prefix=ARM
# RUN: llvm-objdump --macho --section-headers %t/armlld.out | FileCheck %s --check-prefix=ARM
# ARM:      __text
# ARM-NEXT: __data        00000004 0000000100004000 DATA
# ARM-NEXT: __blob        00000011 0000000100004004 DATA

# RUN: not %lfld -arch x86_64 -lSystem -o %t/bad.out %t/main.o \
# RUN:   -sectcreate __DATA __blob %t/missing.txt 2>&1 | FileCheck %s --check-prefix=MISSING
# MISSING: linkfs-ld: error: -sectcreate __DATA __blob: cannot read '{{.*}}/missing.txt': No such file or directory
# RUN: not %lfld -arch x86_64 -lSystem -o %t/bad.out %t/main.o \
# RUN:   -sectcreate __DATA __blob %t 2>&1 | FileCheck %s --check-prefix=DIR
# DIR: linkfs-ld: error: -sectcreate __DATA __blob: cannot read '{{.*}}': Is a directory
# RUN: not %lfld -arch x86_64 -lSystem -o %t/bad.out %t/main.o \
# RUN:   -sectcreate __DATA __a_name_too_long_ %t/x.txt 2>&1 | FileCheck %s --check-prefix=LONG
# LONG: linkfs-ld: error: -sectcreate: '__a_name_too_long_' is not a segment or section name of 1 to 16 characters
# RUN: not %lfld -arch x86_64 -lSystem -o %t/bad.out %t/main.o -sectcreate __DATA __blob \
# RUN:   2>&1 | FileCheck %s --check-prefix=ARGS
# ARGS: linkfs-ld: error: missing argument to '-sectcreate'

#--- main.s
	.text
	.globl _main
_main:
	movl _v(%rip), %eax
	subl $42, %eax
	retq
	.data
	.globl _v
_v:
	.long 42
	.subsections_via_symbols

#--- arm.s
	.text
	.globl _main
_main:
	adrp x8, _v@PAGE
	ldr w0, [x8, _v@PAGEOFF]
	ret
	.data
	.globl _v
_v:
	.long 0
	.subsections_via_symbols

#--- blob.txt
hello sectcreate
#--- x.txt
xyz
