## Test: ARM64_RELOC_ADDEND pairs. arm64 instructions hold no addend: an
## ADDEND entry before a PAGE21, PAGEOFF12 or BRANCH26 carries it, and the
## target is symbol + addend. adrp must take the page of symbol + addend
## (here _arr is 16 bytes before a page boundary, so _arr+16 is on the next
## page), the 12-bit offset its offset in that page, and bl/b land inside
## _f. ld64.lld agrees.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %s -o %t/a.o

## The assembler wrote the addends as ADDEND entries.
# RUN: llvm-objdump --macho -r %t/a.o | FileCheck %s --check-prefix=RELOC
# RELOC:      00000024 False long False ADDEND False addend = 0x000004
# RELOC-NEXT: 00000024 True long True BR26 False _f
# RELOC-NEXT: 00000020 False long False ADDEND False addend = 0x000008
# RELOC-NEXT: 00000020 True long True BR26 False _f
# RELOC:      00000000 False long False ADDEND False addend = 0x000010
# RELOC-NEXT: 00000000 True long True PAGE21 False _arr

# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem -o %t/lfld.out %t/a.o
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o
# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands %t/lld.out) | FileCheck %s

# CHECK-DAG: [[#%x,ARR:]] d _arr
# CHECK-DAG: [[#%x,F:]] T _f
# CHECK-LABEL: _main:
## _arr+16, _arr+24, _arr+40 are 0x0, 0x8 and 0x18 into _arr's next page
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#ARR + 16]]
# CHECK-NEXT: add x0, x0, #0x0
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#ARR + 16]]
# CHECK-NEXT: ldr x1, [x0, #0x8]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#ARR + 16]]
# CHECK-NEXT: ldr x1, [x0, #0x18]
## without the addend: the same page as _arr
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#ARR - 0xff0]]
# CHECK-NEXT: add x0, x0, #0xff0
# CHECK-NEXT: bl 0x[[#F + 8]]
# CHECK-NEXT: b 0x[[#F + 4]]
# CHECK-NEXT: ret

	.text
	.p2align 2
	.globl _main
_main:
	adrp x0, _arr@PAGE+16
	add  x0, x0, _arr@PAGEOFF+16
	adrp x0, _arr@PAGE+24
	ldr  x1, [x0, _arr@PAGEOFF+24]
	adrp x0, Llater@PAGE+8       // a temporary label: _arr+0x28
	ldr  x1, [x0, Llater@PAGEOFF+8]
	adrp x0, _arr@PAGE
	add  x0, x0, _arr@PAGEOFF
	bl   _f+8
	b    _f+4
	ret

	.globl _f
_f:
	nop
	nop
	nop
	ret

	.data
	.p2align 12
	.space 0xff0
_arr:	.quad 1, 2, 3, 4
Llater:	.quad 5, 6

.subsections_via_symbols
