## Test: with -dead_strip, the link map (-map, --dump=map, map.txt) ends
## with ld64.lld's "# Dead Stripped Symbols:" list: per file in input
## order, its dead symbols in nlist order (a local, a datum, a function),
## then the dead literal strings by their text; a symbol's size runs to
## the next symbol of its atom, or its end. "# Symbols:" names as lld does:
## literal strings by their (escaped) text (a live copy merged into
## another at its address with size 0, as lld), each GOT slot
## "non-lazy-pointer-to-local: NAME", one line per stub and per lazy
## pointer by its symbol, "helper helper", __dyld_private of size 0.
## The whole map equals lld's once addresses are masked: "# Object files"
## lists the objects and the dylibs used in input order (libSystem first
## when -lSystem comes first), and a stub's and a lazy pointer's file is
## their dylib's.
## --dump=why prints the -why_live chains the image recorded (why.txt);
## without patterns, or without -dead_strip, one line says why none.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/m.s -o %t/m.o
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/b.s -o %t/b.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -o %t/lfld.out \
# RUN:   %t/m.o %t/b.o -L %libsystem -lSystem -dead_strip -map %t/lfld.map
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -o %t/lld.out \
# RUN:   %t/m.o %t/b.o -L %libsystem -lSystem -dead_strip -map %t/lld.map
# RUN: FileCheck %s --input-file=%t/lfld.map
# RUN: FileCheck %s --input-file=%t/lld.map
# RUN: sed -e 's/^0x[0-9A-F]*\t/ADDR\t/' -e 's/^# Path: .*//' %t/lfld.map > %t/lfld.norm
# RUN: sed -e 's/^0x[0-9A-F]*\t/ADDR\t/' -e 's/^# Path: .*//' %t/lld.map > %t/lld.norm
# RUN: diff %t/lld.norm %t/lfld.norm
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -o %t/lfld1.out \
# RUN:   -L %libsystem -lSystem %t/m.o %t/b.o -dead_strip -map %t/lfld1.map
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -o %t/lld1.out \
# RUN:   -L %libsystem -lSystem %t/m.o %t/b.o -dead_strip -map %t/lld1.map
# RUN: sed -e 's/^0x[0-9A-F]*\t/ADDR\t/' -e 's/^# Path: .*//' %t/lfld1.map > %t/lfld1.norm
# RUN: sed -e 's/^0x[0-9A-F]*\t/ADDR\t/' -e 's/^# Path: .*//' %t/lld1.map > %t/lld1.norm
# RUN: diff %t/lld1.norm %t/lfld1.norm
# RUN: FileCheck %s --check-prefix=FIRST --input-file=%t/lfld1.map
# FIRST:      [  1] {{.*}}libSystem.tbd
# FIRST-NEXT: [  2] {{.*}}m.o
# FIRST:      [  1] _puts
# FIRST:      [  1] _puts
# FIRST:      <<dead>>	0x00000001	[  2] _localdead
# RUN: %macho-run %t/lfld.out | FileCheck %s --check-prefix=RUNS

# CHECK:      # Object files:
# CHECK-NEXT: [  0] linker synthesized
# CHECK-NEXT: [  1] {{.*}}m.o
# CHECK-NEXT: [  2] {{.*}}b.o
# CHECK-NEXT: [  3] {{.*}}libSystem.tbd
# CHECK:      # Symbols:
# CHECK:      [  3] _puts
# CHECK-NEXT: [  0] helper helper
# CHECK:      [  1] literal string: hello\tworld
# CHECK-NEXT: 0x00000005	[  1] literal string: used
# CHECK-NEXT: 0x00000000	[  2] literal string: used
# CHECK-NEXT: [  0] non-lazy-pointer-to-local: dyld_stub_binder
# CHECK:      0x00000000 [  0] __dyld_private
# CHECK-NEXT: # Dead Stripped Symbols:
# CHECK-NEXT: #        	Size    	File  Name
# CHECK-NEXT: <<dead>>	0x00000001	[  1] _localdead
# CHECK-NEXT: <<dead>>	0x00000008	[  1] _deaddata
# CHECK-NEXT: <<dead>>	0x0000000D	[  1] _unused
# CHECK-NEXT: <<dead>>	0x00000008	[  2] _other
# CHECK-NEXT: <<dead>>	0x0000000C	[  1] literal string: dead string
# CHECK-NEXT: <<dead>>	0x0000000C	[  2] literal string: dead string
# CHECK-NOT:  {{.}}
# RUNS: hello	world
# RUNS-NEXT: used

## arm64: the assembler's ltmp1 label at _g's offset is dead with size 0
## (a symbol's size runs to the next symbol, as lld sizes it), and the map
## again equals lld's.
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %t/a64.s -o %t/a64.o
# RUN: %lfld -arch arm64 -platform_version macos 11.0 11.0 -o %t/lfld64.out \
# RUN:   %t/a64.o -L %libsystem -lSystem -dead_strip -map %t/lfld64.map
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -o %t/lld64.out \
# RUN:   %t/a64.o -L %libsystem -lSystem -dead_strip -map %t/lld64.map
# RUN: sed -e 's/^0x[0-9A-F]*\t/ADDR\t/' -e 's/^# Path: .*//' %t/lfld64.map > %t/lfld64.norm
# RUN: sed -e 's/^0x[0-9A-F]*\t/ADDR\t/' -e 's/^# Path: .*//' %t/lld64.map > %t/lld64.norm
# RUN: diff %t/lld64.norm %t/lfld64.norm
# RUN: FileCheck %s --check-prefix=ARM64 --input-file=%t/lfld64.map
# ARM64:      # Dead Stripped Symbols:
# ARM64-NEXT: #
# ARM64-NEXT: <<dead>>	0x00000000	[  1] ltmp1
# ARM64-NEXT: <<dead>>	0x00000008	[  1] _dead
# ARM64-NEXT: <<dead>>	0x00000004	[  1] _g
# ARM64-NOT:  {{.}}


