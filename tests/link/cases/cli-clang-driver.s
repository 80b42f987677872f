## Test: what clang 19 passes to the linker for a macOS target is either
## handled or refused with a message naming it, never read as something
## else. Without -mlinker-version clang passes -dynamic -arch
## -macosx_version_min -mllvm ARG -o -L... -lSystem; with
## -mlinker-version=800 also -demangle -lto_library PATH -no_deduplicate
## -platform_version; with -flto, when it compiles, -object_path_lto PATH.
## The links clang drives must succeed and give the bytes of the plain
## link with the same options; -Wl,-v prints the version and links, and
## -Wl,-headerpad_max_install_names (CMake's) is taken. A bitcode object
## (clang -flto) is linked through libLTO, with the -lto_library clang
## passes (a path Debian does not have: llvm-19's libLTO instead) and
## -object_path_lto writing the object; the program runs.

# RUN: rm -rf %t && mkdir -p %t/d %t/v %t/p %t/l
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos13 %s -o %t/a.o
# RUN: clang -### -target x86_64-apple-macos13 -fuse-ld=%lfld %t/a.o -o %t/x 2>&1 \
# RUN:   | FileCheck --check-prefix=ARGS %s
# ARGS: linkfs-ld" "-dynamic" "-arch" "x86_64" "-macosx_version_min" "13.0.0" "-mllvm" "{{[^"]+}}" "-o"
# RUN: echo 'int main(void) { return 0; }' > %t/m.c
# RUN: clang -### -target x86_64-apple-macos13 -mlinker-version=800 -flto \
# RUN:   -fuse-ld=%lfld %t/m.c -o %t/x 2>&1 | FileCheck --check-prefix=ARGS800 %s
# ARGS800: linkfs-ld" "-demangle" "-object_path_lto" "{{[^"]+}}" "-lto_library" "{{[^"]+}}" "-no_deduplicate" "-dynamic" "-arch" "x86_64" "-platform_version" "macos" "13.0.0" "13.0.0" "-mllvm" "{{[^"]+}}" "-o"

# RUN: %lfld -arch x86_64 -platform_version macos 13.0 13.0 -lSystem -o %t/plain %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 13.0 13.0 -lSystem \
# RUN:   -headerpad_max_install_names -o %t/l/plain %t/a.o
# RUN: clang -target x86_64-apple-macos13 -fuse-ld=%lfld %t/a.o -o %t/d/plain
# RUN: clang -target x86_64-apple-macos13 -fuse-ld=%lfld -mlinker-version=800 \
# RUN:   %t/a.o -o %t/v/plain
# RUN: clang -target x86_64-apple-macos13 -fuse-ld=%lfld -mlinker-version=800 -flto \
# RUN:   -Wl,-object_path_lto,%t/lto.o %t/a.o -o %t/p/plain
# RUN: clang -target x86_64-apple-macos13 -fuse-ld=%lfld -mlinker-version=800 \
# RUN:   -Wl,-headerpad_max_install_names -Wl,-v %t/a.o -o %t/l/clang 2> %t/verr
# RUN: FileCheck --check-prefix=VERSION %s < %t/verr
# VERSION: linkfs-ld {{[0-9.]+}} (Mach-O linker
# RUN: cmp %t/plain %t/d/plain
# RUN: cmp %t/plain %t/v/plain
# RUN: cmp %t/plain %t/p/plain
# RUN: cmp %t/l/plain %t/l/clang
# RUN: not cmp -s %t/plain %t/l/plain
# RUN: test ! -e %t/lto.o

# RUN: echo 'int main(void) { return 7; }' > %t/seven.c
# RUN: clang -target x86_64-apple-macos13 -flto -c %t/seven.c -o %t/bitcode.o
# RUN: clang -target x86_64-apple-macos13 -fuse-ld=%lfld -mlinker-version=800 -flto \
# RUN:   -Wl,-object_path_lto,%t/bc-lto.o %t/bitcode.o -o %t/bc
# RUN: llvm-objdump --macho --private-headers %t/bc-lto.o | FileCheck --check-prefix=BITCODE %s
# BITCODE: MH_MAGIC_64 X86_64 {{.*}} OBJECT
# RUN: %macho-run %t/bc; test $? = 7

	.globl _main
_main:
	retq
