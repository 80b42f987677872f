## Test: an object with sections in ten segments of its own makes more
## output segments than a Mach-O image has room for here: the link fails
## with a message, on both architectures (it once wrote past the
## segment table and crashed, found by fuzz_link).

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/x86.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %s -o %t/arm.o
# RUN: not %lfld -arch x86_64 -lSystem -o %t/a.out %t/x86.o 2>&1 | FileCheck %s
# RUN: not %lfld -arch arm64 -lSystem -o %t/b.out %t/arm.o 2>&1 | FileCheck %s
# CHECK: error: too many output segments (more than 6; segment __SEG{{[0-9]+}} is one too many)

	.text
	.globl _main
_main:
	ret
	.section __SEG1,__s1
	.quad 1
	.section __SEG2,__s2
	.quad 2
	.section __SEG3,__s3
	.quad 3
	.section __SEG4,__s4
	.quad 4
	.section __SEG5,__s5
	.quad 5
	.section __SEG6,__s6
	.quad 6
	.section __SEG7,__s7
	.quad 7
	.section __SEG8,__s8
	.quad 8
	.section __SEG9,__s9
	.quad 9
	.section __SEG10,__s10
	.quad 10
