## Test: weak auto-hide. A weak definition clang marks "can be hidden"
## (.weak_def_can_be_hidden: N_WEAK_DEF with N_WEAK_REF, every inline
## function and template instance) becomes private to the image unless
## some copy of it is visible: it is not exported, not weakly bound, and
## a call to it goes straight to it, not through a stub. A plain weak
## definition stays a weak export with a weak bind, called through a
## stub. The copies in b.o lose and leave __text (4 bytes: one of each
## function). ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/b.s -o %t/b.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o %t/b.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o %t/b.o
# RUN: llvm-nm -m %t/lfld.out | FileCheck %s --check-prefix=NM
# RUN: llvm-nm -m %t/lld.out | FileCheck %s --check-prefix=NM
# RUN: llvm-objdump --macho --weak-bind %t/lfld.out | FileCheck %s --check-prefix=WB
# RUN: llvm-objdump --macho --weak-bind %t/lld.out | FileCheck %s --check-prefix=WB
# RUN: llvm-objdump --macho --exports-trie %t/lfld.out | FileCheck %s --check-prefix=EXP
# RUN: llvm-objdump --macho --exports-trie %t/lld.out | FileCheck %s --check-prefix=EXP
# RUN: llvm-objdump --macho -d --section-headers %t/lfld.out | FileCheck %s --check-prefix=DIS
# RUN: llvm-objdump --macho -d --section-headers %t/lld.out | FileCheck %s --check-prefix=DIS

# NM-DAG: (__TEXT,__text) non-external (was a private external) _hidden
# NM-DAG: (__TEXT,__text) weak external _visible
# NM-DAG: (__TEXT,__text) weak external _mixed

# WB-NOT: _hidden
# WB-DAG: pointer 0 _visible
# WB-DAG: pointer 0 _mixed
# WB-NOT: _hidden

# EXP-NOT: _hidden
# EXP-DAG: _visible [weak_def]
# EXP-DAG: _mixed [weak_def]
# EXP-NOT: _hidden

# DIS:      _main:
# DIS-NEXT: callq _hidden
# DIS-NEXT: callq {{.*}} ## symbol stub for: _visible
# DIS-NEXT: callq {{.*}} ## symbol stub for: _mixed
# DIS:      __text 00000015

#--- a.s
.text
.globl _main
_main:
  callq _hidden
  callq _visible
  callq _mixed
  xorl %eax, %eax
  retq

.globl _hidden
.weak_def_can_be_hidden _hidden
_hidden:
  retq

.globl _visible
.weak_definition _visible
_visible:
  retq

## hidden here, visible in b.s: the merged symbol is visible
.globl _mixed
.weak_def_can_be_hidden _mixed
_mixed:
  retq
.subsections_via_symbols

#--- b.s
.text
.globl _hidden
.weak_def_can_be_hidden _hidden
_hidden:
  retq

.globl _mixed
.weak_definition _mixed
_mixed:
  retq
.subsections_via_symbols
