## Test: -v prints the version on stderr and then links, as ld64 does
## (clang passes it for `clang -v`, and build systems pass -Wl,-v to learn
## which linker they have); it once printed and stopped with status 0
## and no output, so a build went on without its executable. -v alone
## (no inputs) prints the version and succeeds, writing nothing.

# RUN: rm -rf %t && mkdir -p %t/alone
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -v -arch x86_64 -lSystem -o %t/a.out %t/a.o 2> %t/err
# RUN: FileCheck --check-prefix=VERSION %s < %t/err
# RUN: llvm-nm %t/a.out | FileCheck %s
## where clang puts -Wl,-v: after the options, before the inputs
# RUN: %lfld -arch x86_64 -o %t/b.out -v %t/a.o -lSystem 2> %t/err2
# RUN: FileCheck --check-prefix=VERSION %s < %t/err2
# RUN: cmp %t/a.out %t/b.out
# CHECK: T _main

# RUN: cd %t/alone && %lfld -v 2> %t/err3 && test -z "$(ls -A)"
# RUN: FileCheck --check-prefix=VERSION %s < %t/err3
# VERSION: linkfs-ld {{[0-9]+\.[0-9]+\.[0-9]+}} (Mach-O linker
# VERSION-NOT: error

	.globl _main
_main:
	retq
