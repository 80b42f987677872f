## Test: options that begin with "l" are matched before -lNAME, as ld64
## matches them; each was once read as a library ("-lto_library PATH" as
## -l to_library, "-load_hidden x.a" as -l oad_hidden). clang passes
## -lto_library with every link once it knows the linker is ld64
## (-mlinker-version): accepted and ignored, since linkfs-ld does no LTO.
## -lazy-lNAME and -lazy_library PATH are plain libraries with a warning,
## as in ld64 609 on (ld64.lld 19 warns and drops the library). -ld_classic, -ld_new and -ld64 (Xcode 15's
## choice of implementation) have no effect. -load_hidden, -hidden-lNAME and
## -lazy_framework are refused, naming the option.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: %lfld -arch x86_64 -lSystem -L%t -lfoo -o %t/plain.out %t/main.o

# RUN: %lfld -arch x86_64 -lto_library /nonexistent/libLTO.dylib -lSystem -L%t \
# RUN:   -lfoo -o %t/plain.out2 %t/main.o
# RUN: %lfld -ld_classic -ld_new -ld64 -arch x86_64 -lSystem -L%t \
# RUN:   -lfoo -o %t/plain.out3 %t/main.o
# RUN: mkdir -p %t/lazy1 %t/lazy2
# RUN: %lfld -arch x86_64 -lSystem -L%t -lazy-lfoo -o %t/lazy1/plain.out %t/main.o \
# RUN:   2>&1 | FileCheck --check-prefix=LAZY %s
# RUN: %lfld -arch x86_64 -lSystem -lazy_library %t/libfoo.tbd -o %t/lazy2/plain.out \
# RUN:   %t/main.o 2>&1 | FileCheck --check-prefix=LAZYLIB %s
# LAZY: linkfs-ld: warning: -lazy-l is deprecated, changing to regular link
# LAZYLIB: linkfs-ld: warning: -lazy_library is deprecated, changing to regular link
# RUN: cmp %t/plain.out %t/plain.out2
# RUN: cmp %t/plain.out %t/plain.out3
# RUN: cmp %t/plain.out %t/lazy1/plain.out
# RUN: cmp %t/plain.out %t/lazy2/plain.out
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -L%t -lfoo -lto_library /nonexistent/libLTO.dylib -o %t/lld.out %t/main.o
# RUN: llvm-objdump --macho --dylibs-used %t/plain.out | FileCheck %s
# RUN: llvm-objdump --macho --dylibs-used %t/lld.out | FileCheck %s
# CHECK-DAG: /usr/lib/libfoo.dylib (compatibility version 1.0.0, current version 1.0.0)
# CHECK-DAG: /usr/lib/libSystem.B.dylib

# RUN: not %lfld -arch x86_64 -load_hidden %t/libfoo.tbd %t/main.o 2>&1 | \
# RUN:   FileCheck --check-prefix=HIDDEN %s
# HIDDEN: linkfs-ld: error: '-load_hidden' is not supported
# RUN: not %lfld -arch x86_64 -hidden-lfoo %t/main.o 2>&1 | \
# RUN:   FileCheck --check-prefix=HIDDENL %s
# HIDDENL: linkfs-ld: error: '-hidden-lfoo' is not supported
# RUN: not %lfld -arch x86_64 -lazy_framework Foo %t/main.o 2>&1 | \
# RUN:   FileCheck --check-prefix=FRAMEWORK %s
# FRAMEWORK: linkfs-ld: error: '-lazy_framework' is not supported
# RUN: not %lfld -arch x86_64 -lazy-l %t/main.o 2>&1 | FileCheck --check-prefix=NONAME %s
# NONAME: linkfs-ld: error: missing library name after '-lazy-l'
# RUN: not %lfld -arch x86_64 %t/main.o -lto_library 2>&1 | FileCheck --check-prefix=NOARG %s
# NOARG: linkfs-ld: error: missing argument to '-lto_library'
## a library whose name only looks like an option is still one
# RUN: not %lfld -arch x86_64 -lto_libraryX %t/main.o 2>&1 | FileCheck --check-prefix=LIB %s
# LIB: linkfs-ld: error: library not found for -lto_libraryX

#--- main.s
	.globl _main
_main:
	callq _foo
	retq
#--- libfoo.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/usr/lib/libfoo.dylib'
current-version: 1
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ _foo ]
...
