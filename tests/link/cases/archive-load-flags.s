## Test: -all_load, -force_load PATH and -ObjC. Without them an archive
## member is loaded only when it defines an undefined symbol. -force_load
## loads every member of that archive; -all_load every member of every
## archive (here two members define _m2: a duplicate, as lld says);
## -ObjC the members that define an Objective-C class or hold a category
## list. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: for f in main m1 m2 cat cls; do \
# RUN:   llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/$f.s -o %t/$f.o || exit 1; done
# RUN: rm -f %t/lib1.a %t/libobjc.a
# RUN: llvm-ar rcs %t/lib1.a %t/m1.o %t/m2.o
# RUN: llvm-ar rcs %t/libobjc.a %t/cat.o %t/cls.o %t/m2.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/none.out %t/main.o %t/lib1.a %t/libobjc.a
# RUN: llvm-nm %t/none.out | FileCheck %s --check-prefix=NONE
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -force_load %t/lib1.a -o %t/force.out %t/main.o %t/libobjc.a
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -force_load %t/lib1.a -o %t/lld-force.out %t/main.o %t/libobjc.a
# RUN: llvm-nm %t/force.out | FileCheck %s --check-prefix=FORCE
# RUN: llvm-nm %t/lld-force.out | FileCheck %s --check-prefix=FORCE
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -ObjC \
# RUN:   -o %t/objc.out %t/main.o %t/lib1.a %t/libobjc.a
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem -ObjC \
# RUN:   -o %t/lld-objc.out %t/main.o %t/lib1.a %t/libobjc.a
# RUN: llvm-nm %t/objc.out | FileCheck %s --check-prefix=OBJC
# RUN: llvm-nm %t/lld-objc.out | FileCheck %s --check-prefix=OBJC
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem -all_load \
# RUN:   -o %t/all.out %t/main.o %t/lib1.a %t/libobjc.a 2>&1 | FileCheck %s --check-prefix=ALL

# NONE-NOT: _m1
# NONE-NOT: _cat
# FORCE: T _m1
# FORCE: T _m2
# FORCE-NOT: _cat
# OBJC: D _OBJC_CLASS_$_Foo
# OBJC: T _cat
# OBJC-NOT: _m1
# ALL: error: duplicate symbol _m2: defined in {{.*}}lib1.a(m2.o) and {{.*}}libobjc.a(m2.o)

#--- main.s
.text
.globl _main
_main:
  retq

#--- m1.s
.text
.globl _m1
_m1:
  retq

#--- m2.s
.text
.globl _m2
_m2:
  retq

#--- cat.s
.section __DATA,__objc_catlist,regular,no_dead_strip
.quad 0
.text
.globl _cat
_cat:
  retq

#--- cls.s
.data
.globl _OBJC_CLASS_$_Foo
_OBJC_CLASS_$_Foo:
.quad 0
