#!/bin/sh
# fs-cmake: CMake and make, unmodified, with the build directory inside
# the mount (issue 24; docs/usage.md, "Using linkfs with CMake and Make").
# A project with sources in subdirectories and a static library, a
# toolchain file for the Darwin target (clang-19 -target
# x86_64-apple-macos11, -fuse-ld=linkfs-ld, no SDK), and in the build
# directory a link.conf collecting the target's objects:
#   - configure (CMake's compiler checks and try-compiles, in the mount:
#     its scratch directories are gone afterwards) and build;
#   - the mount's build/a.out is byte for byte CMake's own `app` (linked
#     by clang through linkfs-ld) and linkfs-ld's link of the same files
#     in the same order, and runs under macho-run;
#   - CMakeFiles/third.dir/lib (the library's object) is no unit;
#   - one source changed: make rebuilds one object, build/a.out follows;
#   - make clean, then a rebuild: the same bytes again;
#   - the same with the Ninja generator (where ninja is installed);
#   - rm -rf of the build directories in one pass.
# Needs LINKFS, LINKFS_LD and MACHO_RUN (env); skips without cmake.
. "$(dirname "$0")/lib.sh"
MACHO_RUN=${MACHO_RUN:-}
have_clang || skip "clang-19 is missing"
command -v cmake >/dev/null 2>&1 || skip "cmake is missing"
command -v make >/dev/null 2>&1 || skip "make is missing"
[ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ] || skip "LINKFS_LD is not set"
[ -n "$MACHO_RUN" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
LLVM=$(dirname "$CLANG")

S=$T/src
mkdir -p "$S/src/util" "$S/lib" || fail "mkdir"
cat > "$S/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(hello C)
add_library(third STATIC lib/third.c)
add_executable(app src/main.c src/util/twice.c)
target_link_libraries(app third)
EOF
cat > "$S/src/main.c" <<'EOF'
int printf(const char *, ...);
int twice(int);
int third(void);
int main(void) { printf("%d %d\n", twice(21), third()); return 0; }
EOF
echo 'int twice(int x) { return 2 * x; }' > "$S/src/util/twice.c"
echo 'int third(void) { return 3; }' > "$S/lib/third.c"
cat > "$T/darwin.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $CLANG)
set(CMAKE_C_COMPILER_TARGET x86_64-apple-macos11)
set(CMAKE_AR $LLVM/llvm-ar)
set(CMAKE_RANLIB $LLVM/llvm-ranlib)
set(CMAKE_C_FLAGS_INIT "-nostdinc")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=$LINKFS_LD")
EOF

mount_fs
B=$MNT/build
mkdir "$B" || fail "mkdir build"
# CMake links with -headerpad_max_install_names: the mount's link too
printf 'inputs = CMakeFiles/app.dir/**/*.o libthird.a\nheaderpad_max_install_names = yes\n' \
	> "$B/link.conf" || fail "link.conf"

cmake -S "$S" -B "$B" -DCMAKE_TOOLCHAIN_FILE="$T/darwin.cmake" > "$T/cfg.log" 2>&1 ||
	{ cat "$T/cfg.log" >&2; fail "cmake configure in the mount"; }
[ -z "$(ls "$B/CMakeFiles/CMakeScratch" 2>/dev/null)" ] ||
	fail "try-compile directories left: $(ls "$B/CMakeFiles/CMakeScratch")"
grep -q "linkfs-ld" "$B/CMakeFiles/CMakeOutput.log" ||
	fail "CMake's ABI check did not link through linkfs-ld"
ok "configure in the mount (compiler checks linked by linkfs-ld, try-compiles removed)"

# check WHEN WANT: build/a.out is CMake's app and linkfs-ld's link, runs
check() {
	cmp "$B/a.out" "$B/app" || fail "$1: build/a.out differs from CMake's app: $(cat "$B/link.log")"
	( cd "$B" && "$LINKFS_LD" -headerpad_max_install_names -o "$T/cli.out" \
		CMakeFiles/app.dir/src/main.c.o CMakeFiles/app.dir/src/util/twice.c.o \
		libthird.a ) || fail "$1: linkfs-ld"
	cmp "$B/a.out" "$T/cli.out" || fail "$1: build/a.out differs from linkfs-ld's link"
	cp "$B/a.out" "$T/run.out" || fail "$1: copy"
	out=$("$MACHO_RUN" "$T/run.out" 2>&1) || fail "$1: build/a.out failed under macho-run: $out"
	[ "$out" = "$2" ] || fail "$1: build/a.out printed '$out', want '$2'"
	out=$("$MACHO_RUN" "$B/app" 2>&1) || fail "$1: app failed under macho-run: $out"
	[ "$out" = "$2" ] || fail "$1: app printed '$out', want '$2'"
}

make -C "$B" > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "make"; }
check build "42 3"
cp "$B/a.out" "$T/first.out"
ls "$B/CMakeFiles/third.dir/lib" | grep -qx a.out && fail "the library's object directory is a unit"
ok "build: build/a.out = CMake's app = linkfs-ld's link, runs; the library's objects make no unit"