## without .subsections_via_symbols a piece holds several symbols: a line
## for each, sized to the next, as lld (the piece is live, so all three
## are; lld lists libSystem here, linkfs-ld not: no import)
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/nosub.s -o %t/nosub.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -o %t/lfldns.out \
# RUN:   %t/nosub.o -L %libsystem -lSystem -dead_strip -map %t/lfldns.map
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -o %t/lldns.out \
# RUN:   %t/nosub.o -L %libsystem -lSystem -dead_strip -map %t/lldns.map
# RUN: FileCheck %s --check-prefix=NOSUB --input-file=%t/lfldns.map
# RUN: FileCheck %s --check-prefix=NOSUB --input-file=%t/lldns.map
# NOSUB:      # Symbols:
# NOSUB-NEXT: # Address
# NOSUB-NEXT: 0x{{[0-9A-F]+}}	0x00000006	[  1] _main
# NOSUB-NEXT: 0x{{[0-9A-F]+}}	0x00000001	[  1] _f
# NOSUB-NEXT: 0x{{[0-9A-F]+}}	0x00000001	[  1] _g
# NOSUB-NEXT: # Dead Stripped Symbols:

## why: the chains of the symbols matching, as -why_live prints them
# RUN: %lfld --dump=why -arch x86_64 -platform_version macos 11.0 11.0 -o %t/why.out \
# RUN:   %t/m.o %t/b.o -L %libsystem -lSystem -dead_strip -why_live '_u*' -why_live _puts \
# RUN:   | FileCheck %s --check-prefix=WHY
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -o %t/lldwhy.out \
# RUN:   %t/m.o %t/b.o -L %libsystem -lSystem -dead_strip -why_live '_u*' -why_live _puts \
# RUN:   | FileCheck %s --check-prefix=WHY
# WHY:      _used from {{.*}}m.o
# WHY-NEXT:   _main from {{.*}}m.o
# WHY-NEXT: _puts from {{.*}}libSystem.tbd(/usr/lib/libSystem.B.dylib)
# WHY-NEXT:   _main from {{.*}}m.o
# WHY-NOT:  {{.}}
# RUN: %lfld --dump=why -arch x86_64 -platform_version macos 11.0 11.0 -o %t/nowhy.out \
# RUN:   %t/m.o %t/b.o -L %libsystem -lSystem -dead_strip | FileCheck %s --check-prefix=NOPAT
# NOPAT: # no why_live patterns: no chains recorded (why_live = PATTERN... in link.conf)
# RUN: %lfld --dump=why -arch x86_64 -platform_version macos 11.0 11.0 -o %t/nods.out \
# RUN:   %t/m.o %t/b.o -L %libsystem -lSystem | FileCheck %s --check-prefix=NODS
# NODS: # not dead stripped: every symbol is kept (dead_strip = yes to strip)
## no dead-stripped list without -dead_strip
# RUN: %lfld --dump=map -arch x86_64 -platform_version macos 11.0 11.0 -o %t/nods2.out \
# RUN:   %t/m.o %t/b.o -L %libsystem -lSystem | FileCheck %s --check-prefix=NOLIST
# NOLIST-NOT: Dead Stripped

#--- m.s
	.section __TEXT,__text,regular,pure_instructions
	.globl _main
_main:
	pushq %rbp
	leaq L_.str(%rip), %rdi
	callq _puts
	callq _used
	callq _other2
	xorl %eax, %eax
	popq %rbp
	retq
	.globl _used
_used:
	leaq L_.str2(%rip), %rdi
	jmp _puts
	.globl _unused
_unused:
	leaq L_.dead(%rip), %rdi
	callq _puts
	retq
_localdead:
	retq
	.section __TEXT,__cstring,cstring_literals
L_.str:
	.asciz "hello\tworld"
L_.str2:
	.asciz "used"
L_.dead:
	.asciz "dead string"
	.section __DATA,__data
	.globl _deaddata
_deaddata:
	.quad 42
.subsections_via_symbols

#--- b.s
	.section __TEXT,__text,regular,pure_instructions
	.globl _other
_other:
	leaq L_.dead2(%rip), %rax
	retq
	.globl _other2
_other2:
	leaq L_.used2(%rip), %rax
	retq
	.section __TEXT,__cstring,cstring_literals
L_.used2:
	.asciz "used"
L_.dead2:
	.asciz "dead string"
.subsections_via_symbols

#--- a64.s
	.text
	.p2align 2
	.globl _main
_main:
	ret
	.globl _dead
_dead:
	bl _puts
	ret
	.data
	.p2align 2
	.globl _g
_g:	.long 3
.subsections_via_symbols

#--- nosub.s
	.text
	.globl _main
_main:
	callq _f
	retq
	.globl _f
_f:
	retq
_g:
	retq
