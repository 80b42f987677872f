## Test: an argument @FILE is replaced by the arguments FILE holds (clang
## passes one when a link line is long), split as ld64.lld 19 splits it
## (LLVM's TokenizeGNUCommandLine): runs of whitespace separate, '...' and
## "..." quote, also in the middle of an argument, a backslash takes the
## next byte literally, inside quotes too, "" alone is no argument, and a
## response file may name another (relative to the current directory).
## Both linkers link from the same files, so each object's odd name must
## come out right for the link to find it and define its symbol. Refused,
## each naming the file: a missing one, an unterminated quote (with its
## offset), a NUL byte, a file that names itself (nesting stops at 20).
## The value of an option is never a response file: `-o @x` writes "@x".

# RUN: rm -rf %t && split-file %s %t && mkdir -p "%t/dir one"
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/main.s -o "%t/dir one/m'a.o"
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/f1.s -o '%t/b"c.o'
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/f2.s -o '%t/b c.o'
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/f3.s -o '%t/d e.o'
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/f4.s -o '%t/q\z.o'
# RUN: cd %t && %lfld -lSystem @args.rsp -o lfld.out
# RUN: cd %t && %lld -L %libsystem -lSystem @args.rsp -o lld.out
# RUN: llvm-nm %t/lfld.out | FileCheck %s
# RUN: llvm-nm %t/lld.out | FileCheck %s
# CHECK-DAG: T _f1
# CHECK-DAG: T _f2
# CHECK-DAG: T _f3
# CHECK-DAG: T _f4
# CHECK-DAG: T _main

## an option's value may come from the next file, and -o @x is a name
# RUN: cd %t && %lfld -lSystem @args.rsp @out.rsp && llvm-nm split.out | FileCheck %s
# RUN: cd %t && %lfld -lSystem @args.rsp -o @at.out && llvm-nm ./@at.out | FileCheck %s

# RUN: cd %t && not %lfld @missing.rsp 2>&1 | FileCheck --check-prefix=MISSING %s
# MISSING: linkfs-ld: error: cannot read response file 'missing.rsp': No such file or directory
# RUN: cd %t && not %lfld @nested-missing.rsp 2>&1 | FileCheck --check-prefix=MISSING2 %s
# MISSING2: linkfs-ld: error: cannot read response file 'gone.rsp': No such file or directory
# RUN: cd %t && not %lfld @unterminated.rsp 2>&1 | FileCheck --check-prefix=QUOTE %s
# QUOTE: linkfs-ld: error: response file 'unterminated.rsp': offset 0xd: unterminated ' quote
# RUN: cd %t && printf -- '-arch\0x86_64' > nul.rsp && \
# RUN:   not %lfld @nul.rsp 2>&1 | FileCheck --check-prefix=NUL %s
# NUL: linkfs-ld: error: response file 'nul.rsp': offset 0x5: NUL byte
# RUN: cd %t && not %lfld @self.rsp 2>&1 | FileCheck --check-prefix=SELF %s
# SELF: linkfs-ld: error: response file 'self.rsp': nested more than 20 deep
# RUN: cd %t && not %lfld @ 2>&1 | FileCheck --check-prefix=EMPTY %s
# EMPTY: linkfs-ld: error: '@' without a response file name

#--- args.rsp
-arch x86_64   -platform_version macos 11.0 11.0
"dir one/m'a.o"
'b"c.o' "" b\ c.o
@nested.rsp
#--- nested.rsp
d' 'e.o	"q\\z.o"
#--- out.rsp
-o
split.out
#--- nested-missing.rsp
-arch x86_64 @gone.rsp
#--- unterminated.rsp
-arch x86_64 'oops
#--- self.rsp
-v @self.rsp
#--- main.s
	.globl _main
_main:
	callq _f1
	callq _f2
	callq _f3
	callq _f4
	retq
#--- f1.s
	.globl _f1
_f1:
	retq
#--- f2.s
	.globl _f2
_f2:
	retq
#--- f3.s
	.globl _f3
_f3:
	retq
#--- f4.s
	.globl _f4
_f4:
	retq
