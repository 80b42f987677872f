#!/bin/sh
# fault-umountz: fusermount3 -u -z while a.out is being read and an object
# is being written (issue 5, faults 4).
#
# The unit's a.out holds a 4 MiB data section, so a reader that reads it
# in 64 KiB pieces keeps asking the daemon long after the kernel's
# readahead (the page cache is empty: nothing read a.out before). The
# reader reads its first piece, then waits for the lazy unmount before
# reading the rest; the writer writes half an object, waits for the
# unmount, writes the rest and closes. Checked:
#   - fusermount3 -u -z succeeds at once and the mount is gone from
#     mountinfo while both files are open;
#   - the reader gets every byte: equal to the a.out served after a
#     restart and (with LINKFS_LD) to linkfs-ld's output;
#   - the writer's close() result is recorded: if it returned 0 the object
#     is there after the restart and identical; else it is absent (never
#     partial);
#   - the daemon exits by itself (status 0) once the last file is closed;
#   - after restarting it on the same store: earlier files identical,
#     store passes integrity_check.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
have_clang || skip "clang-19 is missing"
have_sql || skip "neither sqlite3 nor python3's sqlite3 is available"

cat > "$T/big.c" <<'C'
char big[4 << 20] = { 1, 2, 3, 4 };
int main(void) { return big[3]; }
C
cc_macho "$T/big.c" "$T/big.o" || fail "clang big.c"
gen_objects 2 "$T/objs"
mount_fs
mkdir "$MNT/u" "$MNT/w" || fail "mkdir"
cp "$T/big.o" "$MNT/u/big.o" || fail "cp"
cp "$T/objs/o0000.o" "$MNT/u/o0000.o" || fail "cp"
echo "a plain file" > "$MNT/u/notes.txt" || fail "notes.txt"

python3 - "$MNT/u/a.out" "$T" <<'PY' &
import fsutil, os, sys, time
path, t = sys.argv[1], sys.argv[2]
def flag(n): fsutil.flag(t, n)
def wait(n): fsutil.wait_flag(t, n, "reader")
fd = os.open(path, os.O_RDONLY)
out = bytearray(os.read(fd, 65536))
flag("r-started")
wait("umounted")
while True:
    b = os.read(fd, 65536)
    if not b:
        break
    out += b
    time.sleep(0.002)
os.close(fd)
open(os.path.join(t, "read.out"), "wb").write(out)
print("reader: read %d bytes, %d of them after the unmount" % (len(out), len(out) - 65536))
PY
READER=$!

python3 - "$MNT/w/new.o" "$T/objs/o0001.o" "$T" <<'PY' &
import fsutil, os, sys, time
path, src, t = sys.argv[1], open(sys.argv[2], "rb").read(), sys.argv[3]
def flag(n): fsutil.flag(t, n)
def wait(n): fsutil.wait_flag(t, n, "writer")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
h = len(src) // 2
os.write(fd, src[:h])
flag("w-started")
wait("umounted")
try:
    os.write(fd, src[h:])
    os.close(fd)
    res = "0"
except OSError as e:
    res = "%d %s" % (e.errno, e.strerror)
open(os.path.join(t, "w-result"), "w").write(res + "\n")
print("writer: close() after the unmount returned", res)
PY
WRITER=$!

i=0
while [ ! -e "$T/r-started" ] || [ ! -e "$T/w-started" ]; do
	i=$((i + 1)); [ $i -lt 1500 ] || fail "reader or writer did not start"
	kill -0 $READER 2>/dev/null || [ -e "$T/r-started" ] || fail "the reader died"
	kill -0 $WRITER 2>/dev/null || [ -e "$T/w-started" ] || fail "the writer died"
	sleep 0.02
done
fusermount3 -u -z "$MNT" || fail "fusermount3 -u -z failed"
is_mounted "$MNT" && fail "still mounted after fusermount3 -u -z"
ok "lazy unmount with a.out open for reading and an object open for writing"
touch "$T/umounted"
wait $READER || fail "the reader failed"
wait $WRITER || fail "the writer failed"

# the daemon leaves once the last file is closed
i=0
while kill -0 "$DAEMON_PID" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 1500 ] || fail "the daemon did not exit after the lazy unmount"
	sleep 0.02
done
wait "$DAEMON_PID"; st=$?
DAEMON_PID=
[ $st = 0 ] || fail "the daemon exited with status $st"
ok "the daemon exited (status 0) after the last file was closed"

integrity "$STORE" "after the lazy unmount"
mount_fs
cmp -s "$T/read.out" "$MNT/u/a.out" || fail "the reader's bytes differ from a.out after a restart"
if [ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ]; then
	mkdir "$T/cli" && cp "$T/big.o" "$T/objs/o0000.o" "$T/cli/" || fail "cp"
	(cd "$T/cli" && "$LINKFS_LD" -o a.out big.o o0000.o) || fail "linkfs-ld"
	cmp -s "$T/cli/a.out" "$T/read.out" || fail "the reader's bytes differ from linkfs-ld's a.out"
fi
ok "the reader got the whole a.out ($(wc -c < "$T/read.out") bytes)"
res=$(cat "$T/w-result")
if [ "$res" = 0 ]; then
	cmp -s "$T/objs/o0001.o" "$MNT/w/new.o" || fail "close() returned 0 but new.o is missing or differs"
	ok "the writer's close() returned 0 and new.o is intact after the restart"
else
	[ -e "$MNT/w/new.o" ] && ! cmp -s "$T/objs/o0001.o" "$MNT/w/new.o" &&
		fail "close() failed ($res) and new.o is partial"
	ok "the writer's close() failed ($res); new.o is not partial"
fi
cmp -s "$T/big.o" "$MNT/u/big.o" || fail "big.o differs"
cmp -s "$T/objs/o0000.o" "$MNT/u/o0000.o" || fail "o0000.o differs"
[ "$(cat "$MNT/u/notes.txt")" = "a plain file" ] || fail "notes.txt differs"
ok "after a restart on the same store: files intact, store ok"
