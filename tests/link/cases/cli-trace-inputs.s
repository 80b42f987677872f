## Test: -t prints each input as it is loaded, one line each on standard
## output, as ld64.lld's message() does: a TBD as its path and install
## name, an object by its name, an archive member as archive(member) and
## only when it is loaded (lib.a's unused.o is not). Objects between
## --start-lib and --end-lib are listed when loaded, by their own name.
## The output is the same program either way, and it runs. Without -t
## nothing is printed.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/lib.s -o %t/lib.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/unused.s -o %t/unused.o
# RUN: llvm-ar rcs %t/lib.a %t/lib.o %t/unused.o
# RUN: %lfld -arch x86_64 -L %libsystem -lSystem -o %t/lfld.out %t/main.o %t/lib.a -t \
# RUN:   | FileCheck %s
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/main.o %t/lib.a -t | FileCheck %s
# CHECK:      {{.*}}/libSystem.tbd(/usr/lib/libSystem.B.dylib)
# CHECK-NEXT: {{.*}}/main.o
# CHECK-NEXT: {{.*}}/lib.a(lib.o)
# CHECK-NOT:  {{.}}
# RUN: %macho-run %t/lfld.out

# RUN: %lfld -arch x86_64 -L %libsystem -lSystem -o %t/lazy.out %t/main.o \
# RUN:   --start-lib %t/unused.o %t/lib.o --end-lib -t | FileCheck %s --check-prefix=LAZY
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lldlazy.out %t/main.o --start-lib %t/unused.o %t/lib.o --end-lib -t \
# RUN:   | FileCheck %s --check-prefix=LAZY
# LAZY:      {{.*}}/libSystem.tbd(/usr/lib/libSystem.B.dylib)
# LAZY-NEXT: {{.*}}/main.o
# LAZY-NEXT: {{.*}}/lib.o
# LAZY-NOT:  {{.}}
# RUN: %macho-run %t/lazy.out

# RUN: %lfld -arch x86_64 -L %libsystem -lSystem -o %t/quiet.out %t/main.o %t/lib.a \
# RUN:   | FileCheck %s --allow-empty --check-prefix=NONE
# NONE-NOT: {{.}}

#--- main.s
	.text
	.globl _main
_main:
	callq _libf
	xorl %eax, %eax
	retq
	.subsections_via_symbols

#--- lib.s
	.text
	.globl _libf
_libf:
	retq
	.subsections_via_symbols

#--- unused.s
	.text
	.globl _unused
_unused:
	retq
	.subsections_via_symbols
