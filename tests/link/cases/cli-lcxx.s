## Test: -lc++ and -lc++abi find the C++ runtime stubs shipped inside
## linkfs-ld (data/libc++.tbd, which re-exports libc++abi as Apple's does)
## when no -L directory has them; a libc++.tbd in a -L directory wins.
## The imports bind to /usr/lib/libc++.1.dylib, the library that
## re-exports them. (ld64.lld, given the same stub, loads the re-exported
## /usr/lib/libc++abi.dylib too and binds to it: a re-export in /usr/lib
## is "implicitly linked" there. linkfs does not do that yet: issue 23's
## re-export work. Both run the same on dyld, which follows re-exports.)

# RUN: rm -rf %t && split-file %s %t && mkdir -p %t/sdk
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -lc++ \
# RUN:   -o %t/lfld.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem -lc++ \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o
# RUN: llvm-objdump --macho --bind --lazy-bind --dylibs-used %t/lfld.out | FileCheck %s
# RUN: llvm-objdump --macho --bind --lazy-bind --dylibs-used %t/lld.out | FileCheck %s --check-prefix=LLD
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -lc++abi \
# RUN:   -o %t/abi.out %t/a.o
# RUN: llvm-objdump --macho --dylibs-used %t/abi.out | FileCheck %s --check-prefix=ABI
# RUN: cp %t/other.tbd %t/sdk/libc++.tbd
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -L %t/sdk -lc++ \
# RUN:   -o %t/sdk.out %t/a.o
# RUN: llvm-objdump --macho --dylibs-used %t/sdk.out | FileCheck %s --check-prefix=SDK
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -lc++fs \
# RUN:   -o %t/x.out %t/a.o 2>&1 | FileCheck %s --check-prefix=MISSING

# CHECK-DAG: /usr/lib/libc++.1.dylib
# CHECK-DAG: libc++ ___gxx_personality_v0
# CHECK-DAG: libc++ ___cxa_throw
# LLD-DAG: /usr/lib/libc++.1.dylib
# LLD-DAG: libc++abi ___gxx_personality_v0
# LLD-DAG: libc++abi ___cxa_throw
# ABI: /usr/lib/libc++abi.dylib
# SDK: /opt/sdk/libc++.1.dylib
# MISSING: library not found for -lc++fs

#--- a.s
.text
.globl _main
_main:
  .cfi_startproc
  .cfi_personality 155, ___gxx_personality_v0
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  callq ___cxa_throw
  popq %rbp
  retq
  .cfi_endproc
.subsections_via_symbols

#--- other.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/opt/sdk/libc++.1.dylib'
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ ___gxx_personality_v0, ___cxa_throw ]
...
