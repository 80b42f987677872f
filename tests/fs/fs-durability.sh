#!/bin/sh
# fs-durability: once close() returned 0 a file survives kill -9 of the
# daemon and a remount; a file still being written when the daemon dies
# never appears half-written (a new one is gone, an old one keeps its
# previous content).
. "$(dirname "$0")/lib.sh"
mount_fs
cd "$MNT" || fail "cd"

mkdir -p app data || fail "mkdir"
i=0
while [ $i -lt 40 ]; do
	head -c $((i * 997 + 1)) /dev/urandom > "data/f$i.bin" || fail "write f$i"
	head -c $((i * 31 + 64)) /dev/urandom > "app/o$i.o" || fail "write o$i"
	i=$((i + 1))
done
echo "old content" > app/keep.o
(cd "$MNT" && sha256sum data/* app/*.o) > "$T/sums"

# a writer that is in the middle of two files when the daemon dies
mkfifo "$T/go"
python3 - "$MNT" "$T" <<'PY' &
import os, sys
m, t = sys.argv[1], sys.argv[2]
a = os.open(os.path.join(m, "app/half.o"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
os.write(a, b"\xcf\xfa\xed\xfe" + b"x" * 5000)
b = os.open(os.path.join(m, "app/keep.o"), os.O_WRONLY | os.O_TRUNC)
os.write(b, b"new half")
# closed once (flush) but still open through a dup (no release yet)
c = os.open(os.path.join(m, "app/flushed.o"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
os.write(c, b"flushed content")
c2 = os.dup(c)
os.close(c)
open(os.path.join(t, "ready"), "w").close()
open(os.path.join(t, "go")).read()      # wait until the daemon is dead
for fd in (a, b, c2):
    try: os.close(fd)
    except OSError: pass
PY
WRITER=$!
i=0
while [ ! -e "$T/ready" ]; do
	i=$((i + 1)); [ $i -lt 500 ] || fail "writer did not start"
	kill -0 $WRITER 2>/dev/null || fail "writer died"
	sleep 0.02
done
cd /
crash_fs
echo go > "$T/go"
wait $WRITER

mount_fs
(cd "$MNT" && sha256sum -c --quiet "$T/sums") || fail "committed files changed after kill -9"
[ -e "$MNT/app/half.o" ] && fail "a half-written new file survived the crash"
[ "$(cat "$MNT/app/keep.o")" = "old content" ] || fail "a half-rewritten file lost its committed content"
[ "$(cat "$MNT/app/flushed.o")" = "flushed content" ] || fail "a file whose close() returned 0 was lost"
ok "kill -9: committed files intact, nothing half-written"

# the same after a lazy unmount and a restart
echo "after" > "$MNT/data/after.txt"
fusermount3 -u -z "$MNT"
wait "$DAEMON_PID" 2>/dev/null; DAEMON_PID=
mount_fs
[ "$(cat "$MNT/data/after.txt")" = after ] || fail "file lost across umount -z"
ok "umount -z and restart"
