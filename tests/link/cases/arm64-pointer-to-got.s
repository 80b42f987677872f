## Test: ARM64_RELOC_POINTER_TO_GOT. `.long _sym@GOT - .` (pc-relative, 4
## bytes: what __gcc_except_tab's personality pointers look like) makes a
## __got slot for _sym, an import (bound) or a function of this image
## (rebased: data cannot be relaxed), and stores the slot's distance from
## the field. The same symbol shares one slot. ld64.lld agrees. The 8-byte
## absolute form (`.quad _sym@GOT`, which ld64 accepts and ld64.lld
## rejects) stores the slot's address, rebased.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/pcrel.s -o %t/pcrel.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/abs.s -o %t/abs.o
# RUN: llvm-objdump --macho -r %t/pcrel.o %t/abs.o | FileCheck %s --check-prefix=RELOC
# RELOC-LABEL: pcrel.o:
# RELOC-COUNT-4: True long True PTRTGOT False
# RELOC-LABEL: abs.o:
# RELOC:       00000000 False ?( 3) True PTRTGOT False _malloc

# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/pcrel.o --dump=got > %t/got.txt
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/pcrel.o

# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho --section-headers --rebase --bind %t/lfld.out; \
# RUN:  llvm-otool -s __DATA_CONST __const %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho --section-headers --rebase --bind %t/lld.out; \
# RUN:  llvm-otool -s __DATA_CONST __const %t/lld.out) | FileCheck %s
# CHECK:      [[#%x,LOCFN:]] t _loc_fn
# CHECK:      [[#%x,TAB:]] s _tab
# CHECK-LABEL: Sections:
# CHECK:      __got 00000018
# CHECK-LABEL: Rebase table:
# CHECK-NEXT: segment section address type
# CHECK-NEXT: __DATA_CONST __got 0x[[#%X,G_LOC:]] pointer
# CHECK-NOT:  __DATA
# CHECK-LABEL: Bind table:
# CHECK-NEXT: segment section address type addend dylib symbol
# CHECK-DAG:  __DATA_CONST __got 0x[[#%X,G_MALLOC:]] pointer 0 libSystem _malloc
# CHECK-DAG:  __DATA_CONST __got 0x[[#%X,G_FREE:]] pointer 0 libSystem _free
# CHECK-NOT:  __DATA
## each word is slot - field (negative: __got comes first)
# CHECK-LABEL: Contents of (__DATA_CONST,__const) section
# CHECK-NEXT: [[#TAB]] [[#%.8x,0x100000000 + G_MALLOC - TAB]] [[#%.8x,0x100000000 + G_FREE - TAB - 4]] [[#%.8x,0x100000000 + G_LOC - TAB - 8]] [[#%.8x,0x100000000 + G_MALLOC - TAB - 12]]

## linkfs-ld's own view: three slots, _loc_fn's holding its address.
# RUN: FileCheck %s --check-prefix=SLOTS --input-file=%t/got.txt
# SLOTS:      address slot symbol filled by
# SLOTS-DAG:  _malloc bind libSystem
# SLOTS-DAG:  _free bind libSystem
# SLOTS-DAG:  _loc_fn rebase 0x{{[0-9A-F]+}}
# SLOTS-NOT:  {{.}}
# RUN: (llvm-nm %t/lfld.out; cat %t/got.txt) | FileCheck %s --check-prefix=LOCSLOT
# LOCSLOT:    [[#%x,LOCFN:]] t _loc_fn
# LOCSLOT:    _loc_fn rebase 0x[[#%X,LOCFN]]

## The absolute form: the field holds the slot's address and is rebased.
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/abs.out %t/abs.o
# RUN: (llvm-objdump --macho --rebase --bind %t/abs.out; \
# RUN:  llvm-otool -s __DATA_CONST __const %t/abs.out) | FileCheck %s --check-prefix=ABS
# ABS-LABEL: Rebase table:
# ABS-NEXT:  segment section address type
# ABS-NEXT:  __DATA_CONST __const 0x[[#%X,FIELD:]] pointer
# ABS-LABEL: Bind table:
# ABS:       __DATA_CONST __got 0x[[#%X,SLOT:]] pointer 0 libSystem _malloc
# ABS-LABEL: Contents of (__DATA_CONST,__const) section
# ABS-NEXT:  [[#%.16x,FIELD]] [[#%.8x,SLOT - 0x100000000]] 00000001

#--- pcrel.s
	.text
	.p2align 2
	.globl _main
_main:
	ret
_loc_fn:
	ret

	.section __DATA,__const
	.p2align 3
_tab:
	.long _malloc@GOT - .
	.long _free@GOT - .
	.long _loc_fn@GOT - .
	.long _malloc@GOT - .

.subsections_via_symbols

#--- abs.s
	.text
	.p2align 2
	.globl _main
_main:
	ret

	.section __DATA,__const
	.p2align 3
_ptr:
	.quad _malloc@GOT

.subsections_via_symbols
