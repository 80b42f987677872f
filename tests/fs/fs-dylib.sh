#!/bin/sh
# fs-dylib: a dylib unit and a program unit that links against it
# (docs/usage.md, "A dylib unit and a program that links against it";
# issue 23).
#   - link.conf `kind = dylib`, `output`, `install_name` and the versions
#     make the unit's output an MH_DYLIB byte for byte as linkfs-ld
#     -dylib's; `libs = ../foo/libfoo.dylib` links the other unit's
#     output (linking it first when stale) and `rpath` adds the LC_RPATH:
#     the program is linkfs-ld's of the same files and runs under
#     macho-run with its dylib found through @rpath;
#   - `kind = bundle` is linkfs-ld -bundle's;
#   - a change in the library unit relinks the program on its next read
#     (its mtime moves; the run prints the new value);
#   - `libs` may name a stored file (a .dylib copied in), whose change
#     relinks too;
#   - a missing lib fails the link and link.log names it (an absolute
#     path is a bad value); two units whose libs need each other fail
#     with a "cycle" line, not a hang, also when read at once.
# Needs LINKFS, LINKFS_LD and MACHO_RUN (env).
. "$(dirname "$0")/lib.sh"
MACHO_RUN=${MACHO_RUN:-}
have_clang || skip "clang-19 is missing"
[ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ] || skip "LINKFS_LD is not set"
[ -n "$MACHO_RUN" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
mount_fs
cd "$MNT" || fail "cd"

cat > "$T/main.c" <<'C'
int printf(const char *, ...);
int foo(void);
int main(void) { printf("%d\n", foo()); return 0; }
C
printf 'int foo(void) { return 41; }\n' > "$T/foo1.c"
printf 'int foo(void) { return 7; }\n' > "$T/foo2.c"
printf 'int a(void) { return 1; }\n' > "$T/a.c"
for f in main foo1 foo2 a; do cc_macho "$T/$f.c" "$T/$f.o" || fail "clang $f.c"; done

# cli NAME FOO_O: linkfs-ld's libfoo.dylib of FOO_O and a.out against it,
# in $T/NAME/{foo,prog}
cli() {
	mkdir -p "$T/$1/foo" "$T/$1/prog" &&
	cp "$2" "$T/$1/foo/foo.o" && cp "$T/main.o" "$T/$1/prog/main.o" || fail "cli $1"
	( cd "$T/$1/foo" && "$LINKFS_LD" -dylib -install_name @rpath/libfoo.dylib \
		-current_version 1.2.3 -compatibility_version 1.0 foo.o \
		-o libfoo.dylib ) || fail "linkfs-ld -dylib ($1)"
	( cd "$T/$1/prog" && "$LINKFS_LD" main.o ../foo/libfoo.dylib \
		-rpath @executable_path/../foo -o a.out ) || fail "linkfs-ld a.out ($1)"
}
cli cli1 "$T/foo1.o"
cli cli2 "$T/foo2.o"
"$MACHO_RUN" "$T/cli1/prog/a.out" | grep -qx 41 || fail "linkfs-ld's program does not print 41"

# runs WANT: the mount's foo/libfoo.dylib and prog/a.out, copied out as
# they lie, run and print WANT
runs() {
	rm -rf "$T/run" && mkdir -p "$T/run/foo" "$T/run/prog" || fail "mkdir run"
	cp foo/libfoo.dylib "$T/run/foo/" || fail "foo/libfoo.dylib: $(cat foo/link.log)"
	cp prog/a.out "$T/run/prog/" || fail "prog/a.out: $(cat prog/link.log)"
	out=$("$MACHO_RUN" "$T/run/prog/a.out" 2>&1) || fail "prog/a.out under macho-run: $out"
	[ "$out" = "$1" ] || fail "prog/a.out printed '$out', want '$1'"
}
mtime_ns() { python3 -c 'import os,sys; print(os.stat(sys.argv[1]).st_mtime_ns)' "$1"; }

mkdir foo prog || fail "mkdir"
cp "$T/foo1.o" foo/foo.o || fail "cp foo"
printf 'kind = dylib\noutput = libfoo.dylib\ninstall_name = @rpath/libfoo.dylib\ncurrent_version = 1.2.3\ncompatibility_version = 1.0\n' \
	> foo/link.conf || fail "foo/link.conf"
cp "$T/main.o" prog/main.o || fail "cp prog"
printf 'libs = ../foo/libfoo.dylib\nrpath = @executable_path/../foo\n' > prog/link.conf ||
	fail "prog/link.conf"

# the program first: its read links the library unit too
cmp -s prog/a.out "$T/cli1/prog/a.out" ||
	fail "prog/a.out is not linkfs-ld's: $(cat prog/link.log)"
ls foo | grep -qx libfoo.dylib || fail "foo lists no libfoo.dylib: $(ls foo)"
cmp -s foo/libfoo.dylib "$T/cli1/foo/libfoo.dylib" ||
	fail "foo/libfoo.dylib is not linkfs-ld -dylib's: $(cat foo/link.log)"
for l in "option kind = dylib (link.conf:1)" \
	 "option install_name = @rpath/libfoo.dylib (link.conf:3)" \
	 "option current_version = 1.2.3 (link.conf:4)" \
	 "option compatibility_version = 1.0 (link.conf:5)" \
	 "option libs = none (default)"; do
	grep -qxF "$l" foo/link.log || fail "foo/link.log has no '$l': $(cat foo/link.log)"
done
grep -qxF "option libs = ../foo/libfoo.dylib (link.conf:1)" prog/link.log &&
grep -qxF "option rpath = @executable_path/../foo (link.conf:2)" prog/link.log ||
	fail "prog/link.log: $(cat prog/link.log)"
[ -z "$(link_errors prog/link.log)" ] || fail "prog/link.log: $(link_errors prog/link.log)"
runs 41
ok "a dylib unit and a program unit that links it: linkfs-ld's bytes, runs with @rpath"

before=$(mtime_ns prog/a.out)
links=$(status links)
sleep 0.05
cp "$T/foo2.o" foo/foo.o || fail "cp foo2"
cmp -s prog/a.out "$T/cli2/prog/a.out" || fail "prog/a.out after the change is not linkfs-ld's"
after=$(mtime_ns prog/a.out)
[ "$after" -gt "$before" ] || fail "prog/a.out's mtime did not move ($before, $after)"
[ "$(status links)" -ge $((links + 2)) ] ||
	fail "links went from $links to $(status links), want both units relinked"
cmp -s foo/libfoo.dylib "$T/cli2/foo/libfoo.dylib" || fail "foo/libfoo.dylib after the change"
runs 7
links=$(status links)
cat prog/a.out > /dev/null && [ "$(status links)" = "$links" ] ||
	fail "a second read relinked ($links, $(status links))"
ok "a change in the library unit relinks the program on its next read"

mkdir bundle && cp "$T/foo1.o" bundle/foo.o && printf 'kind = bundle\n' > bundle/link.conf ||
	fail "bundle"
( cd "$T/cli1/foo" && "$LINKFS_LD" -bundle foo.o -o a.out ) || fail "linkfs-ld -bundle"
cmp -s bundle/a.out "$T/cli1/foo/a.out" || fail "bundle/a.out is not linkfs-ld -bundle's: $(cat bundle/link.log)"
ok "kind = bundle: linkfs-ld -bundle's bytes, named a.out"

mkdir stored || fail "mkdir stored"
cp "$T/main.o" stored/main.o && cp "$T/cli1/foo/libfoo.dylib" stored/libfoo.dylib &&
	printf 'libs = libfoo.dylib\nrpath = @executable_path/../foo\n' > stored/link.conf ||
	fail "stored"
cmp -s stored/a.out "$T/cli1/prog/a.out" || fail "stored/a.out: $(cat stored/link.log)"
before=$(mtime_ns stored/a.out)
sleep 0.05
cp "$T/cli2/foo/libfoo.dylib" stored/libfoo.dylib || fail "cp stored"
[ "$(mtime_ns stored/a.out)" -gt "$before" ] || fail "a new stored lib did not relink"
ok "libs may name a stored .dylib; writing it relinks"

mkdir bad || fail "mkdir bad"
cp "$T/main.o" bad/main.o && printf 'libs = ../foo/libfoo.dylib ../nope/libx.dylib\n' > bad/link.conf ||
	fail "bad"
cat bad/a.out > /dev/null 2>"$T/err" && fail "bad/a.out links without its lib"
grep -q "Input/output error" "$T/err" || fail "bad/a.out: '$(cat "$T/err")', want EIO"
grep -qxF "error: link.conf: libs '../nope/libx.dylib': no such file in the mount" bad/link.log ||
	fail "bad/link.log does not name the missing lib: $(cat bad/link.log)"
mkdir nope && cp "$T/cli1/foo/libfoo.dylib" nope/libx.dylib || fail "nope"
cat bad/a.out > /dev/null || fail "bad/a.out once its lib is there: $(cat bad/link.log)"
printf 'libs = /abs/libx.dylib\n' > bad/link.conf || fail "bad abs"
cat bad/a.out > /dev/null 2>&1 && fail "an absolute libs path links"
grep -qxF "error: link.conf:1: bad value '/abs/libx.dylib' for 'libs'" bad/link.log ||
	fail "bad/link.log for an absolute path: $(cat bad/link.log)"
ok "a missing lib fails the link, link.log names it, then links; an absolute path is refused"

mkdir -p cyc/a cyc/b || fail "mkdir cyc"
cp "$T/a.o" cyc/a/a.o && cp "$T/foo1.o" cyc/b/b.o || fail "cp cyc"
printf 'kind = dylib\noutput = liba.dylib\nlibs = ../b/libb.dylib\n' > cyc/a/link.conf &&
	printf 'kind = dylib\noutput = libb.dylib\nlibs = ../a/liba.dylib\n' > cyc/b/link.conf ||
	fail "cyc link.conf"
timeout 20 cat cyc/a/liba.dylib > /dev/null 2>"$T/err" && fail "a cycle links"
grep -q "Input/output error" "$T/err" || fail "cyc/a/liba.dylib: '$(cat "$T/err")', want EIO"
for u in a:b b:a; do
	# the unit that found the cycle, and those above it, say so; a
	# reader on another thread may find the other's result made
	grep -F "error: link.conf: libs '../${u#*:}/lib${u#*:}.dylib'" "cyc/${u%:*}/link.log" |
		grep -q "is in a cycle" ||
		fail "cyc/${u%:*}/link.log: $(cat "cyc/${u%:*}/link.log")"
done
# both at once, from two readers: each fails, neither waits for the other
mkdir -p cyc2/a cyc2/b && cp cyc/a/a.o cyc2/a/ && cp cyc/b/b.o cyc2/b/ &&
	cp cyc/a/link.conf cyc2/a/ && cp cyc/b/link.conf cyc2/b/ || fail "cyc2"
timeout 20 cat cyc2/a/liba.dylib > /dev/null 2>"$T/err1" & p1=$!
timeout 20 cat cyc2/b/libb.dylib > /dev/null 2>"$T/err2" & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $r1 = 1 ] && [ $r2 = 1 ] || fail "two readers of a cycle: exit $r1 and $r2, want 1 (124: a hang)"
grep -q "cycle" cyc2/a/link.log && grep -q "cycle" cyc2/b/link.log ||
	fail "cyc2: $(cat cyc2/a/link.log cyc2/b/link.log)"
printf 'kind = dylib\noutput = libb.dylib\n' > cyc/b/link.conf || fail "cyc/b"
timeout 20 cat cyc/a/liba.dylib > /dev/null || fail "cyc/a once the cycle is broken: $(cat cyc/a/link.log)"
ok "a cycle of libs fails each unit with a 'cycle' line, and links once broken"
