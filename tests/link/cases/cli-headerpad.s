## Test: -headerpad SIZE (hex, with or without 0x) leaves at least SIZE
## free bytes between the load commands and the first section, room for
## install_name_tool; -headerpad_max_install_names leaves 1024 (MAXPATHLEN)
## per dylib load command, or -headerpad's SIZE if that is more, as
## ld64.lld computes them (CMake passes -headerpad_max_install_names with
## every link). __text here is byte-aligned, so it starts exactly there,
## and ld64.lld agrees. Without either option nothing changes: __text
## follows the load commands (ld64.lld's default pad is 0x20; ours stays
## 0, the bytes of every existing link), and -headerpad 0 is the same
## output. A bad SIZE is refused, naming it.

# RUN: rm -rf %t && mkdir -p %t/zero
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %s -o %t/a.o
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-macos11 %s -o %t/arm.o
# RUN: %lfld -arch x86_64 -lSystem -o %t/plain.out %t/a.o
# RUN: llvm-objdump --macho --all-headers %t/plain.out | FileCheck %s --check-prefix=PAD0
# RUN: %lfld -arch x86_64 -lSystem -headerpad 0 -o %t/zero/plain.out %t/a.o
# RUN: cmp %t/plain.out %t/zero/plain.out
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -headerpad 0 -o %t/lld0.out %t/a.o
# RUN: llvm-objdump --macho --all-headers %t/lld0.out | FileCheck %s --check-prefix=PAD0
# PAD0:      magic        {{.+}}  ncmds  sizeofcmds         flags
# PAD0-NEXT: MH_MAGIC_64  {{.+}}  [[#]]  [[#%u, CMDSIZE:]]  {{.*}}
# PAD0:      sectname __text
# PAD0-NEXT: segname __TEXT
# PAD0-NEXT: addr
# PAD0-NEXT: size
# PAD0-NEXT: offset [[#%u, CMDSIZE + 0x20]]

# RUN: %lfld -arch x86_64 -lSystem -headerpad 0x100 -o %t/p100.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -headerpad 0x100 -o %t/lld100.out %t/a.o
# RUN: %lfld -arch arm64 -lSystem -headerpad 100 -o %t/arm100.out %t/arm.o
# RUN: %lld -arch arm64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -headerpad 100 -o %t/armlld100.out %t/arm.o
# RUN: llvm-objdump --macho --all-headers %t/p100.out | FileCheck %s --check-prefix=PAD100
# RUN: llvm-objdump --macho --all-headers %t/lld100.out | FileCheck %s --check-prefix=PAD100
# RUN: llvm-objdump --macho --all-headers %t/arm100.out | FileCheck %s --check-prefix=PAD100
# RUN: llvm-objdump --macho --all-headers %t/armlld100.out | FileCheck %s --check-prefix=PAD100
# PAD100:      magic        {{.+}}  ncmds  sizeofcmds         flags
# PAD100-NEXT: MH_MAGIC_64  {{.+}}  [[#]]  [[#%u, CMDSIZE:]]  {{.*}}
# PAD100:      sectname __text
# PAD100-NEXT: segname __TEXT
# PAD100-NEXT: addr
# PAD100-NEXT: size
# PAD100-NEXT: offset [[#%u, CMDSIZE + 0x20 + 0x100]]

# RUN: %lfld -arch x86_64 -lSystem -headerpad 11 -o %t/p11.out %t/a.o
# RUN: llvm-objdump --macho --all-headers %t/p11.out | FileCheck %s --check-prefix=PAD11
# RUN: %lfld -arch x86_64 -lSystem -headerpad 0X11 -o %t/p11x.out %t/a.o
# RUN: llvm-objdump --macho --all-headers %t/p11x.out | FileCheck %s --check-prefix=PAD11
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -headerpad 0x11 -o %t/lld11.out %t/a.o
# RUN: llvm-objdump --macho --all-headers %t/lld11.out | FileCheck %s --check-prefix=PAD11
# PAD11:      magic        {{.+}}  ncmds  sizeofcmds         flags
# PAD11-NEXT: MH_MAGIC_64  {{.+}}  [[#]]  [[#%u, CMDSIZE:]]  {{.*}}
# PAD11:      sectname __text
# PAD11-NEXT: segname __TEXT
# PAD11-NEXT: addr
# PAD11-NEXT: size
# PAD11-NEXT: offset [[#%u, CMDSIZE + 0x20 + 0x11]]

