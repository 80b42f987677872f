## Test: two TBDs with one install name are one library: both documents'
## exports bind, through one load command and one ordinal, as ld64.lld
## merges them (linkfs used to keep only the first document's exports).
## The shipped libSystem given as -lSystem takes its place on the command
## line, so the dylib ordinals follow the command line as in lld.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o %t/one.tbd %t/two.tbd
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o %t/one.tbd %t/two.tbd
# RUN: llvm-objdump --macho --dylibs-used --lazy-bind %t/lfld.out | FileCheck %s
# RUN: llvm-objdump --macho --dylibs-used --lazy-bind %t/lld.out | FileCheck %s

# CHECK:      /usr/lib/libSystem.B.dylib
# CHECK-NEXT: /usr/lib/libfoo.dylib
# CHECK-NOT:  /usr/lib/libfoo.dylib
# CHECK-DAG:  libfoo _foo1
# CHECK-DAG:  libfoo _foo2

#--- a.s
.text
.globl _main
_main:
  callq _foo1
  callq _foo2
  retq

#--- one.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/usr/lib/libfoo.dylib'
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ _foo1 ]
...

#--- two.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/usr/lib/libfoo.dylib'
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ _foo2 ]
...
