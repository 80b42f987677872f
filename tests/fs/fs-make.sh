#!/bin/sh
# fs-make: a plain Makefile, unmodified, building inside the mount (issue
# 24; docs/usage.md, "Using linkfs with CMake and Make"). Objects go to
# the build directory, a library's object to build/lib (archived into
# build/libthird.a); no link.conf:
#   - make -j2: the build directory is a unit (main.o defines _main),
#     build/lib is none (no _main); build/a.out is byte for byte
#     linkfs-ld's link of the directory's inputs in name order, and runs
#     under macho-run, as does make's own `app` (clang -fuse-ld=linkfs-ld);
#   - one source changed: make rebuilds one object and relinks app,
#     a.out follows; a second make has nothing to do (the mount's times
#     are stable);
#   - make clean: no object left, so no a.out; make: the first bytes again.
# Needs LINKFS, LINKFS_LD and MACHO_RUN (env); skips without make.
. "$(dirname "$0")/lib.sh"
MACHO_RUN=${MACHO_RUN:-}
have_clang || skip "clang-19 is missing"
command -v make >/dev/null 2>&1 || skip "make is missing"
[ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ] || skip "LINKFS_LD is not set"
[ -n "$MACHO_RUN" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
LLVM=$(dirname "$CLANG")

S=$T/src
mkdir -p "$S" || fail "mkdir"
cat > "$S/main.c" <<'EOF'
int printf(const char *, ...);
int twice(int);
int third(void);
int main(void) { printf("%d %d\n", twice(21), third()); return 0; }
EOF
echo 'int twice(int x) { return 2 * x; }' > "$S/util.c"
echo 'int third(void) { return 3; }' > "$S/third.c"
cat > "$S/Makefile" <<'EOF'
CC = $(LLVM)/clang
AR = $(LLVM)/llvm-ar
CFLAGS = -target x86_64-apple-macos11 -nostdinc
LDFLAGS = -fuse-ld=$(LINKFS_LD)
OBJS = main.o util.o

app: $(OBJS) libthird.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) libthird.a
%.o: $(SRC)/%.c
	$(CC) $(CFLAGS) -c -o $@ $<
lib/third.o: $(SRC)/third.c
	mkdir -p lib
	$(CC) $(CFLAGS) -c -o $@ $<
libthird.a: lib/third.o
	rm -f $@
	$(AR) rc $@ lib/third.o
clean:
	rm -f app $(OBJS) lib/third.o libthird.a
EOF

mount_fs
B=$MNT/build
mkdir "$B" || fail "mkdir build"
M="make -C $B -f $S/Makefile SRC=$S LLVM=$LLVM LINKFS_LD=$LINKFS_LD"

# check WHEN WANT: build/a.out is linkfs-ld's link of the same inputs in
# name order; it and app run
check() {
	( cd "$B" && "$LINKFS_LD" -o "$T/cli.out" libthird.a main.o util.o ) ||
		fail "$1: linkfs-ld"
	cmp "$B/a.out" "$T/cli.out" || fail "$1: build/a.out differs from linkfs-ld's link: $(cat "$B/link.log")"
	cp "$B/a.out" "$T/run.out" || fail "$1: copy"
	for x in "$T/run.out" "$B/app"; do
		out=$("$MACHO_RUN" "$x" 2>&1) || fail "$1: $x failed under macho-run: $out"
		[ "$out" = "$2" ] || fail "$1: $x printed '$out', want '$2'"
	done
}

$M -j2 > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "make"; }
check build "42 3"
cp "$B/a.out" "$T/first.out"
ls "$B/lib" | grep -qx a.out && fail "build/lib (no _main) is a unit"
ok "make -j2: build/a.out = linkfs-ld's link, runs, as app does; build/lib is no unit"

sleep 0.01   # a newer source than the objects, for make
echo 'int twice(int x) { return 2 * x + 1; }' > "$S/util.c"
$M > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "make after a change"; }
n=$(grep -c -- " -c -o " "$T/build.log")
[ "$n" = 1 ] || fail "a change of one source rebuilt $n objects: $(cat "$T/build.log")"
check rebuild "43 3"
$M > "$T/build.log" 2>&1 || fail "make when up to date"
grep -q "is up to date" "$T/build.log" || fail "make did work with nothing changed: $(cat "$T/build.log")"
ok "one source changed: one object rebuilt, a.out follows; then nothing to do"

$M clean > "$T/clean.log" 2>&1 || { cat "$T/clean.log" >&2; fail "make clean"; }
[ -n "$(ls "$B" | grep -v '^lib$')" ] && fail "left after make clean: $(ls "$B")"
echo 'int twice(int x) { return 2 * x; }' > "$S/util.c"
$M > "$T/build.log" 2>&1 || { cat "$T/build.log" >&2; fail "make after clean"; }
check "after clean" "42 3"
cmp "$B/a.out" "$T/first.out" || fail "the rebuild after clean differs from the first build"
ok "make clean leaves no synthetic file; rebuild: the first bytes again"
