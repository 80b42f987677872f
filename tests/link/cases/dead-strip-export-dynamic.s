## Test: with -dead_strip, an unreferenced exported function is removed
## from an executable (exports are not roots, as in ld64 and lld), unless
## -export_dynamic makes every export a root. ld64.lld agrees.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -dead_strip \
# RUN:   -o %t/ds.out %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -dead_strip \
# RUN:   -export_dynamic -o %t/ed.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -dead_strip -export_dynamic -o %t/lld.out %t/a.o
# RUN: llvm-nm %t/ds.out | FileCheck %s --check-prefix=DS
# RUN: llvm-nm %t/ed.out | FileCheck %s --check-prefix=ED
# RUN: llvm-nm %t/lld.out | FileCheck %s --check-prefix=ED

# DS-NOT: _unused
# DS: T _main
# ED: T _main
# ED: T _unused

.text
.globl _main, _unused
_main:
  retq
_unused:
  retq
.subsections_via_symbols
