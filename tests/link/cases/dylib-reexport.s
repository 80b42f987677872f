## Test: re-exported dylibs, both ways, x86_64 and arm64.
## Out: -reexport_library (and -reexport-l) makes the dylib's load command
## LC_REEXPORT_DYLIB, and the header loses NO_REEXPORTED_DYLIBS.
## In: a program linked against libfoo alone uses _bar and _bar_value of
## libbar, which libfoo re-exports: linkfs-ld finds libbar by its install
## name (@rpath/libbar.dylib under libfoo's LC_RPATH @loader_path/., and
## @loader_path/libbaz.dylib next to libfoo) and binds its symbols with
## libfoo's ordinal, with no load command for libbar: as ld64.lld does.
## A re-export that cannot be found is an error naming it.

# RUN: rm -rf %t && split-file %s %t && mkdir -p %t/lib %t/lldlib %t/other
# RUN: for a in x86_64 arm64; do \
# RUN:   for f in foo bar baz main; do \
# RUN:     llvm-mc -filetype=obj -triple=$a-apple-macos11 %t/$f-$a.s -o %t/$f-$a.o || exit 1; \
# RUN:   done; \
# RUN:   %lfld -dylib -arch $a -platform_version macos 11.0 11.0 -lSystem \
# RUN:     -install_name @rpath/libbar.dylib %t/bar-$a.o -o %t/lib/libbar.dylib && \
# RUN:   %lfld -dylib -arch $a -platform_version macos 11.0 11.0 -lSystem \
# RUN:     -install_name @loader_path/libbaz.dylib %t/baz-$a.o -o %t/lib/libbaz.dylib && \
# RUN:   %lfld -dylib -arch $a -platform_version macos 11.0 11.0 -lSystem \
# RUN:     -install_name @rpath/libfoo.dylib -rpath @loader_path/. %t/foo-$a.o \
# RUN:     -reexport_library %t/lib/libbar.dylib -L%t/lib -reexport-lbaz -o %t/lib/libfoo.dylib && \
# RUN:   %lfld -arch $a -platform_version macos 11.0 11.0 -lSystem %t/main-$a.o \
# RUN:     %t/lib/libfoo.dylib -o %t/lfld-$a.out && \
# RUN:   %lld -arch $a -platform_version macos 11.0 11.0 -no_fixup_chains -L %libsystem -lSystem \
# RUN:     %t/main-$a.o %t/lib/libfoo.dylib -o %t/lld-$a.out || exit 1; \
# RUN:   llvm-objdump --macho --private-headers %t/lib/libfoo.dylib | FileCheck %s --check-prefix=LIB || exit 1; \
# RUN:   for l in lfld lld; do \
# RUN:     llvm-objdump --macho --private-headers --bind --lazy-bind %t/$l-$a.out \
# RUN:       | FileCheck %s --check-prefix=PROG || exit 1; \
# RUN:   done; \
# RUN: done

## libfoo moved away from libbar: the re-export is not found
# RUN: cp %t/lib/libfoo.dylib %t/other/libfoo.dylib
# RUN: not %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem %t/main-arm64.o \
# RUN:   %t/other/libfoo.dylib -o %t/x.out 2>&1 | FileCheck %s --check-prefix=MISSING
## only a dylib re-exports
# RUN: not %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem %t/main-arm64.o \
# RUN:   -reexport_library %t/lib/libbar.dylib -o %t/x.out 2>&1 | FileCheck %s --check-prefix=NODYLIB

# LIB:        filetype
# LIB-NEXT:   DYLIB {{[0-9]+}} {{[0-9]+}} NOUNDEFS DYLDLINK TWOLEVEL{{$}}
# LIB:        cmd LC_RPATH
# LIB-NEXT:   cmdsize
# LIB-NEXT:   path @loader_path/. (offset 12)
# LIB:        cmd LC_LOAD_DYLIB
# LIB-NEXT:   cmdsize
# LIB-NEXT:   name /usr/lib/libSystem.B.dylib
# LIB:        cmd LC_REEXPORT_DYLIB
# LIB-NEXT:   cmdsize
# LIB-NEXT:   name @rpath/libbar.dylib (offset 24)
# LIB:        cmd LC_REEXPORT_DYLIB
# LIB-NEXT:   cmdsize
# LIB-NEXT:   name @loader_path/libbaz.dylib (offset 24)

# PROG:       cmd LC_LOAD_DYLIB
# PROG-NEXT:  cmdsize
# PROG-NEXT:  name /usr/lib/libSystem.B.dylib
# PROG:       cmd LC_LOAD_DYLIB
# PROG-NEXT:  cmdsize
# PROG-NEXT:  name @rpath/libfoo.dylib
# PROG-NOT:   LC_LOAD_DYLIB
# PROG-NOT:   libbar
# PROG:       Bind table:
# PROG-DAG:   __DATA __data 0x{{[0-9A-F]+}} pointer 0 libfoo _bar_value
# PROG-DAG:   __DATA __data 0x{{[0-9A-F]+}} pointer 0 libfoo _baz_value
# PROG:       Lazy bind table:
# PROG-DAG:   libfoo _bar
# PROG-DAG:   libfoo _foo

# MISSING: error: unable to locate re-export with install name @rpath/libbar.dylib (re-exported by '{{.*}}other/libfoo.dylib')
# NODYLIB: error: -reexport-l, -reexport_library and -reexport_framework need -dylib

#--- foo-x86_64.s
.text
.globl _foo
_foo:
  retq

#--- bar-x86_64.s
.text
.globl _bar
_bar:
  retq
.data
.globl _bar_value
_bar_value:
  .long 7

#--- baz-x86_64.s
.data
.globl _baz_value
_baz_value:
  .long 9

#--- main-x86_64.s
.text
.globl _main
_main:
  callq _foo
  callq _bar
  xorl %eax, %eax
  retq
.data
.quad _bar_value
.quad _baz_value

#--- foo-arm64.s
.text
.globl _foo
.p2align 2
_foo:
  ret

#--- bar-arm64.s
.text
.globl _bar
.p2align 2
_bar:
  ret
.data
.globl _bar_value
_bar_value:
  .long 7

#--- baz-arm64.s
.data
.globl _baz_value
_baz_value:
  .long 9

#--- main-arm64.s
.text
.globl _main
.p2align 2
_main:
  stp x29, x30, [sp, #-16]!
  bl _foo
  bl _bar
  mov w0, #0
  ldp x29, x30, [sp], #16
  ret
.data
.p2align 3
.quad _bar_value
.quad _baz_value
