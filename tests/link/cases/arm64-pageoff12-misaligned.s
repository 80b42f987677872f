## Test: an ARM64_RELOC_PAGEOFF12 on an ldr/str whose target is not aligned
## to the access size cannot be encoded (the 12-bit field is scaled by the
## size): the link fails, names the object, the relocation's place and the
## symbol, and writes no output. ld64.lld fails too. add and ldrb, which are
## not scaled, take any address.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/bad.s -o %t/bad.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/ok.s -o %t/ok.o

# RUN: not %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/bad.out %t/bad.o 2> %t/lfld.err
# RUN: FileCheck %s --input-file=%t/lfld.err
# RUN: test ! -e %t/bad.out
## _x4 is 4-aligned (ldr x needs 8), _h1 is odd (ldrh needs 2), _q8 is
## 8-aligned (ldr q needs 16); _b1 (ldrb) and _a1 (add) are fine.
# CHECK-DAG: error: '{{.*}}bad.o': ARM64_RELOC_PAGEOFF12 relocation at offset 0x4 of __TEXT,__text referencing _x4: the target is not aligned to the access size of the ldr or str
# CHECK-DAG: error: '{{.*}}bad.o': ARM64_RELOC_PAGEOFF12 relocation at offset 0xc of __TEXT,__text referencing _h1: the target is not aligned
# CHECK-DAG: error: '{{.*}}bad.o': ARM64_RELOC_PAGEOFF12 relocation at offset 0x14 of __TEXT,__text referencing _q8: the target is not aligned
# CHECK-NOT: _b1
# CHECK-NOT: _a1

# RUN: not %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/bad-lld.out %t/bad.o 2>&1 | FileCheck %s --check-prefix=LLD
# LLD-DAG: error: {{.*}}bad.o:(symbol _main+0x4): 64-bit LDR/STR to 0x{{[0-9a-f]+}} (_x4) is not 8-byte aligned
# LLD-DAG: error: {{.*}}bad.o:(symbol _main+0xc): 16-bit LDR/STR to 0x{{[0-9a-f]+}} (_h1) is not 2-byte aligned
# LLD-DAG: error: {{.*}}bad.o:(symbol _main+0x14): 128-bit LDR/STR to 0x{{[0-9a-f]+}} (_q8) is not 16-byte aligned

## The same accesses to aligned copies link, and the odd addresses of add
## and ldrb are encoded as they are.
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem -o %t/ok.out %t/ok.o
# RUN: llvm-objdump --macho -d --no-show-raw-insn %t/ok.out | FileCheck %s --check-prefix=OK
# OK-LABEL: _main:
# OK-NEXT: adrp x0
# OK-NEXT: ldr x0, [x0, #0x8]
# OK-NEXT: adrp x0
# OK-NEXT: ldrh w0, [x0, #0x2]
# OK-NEXT: adrp x0
# OK-NEXT: ldr q0, [x0, #0x10]
# OK-NEXT: adrp x0
# OK-NEXT: ldrb w0, [x0, #0x21]
# OK-NEXT: adrp x0
# OK-NEXT: add x0, x0, #0x23
# OK-NEXT: ret

#--- bad.s
	.text
	.p2align 2
	.globl _main
_main:
	adrp x0, _x4@PAGE
	ldr  x0, [x0, _x4@PAGEOFF]
	adrp x0, _h1@PAGE
	ldrh w0, [x0, _h1@PAGEOFF]
	adrp x0, _q8@PAGE
	ldr  q0, [x0, _q8@PAGEOFF]
	adrp x0, _b1@PAGE
	ldrb w0, [x0, _b1@PAGEOFF]
	adrp x0, _a1@PAGE
	add  x0, x0, _a1@PAGEOFF
	ret

	.data
	.p2align 12
	.space 1
_h1:	.short 1             // 0x1
	.space 1
_x4:	.quad 2              // 0x4
	.space 0xc
_q8:	.quad 3, 4           // 0x18
_b1:	.byte 5              // 0x28
_a1:	.byte 6              // 0x29
.subsections_via_symbols

#--- ok.s
	.text
	.p2align 2
	.globl _main
_main:
	adrp x0, _x8@PAGE
	ldr  x0, [x0, _x8@PAGEOFF]
	adrp x0, _h2@PAGE
	ldrh w0, [x0, _h2@PAGEOFF]
	adrp x0, _q16@PAGE
	ldr  q0, [x0, _q16@PAGEOFF]
	adrp x0, _b1@PAGE
	ldrb w0, [x0, _b1@PAGEOFF]
	adrp x0, _a1@PAGE
	add  x0, x0, _a1@PAGEOFF
	ret

	.data
	.p2align 12
	.space 2
_h2:	.short 1             // 0x2
	.space 4
_x8:	.quad 2              // 0x8
_q16:	.quad 3, 4           // 0x10
	.space 1
_b1:	.byte 5              // 0x21
	.space 1
_a1:	.byte 6              // 0x23
.subsections_via_symbols
