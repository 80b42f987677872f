#!/bin/sh
# fs-units: which directories are link units, and link.conf's `inputs`
# (docs/usage.md, "Use" and "link.conf"; issue 24).
#   - a directory of objects none of which defines _main (a library's) is
#     no unit: no synthetic file, `cat a.out` ENOENT; with main.o it is,
#     zero-config; with a link.conf it is, whatever it holds (its link.log
#     says why it fails); a *.o that does not parse makes it one too, so
#     link.log tells why it cannot link;
#   - link.log starts with the effective options, one line per key: their
#     exact text for the defaults and for keys from link.conf;
#   - `inputs = PATTERN...` collects objects from subdirectories (`**`,
#     several patterns, lines adding up), in path order (byte order, not
#     the walk's), each once; the a.out equals linkfs-ld's of the same
#     paths in that order, byte for byte, and runs under macho-run;
#   - staleness follows the collected objects: a changed object two
#     directories down relinks on the next read and moves the mtime, a
#     removed one fails the link, a renamed directory is followed; a
#     read waits for a writer still open in a collected directory;
#   - a bad pattern fails the link, link.log names the line;
#   - rm -rf of the tree works in one pass.
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
int twice(int);
int third(void);
int main(void) { printf("%d %d\n", twice(21), third()); return 0; }
C
cat > "$T/twice1.c" <<'C'
int twice(int x) { return 2 * x; }
C
cat > "$T/twice2.c" <<'C'
int twice(int x) { return 2 * x + 1; }
C
cat > "$T/third.c" <<'C'
int third(void) { return 3; }
C
for f in main twice1 twice2 third; do cc_macho "$T/$f.c" "$T/$f.o" || fail "clang $f.c"; done

# runs DIR WANT: DIR/a.out runs and prints WANT
runs() {
	cp "$1/a.out" "$T/run.out" || fail "$1/a.out cannot be read: $(cat "$1/link.log")"
	out=$("$MACHO_RUN" "$T/run.out" 2>&1) || fail "$1/a.out failed under macho-run: $out"
	[ "$out" = "$2" ] || fail "$1/a.out printed '$out', want '$2'"
}
# mtime_ns PATH
mtime_ns() { python3 -c 'import os,sys; print(os.stat(sys.argv[1]).st_mtime_ns)' "$1"; }

# --- which directories are units
mkdir lib prog conf bad || fail "mkdir"
cp "$T/twice1.o" lib/twice.o && cp "$T/third.o" lib/third.o || fail "cp lib"
[ "$(ls lib | tr '\n' ' ')" = "third.o twice.o " ] ||
	fail "a directory of a library's objects lists '$(ls lib | tr '\n' ' ')'"
cat lib/a.out 2>"$T/err" && fail "lib/a.out reads"
grep -q "No such file" "$T/err" || fail "lib/a.out: '$(cat "$T/err")', want ENOENT"
[ -e lib/link.log ] && fail "lib/link.log exists"
ok "a directory of objects without _main is no unit"

