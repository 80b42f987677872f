## Test: -bundle writes an MH_BUNDLE (x86_64 and arm64): no __PAGEZERO, no
## LC_ID_DYLIB, LC_LOAD_DYLINKER or LC_MAIN, flags NOUNDEFS DYLDLINK
## TWOLEVEL. -bundle_loader names the executable it is loaded into: its
## exports (here _host_value) are bound with the main-executable ordinal
## (-1) and the executable gets no load command. ld64.lld agrees. Errors:
## -bundle_loader without -bundle, an object as the bundle loader, and
## -pagezero_size for a bundle.

# RUN: rm -rf %t && split-file %s %t
# RUN: for a in x86_64 arm64; do \
# RUN:   llvm-mc -filetype=obj -triple=$a-apple-macos11 %t/host-$a.s -o %t/host-$a.o && \
# RUN:   llvm-mc -filetype=obj -triple=$a-apple-macos11 %t/plug-$a.s -o %t/plug-$a.o && \
# RUN:   %lfld -arch $a -platform_version macos 11.0 11.0 -export_dynamic -lSystem \
# RUN:     %t/host-$a.o -o %t/host-$a && \
# RUN:   %lfld -bundle -bundle_loader %t/host-$a -arch $a -platform_version macos 11.0 11.0 \
# RUN:     -lSystem %t/plug-$a.o -o %t/lfld-$a.bundle && \
# RUN:   %lld -bundle -bundle_loader %t/host-$a -arch $a -platform_version macos 11.0 11.0 \
# RUN:     -no_fixup_chains -L %libsystem -lSystem %t/plug-$a.o -o %t/lld-$a.bundle || exit 1; \
# RUN:   for l in lfld lld; do \
# RUN:     llvm-objdump --macho --private-headers --lazy-bind --bind %t/$l-$a.bundle \
# RUN:       | FileCheck %s || exit 1; \
# RUN:   done; \
# RUN: done

# RUN: not %lfld -bundle_loader %t/host-x86_64 -arch x86_64 -platform_version macos 11.0 11.0 \
# RUN:   -lSystem %t/plug-x86_64.o -o %t/x.out 2>&1 | FileCheck %s --check-prefix=NOBUNDLE
# RUN: not %lfld -bundle -bundle_loader %t/host-x86_64.o -arch x86_64 -platform_version macos 11.0 11.0 \
# RUN:   -lSystem %t/plug-x86_64.o -o %t/x.out 2>&1 | FileCheck %s --check-prefix=NOTEXE
# RUN: not %lfld -bundle -pagezero_size 0x1000 -arch x86_64 -platform_version macos 11.0 11.0 \
# RUN:   -lSystem %t/plug-x86_64.o -o %t/x.out 2>&1 | FileCheck %s --check-prefix=PAGEZERO

# CHECK:      filetype
# CHECK-NEXT: MH_MAGIC_64 {{[A-Z0-9_]+}} ALL 0x00 BUNDLE {{[0-9]+}} {{[0-9]+}} NOUNDEFS DYLDLINK TWOLEVEL{{$}}
# CHECK-NOT:  __PAGEZERO
# CHECK:      segname __TEXT
# CHECK-NEXT: vmaddr 0x0000000000000000
# CHECK-NOT:  LC_LOAD_DYLINKER
# CHECK-NOT:  LC_ID_DYLIB
# CHECK-NOT:  LC_MAIN
# CHECK:      cmd LC_LOAD_DYLIB
# CHECK-NEXT: cmdsize
# CHECK-NEXT: name /usr/lib/libSystem.B.dylib
# CHECK-NOT:  cmd LC_LOAD_DYLIB
# CHECK-NOT:  LC_MAIN
# CHECK:      Lazy bind table:
# CHECK-DAG:  __DATA __la_symbol_ptr 0x{{[0-9A-F]+}} main-executable _host_value
# CHECK-DAG:  __DATA __la_symbol_ptr 0x{{[0-9A-F]+}} libSystem _printf

# NOBUNDLE: error: -bundle_loader can only be used with -bundle
# NOTEXE:   host-x86_64.o': offset 0xc: filetype 1 is not MH_EXECUTE (a bundle loader must be an executable)
# PAGEZERO: error: -pagezero_size can only be used when linking an executable

#--- host-x86_64.s
.text
.globl _main, _host_value
_host_value:
  movl $40, %eax
  retq
_main:
  xorl %eax, %eax
  retq
.subsections_via_symbols

#--- plug-x86_64.s
.text
.globl _plugin_entry
_plugin_entry:
  pushq %rax
  callq _host_value
  callq _printf
  popq %rcx
  retq
.subsections_via_symbols

#--- host-arm64.s
.text
.globl _main, _host_value
.p2align 2
_host_value:
  mov w0, #40
  ret
_main:
  mov w0, #0
  ret
.subsections_via_symbols

#--- plug-arm64.s
.text
.globl _plugin_entry
.p2align 2
_plugin_entry:
  stp x29, x30, [sp, #-16]!
  bl _host_value
  bl _printf
  ldp x29, x30, [sp], #16
  ret
.subsections_via_symbols
