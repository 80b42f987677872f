## Test: the order of thunks in an island does not depend on the run or the
## number of threads: each island lists its thunks in the order calls first
## need them (input order), so 20 links with 16 threads give one output.
## (Sorting them by symbol address in memory, as once done, changed the
## output in about 1 of 30 runs.) Nine objects, eight far targets.

# RUN: rm -rf %t && split-file %s %t
# RUN: for f in m u0 u1 u2 u3 u4 u5 u6 u7; do \
# RUN:   llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/$f.s -o %t/$f.o || exit 1; done
# RUN: mkdir -p %t/r && for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do \
# RUN:   %lfld --threads=16 -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:     -o %t/r/a.out %t/m.o %t/u0.o %t/u1.o %t/u2.o %t/u3.o %t/u4.o %t/u5.o \
# RUN:     %t/u6.o %t/u7.o || exit 1; md5sum < %t/r/a.out; done | sort -u | wc -l \
# RUN:   | FileCheck %s --check-prefix=RUNS
# RUNS: {{^}}1{{$}}
## the thunks exist: main's first call goes through one
# RUN: llvm-objdump --macho -d --no-show-raw-insn %t/r/a.out | FileCheck %s
# CHECK-LABEL: _main:
# CHECK-NEXT: bl
# CHECK-NOT: _away7

#--- m.s
	.text
	.globl _main
	.p2align 2
_main:
	bl _away7
	bl _away0
	bl _away3
	ret
	.zerofill __TEXT,__bigzero,_gap,0x8800000,4
	.subsections_via_symbols

#--- u0.s
	.text
	.globl _f0
	.p2align 2
_f0:
	bl _away1
	bl _away3
	bl _away5
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away0
	.p2align 2
_away0:
	ret
	.subsections_via_symbols

#--- u1.s
	.text
	.globl _f1
	.p2align 2
_f1:
	bl _away2
	bl _away4
	bl _away6
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away1
	.p2align 2
_away1:
	ret
	.subsections_via_symbols

#--- u2.s
	.text
	.globl _f2
	.p2align 2
_f2:
	bl _away3
	bl _away5
	bl _away7
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away2
	.p2align 2
_away2:
	ret
	.subsections_via_symbols

#--- u3.s
	.text
	.globl _f3
	.p2align 2
_f3:
	bl _away4
	bl _away6
	bl _away0
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away3
	.p2align 2
_away3:
	ret
	.subsections_via_symbols

#--- u4.s
	.text
	.globl _f4
	.p2align 2
_f4:
	bl _away5
	bl _away7
	bl _away1
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away4
	.p2align 2
_away4:
	ret
	.subsections_via_symbols

#--- u5.s
	.text
	.globl _f5
	.p2align 2
_f5:
	bl _away6
	bl _away0
	bl _away2
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away5
	.p2align 2
_away5:
	ret
	.subsections_via_symbols

#--- u6.s
	.text
	.globl _f6
	.p2align 2
_f6:
	bl _away7
	bl _away1
	bl _away3
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away6
	.p2align 2
_away6:
	ret
	.subsections_via_symbols

#--- u7.s
	.text
	.globl _f7
	.p2align 2
_f7:
	bl _away0
	bl _away2
	bl _away4
	ret
	.section __FAR,__text,regular,pure_instructions
	.globl _away7
	.p2align 2
_away7:
	ret
	.subsections_via_symbols
