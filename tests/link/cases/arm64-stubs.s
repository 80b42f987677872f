## Test: arm64 __stubs, __la_symbol_ptr and __stub_helper (without chained
## fixups). One 12-byte stub per called import (adrp x16 / ldr x16 / br x16)
## reads its lazy pointer; the lazy pointer first holds the address of the
## import's __stub_helper entry (rebased), which is `ldr w16, <the word after
## the branch>` / `b <helper header>` / .long <offset of the import's record
## in the lazy binding info>. The 24-byte header pushes &__dyld_private and
## jumps through dyld_stub_binder's GOT slot. A call to a weak definition of
## this image also goes through a stub, whose pointer holds the definition
## (rebased, weak-bound) and has no helper entry. ld64.lld writes the same;
## linkfs-ld's --dump=stubs names what the bytes say.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o --dump=stubs > %t/stubs.txt
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o

# RUN: (llvm-nm %t/lfld.out; \
# RUN:  %macho-info lazy-bind %t/lfld.out; \
# RUN:  llvm-objdump --macho --lazy-bind %t/lfld.out; \
# RUN:  llvm-objdump --macho --weak-bind %t/lfld.out; \
# RUN:  llvm-objdump --macho --rebase %t/lfld.out; \
# RUN:  llvm-objdump --macho -d --section=__TEXT,__stubs --section=__TEXT,__stub_helper %t/lfld.out; \
# RUN:  %macho-info ptrs %t/lfld.out __DATA __la_symbol_ptr; \
# RUN:  cat %t/stubs.txt) | FileCheck %s --check-prefixes=CHECK,DUMP
# RUN: (llvm-nm %t/lld.out; \
# RUN:  %macho-info lazy-bind %t/lld.out; \
# RUN:  llvm-objdump --macho --lazy-bind %t/lld.out; \
# RUN:  llvm-objdump --macho --weak-bind %t/lld.out; \
# RUN:  llvm-objdump --macho --rebase %t/lld.out; \
# RUN:  llvm-objdump --macho -d --section=__TEXT,__stubs --section=__TEXT,__stub_helper %t/lld.out; \
# RUN:  %macho-info ptrs %t/lld.out __DATA __la_symbol_ptr) | FileCheck %s

# CHECK-DAG:  [[#%x,DP:]] d __dyld_private
# CHECK-DAG:  [[#%x,WD:]] T _wd

## The records in the lazy binding info: stub order, less _wd.
# CHECK:      lazy-bind 0x[[#%x,OFF_PUTS:]] seg [[#SEG:]] 0x{{[0-9a-f]+}} _puts
# CHECK-NEXT: lazy-bind 0x[[#%x,OFF_PRINTF:]] seg [[#SEG]] 0x{{[0-9a-f]+}} _printf
# CHECK-NEXT: lazy-bind 0x[[#%x,OFF_EXIT:]] seg [[#SEG]] 0x{{[0-9a-f]+}} _exit

# CHECK-LABEL: Lazy bind table:
# CHECK-NEXT: segment section address dylib symbol
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP:]] libSystem _puts
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP + 0x10]] libSystem _printf
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP + 0x18]] libSystem _exit
# CHECK-NOT:  __DATA
# CHECK-LABEL: Weak bind table:
# CHECK-NEXT: segment section address type addend symbol
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP + 8]] pointer 0 _wd
# CHECK-NOT:  __DATA
# CHECK-LABEL: Rebase table:
# CHECK-NEXT: segment section address type
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP]] pointer
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP + 8]] pointer
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP + 0x10]] pointer
# CHECK-NEXT: __DATA __la_symbol_ptr 0x[[#%X,LP + 0x18]] pointer
# CHECK-NOT:  __DATA