echo 'int twice(int x) { return 2 * x + 1; }' > "$S/src/util/twice.c"
make -C "$B" > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "make after a change"; }
n=$(grep -c "Building C object" "$T/build.log")
[ "$n" = 1 ] || fail "a change of one source rebuilt $n objects"
check rebuild "43 3"
make -C "$B" > "$T/build.log" 2>&1 || fail "make when up to date"
grep -q "Linking" "$T/build.log" && fail "make relinked with nothing changed"
ok "one source changed: one object rebuilt, build/a.out follows"

make -C "$B" clean > "$T/clean.log" 2>&1 || { cat "$T/clean.log" >&2; fail "make clean"; }
[ -e "$B/app" ] && fail "make clean left app"
[ -e "$B/CMakeFiles/app.dir/src/main.c.o" ] && fail "make clean left main.c.o"
cat "$B/a.out" > /dev/null 2>&1 && fail "build/a.out links with no objects"
echo 'int twice(int x) { return 2 * x; }' > "$S/src/util/twice.c"
make -C "$B" > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "make after clean"; }
check "after clean" "42 3"
cmp "$B/a.out" "$T/first.out" || fail "the rebuild after clean differs from the first build"
ok "make clean, rebuild: the first build's bytes again"

# the Ninja generator, where ninja is installed: build, clean, build
if command -v ninja >/dev/null 2>&1; then
	N=$MNT/build-ninja
	mkdir "$N" && cp "$B/link.conf" "$N/" || fail "build-ninja"
	cmake -G Ninja -S "$S" -B "$N" -DCMAKE_TOOLCHAIN_FILE="$T/darwin.cmake" \
		> "$T/cfg.log" 2>&1 || { cat "$T/cfg.log" >&2; fail "cmake -G Ninja"; }
	ninja -C "$N" > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "ninja"; }
	cmp "$N/a.out" "$N/app" || fail "ninja: build-ninja/a.out differs from CMake's app"
	cmp "$N/a.out" "$T/first.out" || fail "ninja: build-ninja/a.out differs from make's"
	ninja -C "$N" clean > /dev/null 2>&1 || fail "ninja clean"
	ninja -C "$N" > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "ninja after clean"; }
	cmp "$N/a.out" "$N/app" || fail "ninja: after clean, build-ninja/a.out differs from CMake's app"
	ok "cmake -G Ninja: build, clean, build: a.out = CMake's app"
fi

cd "$T" || fail "cd"
rm -rf "$B" "$MNT/build-ninja" || fail "rm -rf build"
[ -z "$(ls "$MNT")" ] || fail "left after rm -rf: $(ls "$MNT")"
ok "rm -rf of the build directories in one pass"