cp "$T/main.o" "$T/twice1.o" "$T/third.o" prog/ || fail "cp prog"
ls prog | grep -qx a.out || fail "prog lists no a.out"
runs prog "42 3"
cat > "$T/want.log" <<'L'
option arch = x86_64 (default: most objects)
option entry = _main (default)
option output = a.out (default)
option platform_version = macos 11.0 11.0 (default)
option fixups = opcodes (default: from platform_version)
option dead_strip = no (default)
option undefined = error (default)
option print_statistics = no (default)
option adhoc_codesign = no (default: from arch)
option headerpad_max_install_names = no (default)
option inputs = *.o *.a *.tbd (default: the directory's own)
option kind = executable (default)
option install_name = a.out (default: the output name)
option current_version = 0.0 (default)
option compatibility_version = 0.0 (default)
option libs = none (default)
option rpath = none (default)
option why_live = none (default)
L
cmp -s prog/link.log "$T/want.log" || {
	diff "$T/want.log" prog/link.log >&2; fail "prog/link.log is not the default options"; }
ok "a directory with main.o is a unit; link.log lists the default options"

cp "$T/twice1.o" conf/twice.o && printf 'dead_strip = yes\n' > conf/link.conf || fail "conf"
ls conf | grep -qx a.out || fail "a directory with link.conf lists no a.out"
cat conf/a.out > /dev/null 2>"$T/err" && fail "conf/a.out links without _main"
grep -q "Input/output error" "$T/err" || fail "conf/a.out: '$(cat "$T/err")', want EIO"
grep -qx "option dead_strip = yes (link.conf:1)" conf/link.log ||
	fail "conf/link.log: $(cat conf/link.log)"
grep -q "_main" conf/link.log || fail "conf/link.log does not name _main: $(cat conf/link.log)"
ok "a directory with link.conf is a unit; link.log: the key's line, then why"

head -c 300 /dev/urandom > bad/junk.o || fail "junk"
cat bad/a.out > /dev/null 2>"$T/err" && fail "bad/a.out reads"
grep -q "Input/output error" "$T/err" || fail "bad/a.out: '$(cat "$T/err")', want EIO"
grep -q "junk.o" bad/link.log || fail "bad/link.log does not name junk.o: $(cat bad/link.log)"
ok "a *.o that does not parse makes a unit whose link.log says why"

# --- link.conf inputs
mkdir -p top/CMakeFiles/app.dir/src/sub top/other || fail "mkdir top"
cp "$T/main.o" top/CMakeFiles/app.dir/src/main.c.o &&
	cp "$T/twice1.o" top/CMakeFiles/app.dir/src/sub/twice.c.o &&
	cp "$T/third.o" top/CMakeFiles/app.dir/third.c.o &&
	cp "$T/twice2.o" top/other/twice.o || fail "cp top"
# the walk meets app.dir's own third.c.o before those under src/; the
# link order is the paths' byte order; third.c.o matches two patterns
printf '# two lines add up\ninputs = CMakeFiles/app.dir/src/**/*.o\ninputs = CMakeFiles/*/*.o CMakeFiles/app.dir/**/*.o\n' > top/link.conf ||
	fail "top/link.conf"
ls top | grep -qx a.out || fail "top lists no a.out"
runs top "42 3"
( cd top && "$LINKFS_LD" -o "$T/cli.out" CMakeFiles/app.dir/src/main.c.o \
	CMakeFiles/app.dir/src/sub/twice.c.o CMakeFiles/app.dir/third.c.o ) ||
	fail "linkfs-ld"
cmp top/a.out "$T/cli.out" || fail "top/a.out differs from linkfs-ld's link"
grep '^\[ *[0-9]' top/map.txt > "$T/objs"
printf '%s\n' "[  0] linker synthesized" "[  1] CMakeFiles/app.dir/src/main.c.o" \
	"[  2] CMakeFiles/app.dir/src/sub/twice.c.o" "[  3] CMakeFiles/app.dir/third.c.o" \
	"[  4] libSystem.tbd" > "$T/want"
cmp -s "$T/objs" "$T/want" || { diff "$T/want" "$T/objs" >&2; fail "map.txt's objects"; }
grep -qx "option inputs = CMakeFiles/app.dir/src/\*\*/\*.o CMakeFiles/\*/\*.o CMakeFiles/app.dir/\*\*/\*.o (link.conf:3)" top/link.log ||
	fail "top/link.log: $(grep inputs top/link.log)"
ok "inputs: three objects from three directories, in path order, each once; a.out = linkfs-ld's, runs"

m1=$(mtime_ns top/a.out)
cp "$T/twice2.o" top/CMakeFiles/app.dir/src/sub/twice.c.o || fail "cp twice2"
runs top "43 3"
m2=$(mtime_ns top/a.out)
[ "$m2" -gt "$m1" ] || fail "top/a.out's mtime did not move: $m1 then $m2"
( cd top && "$LINKFS_LD" -o "$T/cli.out" CMakeFiles/app.dir/src/main.c.o \
	CMakeFiles/app.dir/src/sub/twice.c.o CMakeFiles/app.dir/third.c.o ) ||
	fail "linkfs-ld"
cmp top/a.out "$T/cli.out" || fail "top/a.out differs from linkfs-ld's link after the change"
ok "a changed object two directories down relinks the unit (mtime $m1 -> $m2)"

mv top/CMakeFiles/app.dir/src/sub top/CMakeFiles/app.dir/src/sub2 || fail "mv sub"
runs top "43 3"
mv top/CMakeFiles/app.dir/src/sub2 top/moved || fail "mv sub2"
cat top/a.out > /dev/null 2>"$T/err" && fail "top/a.out links without twice"
grep -q "_twice" top/link.log || fail "top/link.log does not name _twice: $(cat top/link.log)"
mv top/moved top/CMakeFiles/app.dir/src/sub || fail "mv back"
runs top "43 3"
rm top/CMakeFiles/app.dir/third.c.o || fail "rm third"
cat top/a.out > /dev/null 2>&1 && fail "top/a.out links without third"
grep -q "_third" top/link.log || fail "top/link.log does not name _third: $(cat top/link.log)"
cp "$T/third.o" top/CMakeFiles/app.dir/third.c.o || fail "cp third"
runs top "43 3"
ok "renamed directories and a removed object are followed"

# a writer still open in a collected directory: x.o's new bytes are
# committed by a flush (a dup's close) and become an input at the last
# close, 0.5 s later; a read of a.out meanwhile waits for it
python3 - "$MNT/top/CMakeFiles/app.dir/src/sub/twice.c.o" "$T/twice1.o" "$T/held.out" <<'PY' ||
import os, sys, threading, time
obj, new, out = sys.argv[1:4]
fd = os.open(obj, os.O_WRONLY | os.O_TRUNC)
os.write(fd, open(new, "rb").read())
os.close(os.dup(fd))
def last_close():
    time.sleep(0.5)
    os.close(fd)
threading.Thread(target=last_close).start()
t = time.monotonic()
data = open(os.path.join(os.path.dirname(obj), "../../../../a.out"), "rb").read()
open(out, "wb").write(data)
print("a.out read in %.0f ms while the writer was open" % ((time.monotonic() - t) * 1000))
PY
	fail "the held writer"
out=$("$MACHO_RUN" "$T/held.out" 2>&1) || fail "held.out failed under macho-run: $out"
[ "$out" = "42 3" ] || fail "a read while a collected object's writer was open printed '$out', want '42 3'"
ok "a read waits for the writers of the directories it collects from"

printf 'inputs = ../x.o\n' > top/link.conf || fail "bad link.conf"
cat top/a.out > /dev/null 2>&1 && fail "top/a.out links with a bad pattern"
grep -q "link.conf:1: bad value '../x.o' for 'inputs'" top/link.log ||
	fail "top/link.log: $(cat top/link.log)"
ok "a bad pattern fails the link; link.log names the line"

cd "$T" || fail "cd"
rm -rf "$MNT/top" "$MNT/lib" "$MNT/prog" "$MNT/conf" "$MNT/bad" || fail "rm -rf"
[ -z "$(ls "$MNT")" ] || fail "left after rm -rf: $(ls "$MNT")"
ok "rm -rf in one pass"
