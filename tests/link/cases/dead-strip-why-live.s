## Test: -why_live PATTERN, with -dead_strip, prints (on standard output,
## as ld64.lld does) each symbol matching the pattern that is kept, with
## the chain of references that kept it: the symbol and its file, then
## indented by two more spaces each, the first symbol of the atom that
## referred to it, of the atom that made that one live, and so on to a
## root. An import prints with its dylib (a TBD as path(install name)).
## Each symbol is printed once, with the first chain that reached it;
## a dead one (_dead) and one that does not match print nothing. Without
## -dead_strip it warns and prints nothing, as ld64.lld. The output runs.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/lib.s -o %t/lib.o
# RUN: %lfld -arch x86_64 -L %libsystem -lSystem -o %t/lfld.out %t/main.o %t/lib.o \
# RUN:   -dead_strip -why_live _printf -why_live _dead -why_live '_[bl]*' | FileCheck %s
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/main.o %t/lib.o \
# RUN:   -dead_strip -why_live _printf -why_live _dead -why_live '_[bl]*' | FileCheck %s
# CHECK:      _libf from {{.*}}/lib.o
# CHECK-NEXT:   _foo from {{.*}}/main.o
# CHECK-NEXT:     _main from {{.*}}/main.o
# CHECK-NEXT: _bar from {{.*}}/main.o
# CHECK-NEXT:   _foo from {{.*}}/main.o
# CHECK-NEXT:     _main from {{.*}}/main.o
# CHECK-NEXT: _printf from {{.*}}/libSystem.tbd(/usr/lib/libSystem.B.dylib)
# CHECK-NEXT:   _bar from {{.*}}/main.o
# CHECK-NEXT:     _foo from {{.*}}/main.o
# CHECK-NEXT:       _main from {{.*}}/main.o
# CHECK-NOT:  {{.}}
# RUN: %macho-run %t/lfld.out

## the root itself: no chain
# RUN: %lfld -arch x86_64 -L %libsystem -lSystem -o %t/root.out %t/main.o %t/lib.o \
# RUN:   -dead_strip -why_live _main | FileCheck %s --check-prefix=ROOT
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lldroot.out %t/main.o %t/lib.o -dead_strip -why_live _main \
# RUN:   | FileCheck %s --check-prefix=ROOT
# ROOT:      _main from {{.*}}/main.o
# ROOT-NOT:  {{.}}

## every symbol ('_*'): the roots in lld's order (the entry point, then
## __mh_execute_header, which dyld reads), a local the entry refers to,
## and a symbol kept because its atom is (_second, in the atom of _str:
## no subsections in __TEXT,__const here), its chain starting at that atom
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/loc.s -o %t/loc.o
# RUN: %lfld -arch x86_64 -L %libsystem -lSystem -o %t/loc.out %t/loc.o \
# RUN:   -dead_strip -why_live '_*' | FileCheck %s --check-prefix=ALL
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lldloc.out %t/loc.o -dead_strip -why_live '_*' | FileCheck %s --check-prefix=ALL
# ALL:      _main from {{.*}}/loc.o
# ALL-NEXT: __mh_execute_header from <internal>
# ALL-NEXT: _str from {{.*}}/loc.o
# ALL-NEXT:   _main from {{.*}}/loc.o
# ALL-NEXT: _helper from {{.*}}/loc.o
# ALL-NEXT:   _main from {{.*}}/loc.o
# ALL-NEXT: _second from {{.*}}/loc.o
# ALL-NEXT:   _str from {{.*}}/loc.o
# ALL-NEXT:     _main from {{.*}}/loc.o
# ALL-NOT:  {{.}}
# RUN: %macho-run %t/loc.out

# RUN: %lfld -arch x86_64 -L %libsystem -lSystem -o %t/nods.out %t/main.o %t/lib.o \
# RUN:   -why_live _bar 2>&1 | FileCheck %s --check-prefix=NODS
# NODS:     linkfs-ld: warning: -why_live has no effect without -dead_strip, ignoring
# NODS-NOT: _bar

#--- main.s
	.text
	.globl _main, _foo, _bar, _dead
_main:
	callq _foo
	xorl %eax, %eax
	retq
_foo:
	callq _bar
	callq _libf
	retq
_bar:
	movq _printf@GOTPCREL(%rip), %rax
	retq
_dead:
	callq _bar
	retq
	.subsections_via_symbols

#--- loc.s
	.text
	.globl _main
_main:
	callq _helper
	leaq _str(%rip), %rax
	xorl %eax, %eax
	retq
_helper:
	retq
	.section __TEXT,__const
_str:
	.quad 1
	.globl _second
_second:
	.quad 2

#--- lib.s
	.text
	.globl _libf
_libf:
	callq _bar
	retq
	.subsections_via_symbols
