## Test: the link map names each atom by its symbol, as ld64.lld does. The
## arm64 assembler (llvm-mc, and clang's integrated assembler) puts a
## temporary label ltmp<N> at the start of every section; such l-prefixed
## labels are not symbols of the output (linkfs-ld keeps them out of the
## symbol table) and must not name a map line either: the first function of
## __text is _main, the first datum of __data is _g.

# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %s -o %t/a.o
# RUN: llvm-nm -a %t/a.o | FileCheck %s --check-prefix=OBJ
# OBJ: 0000000000000000 t ltmp0

# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -no_fixup_chains -o %t/lld.out %t/a.o -map %t/lld.map
# RUN: FileCheck %s --input-file=%t/lld.map
# RUN: llvm-nm -a %t/lld.out | FileCheck %s --check-prefix=NM
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/lfld.out %t/a.o -map %t/lfld.map
# RUN: llvm-nm -a %t/lfld.out | FileCheck %s --check-prefix=NM
# RUN: FileCheck %s --input-file=%t/lfld.map

# NM-NOT: ltmp

# CHECK-LABEL: # Symbols:
# CHECK-NOT:  ltmp
# CHECK:      0x{{[0-9A-F]+}} 0x00000008 [{{ *[0-9]+}}] _main
# CHECK-NOT:  ltmp
# CHECK:      0x{{[0-9A-F]+}} 0x00000004 [{{ *[0-9]+}}] _g
# CHECK-NOT:  ltmp

	.text
	.p2align 2
	.globl _main
_main:
	bl _helper
	ret
_helper:
	ret

	.data
	.p2align 2
	.globl _g
_g:	.long 3

.subsections_via_symbols