## one dylib (libSystem): 0x400
# RUN: %lfld -arch x86_64 -lSystem -headerpad_max_install_names -o %t/max.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -headerpad_max_install_names -o %t/lldmax.out %t/a.o
# RUN: llvm-objdump --macho --all-headers %t/max.out | FileCheck %s --check-prefix=PADMAX
# RUN: llvm-objdump --macho --all-headers %t/lldmax.out | FileCheck %s --check-prefix=PADMAX
# PADMAX:      magic        {{.+}}  ncmds  sizeofcmds         flags
# PADMAX-NEXT: MH_MAGIC_64  {{.+}}  [[#]]  [[#%u, CMDSIZE:]]  {{.*}}
# PADMAX:      sectname __text
# PADMAX-NEXT: segname __TEXT
# PADMAX-NEXT: addr
# PADMAX-NEXT: size
# PADMAX-NEXT: offset [[#%u, CMDSIZE + 0x20 + 0x400]]
# PADMAX:      cmd LC_LOAD_DYLIB
# PADMAX-NOT:  cmd LC_LOAD_DYLIB

# RUN: %lfld -arch x86_64 -lSystem -headerpad_max_install_names -headerpad 0x1001 \
# RUN:   -o %t/ovr.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -headerpad_max_install_names -headerpad 0x1001 -o %t/lldovr.out %t/a.o
# RUN: llvm-objdump --macho --all-headers %t/ovr.out | FileCheck %s --check-prefix=PADOVR
# RUN: llvm-objdump --macho --all-headers %t/lldovr.out | FileCheck %s --check-prefix=PADOVR
# PADOVR:      magic        {{.+}}  ncmds  sizeofcmds         flags
# PADOVR-NEXT: MH_MAGIC_64  {{.+}}  [[#]]  [[#%u, CMDSIZE:]]  {{.*}}
# PADOVR:      sectname __text
# PADOVR-NEXT: segname __TEXT
# PADOVR-NEXT: addr
# PADOVR-NEXT: size
# PADOVR-NEXT: offset [[#%u, CMDSIZE + 0x20 + 0x1001]]

# RUN: not %lfld -arch x86_64 -headerpad zz %t/a.o 2>&1 | FileCheck %s --check-prefix=BAD
# RUN: not %lfld -arch x86_64 -headerpad 0x %t/a.o 2>&1 | FileCheck %s --check-prefix=BAD0X
# RUN: not %lfld -arch x86_64 -headerpad -1 %t/a.o 2>&1 | FileCheck %s --check-prefix=BADNEG
# RUN: not %lfld -arch x86_64 -headerpad 0x10000001 %t/a.o 2>&1 | FileCheck %s --check-prefix=BIG
# RUN: not %lfld -arch x86_64 %t/a.o -headerpad 2>&1 | FileCheck %s --check-prefix=MISSING
# BAD: linkfs-ld: error: -headerpad wants a hex size of at most 0x10000000, not 'zz'
# BAD0X: linkfs-ld: error: -headerpad wants a hex size of at most 0x10000000, not '0x'
# BADNEG: linkfs-ld: error: -headerpad wants a hex size of at most 0x10000000, not '-1'
# BIG: linkfs-ld: error: -headerpad wants a hex size of at most 0x10000000, not '0x10000001'
# MISSING: linkfs-ld: error: missing argument to '-headerpad'

	.text
	.globl _main
_main:
	ret
