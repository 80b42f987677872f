## Test: -filelist FILE[,DIR] links the inputs FILE names, one per line, in
## their place among the other inputs (clang passes it for a long link line
## when it takes the linker for an ld64 before 705). As ld64.lld reads the
## file: blanks around a path are dropped, empty lines and '#' lines are
## skipped. As ld64: with ",DIR" each path is under DIR, unless the whole
## argument names a file (ld64.lld 19 has no ",DIR"). Both linkers give the
## same symbols in the same order; a missing list or a NUL byte in one is refused, naming the file.

# RUN: rm -rf %t && split-file %s %t && mkdir -p %t/objs %t/comma,x
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o %t/objs/main.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/f1.s -o %t/objs/f1.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/f2.s -o %t/objs/f2.o
# RUN: cp %t/list %t/comma,x/list
# RUN: cd %t && %lfld -arch x86_64 -lSystem -o lfld.out objs/f2.o -filelist list,objs
# RUN: cd %t/objs && %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem \
# RUN:   -lSystem -o ../lld.out f2.o -filelist ../list
# RUN: cd %t/objs && %lfld -arch x86_64 -lSystem -o ../plain.out f2.o main.o f1.o
# RUN: cmp %t/lfld.out %t/plain.out
# RUN: llvm-nm -n %t/lfld.out | FileCheck %s
# RUN: llvm-nm -n %t/lld.out | FileCheck %s
# CHECK:      T _f2
# CHECK-NEXT: T _main
# CHECK-NEXT: T _f1
## a list whose own name has a comma
# RUN: cd %t/objs && %lfld -arch x86_64 -lSystem -o ../comma.out f2.o -filelist ../comma,x/list
# RUN: cmp %t/comma.out %t/plain.out

# RUN: cd %t && not %lfld -arch x86_64 -filelist gone,objs 2>&1 | FileCheck --check-prefix=GONE %s
# GONE: linkfs-ld: error: -filelist: cannot read 'gone': No such file or directory
# RUN: cd %t && printf 'main.o\n\0' > nul && \
# RUN:   not %lfld -arch x86_64 -filelist nul 2>&1 | FileCheck --check-prefix=NUL %s
# NUL: linkfs-ld: error: -filelist 'nul': offset 0x7: NUL byte

#--- list
  main.o

# f2.o is not in the list
f1.o	
#--- main.s
	.globl _main
_main:
	callq _f1
	retq
#--- f1.s
	.globl _f1
_f1:
	retq
#--- f2.s
	.globl _f2
_f2:
	retq
