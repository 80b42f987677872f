## Test: ARM64_RELOC_GOT_LOAD_PAGE21 / GOT_LOAD_PAGEOFF12. A GOT load of a
## symbol this image defines (local or global) is relaxed: adrp reaches the
## symbol's own page and `ldr x, [x, slot]` becomes `add x, x, offset`; the
## symbol gets no __got slot. A GOT load of an import keeps its ldr and one
## slot per symbol, bound by dyld; a weak definition keeps its slot too
## (rebased, with a weak-bind entry, as dyld may coalesce it). ld64.lld
## does the same.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/main.s -o %t/main.o
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/main.o --dump=got > %t/got.txt
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/main.o

## Three slots, none for _loc or _glob.
# RUN: FileCheck %s --check-prefix=SLOTS --input-file=%t/got.txt
# SLOTS:    address slot symbol filled by
# SLOTS-NEXT: 0x{{[0-9A-F]+}} 0 _malloc bind libSystem
# SLOTS-NEXT: 0x{{[0-9A-F]+}} 1 ___stderrp bind libSystem
# SLOTS-NEXT: 0x{{[0-9A-F]+}} 2 _wd rebase 0x{{[0-9A-F]+}} weak
# SLOTS-NOT: {{.}}

# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --section-headers %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --section-headers %t/lld.out) | FileCheck %s
# CHECK-DAG: [[#%x,LOC:]] d _loc
# CHECK-DAG: [[#%x,GLOB:]] D _glob
# CHECK-LABEL: _main:
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#LOC - 0x10]]
# CHECK-NEXT: add x0, x0, #0x10{{$}}
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#GLOB - 0x18]]
# CHECK-NEXT: add x0, x0, #0x18{{$}}
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#%x,GOTSEC:]]
# CHECK-NEXT: ldr x0, [x0, #0x10] ; literal pool symbol address: _wd
# CHECK-NEXT: adrp x1, {{[0-9]+}} ; 0x[[#GOTSEC]]
# CHECK-NEXT: ldr x1, [x1] ; literal pool symbol address: _malloc
# CHECK-NEXT: adrp x1, {{[0-9]+}} ; 0x[[#GOTSEC]]
# CHECK-NEXT: ldr x1, [x1, #0x8] ; literal pool symbol address: ___stderrp
# CHECK-NEXT: adrp x1, {{[0-9]+}} ; 0x[[#GOTSEC]]
# CHECK-NEXT: ldr x1, [x1] ; literal pool symbol address: _malloc
# CHECK-NEXT: ret
# CHECK-LABEL: Sections:
# CHECK: __got 00000018 {{0*}}[[#GOTSEC]] DATA

## The dyld tables: binds for the imports' slots, a rebase and a weak bind
## for _wd's; nothing else.
# RUN: llvm-objdump --macho --rebase --bind --lazy-bind --weak-bind %t/lfld.out \
# RUN:   | FileCheck %s --check-prefix=DYLD
# RUN: llvm-objdump --macho --rebase --bind --lazy-bind --weak-bind %t/lld.out \
# RUN:   | FileCheck %s --check-prefix=DYLD
# DYLD-LABEL: Rebase table:
# DYLD-NEXT:  segment section address type
# DYLD-NEXT:  __DATA_CONST __got 0x[[#%X,WDSLOT:]] pointer
# DYLD-EMPTY:
# DYLD-LABEL: Bind table:
# DYLD-NEXT:  segment section address type addend dylib symbol
# DYLD-DAG:   __DATA_CONST __got 0x{{[0-9A-F]+}} pointer 0 libSystem _malloc
# DYLD-DAG:   __DATA_CONST __got 0x{{[0-9A-F]+}} pointer 0 libSystem ___stderrp
# DYLD-NOT:   pointer
# DYLD-LABEL: Lazy bind table:
# DYLD-NEXT:  segment section address dylib symbol
# DYLD-EMPTY:
# DYLD-LABEL: Weak bind table:
# DYLD-NEXT:  segment section address type addend symbol
# DYLD-NEXT:  __DATA_CONST __got 0x[[#WDSLOT]] pointer 0 _wd
# DYLD-NOT:   {{.}}

## A GOT load that is not a 64-bit ldr (here `ldr w0`) cannot become an
## add: it must keep reading a slot, which the linker fills with _loc's
## address (rebased).
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/ldrw.s -o %t/ldrw.o
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/ldrw.out %t/ldrw.o --dump=got > %t/ldrw-got.txt
# RUN: (llvm-nm %t/ldrw.out; cat %t/ldrw-got.txt; llvm-objdump --macho -d \
# RUN:   --no-show-raw-insn --rebase %t/ldrw.out) | FileCheck %s --check-prefix=LDRW
# LDRW:      [[#%x,LOC:]] d _loc
# LDRW:      0x[[#%X,SLOT:]] 0 _loc rebase 0x[[#%X,LOC]]
# LDRW-LABEL: _main:
# LDRW-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#%x,SLOT]]
# LDRW-NEXT: ldr w0, [x0]
# LDRW-LABEL: Rebase table:
# LDRW:      __DATA_CONST __got 0x[[#%X,SLOT]] pointer

#--- main.s
	.text
	.p2align 2
	.globl _main
_main:
	adrp x0, _loc@GOTPAGE
	ldr  x0, [x0, _loc@GOTPAGEOFF]
	adrp x0, _glob@GOTPAGE
	ldr  x0, [x0, _glob@GOTPAGEOFF]
	adrp x0, _wd@GOTPAGE
	ldr  x0, [x0, _wd@GOTPAGEOFF]
	adrp x1, _malloc@GOTPAGE
	ldr  x1, [x1, _malloc@GOTPAGEOFF]
	adrp x1, ___stderrp@GOTPAGE
	ldr  x1, [x1, ___stderrp@GOTPAGEOFF]
	adrp x1, _malloc@GOTPAGE
	ldr  x1, [x1, _malloc@GOTPAGEOFF]
	ret

	.data
	.p2align 12
	.space 0x10
_loc:	.quad 1
	.globl _glob
_glob:	.quad 2
	.globl _wd
	.weak_definition _wd
_wd:	.quad 3

.subsections_via_symbols

#--- ldrw.s
	.text
	.p2align 2
	.globl _main
_main:
	adrp x0, _loc@GOTPAGE
	ldr  w0, [x0, _loc@GOTPAGEOFF]
	ret

	.data
	.p2align 3
_loc:	.quad 1

.subsections_via_symbols
