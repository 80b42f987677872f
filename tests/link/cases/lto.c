// Test: LLVM bitcode inputs (clang -flto) are compiled by libLTO into one
// object, linked with the native objects, x86_64 and arm64. As in
// ld64.lld (its own LTO, which links the same inputs to the same symbols):
// a static function is inlined away; of an executable's bitcode
// externals only those the native objects or the link need stay
// (_helper, which native.c calls, and _main): _unused_fn is internalized
// and dropped; a dylib keeps every external. -object_path_lto writes the
// object LTO made, and the program runs. Bitcode for the other
// architecture is refused, naming the file.

// RUN: rm -rf %t && split-file %s %t
// RUN: for a in x86_64 arm64; do \
// RUN:   clang -target $a-apple-macos11 -flto -O2 -c %t/main.c -o %t/main-$a.o && \
// RUN:   clang -target $a-apple-macos11 -flto -O2 -c %t/lib.c -o %t/lib-$a.o && \
// RUN:   clang -target $a-apple-macos11 -O2 -c %t/native.c -o %t/native-$a.o && \
// RUN:   %lfld -arch $a -platform_version macos 11.0 11.0 -lSystem %t/main-$a.o \
// RUN:     %t/native-$a.o %t/lib-$a.o -object_path_lto %t/lto-$a.o -o %t/lfld-$a && \
// RUN:   %lld -arch $a -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
// RUN:     %t/main-$a.o %t/native-$a.o %t/lib-$a.o -o %t/lld-$a || exit 1; \
// RUN:   %lfld -dylib -arch $a -platform_version macos 11.0 11.0 -lSystem \
// RUN:     %t/lib-$a.o -o %t/lfld-$a.dylib && \
// RUN:   %lld -dylib -arch $a -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
// RUN:     %t/lib-$a.o -o %t/lld-$a.dylib || exit 1; \
// RUN:   for l in lfld lld; do \
// RUN:     llvm-nm %t/$l-$a | FileCheck %s --check-prefix=NM || exit 1; \
// RUN:     llvm-nm %t/$l-$a.dylib | FileCheck %s --check-prefix=DYLIB || exit 1; \
// RUN:   done; \
// RUN:   llvm-objdump --macho --private-headers %t/lto-$a.o | FileCheck %s --check-prefix=OBJ || exit 1; \
// RUN: done
// RUN: %macho-run %t/lfld-x86_64 x y > %t/out.txt; test $? = 0
// RUN: FileCheck %s --check-prefix=OUT < %t/out.txt
// RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
// RUN:   %t/main-arm64.o -o %t/x 2>&1 | FileCheck %s --check-prefix=ARCH

// NM-NOT:  _square
// NM-NOT:  _unused_fn
// NM-DAG:  T _helper
// NM-DAG:  T _main
// NM-DAG:  T _native_twice
// NM-DAG:  U _printf
// NM-NOT:  _square
// NM-NOT:  _unused_fn

// DYLIB-DAG: T _helper
// DYLIB-DAG: T _unused_fn

// OBJ:     filetype
// OBJ-NEXT: MH_MAGIC_64 {{.*}} OBJECT

// OUT: lto 25 103 8

// ARCH: error: '{{.*}}main-arm64.o': LLVM bitcode for 'arm64-apple-macosx11.0.0', not x86_64

//--- main.c
int printf(const char *, ...);
int helper(int x);
int native_twice(int x);
static int square(int x) { return x * x; }
int main(int argc, char **argv) {
  (void)argv;
  printf("lto %d %d %d\n", square(argc + 2), helper(3), native_twice(4));
  return 0;
}

//--- lib.c
int helper(int x) { return x + 100; }
int unused_fn(int x) { return x * 7; }

//--- native.c
int helper(int x);
int native_twice(int x) { return helper(0) - 100 + 2 * x; }
