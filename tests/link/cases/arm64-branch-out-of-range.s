## Test: an ARM64_RELOC_BRANCH26 reaches +-128 MiB. linkfs-ld makes range
## thunks only when the __TEXT segment itself spans 128 MiB
## (arm64-branch-thunks.s) and only for calls from __TEXT,__text; here
## __TEXT is small and the callee lives in a code segment __FAR after
## __DATA, so a bl beyond the range is an error naming the object, the
## place and the symbol, in either direction, and no output is written.
## ld64.lld fails too. The distance comes from a zero-fill __bss, so the
## objects and outputs stay small: with 96 MiB of __bss the branches reach,
## with 136 MiB they do not.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/near.s -o %t/near.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/far.s -o %t/far.o

## 96 MiB apart: links; the branches reach _away and back.
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/near.out %t/main.o %t/near.o
# RUN: (llvm-nm %t/near.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands --section=__FAR,__text %t/near.out) \
# RUN:   | FileCheck %s --check-prefix=NEAR
# NEAR-DAG:   [[#%x,AWAY:]] S _away
# NEAR-DAG:   [[#%x,MAIN:]] T _main
# NEAR-LABEL: _main:
# NEAR-NEXT:  [[#MAIN]]: bl 0x[[#AWAY]]
# NEAR-LABEL: _away:
# NEAR-NEXT:  [[#AWAY]]: bl 0x[[#MAIN]]

## 136 MiB apart: both branches are out of range.
# RUN: not %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/far.out %t/main.o %t/far.o 2> %t/far.err
# RUN: FileCheck %s --check-prefix=FAR --input-file=%t/far.err
# RUN: test ! -e %t/far.out
# FAR-DAG: error: '{{.*}}main.o': ARM64_RELOC_BRANCH26 relocation at offset 0x0 of __TEXT,__text referencing _away: branch target out of range (+-128 MiB)
# FAR-DAG: error: '{{.*}}far.o': ARM64_RELOC_BRANCH26 relocation at offset 0x0 of __FAR,__text referencing _main: branch target out of range (+-128 MiB)

# RUN: not %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/far-lld.out %t/main.o %t/far.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=LLD
# LLD-DAG: error: {{.*}}main.o:(symbol _main+0x0): relocation BRANCH26 is out of range: {{[0-9]+}} is not in [-134217728, 134217727]; references _away
# LLD-DAG: error: {{.*}}far.o:(symbol _away+0x0): relocation BRANCH26 is out of range: -{{[0-9]+}} is not in [-134217728, 134217727]; references _main

#--- main.s
	.text
	.p2align 2
	.globl _main
_main:
	bl _away
	ret
.subsections_via_symbols

#--- near.s
.zerofill __DATA,__bss,_gap,0x6000000,4
	.section __FAR,__text,regular,pure_instructions
	.p2align 2
	.globl _away
_away:
	bl _main
	ret
.subsections_via_symbols

#--- far.s
.zerofill __DATA,__bss,_gap,0x8800000,4
	.section __FAR,__text,regular,pure_instructions
	.p2align 2
	.globl _away
_away:
	bl _main
	ret
.subsections_via_symbols
