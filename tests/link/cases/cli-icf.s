## Test: --icf=none is accepted and changes nothing (linkfs-ld folds no
## identical code, so it is what every link does: the same bytes); the
## levels that ask for folding (all, safe, safe_thunks) link the same bytes
## with a warning that nothing was folded; an unknown level is refused.

# RUN: rm -rf %t && mkdir -p %t/none
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch x86_64 -lSystem -o %t/a.out %t/a.o
# RUN: %lfld -arch x86_64 -lSystem --icf=none -o %t/none/a.out %t/a.o
# RUN: cmp %t/a.out %t/none/a.out
# RUN: %macho-run %t/none/a.out
# RUN: %lfld -arch x86_64 -lSystem --icf=all -o %t/all.out %t/a.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=ALL
# RUN: cmp %t/a.out %t/all.out
# ALL: linkfs-ld: warning: --icf=all: linkfs-ld folds no identical code; the output is correct but not smaller
# RUN: %lfld -arch x86_64 -lSystem --icf=safe -o %t/safe.out %t/a.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=SAFE
# SAFE: linkfs-ld: warning: --icf=safe: linkfs-ld folds no identical code
# RUN: not %lfld -arch x86_64 -lSystem --icf=most -o %t/most.out %t/a.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=BAD
# BAD: linkfs-ld: error: '--icf=most': unknown level (none, safe, safe_thunks, all)

	.text
	.globl _main, _f, _g
_main:
	callq _f
	callq _g
	xorl %eax, %eax
	retq
_f:
	retq
_g:
	retq
	.subsections_via_symbols
