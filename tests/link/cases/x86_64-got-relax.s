## Test: X86_64_RELOC_GOT_LOAD and X86_64_RELOC_GOT. A `movq sym@GOTPCREL(%rip)`
## (GOT_LOAD) of a symbol this image defines becomes `leaq sym(%rip)`
## (opcode 0x8b -> 0x8d) and the symbol gets no __got slot; of an import it
## stays a movq from the import's slot, one slot per symbol, bound. Any
## other GOTPCREL use (GOT: here an addq) cannot be relaxed: even a local
## symbol gets a slot, rebased, as does a weak definition (with a weak bind).
## ld64.lld agrees.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: llvm-objdump --macho -r %t/a.o | FileCheck %s --check-prefix=RELOC
# RELOC: 00000026 True long True GOT False _loc2
# RELOC: 00000003 True long True GOT_LD False _loc

# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o --dump=got > %t/got.txt
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o

# RUN: (llvm-nm %t/lfld.out; llvm-objdump --macho --rebase --bind --weak-bind %t/lfld.out; \
# RUN:  llvm-objdump --macho -d --no-symbolic-operands %t/lfld.out) | FileCheck %s
# RUN: (llvm-nm %t/lld.out; llvm-objdump --macho --rebase --bind --weak-bind %t/lld.out; \
# RUN:  llvm-objdump --macho -d --no-symbolic-operands %t/lld.out) | FileCheck %s
# CHECK-DAG:  [[#%x,LOC:]] d _loc
# CHECK-DAG:  [[#%x,LOC2:]] d _loc2
# CHECK-DAG:  [[#%x,GLOB:]] D _glob
# CHECK-DAG:  [[#%x,WD:]] D _wd
# CHECK-DAG:  [[#%x,MAIN:]] T _main
# CHECK-LABEL: Rebase table:
# CHECK-NEXT: segment section address type
# CHECK-NEXT: __DATA_CONST __got 0x[[#%X,S_LOC2:]] pointer
# CHECK-NEXT: __DATA_CONST __got 0x[[#%X,S_WD:]] pointer
# CHECK-LABEL: Bind table:
# CHECK-NEXT: segment section address type addend dylib symbol
# CHECK-DAG:  __DATA_CONST __got 0x[[#%X,S_MALLOC:]] pointer 0 libSystem _malloc
# CHECK-DAG:  __DATA_CONST __got 0x[[#%X,S_STDERRP:]] pointer 0 libSystem ___stderrp
# CHECK-NOT:  __DATA
# CHECK-LABEL: Weak bind table:
# CHECK-NEXT: segment section address type addend symbol
# CHECK-NEXT: __DATA_CONST __got 0x[[#%X,S_WD]] pointer 0 _wd
## every rip-relative operand: disp = target - the next instruction
# CHECK-LABEL: _main:
# CHECK-NEXT: [[#MAIN]]: 48 8d 05 {{.*}} leaq 0x[[#%x,LOC - MAIN - 7]](%rip), %rax
# CHECK-NEXT: 48 8d 0d {{.*}} leaq 0x[[#%x,GLOB - MAIN - 14]](%rip), %rcx
# CHECK-NEXT: 48 8b 15 {{.*}} movq 0x[[#%x,S_MALLOC - MAIN - 21]](%rip), %rdx
# CHECK-NEXT: 48 8b 35 {{.*}} movq 0x[[#%x,S_STDERRP - MAIN - 28]](%rip), %rsi
# CHECK-NEXT: 48 8b 3d {{.*}} movq 0x[[#%x,S_WD - MAIN - 35]](%rip), %rdi
# CHECK-NEXT: 48 03 05 {{.*}} addq 0x[[#%x,S_LOC2 - MAIN - 42]](%rip), %rax
# CHECK-NEXT: 4c 8b 05 {{.*}} movq 0x[[#%x,S_MALLOC - MAIN - 49]](%rip), %r8
# CHECK-NEXT: c3 retq

## The same, as llvm-objdump names what the operands reach.
# RUN: llvm-objdump --macho -d --no-show-raw-insn %t/lfld.out | FileCheck %s --check-prefix=SYM
# RUN: llvm-objdump --macho -d --no-show-raw-insn %t/lld.out | FileCheck %s --check-prefix=SYM
# SYM-LABEL: _main:
# SYM-NEXT: leaq _loc(%rip), %rax
# SYM-NEXT: leaq _glob(%rip), %rcx
# SYM-NEXT: movq {{.*}}(%rip), %rdx ## literal pool symbol address: _malloc
# SYM-NEXT: movq {{.*}}(%rip), %rsi ## literal pool symbol address: ___stderrp
# SYM-NEXT: movq {{.*}}(%rip), %rdi ## literal pool symbol address: _wd
# SYM-NEXT: addq {{.*}}(%rip), %rax
# SYM-NEXT: movq {{.*}}(%rip), %r8 ## literal pool symbol address: _malloc

## linkfs-ld's view: four slots, none for _loc or _glob; _loc2's and _wd's
## hold their addresses.
# RUN: (llvm-nm %t/lfld.out; cat %t/got.txt) | FileCheck %s --check-prefix=SLOTS
# SLOTS-DAG:  [[#%x,LOC2:]] d _loc2
# SLOTS-DAG:  [[#%x,WD:]] D _wd
# SLOTS:      address slot symbol filled by
# SLOTS-DAG:  _malloc bind libSystem
# SLOTS-DAG:  _loc2 rebase 0x[[#%X,LOC2]]
# SLOTS-DAG:  _wd rebase 0x[[#%X,WD]] weak
# SLOTS-DAG:  ___stderrp bind libSystem
# SLOTS-NOT:  {{.}}

	.text
	.globl _main
_main:
	movq _loc@GOTPCREL(%rip), %rax
	movq _glob@GOTPCREL(%rip), %rcx
	movq _malloc@GOTPCREL(%rip), %rdx
	movq ___stderrp@GOTPCREL(%rip), %rsi
	movq _wd@GOTPCREL(%rip), %rdi
	addq _loc2@GOTPCREL(%rip), %rax
	movq _malloc@GOTPCREL(%rip), %r8
	ret

	.data
	.p2align 3
_loc:	.quad 1
_loc2:	.quad 1
	.globl _glob
_glob:	.quad 2
	.globl _wd
	.weak_definition _wd
_wd:	.quad 3

.subsections_via_symbols
