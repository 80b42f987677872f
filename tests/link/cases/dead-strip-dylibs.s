## Test: -dead_strip_dylibs drops the dylibs no live import comes from
## (libbaz here), keeps those the code uses and any given with
## -needed_library / -needed-l, and the ordinals of the binds follow the
## kept ones. Without it every dylib given is loaded. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -dead_strip_dylibs \
# RUN:   -o %t/ds.out %t/a.o %t/baz.tbd %t/bar.tbd
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -dead_strip_dylibs -no_fixup_chains -o %t/lld.out %t/a.o %t/baz.tbd %t/bar.tbd
# RUN: llvm-objdump --macho --dylibs-used --lazy-bind %t/ds.out | FileCheck %s
# RUN: llvm-objdump --macho --dylibs-used --lazy-bind %t/lld.out | FileCheck %s
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -dead_strip_dylibs \
# RUN:   -needed_library %t/baz.tbd -o %t/need.out %t/a.o %t/bar.tbd
# RUN: llvm-objdump --macho --dylibs-used %t/need.out | FileCheck %s --check-prefix=NEED
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/all.out %t/a.o %t/baz.tbd %t/bar.tbd
# RUN: llvm-objdump --macho --dylibs-used %t/all.out | FileCheck %s --check-prefix=NEED

# CHECK:      /usr/lib/libSystem.B.dylib
# CHECK-NEXT: /usr/lib/libbar.dylib
# CHECK-NOT:  libbaz
# CHECK:      libbar _bar
# NEED-DAG: /usr/lib/libbaz.dylib
# NEED-DAG: /usr/lib/libbar.dylib

#--- a.s
.text
.globl _main
_main:
  callq _bar
  retq

#--- baz.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/usr/lib/libbaz.dylib'
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ _baz ]
...

#--- bar.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/usr/lib/libbar.dylib'
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ _bar ]
...
