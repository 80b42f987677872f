## Test: x86_64 __stubs, __la_symbol_ptr and __stub_helper (without chained
## fixups). A call or jmp to an import (X86_64_RELOC_BRANCH) goes to its
## 6-byte stub `jmpq *lazy_ptr(%rip)`; the lazy pointer first holds the
## import's 10-byte helper entry `pushq $<offset of its lazy binding
## record>` / `jmp <helper header>`, and the 16-byte header is
## `leaq __dyld_private(%rip), %r11` / `pushq %r11` /
## `jmpq *dyld_stub_binder@GOT(%rip)` / nop. A weak definition of this
## image is called through a stub too, its pointer holding the definition
## (rebased, weak-bound), with no helper entry. ld64.lld agrees.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o --dump=stubs > %t/stubs.txt
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o

# RUN: (llvm-nm %t/lfld.out; %macho-info lazy-bind %t/lfld.out; \
# RUN:  llvm-objdump --macho --lazy-bind %t/lfld.out; \
# RUN:  llvm-objdump --macho --weak-bind %t/lfld.out; \
# RUN:  llvm-objdump --macho --rebase --bind %t/lfld.out; \
# RUN:  llvm-objdump --macho -d --no-symbolic-operands %t/lfld.out; \
# RUN:  llvm-objdump --macho -d --section=__TEXT,__stubs --section=__TEXT,__stub_helper %t/lfld.out; \
# RUN:  %macho-info ptrs %t/lfld.out __DATA __la_symbol_ptr; \
# RUN:  cat %t/stubs.txt) | FileCheck %s --check-prefixes=CHECK,DUMP
# RUN: (llvm-nm %t/lld.out; %macho-info lazy-bind %t/lld.out; \
# RUN:  llvm-objdump --macho --lazy-bind %t/lld.out; \
# RUN:  llvm-objdump --macho --weak-bind %t/lld.out; \
# RUN:  llvm-objdump --macho --rebase --bind %t/lld.out; \
# RUN:  llvm-objdump --macho -d --no-symbolic-operands %t/lld.out; \
# RUN:  llvm-objdump --macho -d --section=__TEXT,__stubs --section=__TEXT,__stub_helper %t/lld.out; \
# RUN:  %macho-info ptrs %t/lld.out __DATA __la_symbol_ptr) | FileCheck %s

# CHECK-DAG:  [[#%x,DP:]] d __dyld_private
# CHECK-DAG:  [[#%x,WD:]] T _wd

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
# CHECK-LABEL: Bind table:
# CHECK-NEXT: segment section address type addend dylib symbol
# CHECK-NEXT: __DATA_CONST __got 0x[[#%X,BINDER:]] pointer 0 libSystem dyld_stub_binder
# CHECK-NOT:  __DATA

## The calls, by address: the stubs are 6 bytes apart, in the order the
## relocations list the imports (last to first).
# CHECK-LABEL: _main:
# CHECK-NEXT: e8 {{.*}} callq 0x[[#%x,S_PUTS:]]
# CHECK-NEXT: e8 {{.*}} callq 0x[[#%x,S_PUTS + 18]]
# CHECK-NEXT: e8 {{.*}} callq 0x[[#%x,S_PUTS + 12]]
# CHECK-NEXT: e8 {{.*}} callq 0x[[#%x,S_PUTS + 6]]
# CHECK-NEXT: e9 {{.*}} jmp 0x[[#%x,S_PUTS]]

## jmpq *disp(%rip): disp = the lazy pointer - the next instruction.
# CHECK-LABEL: Contents of (__TEXT,__stubs) section
# CHECK-NEXT: [[#S_PUTS]]: ff 25 {{.*}} jmpq *0x[[#%x,LP - S_PUTS - 6]](%rip) ## literal pool symbol address: _puts
# CHECK-NEXT: [[#S_PUTS + 6]]: ff 25 {{.*}} jmpq *0x[[#%x,LP + 8 - S_PUTS - 12]](%rip) ## literal pool symbol address: _wd
# CHECK-NEXT: [[#S_PUTS + 12]]: ff 25 {{.*}} jmpq *0x[[#%x,LP + 16 - S_PUTS - 18]](%rip) ## literal pool symbol address: _printf
# CHECK-NEXT: [[#S_PUTS + 18]]: ff 25 {{.*}} jmpq *0x[[#%x,LP + 24 - S_PUTS - 24]](%rip) ## literal pool symbol address: _exit
# CHECK-LABEL: Contents of (__TEXT,__stub_helper) section
# CHECK-NEXT: [[#%x,H:]]: 4c 8d 1d {{.*}} leaq __dyld_private(%rip), %r11
# CHECK-NEXT: [[#H + 7]]: 41 53 pushq %r11
# CHECK-NEXT: [[#H + 9]]: ff 25 {{.*}} jmpq *0x[[#%x,BINDER - H - 15]](%rip) ## literal pool symbol address: dyld_stub_binder
# CHECK-NEXT: [[#H + 15]]: 90 nop
# CHECK-NEXT: [[#H + 16]]: 68 {{.*}} pushq $0x[[#OFF_PUTS]]
# CHECK-NEXT: [[#H + 21]]: e9 e6 ff ff ff jmp 0x[[#H]]
# CHECK-NEXT: [[#H + 26]]: 68 {{.*}} pushq $0x[[#OFF_PRINTF]]
# CHECK-NEXT: [[#H + 31]]: e9 dc ff ff ff jmp 0x[[#H]]
# CHECK-NEXT: [[#H + 36]]: 68 {{.*}} pushq $0x[[#OFF_EXIT]]
# CHECK-NEXT: [[#H + 41]]: e9 d2 ff ff ff jmp 0x[[#H]]

## The lazy pointers: helper entries, and _wd itself.
# CHECK-NEXT: 0x[[#%x,LP]] 0x[[#H + 16]]
# CHECK-NEXT: 0x[[#%x,LP + 8]] 0x[[#WD]]
# CHECK-NEXT: 0x[[#%x,LP + 16]] 0x[[#H + 26]]
# CHECK-NEXT: 0x[[#%x,LP + 24]] 0x[[#H + 36]]

# DUMP:      stub lazy_ptr helper symbol dylib
# DUMP-NEXT: 0x[[#%X,S_PUTS]] 0x[[#%X,LP]] 0x[[#%X,H + 16]] _puts libSystem
# DUMP-NEXT: 0x[[#%X,S_PUTS + 6]] 0x[[#%X,LP + 8]] - _wd this-image
# DUMP-NEXT: 0x[[#%X,S_PUTS + 12]] 0x[[#%X,LP + 0x10]] 0x[[#%X,H + 26]] _printf libSystem
# DUMP-NEXT: 0x[[#%X,S_PUTS + 18]] 0x[[#%X,LP + 0x18]] 0x[[#%X,H + 36]] _exit libSystem
# DUMP-NOT:  {{.}}

	.text
	.globl _main
_main:
	callq _puts
	callq _exit
	callq _printf
	callq _wd
	jmp   _puts

	.globl _wd
	.weak_definition _wd
_wd:
	retq

.subsections_via_symbols
