## Test: with -dead_strip an absolute symbol (N_ABS) is kept only when it
## is reached, as ld64 keeps an absolute atom: _used_abs (named by a
## relocation of live code), _kept_abs (N_NO_DEAD_STRIP) and, in a dylib,
## every exported one (exports are roots) stay; _unused_abs goes from the
## symbol table and the export trie of the executable. (ld64.lld 19 keeps
## them all.) An exported absolute symbol is in the trie as
## EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE with its value itself, not an offset
## from the image's base, as ld64 writes it (llvm-objdump prints every
## trie address plus the base, so 0x100000012 in the executable).

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/abs.s -o %t/abs.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -dead_strip \
# RUN:   -o %t/exe %t/main.o %t/abs.o
# RUN: llvm-objdump --macho --syms --exports-trie %t/exe | FileCheck %s --check-prefix=EXE
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/all %t/main.o %t/abs.o
# RUN: llvm-objdump --macho --syms --exports-trie %t/all | FileCheck %s --check-prefix=ALL
# RUN: %lfld -dylib -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -dead_strip \
# RUN:   -o %t/lib.dylib %t/main.o %t/abs.o
# RUN: llvm-objdump --macho --syms --exports-trie %t/lib.dylib | FileCheck %s --check-prefix=ALL
# RUN: %macho-run %t/exe; test $? = 18
## what the data pointer holds is the value, not rebased
# RUN: llvm-objdump --macho --rebase %t/exe | FileCheck %s --check-prefix=NOREBASE

# NOREBASE:     Rebase table:
# NOREBASE-NOT: __data

# EXE:      SYMBOL TABLE:
# EXE-NOT:  _unused_abs
# EXE-DAG:  0000000000000012 g *ABS* _used_abs
# EXE-DAG:  0000000000000021 g *ABS* _kept_abs
# EXE-NOT:  _unused_abs
# EXE:      Exports trie:
# EXE-NOT:  _unused_abs
# EXE-DAG:  0x{{1?0+}}12 _used_abs [absolute]
# EXE-DAG:  0x{{1?0+}}21 _kept_abs [absolute]
# EXE-NOT:  _unused_abs

# ALL:      SYMBOL TABLE:
# ALL-DAG:  0000000000000012 g *ABS* _used_abs
# ALL-DAG:  0000000000000021 g *ABS* _kept_abs
# ALL-DAG:  0000000000000033 g *ABS* _unused_abs
# ALL:      Exports trie:
# ALL-DAG:  0x{{1?0+}}33 _unused_abs [absolute]

#--- abs.s
.globl _used_abs, _unused_abs, _kept_abs
_used_abs = 0x12
_unused_abs = 0x33
_kept_abs = 0x21
.no_dead_strip _kept_abs

#--- main.s
.globl _main
.text
_main:
  movq _ptr(%rip), %rax
  retq
.data
_ptr:
  .quad _used_abs
.subsections_via_symbols
