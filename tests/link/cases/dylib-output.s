## Test: -dylib writes an MH_DYLIB, for x86_64 and arm64, opcodes and
## chained fixups: no __PAGEZERO (__TEXT at 0), no LC_LOAD_DYLINKER and no
## LC_MAIN, LC_ID_DYLIB with -install_name (or the output's name) and the
## versions (0.0.0 unless given, as ld64), flags NOUNDEFS DYLDLINK TWOLEVEL
## NO_REEXPORTED_DYLIBS (no PIE), no CPU_SUBTYPE_LIB64. Every global is
## exported and, with -dead_strip, kept (a library's exports are roots);
## a hidden function is kept only when used. __mh_dylib_header names the
## header (address 0) and is in no table. No _main is needed. ld64.lld
## agrees on all of it.

# RUN: rm -rf %t && split-file %s %t
# RUN: for a in x86_64 arm64; do for v in 11.0 13.0; do \
# RUN:   llvm-mc -filetype=obj -triple=$a-apple-macos11 %t/lib-$a.s -o %t/lib-$a.o && \
# RUN:   %lfld -dylib -arch $a -platform_version macos $v $v -dead_strip \
# RUN:     -install_name @rpath/libfoo.dylib -current_version 3.2.1 \
# RUN:     -compatibility_version 2.0 -lSystem %t/lib-$a.o -o %t/lfld-$a-$v.dylib && \
# RUN:   %lld -dylib -arch $a -platform_version macos $v $v -dead_strip \
# RUN:     -install_name @rpath/libfoo.dylib -current_version 3.2.1 \
# RUN:     -compatibility_version 2.0 -L %libsystem -lSystem %t/lib-$a.o \
# RUN:     -o %t/lld-$a-$v.dylib || exit 1; \
# RUN:   for l in lfld lld; do \
# RUN:     llvm-objdump --macho --private-headers %t/$l-$a-$v.dylib | FileCheck %s || exit 1; \
# RUN:     llvm-objdump --macho --syms %t/$l-$a-$v.dylib | FileCheck %s --check-prefix=SYMS || exit 1; \
# RUN:     llvm-objdump --macho --exports-trie %t/$l-$a-$v.dylib | FileCheck %s --check-prefix=EXP || exit 1; \
# RUN:   done; \
# RUN: done; done
## the header's address, which _datum holds, is 0, rebased by the slide
# RUN: for l in lfld lld; do \
# RUN:   llvm-objdump --macho --section=__DATA,__data --rebase %t/$l-x86_64-11.0.dylib \
# RUN:     | FileCheck %s --check-prefix=DATA || exit 1; \
# RUN: done

## Without -install_name the LC_ID_DYLIB names the output file, as ld64
# RUN: %lfld -dylib -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   %t/lib-x86_64.o -o %t/libnoname.dylib
# RUN: llvm-objdump --macho --private-headers %t/libnoname.dylib | FileCheck %s --check-prefix=NONAME
## a dylib has no entry point: the records (-map, the mount's tables) too
# RUN: %lfld -dylib -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   %t/lib-x86_64.o -o %t/libmap.dylib -map %t/libmap.txt
# RUN: FileCheck %s --check-prefix=MAP < %t/libmap.txt

# CHECK:      magic cputype cpusubtype caps filetype
# CHECK-NEXT: MH_MAGIC_64 {{[A-Z0-9_]+}} ALL 0x00 DYLIB {{[0-9]+}} {{[0-9]+}} NOUNDEFS DYLDLINK TWOLEVEL NO_REEXPORTED_DYLIBS{{$}}
# CHECK-NOT:  __PAGEZERO
# CHECK:      segname __TEXT
# CHECK-NEXT: vmaddr 0x0000000000000000
# CHECK-NOT:  LC_LOAD_DYLINKER
# CHECK:      cmd LC_ID_DYLIB
# CHECK-NEXT: cmdsize 48
# CHECK-NEXT: name @rpath/libfoo.dylib (offset 24)
# CHECK:      current version 3.2.1
# CHECK-NEXT: compatibility version 2.0.0
# CHECK-NOT:  LC_MAIN
# CHECK:      cmd LC_LOAD_DYLIB
# CHECK-NEXT: cmdsize
# CHECK-NEXT: name /usr/lib/libSystem.B.dylib
# CHECK-NOT:  LC_MAIN
# SYMS:       SYMBOL TABLE:
# SYMS-NOT:   __mh_
# SYMS-NOT:   _unused_hidden
# SYMS-DAG:   l F __TEXT,__text .hidden _used_hidden
# SYMS-DAG:   g F __TEXT,__text _foo
# SYMS-DAG:   g O __DATA,__data _datum
# SYMS-DAG:   g F __TEXT,__text _unreferenced_global
# SYMS-NOT:   __mh_
# SYMS-NOT:   _unused_hidden

# EXP:        Exports trie:
# EXP-NOT:    _used_hidden
# EXP-DAG:    _foo
# EXP-DAG:    _datum
# EXP-DAG:    _unreferenced_global
# EXP-NOT:    __mh_

# DATA:       Contents of (__DATA,__data) section
# DATA-NEXT:  {{0+}}[[ADDR:[0-9a-f]+]] 00 00 00 00 00 00 00 00
# DATA:       Rebase table:
# DATA:       __DATA __data 0x0000[[ADDR]] pointer

# MAP: # Path: {{.*}}libmap.dylib
# NONAME:     cmd LC_ID_DYLIB
# NONAME-NEXT: cmdsize
# NONAME-NEXT: name libnoname.dylib (offset 24)
# NONAME:     current version 0.0.0
# NONAME-NEXT: compatibility version 0.0.0

#--- lib-x86_64.s
.text
.globl _foo, _unreferenced_global
.private_extern _used_hidden, _unused_hidden
_foo:
  callq _used_hidden
  leaq __mh_dylib_header(%rip), %rax
  retq
_used_hidden:
  retq
_unused_hidden:
  retq
_unreferenced_global:
  retq
.data
.globl _datum
_datum:
  .quad __mh_dylib_header
.subsections_via_symbols

#--- lib-arm64.s
.text
.globl _foo, _unreferenced_global
.private_extern _used_hidden, _unused_hidden
.p2align 2
_foo:
  bl _used_hidden
  adrp x0, __mh_dylib_header@PAGE
  add x0, x0, __mh_dylib_header@PAGEOFF
  ret
_used_hidden:
  ret
_unused_hidden:
  ret
_unreferenced_global:
  ret
.data
.globl _datum
.p2align 3
_datum:
  .quad __mh_dylib_header
.subsections_via_symbols
