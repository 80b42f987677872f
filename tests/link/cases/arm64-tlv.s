## Test: ARM64_RELOC_TLVP_LOAD_PAGE21 / TLVP_LOAD_PAGEOFF12. A TLV load of a
## thread-local this image defines is relaxed to adrp+add of its descriptor
## in __thread_vars (no slot); a TLV load of an imported thread-local keeps
## its ldr and reads a __thread_ptrs slot that dyld binds. The descriptors'
## thunks bind to __tlv_bootstrap and their third word is the offset of the
## initial value in the thread-local template (__thread_data, then
## __thread_bss), not an address: no rebase. The header says
## MH_HAS_TLV_DESCRIPTORS. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/main.s -o %t/main.o
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/main.o %t/libtlv.tbd
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/main.o %t/libtlv.tbd

# RUN: llvm-objdump --macho -r %t/main.o | FileCheck %s --check-prefix=RELOC
# RELOC-COUNT-3: True long True TLVLDP False

# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho --private-header %t/lfld.out; \
# RUN:  llvm-objdump --macho -d --no-show-raw-insn %t/lfld.out; \
# RUN:  llvm-objdump --macho --section-headers --rebase --bind %t/lfld.out; \
# RUN:  llvm-otool -s __DATA __thread_vars %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho --private-header %t/lld.out; \
# RUN:  llvm-objdump --macho -d --no-show-raw-insn %t/lld.out; \
# RUN:  llvm-objdump --macho --section-headers --rebase --bind %t/lld.out; \
# RUN:  llvm-otool -s __DATA __thread_vars %t/lld.out) | FileCheck %s

# CHECK-DAG:  [[#%x,TL:]] S _tl
# CHECK-DAG:  [[#%x,TL2:]] s _tl2
# CHECK-LABEL: Mach header
# CHECK:      EXECUTE {{.*}} MH_HAS_TLV_DESCRIPTORS
# CHECK-LABEL: _main:
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#TL]]
# CHECK-NEXT: add x0, x0, #0x0{{$}}
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#TL]]
# CHECK-NEXT: add x0, x0, #0x18{{$}}
# CHECK-NEXT: adrp x0, {{[0-9]+}} ; 0x[[#%x,PTRPAGE:]]
# CHECK-NEXT: ldr x0, [x0, #0x[[#%x,PTROFF:]]] ; literal pool symbol address: _ext_tl
# CHECK-NEXT: ret
# CHECK-LABEL: Sections:
# CHECK:      __thread_vars 00000030 {{0*}}[[#TL]] DATA
# CHECK-NEXT: __thread_ptrs 00000008 {{0*}}[[#%x,PTRPAGE + PTROFF]] DATA
# CHECK-NEXT: __thread_data 00000004
# CHECK-NEXT: __thread_bss 00000008
# CHECK-LABEL: Rebase table:
# CHECK-NEXT: segment section address type
# CHECK-EMPTY:
# CHECK-LABEL: Bind table:
# CHECK-DAG:  __DATA __thread_vars 0x[[#%X,TL]] pointer 0 libSystem __tlv_bootstrap
# CHECK-DAG:  __DATA __thread_vars 0x[[#%X,TL2]] pointer 0 libSystem __tlv_bootstrap
# CHECK-DAG:  __DATA __thread_ptrs 0x[[#%X,PTRPAGE + PTROFF]] pointer 0 libtlv _ext_tl
## _tl's initial value is at offset 0 of the template, _tl2's (zero-filled)
## at 8
# CHECK-LABEL: Contents of (__DATA,__thread_vars) section
# CHECK-NEXT: 00000000 00000000 00000000 00000000
# CHECK-NEXT: 00000000 00000000 00000000 00000000
# CHECK-NEXT: 00000000 00000000 00000008 00000000

## the link map names the thread-variable pointer slot as lld does
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/map.out %t/main.o %t/libtlv.tbd -map %t/lfld.map
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lldmap.out %t/main.o %t/libtlv.tbd -map %t/lld.map
# RUN: FileCheck %s --check-prefix=MAP --input-file=%t/lfld.map
# RUN: FileCheck %s --check-prefix=MAP --input-file=%t/lld.map
# MAP: 0x{{[0-9A-F]+}}	0x00000008	[  0] non-lazy-pointer-to-local: _ext_tl

#--- main.s
	.text
	.p2align 2
	.globl _main
_main:
	adrp x0, _tl@TLVPPAGE
	ldr  x0, [x0, _tl@TLVPPAGEOFF]
	adrp x0, _tl2@TLVPPAGE
	ldr  x0, [x0, _tl2@TLVPPAGEOFF]
	adrp x0, _ext_tl@TLVPPAGE
	ldr  x0, [x0, _ext_tl@TLVPPAGEOFF]
	ret

	.section __DATA,__thread_data,thread_local_regular
	.p2align 2
_tl$tlv$init:
	.long 42

	.section __DATA,__thread_vars,thread_local_variables
	.globl _tl
_tl:
	.quad __tlv_bootstrap
	.quad 0
	.quad _tl$tlv$init
_tl2:
	.quad __tlv_bootstrap
	.quad 0
	.quad _tl2$tlv$init

.tbss _tl2$tlv$init, 8, 3

.subsections_via_symbols

#--- libtlv.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ arm64-macos, x86_64-macos ]
install-name:    '/usr/lib/libtlv.dylib'
current-version: 1
compatibility-version: 1
exports:
  - targets:         [ arm64-macos, x86_64-macos ]
    thread-local-symbols: [ _ext_tl ]
...
