## Test: a binary dylib (MH_DYLIB built by ld64.lld) is an input like a TBD
## stub, for x86_64 and arm64: given by path, found by -lfoo (libfoo.dylib
## in a -L directory), and as the slice of a fat file (FAT_MAGIC, made by
## mkfat.py below as llvm-lipo lays it out). The executable loads it by its
## install name with its current and compatibility versions (LC_LOAD_DYLIB,
## ordinal 1: it comes before libSystem on the command line), a call to its
## function is lazily bound and a reference to its datum bound through the
## GOT, both naming libfoo; its weak definition is weakly bound. ld64.lld
## agrees.

# RUN: rm -rf %t && split-file %s %t && mkdir -p %t/thin %t/fat
# RUN: for a in x86_64 arm64; do \
# RUN:   llvm-mc -filetype=obj -triple=$a-apple-macos11 %t/lib-$a.s -o %t/lib-$a.o && \
# RUN:   llvm-mc -filetype=obj -triple=$a-apple-macos11 %t/main-$a.s -o %t/main-$a.o && \
# RUN:   %lld -dylib -arch $a -platform_version macos 11.0 11.0 \
# RUN:     -install_name @rpath/libfoo.dylib -current_version 3.2.1 \
# RUN:     -compatibility_version 2.0 -L %libsystem -lSystem %t/lib-$a.o \
# RUN:     -o %t/libfoo-$a.dylib || exit 1; \
# RUN: done
# RUN: %python %t/mkfat.py %t/fat/libfoo.dylib %t/libfoo-x86_64.dylib %t/libfoo-arm64.dylib
# RUN: cp %t/libfoo-x86_64.dylib %t/thin/libfoo.dylib

## x86_64: by path (linkfs-ld and ld64.lld), by -lfoo, and from the fat file
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 %t/main-x86_64.o \
# RUN:   %t/libfoo-x86_64.dylib -lSystem -o %t/x-path.out
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 %t/main-x86_64.o \
# RUN:   -L %t/thin -lfoo -lSystem -o %t/x-l.out
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 %t/main-x86_64.o \
# RUN:   -L %t/fat -lfoo -lSystem -o %t/x-fat.out
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -no_fixup_chains \
# RUN:   %t/main-x86_64.o %t/libfoo-x86_64.dylib -L %libsystem -lSystem -o %t/x-lld.out
# RUN: for f in x-path x-l x-fat x-lld; do \
# RUN:   llvm-objdump --macho --private-headers --bind --lazy-bind --weak-bind %t/$f.out \
# RUN:     | FileCheck %s --check-prefix=CHECK || exit 1; \
# RUN: done

## arm64: the same
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 %t/main-arm64.o \
# RUN:   %t/libfoo-arm64.dylib -lSystem -o %t/a-path.out
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 %t/main-arm64.o \
# RUN:   -L %t/fat -lfoo -lSystem -o %t/a-fat.out
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -no_fixup_chains \
# RUN:   %t/main-arm64.o %t/libfoo-arm64.dylib -L %libsystem -lSystem -o %t/a-lld.out
# RUN: for f in a-path a-fat a-lld; do \
# RUN:   llvm-objdump --macho --private-headers --bind --lazy-bind --weak-bind %t/$f.out \
# RUN:     | FileCheck %s --check-prefix=CHECK || exit 1; \
# RUN: done

## a fat file without the arch, and the wrong arch's dylib, are errors
# RUN: %python %t/mkfat.py %t/arm-only.dylib %t/libfoo-arm64.dylib
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 %t/main-x86_64.o \
# RUN:   %t/arm-only.dylib -lSystem -o %t/bad.out 2>&1 | FileCheck %s --check-prefix=NOARCH
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 %t/main-x86_64.o \
# RUN:   %t/libfoo-arm64.dylib -lSystem -o %t/bad.out 2>&1 | FileCheck %s --check-prefix=WRONG

# CHECK:      cmd LC_LOAD_DYLIB
# CHECK-NEXT: cmdsize
# CHECK-NEXT: name @rpath/libfoo.dylib (offset 24)
# CHECK-NEXT: time stamp
# CHECK-NEXT: current version 3.2.1
# CHECK-NEXT: compatibility version 2.0.0
# CHECK:      cmd LC_LOAD_DYLIB
# CHECK-NEXT: cmdsize
# CHECK-NEXT: name /usr/lib/libSystem.B.dylib
# CHECK-LABEL: Bind table:
# CHECK:      __got {{.*}} pointer 0 libfoo _foo_data
# CHECK-LABEL: Lazy bind table:
# CHECK:      libfoo _foo
# CHECK-LABEL: Weak bind table:
# CHECK:      _foo_weak

# NOARCH: error: '{{.*}}arm-only.dylib': offset 0x0: fat file has no x86_64 slice (it has arm64)
# WRONG:  error: '{{.*}}libfoo-arm64.dylib': offset 0x4: dylib is for arm64, not x86_64

#--- lib-x86_64.s
	.text
	.globl _foo
_foo:
	retq
	.globl _foo_weak
	.weak_definition _foo_weak
_foo_weak:
	retq
	.data
	.globl _foo_data
_foo_data:
	.long 7

#--- lib-arm64.s
	.text
	.globl _foo
_foo:
	ret
	.globl _foo_weak
	.weak_definition _foo_weak
_foo_weak:
	ret
	.data
	.globl _foo_data
_foo_data:
	.long 7

#--- main-x86_64.s
	.text
	.globl _main
_main:
	callq _foo
	callq _foo_weak
	movq _foo_data@GOTPCREL(%rip), %rax
	xorl %eax, %eax
	retq
	.subsections_via_symbols

#--- main-arm64.s
	.text
	.globl _main
	.p2align 2
_main:
	bl _foo
	bl _foo_weak
	adrp x8, _foo_data@GOTPAGE
	ldr x8, [x8, _foo_data@GOTPAGEOFF]
	mov w0, #0
	ret
	.subsections_via_symbols

#--- mkfat.py
# mkfat.py OUT SLICE... - a FAT_MAGIC file of the slices, each at a
# 2^14-aligned offset, as llvm-lipo -create lays them out.
import struct, sys
out, slices = sys.argv[1], [open(p, "rb").read() for p in sys.argv[2:]]
hdr = struct.pack(">II", 0xcafebabe, len(slices))
off, body, ents = 0x4000, b"", b""
for s in slices:
    cpu, sub = struct.unpack_from("<II", s, 4)
    ents += struct.pack(">IIIII", cpu, sub, off, len(s), 14)
    pad = (-(off + len(s))) % 0x4000
    body += s + b"\0" * pad
    off += len(s) + pad
head = hdr + ents
open(out, "wb").write(head + b"\0" * (0x4000 - len(head)) + body)
