#!/bin/sh
# store-big: a file of 2,500,000,000 bytes (over SQLite's 1,000,000,000
# byte row, not a multiple of anything) is written, read back, and read
# back again after an unmount and a mount on the same store, byte for
# byte; and small files commit at their usual speed while it exists
# (issue 20, items 2 and 4: chunked contents).
#
# The content comes from a seeded generator (fsutil.gen_blocks: 1 MiB
# blocks, never the whole file in memory), written in 1 MiB writes and
# hashed (sha256) while written; each read hashes it again (on a mismatch
# the first differing offset is printed). The close() of 20 small files
# (4 KiB) is timed before the big file exists, while it exists, and after
# the remount (median and longest, in ms; reported, not bounded: the
# machine decides). Every step prints its time.
# Skips (77) with less than 8 GB free in TMPDIR's filesystem (the store
# lives there: the content, a WAL of it before the checkpoint, and room).
# Leaves out: the daemon's memory while writing (no bound is asserted),
# a kill during the write (fault-kill1000's and fault-kill-dupfork's shape
# on small files), rewriting part of the big file, and the store's size
# after the file is removed (bounded growth, item 3).
. "$(dirname "$0")/lib.sh"
# STORE_BIG_SIZE: another size, to try the script quickly (not in CI)
SIZE=${STORE_BIG_SIZE:-2500000000}
NEED_KB=7812500    # 8 GB
FREE_KB=$(df -P -k "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $4 }')
[ -n "$FREE_KB" ] || fail "df ${TMPDIR:-/tmp} says nothing"
[ "$FREE_KB" -ge $NEED_KB ] ||
	skip "only $((FREE_KB / 1000000)) GB free in ${TMPDIR:-/tmp}'s filesystem; a 2.5 GB file needs 8 GB"
echo "free in ${TMPDIR:-/tmp}: $((FREE_KB / 1000000)) GB"

secs() { date +%s.%N; }
since() { python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(secs)"; }

mount_fs
python3 - "$MNT" "$SIZE" "$T/big.sha" <<'PY' || fail "writing and reading back (see above)"
import errno, os, sys
from fsutil import write_big, hash_big, first_diff, time_small_closes
mnt, size, shafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
med, mx = time_small_closes(mnt, "before")
print("small files' close() before the big file: median %.1f ms, longest %.1f ms" % (med, mx))
p = os.path.join(mnt, "big.bin")
try:
    sha, tw, tc = write_big(p, 2500, size)
except OSError as e:
    sys.exit("FAIL: writing the %d-byte file: failed at offset %d: %s (%s)"
             % (size, e.offset, e.strerror, errno.errorcode.get(e.errno, e.errno)))
print("wrote %d bytes in %.1f s (%.0f MB/s); its close() took %.0f ms"
      % (size, tw, size / tw / 1e6, tc * 1000))
open(shafile, "w").write(sha)
st = os.stat(p).st_size
if st != size:
    sys.exit("FAIL: stat after the close: %d bytes, want %d" % (st, size))
med, mx = time_small_closes(mnt, "with")
print("small files' close() with the big file: median %.1f ms, longest %.1f ms" % (med, mx))
got, n, tr = hash_big(p)
print("read back %d bytes in %.1f s (%.0f MB/s)" % (n, tr, n / max(tr, 1e-9) / 1e6))
if got != sha:
    sys.exit("FAIL: read back: %d bytes, sha256 differs; first difference at offset %s"
             % (n, first_diff(p, 2500, size)))
print("ok: read back equals what was written")
PY

t=$(secs)
umount_fs
echo "unmount took $(since "$t") s"
t=$(secs)
mount_fs
echo "mount on the same store took $(since "$t") s"
python3 - "$MNT" "$SIZE" "$(cat "$T/big.sha")" <<'PY' || fail "after the remount (see above)"
import os, sys
from fsutil import hash_big, first_diff, time_small_closes
mnt, size, sha = sys.argv[1], int(sys.argv[2]), sys.argv[3]
p = os.path.join(mnt, "big.bin")
st = os.stat(p).st_size
if st != size:
    sys.exit("FAIL: after the remount stat says %d bytes, want %d" % (st, size))
got, n, tr = hash_big(p)
print("after the remount: read back %d bytes in %.1f s (%.0f MB/s)" % (n, tr, n / max(tr, 1e-9) / 1e6))
if got != sha:
    sys.exit("FAIL: after the remount: %d bytes, sha256 differs; first difference at offset %s"
             % (n, first_diff(p, 2500, size)))
med, mx = time_small_closes(mnt, "after")
print("small files' close() after the remount: median %.1f ms, longest %.1f ms" % (med, mx))
PY
echo "store: $(du -k "$STORE" | cut -f1) KiB (+ WAL $(du -k "$STORE-wal" 2>/dev/null | cut -f1) KiB)"
ok "a $SIZE-byte file is written, read back, and read back after a remount, intact"
