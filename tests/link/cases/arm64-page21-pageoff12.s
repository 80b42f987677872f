## Test: ARM64_RELOC_PAGE21 and ARM64_RELOC_PAGEOFF12. adrp gets the page
## delta to its target's 4 KiB page; the 12-bit offset of add is the byte
## offset in the page, and that of ldr/str (unsigned offset) is the offset
## divided by the access size: 1 (ldrb, strb), 2 (ldrh, strh), 4 (ldr w,
## ldrsw, ldr s), 8 (ldr x, ldr d) or 16 (ldr q, str q). The data is 4 KiB
## aligned, so the page offsets, and the instruction words but adrp's,
## are known; the pages adrp reaches are those llvm-nm gives. ld64.lld
## writes the same words.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem -o %t/lfld.out %t/a.o
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o
# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho -d %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho -d %t/lld.out) | FileCheck %s

# CHECK-DAG: [[#%x,PAGE:]] d _page
# CHECK-DAG: [[#%x,PAGE2:]] d _page2
# CHECK-DAG: [[#%x,BIG:]] b _bigbss
# CHECK-LABEL: _main:
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 00 38 20 91 add x0, x0, #0x80e
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 38 60 39 ldrb w1, [x0, #0x80e]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 18 50 79 ldrh w1, [x0, #0x80c]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 08 48 b9 ldr w1, [x0, #0x808]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 00 44 f9 ldr x1, [x0, #0x800]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 fc c1 3d ldr q1, [x0, #0x7f0]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 08 88 b9 ldrsw x1, [x0, #0x808]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 00 44 fd ldr d1, [x0, #0x800]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 08 48 bd ldr s1, [x0, #0x808]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 38 20 39 strb w1, [x0, #0x80e]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 18 10 79 strh w1, [x0, #0x80c]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 08 08 b9 str w1, [x0, #0x808]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 00 04 f9 str x1, [x0, #0x800]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE]]
# CHECK-NEXT: 01 fc 81 3d str q1, [x0, #0x7f0]
## the next page of __data, and a page of __bss 0x20 pages further
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#PAGE2]]
# CHECK-NEXT: 01 0c 40 f9 ldr x1, [x0, #0x18]
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#BIG + 0x20000]]
# CHECK-NEXT: 01 08 40 f9 ldr x1, [x0, #0x10]
# CHECK-NEXT: ret

## The adrp words themselves: immlo (bits 29-30) and immhi (5-23) hold the
## page delta that llvm-objdump decodes; check one against its address.
# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands %t/lfld.out) | FileCheck %s --check-prefix=DELTA
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands %t/lld.out) | FileCheck %s --check-prefix=DELTA
# DELTA-DAG: [[#%x,BIG:]] b _bigbss
# DELTA-LABEL: _main:
# DELTA:      [[#%x,PC:]]: ldr x1, [x0, #0x18]
# DELTA-NEXT: adrp x0, [[#%d,div(BIG + 0x20000, 4096) - div(PC + 4, 4096)]] ; 0x[[#BIG + 0x20000]]
# DELTA-NEXT: ldr x1, [x0, #0x10]

	.text
	.p2align 2
	.globl _main
_main:
	adrp x0, _b1@PAGE
	add  x0, x0, _b1@PAGEOFF
	adrp x0, _b1@PAGE
	ldrb w1, [x0, _b1@PAGEOFF]
	adrp x0, _h2@PAGE
	ldrh w1, [x0, _h2@PAGEOFF]
	adrp x0, _w4@PAGE
	ldr  w1, [x0, _w4@PAGEOFF]
	adrp x0, _x8@PAGE
	ldr  x1, [x0, _x8@PAGEOFF]
	adrp x0, _q16@PAGE
	ldr  q1, [x0, _q16@PAGEOFF]
	adrp x0, _w4@PAGE
	ldrsw x1, [x0, _w4@PAGEOFF]
	adrp x0, _x8@PAGE
	ldr  d1, [x0, _x8@PAGEOFF]
	adrp x0, _w4@PAGE
	ldr  s1, [x0, _w4@PAGEOFF]
	adrp x0, _b1@PAGE
	strb w1, [x0, _b1@PAGEOFF]
	adrp x0, _h2@PAGE
	strh w1, [x0, _h2@PAGEOFF]
	adrp x0, _w4@PAGE
	str  w1, [x0, _w4@PAGEOFF]
	adrp x0, _x8@PAGE
	str  x1, [x0, _x8@PAGEOFF]
	adrp x0, _q16@PAGE
	str  q1, [x0, _q16@PAGEOFF]
	adrp x0, _next@PAGE
	ldr  x1, [x0, _next@PAGEOFF]
	adrp x0, _far@PAGE
	ldr  x1, [x0, _far@PAGEOFF]
	ret

	.data
	.p2align 12
_page:	.space 0x7f0
_q16:	.quad 1, 2
_x8:	.quad 3
_w4:	.long 4
_h2:	.short 5
_b1:	.byte 6
	.p2align 12
_page2:	.space 0x18
_next:	.quad 7

.zerofill __DATA,__bss,_bigbss,0x20010,12
.zerofill __DATA,__bss,_far,8,3

.subsections_via_symbols
