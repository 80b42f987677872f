#!/bin/sh
# fault-enospc: the store lives on a small tmpfs and a copy fills it
# (issue 5, faults 2).
#   - the failing cp says "No space left on device" and fails, and the
#     daemon's log gives the figures (free, needed, WAL); a python
#     writer sees errno ENOSPC exactly (from write or close), never EIO;
#   - every earlier file is intact;
#   - the daemon keeps serving: ls, cat of another file, and a real link
#     (an object renamed out of the unit; the new a.out equals linkfs-ld's
#     and is served whether or not it can still be kept in the store);
#   - when something else fills the filesystem to the last block, even
#     mkdir fails inside SQLite (SQLITE_FULL), and that too is ENOSPC;
#   - rm works on the full store, and afterwards copying works again
#     (linkfs keeps a 1 MiB reserve for deletions and checkpoints and
#     collects the removed files' blobs when a commit needs room; see
#     docs/reliability.md, "Out of space");
#   - after a remount everything committed is intact and the store passes
#     PRAGMA integrity_check.
# Needs root (or the right to mount a tmpfs): skips otherwise.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
have_clang || skip "clang-19 is missing"
have_sql || skip "neither sqlite3 nor python3's sqlite3 is available"
SMALL=$T/small
mkdir "$SMALL" || fail "mkdir"
[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
mount -t tmpfs -o size=8m,mode=0700 linkfs-test "$SMALL" 2>"$T/err" ||
	skip "cannot mount a tmpfs here: $(cat "$T/err")"
# the tmpfs goes after the daemon is gone, before lib.sh removes $T
small_cleanup() {
	if [ -n "$DAEMON_PID" ]; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT" 2>/dev/null
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
	umount "$SMALL" 2>/dev/null || umount -l "$SMALL"
}
trap 'rc0=$?; small_cleanup; (exit $rc0); cleanup' EXIT
STORE=$SMALL/store.db

gen_objects 10 "$T/objs"
mount_fs
mkdir "$MNT/u" "$MNT/fill" || fail "mkdir"
cp "$T"/objs/*.o "$MNT/u/" || fail "copying the unit"
echo "an ordinary file" > "$MNT/keep.txt" || fail "keep.txt"
cat "$MNT/u/a.out" > "$T/a.out.before" || fail "first link: $(cat "$MNT/u/link.log")"

# fill the store with 256 KiB files until cp fails
i=0
while :; do
	i=$((i + 1))
	[ $i -le 64 ] || fail "64 files of 256 KiB fit in an 8 MiB tmpfs?"
	head -c 262144 /dev/urandom > "$T/blk$i"
	cp "$T/blk$i" "$MNT/fill/f$i" 2>"$T/cp.err" || break
done
cat "$T/cp.err"
grep -q "No space left on device" "$T/cp.err" ||
	fail "cp of f$i failed, but not with ENOSPC: $(cat "$T/cp.err")"
grep -q "linkfs: no room for 262144 bytes of content: [0-9]* bytes free in $SMALL, [0-9]* needed" "$T/daemon.log" ||
	fail "the daemon's log does not say why there was no room: $(tail -3 "$T/daemon.log")"
ok "cp of the file that does not fit fails with ENOSPC ($((i - 1)) files of 256 KiB fit; the daemon logs the figures)"
FULL=$i

python3 - "$MNT/fill/py.bin" <<'PY' || fail "the python writer (see above)"
import errno, os, sys
data = os.urandom(262144)
try:
    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
except OSError as e:
    if e.errno != errno.ENOSPC:
        sys.exit("write/close failed with errno %d (%s), want ENOSPC" % (e.errno, e.strerror))
    print("ok: a python writer gets errno ENOSPC (%s)" % e.strerror)
    sys.exit(0)
sys.exit("a 256 KiB write on the full store succeeded")
PY

# earlier files are intact
n=1
while [ $n -lt $FULL ]; do
	cmp -s "$T/blk$n" "$MNT/fill/f$n" || fail "f$n changed after ENOSPC"
	n=$((n + 1))
done
[ "$(cat "$MNT/keep.txt")" = "an ordinary file" ] || fail "keep.txt changed"
for f in "$T"/objs/*.o; do
	cmp -s "$f" "$MNT/u/$(basename "$f")" || fail "$(basename "$f") changed"
done
ok "earlier files intact"

# the daemon keeps serving: listing, reading, and a new link
ls -l "$MNT/fill" > /dev/null || fail "ls of the full store"
kill -0 "$DAEMON_PID" || fail "the daemon died"
links=$(status links)
mv "$MNT/u/o0009.o" "$MNT/o0009.o" || fail "rename on the full store"
cat "$MNT/u/a.out" > "$T/a.out.after" || fail "link on the full store: $(cat "$MNT/u/link.log")"
[ "$(status links)" -gt "$links" ] || fail "reading a.out after a change did not link"
cmp -s "$T/a.out.before" "$T/a.out.after" && fail "a.out did not change after an input left"
if [ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ]; then
	mkdir "$T/cli" && cp "$T"/objs/*.o "$T/cli/" && rm "$T/cli/o0009.o"
	(cd "$T/cli" && "$LINKFS_LD" -o a.out $(ls | grep '\.o$')) || fail "linkfs-ld"
	cmp -s "$T/cli/a.out" "$T/a.out.after" || fail "the a.out linked on the full store differs from linkfs-ld's"
fi
grep -q "cannot keep the link result" "$T/daemon.log" &&
	echo "(the daemon could not keep the result: $(grep "cannot keep" "$T/daemon.log" | tail -1))"
ok "the daemon keeps serving: ls, cat, a relink"

# someone else fills the filesystem to the last block: then even small
# transactions fail inside SQLite (SQLITE_FULL), which must reach the
# caller as ENOSPC. A few mkdirs may still fit (the WAL can be folded into
# pages the database already has), so mkdir until one fails. Reads go on,
# and everything works again once the space is back.
mkdir "$MNT/full" || fail "mkdir"
dd if=/dev/zero of="$SMALL/ballast" bs=4096 2>/dev/null
[ "$(df -k --output=avail "$SMALL" | tail -1 | tr -d ' ')" -lt 8 ] || fail "the ballast did not fill the tmpfs"
n=0
while [ $n -lt 500 ] && mkdir "$MNT/full/d$n" 2>"$T/err"; do n=$((n + 1)); done
[ -s "$T/err" ] || fail "500 mkdirs fit on a completely full disk"
grep -q "No space left on device" "$T/err" || fail "mkdir on a full disk: $(cat "$T/err"), want ENOSPC"
[ "$(cat "$MNT/keep.txt")" = "an ordinary file" ] || fail "reading on a full disk"
rm "$SMALL/ballast"
mkdir -p "$MNT/full/after" && touch "$MNT/full/after/file" || fail "mkdir after the ballast is gone"
rm -r "$MNT/full" || fail "rm -r"
ok "a completely full disk: mkdir fails with ENOSPC (after $n that fit); reads work; writes work once space is back"

# free space: rm must work on the full store; then copying works again
rm "$MNT"/fill/* || fail "rm on the full store"
[ -z "$(ls "$MNT/fill")" ] || fail "rm left files"
n=1
while [ $n -lt $FULL ]; do
	cp "$T/blk$n" "$MNT/fill/g$n" 2>"$T/cp.err" ||
		fail "cp after freeing space: $(cat "$T/cp.err"); the daemon: $(grep 'no room' "$T/daemon.log" | tail -1)"
	cmp -s "$T/blk$n" "$MNT/fill/g$n" || fail "g$n differs"
	n=$((n + 1))
done
ok "after rm, copying works again (the same $((FULL - 1)) files of 256 KiB)"

umount_fs
integrity "$STORE" "after the fill"
mount_fs
n=1
while [ $n -lt $FULL ]; do
	cmp -s "$T/blk$n" "$MNT/fill/g$n" || fail "g$n differs after a remount"
	n=$((n + 1))
done
[ "$(cat "$MNT/keep.txt")" = "an ordinary file" ] || fail "keep.txt changed"
cmp -s "$T/a.out.after" "$MNT/u/a.out" || fail "a.out differs after a remount"
ok "after a remount: files intact, store ok"