## __la_symbol_ptr starts a page (its first slot is at offset 0).
# CHECK-LABEL: Contents of (__TEXT,__stubs) section
# CHECK-NEXT: [[#%x,S_PUTS:]]: {{.*}} adrp x16, {{[0-9]+}} ; 0x[[#%x,LP]]
# CHECK-NEXT: 10 02 40 f9 ldr x16, [x16] ; literal pool symbol address: _puts
# CHECK-NEXT: 00 02 1f d6 br x16
# CHECK-NEXT: [[#S_PUTS + 12]]: {{.*}} adrp x16, {{[0-9]+}} ; 0x[[#%x,LP]]
# CHECK-NEXT: 10 06 40 f9 ldr x16, [x16, #0x8] ; literal pool symbol address: _wd
# CHECK-NEXT: 00 02 1f d6 br x16
# CHECK-NEXT: [[#S_PUTS + 24]]: {{.*}} adrp x16, {{[0-9]+}} ; 0x[[#%x,LP]]
# CHECK-NEXT: 10 0a 40 f9 ldr x16, [x16, #0x10] ; literal pool symbol address: _printf
# CHECK-NEXT: 00 02 1f d6 br x16
# CHECK-NEXT: [[#S_PUTS + 36]]: {{.*}} adrp x16, {{[0-9]+}} ; 0x[[#%x,LP]]
# CHECK-NEXT: 10 0e 40 f9 ldr x16, [x16, #0x18] ; literal pool symbol address: _exit
# CHECK-NEXT: 00 02 1f d6 br x16

## The helper: header, then one entry per lazily bound import.
# CHECK-LABEL: Contents of (__TEXT,__stub_helper) section
# CHECK-NEXT: [[#%x,H:]]: {{.*}} adrp x17, {{[0-9]+}} ; 0x[[#%x,DPPAGE:]]
# CHECK-NEXT: add x17, x17, #0x[[#%x,DP - DPPAGE]]
# CHECK-NEXT: f0 47 bf a9 stp x16, x17, [sp, #-0x10]!
# CHECK-NEXT: adrp x16, {{[0-9]+}} ; 0x{{[0-9a-f]+}}
# CHECK-NEXT: ldr x16, [x16{{.*}}] ; literal pool symbol address: dyld_stub_binder
# CHECK-NEXT: 00 02 1f d6 br x16
# CHECK-NEXT: [[#H + 24]]: 50 00 00 18 ldr w16, 0x[[#H + 32]]
# CHECK-NEXT: [[#H + 28]]: f9 ff ff 17 b 0x[[#H]]
# CHECK-NEXT: [[#H + 32]]: {{.*}} udf #0x[[#OFF_PUTS]]
# CHECK-NEXT: [[#H + 36]]: 50 00 00 18 ldr w16, 0x[[#H + 44]]
# CHECK-NEXT: [[#H + 40]]: f6 ff ff 17 b 0x[[#H]]
# CHECK-NEXT: [[#H + 44]]: {{.*}} udf #0x[[#OFF_PRINTF]]
# CHECK-NEXT: [[#H + 48]]: 50 00 00 18 ldr w16, 0x[[#H + 56]]
# CHECK-NEXT: [[#H + 52]]: f3 ff ff 17 b 0x[[#H]]
# CHECK-NEXT: [[#H + 56]]: {{.*}} udf #0x[[#OFF_EXIT]]

## The lazy pointers: _puts's, _printf's and _exit's helper entries, and _wd.
# CHECK-NEXT: 0x[[#%x,LP]] 0x[[#H + 24]]
# CHECK-NEXT: 0x[[#%x,LP + 8]] 0x[[#WD]]
# CHECK-NEXT: 0x[[#%x,LP + 16]] 0x[[#H + 36]]
# CHECK-NEXT: 0x[[#%x,LP + 24]] 0x[[#H + 48]]

# DUMP:      stub lazy_ptr helper symbol dylib
# DUMP-NEXT: 0x[[#%X,S_PUTS]] 0x[[#%X,LP]] 0x[[#%X,H + 24]] _puts libSystem
# DUMP-NEXT: 0x[[#%X,S_PUTS + 12]] 0x[[#%X,LP + 8]] - _wd this-image
# DUMP-NEXT: 0x[[#%X,S_PUTS + 24]] 0x[[#%X,LP + 0x10]] 0x[[#%X,H + 36]] _printf libSystem
# DUMP-NEXT: 0x[[#%X,S_PUTS + 36]] 0x[[#%X,LP + 0x18]] 0x[[#%X,H + 48]] _exit libSystem
# DUMP-NOT:  {{.}}

## (The relocations are listed last to first: the stubs are made in that
## order, _puts first.)
	.text
	.p2align 2
	.globl _main
_main:
	bl _puts
	bl _exit
	bl _printf
	bl _wd
	bl _puts
	ret

	.globl _wd
	.weak_definition _wd
_wd:
	ret

.subsections_via_symbols
