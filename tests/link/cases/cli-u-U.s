## Test: -u NAME and -U NAME, as ld64 and ld64.lld read them. -u makes
## NAME a reference of the link: an archive member defining it is loaded
## (and NAME stays in the output, here exported), and with no definition
## the link fails naming it. -U lets NAME stay undefined: it is bound by
## dynamic lookup (flat namespace), while other undefined names still
## fail the link.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/extra.s -o %t/extra.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/dyn.s -o %t/dyn.o
# RUN: rm -f %t/libextra.a && llvm-ar rcs %t/libextra.a %t/extra.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -u _extra -o %t/u.out %t/main.o %t/libextra.a
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -u _extra -o %t/lld-u.out %t/main.o %t/libextra.a
# RUN: llvm-nm %t/u.out | FileCheck %s --check-prefix=U
# RUN: llvm-nm %t/lld-u.out | FileCheck %s --check-prefix=U
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/nou.out %t/main.o %t/libextra.a
# RUN: llvm-nm %t/nou.out | FileCheck %s --check-prefix=NOU
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -u _nowhere -o %t/x.out %t/main.o 2>&1 | FileCheck %s --check-prefix=MISSING
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -U _later -o %t/dyn.out %t/dyn.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -U _later -no_fixup_chains -o %t/lld-dyn.out %t/dyn.o
# RUN: llvm-objdump --macho --bind --lazy-bind %t/dyn.out | FileCheck %s --check-prefix=DYN
# RUN: llvm-objdump --macho --bind --lazy-bind %t/lld-dyn.out | FileCheck %s --check-prefix=DYN
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -U _other -o %t/x.out %t/dyn.o 2>&1 | FileCheck %s --check-prefix=NOTU

# U: T _extra
# NOU-NOT: _extra
# MISSING: error: undefined symbol _nowhere, referenced from the link options (-u, -e, -exported_symbol)
# DYN: flat-namespace _later
# NOTU: error: undefined symbol _later

#--- main.s
.text
.globl _main
_main:
  retq

#--- extra.s
.text
.globl _extra
_extra:
  retq

#--- dyn.s
.text
.globl _main
_main:
  callq _later
  retq
