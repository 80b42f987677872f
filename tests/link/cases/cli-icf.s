## Test: --icf=none is accepted and changes nothing (linkfs-ld folds no
## identical code, so it is what every link does: the same bytes); any
## other --icf value (all, safe, safe_thunks) is refused with a message
## naming it, not linked without the folding it asks for.

# RUN: rm -rf %t && mkdir -p %t/none
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: %lfld -arch x86_64 -lSystem -o %t/a.out %t/a.o
# RUN: %lfld -arch x86_64 -lSystem --icf=none -o %t/none/a.out %t/a.o
# RUN: cmp %t/a.out %t/none/a.out
# RUN: %macho-run %t/none/a.out
# RUN: not %lfld -arch x86_64 -lSystem --icf=all -o %t/all.out %t/a.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=ALL
# ALL: linkfs-ld: error: '--icf=all' is not supported (linkfs-ld folds no identical code; --icf=none is accepted)
# RUN: not %lfld -arch x86_64 -lSystem --icf=safe -o %t/safe.out %t/a.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=SAFE
# SAFE: linkfs-ld: error: '--icf=safe' is not supported

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
