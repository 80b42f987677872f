## Test: objects between --start-lib and --end-lib are loaded as archive
## members would be, as ld64.lld loads them: only one that defines a
## symbol still undefined (a.o, then b.o, which a.o needs), never one
## nothing needs (c.o: its _main would clash with main.o's, and its _c
## is not in the output). Objects outside the group always load (and
## first: ld64.lld, which loads a lazy object as soon as it is given if
## it defines a symbol already undefined, such as the entry point, would
## load c.o if the group came before main.o; linkfs-ld would not). The
## program runs. A nested --start-lib and an --end-lib without one are
## refused.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/main.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/b.s -o %t/b.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/c.s -o %t/c.o
# RUN: %lfld -arch x86_64 -lSystem -o %t/lfld.out \
# RUN:   %t/main.o --start-lib %t/c.o %t/b.o %t/a.o --end-lib
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -o %t/lld.out %t/main.o --start-lib %t/c.o %t/b.o %t/a.o --end-lib
# RUN: llvm-nm %t/lfld.out | FileCheck %s
# RUN: llvm-nm %t/lld.out | FileCheck %s
# CHECK-NOT:  _c
# CHECK:      T _a
# CHECK-NEXT: T _b
# CHECK-NOT:  _c
# CHECK:      T _main
# CHECK-NOT:  _c
# RUN: %macho-run %t/lfld.out

# RUN: not %lfld -arch x86_64 -lSystem --start-lib %t/a.o --start-lib %t/b.o \
# RUN:   --end-lib %t/main.o 2>&1 | FileCheck %s --check-prefix=NESTED
# NESTED: linkfs-ld: error: nested --start-lib
# RUN: not %lfld -arch x86_64 -lSystem %t/main.o --end-lib 2>&1 \
# RUN:   | FileCheck %s --check-prefix=STRAY
# STRAY: linkfs-ld: error: stray --end-lib

#--- main.s
	.text
	.globl _main
_main:
	callq _a
	xorl %eax, %eax
	retq
	.subsections_via_symbols

#--- a.s
	.text
	.globl _a
_a:
	jmp _b
	.subsections_via_symbols

#--- b.s
	.text
	.globl _b
_b:
	retq
	.subsections_via_symbols

#--- c.s
	.text
	.globl _c, _main
_c:
	retq
_main:
	movl $1, %eax
	retq
	.subsections_via_symbols
