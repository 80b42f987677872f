## Test: -F DIR / -framework NAME find DIR/NAME.framework/NAME.tbd;
## -weak-lNAME (and -weak_library, -weak_framework) make a weak dylib:
## LC_LOAD_WEAK_DYLIB and its imports weak (N_WEAK_REF, weak-import
## binds). A symbol one object references weakly and another strongly is
## a strong import (weak only while every reference is). ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t && mkdir -p %t/F/Foo.framework %t/lib
# RUN: cp %t/foo.tbd %t/F/Foo.framework/Foo.tbd && cp %t/bar.tbd %t/lib/libbar.tbd
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/b.s -o %t/b.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -F %t/F -framework Foo -L %t/lib -weak-lbar -o %t/lfld.out %t/a.o %t/b.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -F %t/F -framework Foo -L %t/lib -weak-lbar -no_fixup_chains \
# RUN:   -o %t/lld.out %t/a.o %t/b.o
# RUN: llvm-objdump --macho --private-headers %t/lfld.out | FileCheck %s --check-prefix=LC
# RUN: llvm-objdump --macho --private-headers %t/lld.out | FileCheck %s --check-prefix=LC
# RUN: llvm-nm -m %t/lfld.out | FileCheck %s --check-prefix=NM
# RUN: llvm-nm -m %t/lld.out | FileCheck %s --check-prefix=NM
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -F %t/F -framework Nope -o %t/x.out %t/a.o 2>&1 | FileCheck %s --check-prefix=MISSING

# LC:      cmd LC_LOAD_DYLIB
# LC-NEXT: cmdsize
# LC-NEXT: name /usr/lib/libSystem.B.dylib
# LC:      cmd LC_LOAD_DYLIB
# LC-NEXT: cmdsize
# LC-NEXT: name /System/Library/Frameworks/Foo.framework/Versions/A/Foo
# LC:      cmd LC_LOAD_WEAK_DYLIB
# LC-NEXT: cmdsize
# LC-NEXT: name /usr/lib/libbar.dylib
# NM-DAG: (undefined) weak external _bar (from libbar)
# NM-DAG: (undefined) external _foo (from Foo)
# NM-DAG: (undefined) external _mixed (from Foo)
# MISSING: framework not found Nope

#--- a.s
.text
.globl _main
.weak_reference _mixed
_main:
  callq _foo
  callq _bar
  movq _mixed@GOTPCREL(%rip), %rax
  retq

#--- b.s
.text
.globl _other
_other:
  callq _mixed
  retq

#--- foo.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos ]
install-name:    '/System/Library/Frameworks/Foo.framework/Versions/A/Foo'
exports:
  - targets:         [ x86_64-macos ]
    symbols:         [ _foo, _mixed ]
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
