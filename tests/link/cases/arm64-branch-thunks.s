## Test: branch-range thunks. When the __TEXT segment spans 128 MiB or
## more and a bl in __TEXT,__text cannot reach its target, the call goes to
## a thunk `adrp x16, target@PAGE / add x16, x16, target@PAGEOFF / br x16`
## in an island placed after the calling chunk of __text; the calls that
## reach (a local function, an import's stub) stay direct, and all the
## out-of-range calls to one target share its thunk. The link map names
## the island `branch thunks`.
## The 136 MiB come from a zero-fill section in __TEXT, and the target
## lives in a code segment after __DATA, so the files stay small (a real
## 136 MiB __text makes 136 MB objects and outputs and takes minutes to
## disassemble). ld64.lld makes no thunks for this layout (they are for
## calls within __text) and fails.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/away.s -o %t/away.o
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/a.out %t/main.o %t/away.o -map %t/a.map
# RUN: (llvm-nm %t/a.out; cat %t/a.map; llvm-objdump --macho -d --no-show-raw-insn \
# RUN:   --no-symbolic-operands %t/a.out) | FileCheck %s

# CHECK-DAG:  [[#%x,AWAY:]] S _away
# CHECK-DAG:  [[#%x,NEAR:]] t _near
# CHECK-LABEL: # Symbols:
# CHECK:      0x[[#%X,THUNK:]] 0x0000000C [ 0] branch thunks
# CHECK-NEXT: 0x[[#%X,STUB:]] 0x0000000C [ 1] _puts
# CHECK-LABEL: _main:
# CHECK-NEXT: bl 0x[[#%x,THUNK]]
# CHECK-NEXT: bl 0x[[#NEAR]]
# CHECK-NEXT: bl 0x[[#%x,STUB]]
# CHECK-NEXT: ret
# CHECK-LABEL: _near:
# CHECK-NEXT: bl 0x[[#%x,THUNK]]
# CHECK-NEXT: ret
# CHECK-NEXT: [[#%x,THUNK]]: adrp x16, {{[0-9]+}} ; 0x[[#AWAY - 0x10]]
# CHECK-NEXT: add x16, x16, #0x10
# CHECK-NEXT: br x16
## the island holds one thunk, and no __text follows it
# CHECK-NOT:  {{.}}

# RUN: not %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/main.o %t/away.o 2>&1 | FileCheck %s --check-prefix=LLD
# LLD: error: {{.*}}relocation BRANCH26 is out of range: {{.*}} references _away

## An out-of-range call with an addend gets no thunk (clang never emits
## one): it is still an error.
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/addend.s -o %t/addend.o
# RUN: not %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/addend.out %t/addend.o %t/away.o 2>&1 | FileCheck %s --check-prefix=ADDEND
# ADDEND: error: '{{.*}}addend.o': ARM64_RELOC_BRANCH26 relocation at offset 0x0 of __TEXT,__text referencing _away: branch target out of range (+-128 MiB)

#--- main.s
	.text
	.p2align 2
	.globl _main
_main:
	bl _away
	bl _near
	bl _puts
	ret
_near:
	bl _away
	ret

.zerofill __TEXT,__bigzero,_gap,0x8800000,4

.subsections_via_symbols

#--- away.s
	.section __FAR,__text,regular,pure_instructions
	.p2align 4
	.space 0x10
	.globl _away
_away:
	ret

.subsections_via_symbols

#--- addend.s
	.text
	.p2align 2
	.globl _main
_main:
	bl _away+4
	ret

.zerofill __TEXT,__bigzero,_gap,0x8800000,4

.subsections_via_symbols
