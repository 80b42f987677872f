#!/bin/sh
# store-toobig: a file larger than SQLite's row limit is stored whole, in
# chunks (issue 20, items 2 and 4).
#
# SQLite holds a blob (a row) of at most SQLITE_LIMIT_LENGTH bytes
# (1,000,000,000 by default). Until issue 20 a file was one row: a bigger
# file was first lost silently, then refused with EFBIG. Now a content is
# a list of 1 MiB chunks (docs/store.md). The test lowers SQLite's limit
# to 4 MiB for the daemon (LINKFS_TEST_LIMIT_LENGTH, test-only), so a few
# MiB prove what a file over 1 GB does (store-big writes a real 2.5 GB):
#   - a file of 5 times the limit plus 3 bytes, written in 1 MiB and odd
#     sizes, reads back identical, also after a remount; no chunk row is
#     over 1 MiB and the store passes integrity_check;
#   - a sparse file with one byte at 3 GiB stores one chunk, is 3 GiB + 1
#     bytes long, and reads zeros in its hole;
#   - truncate past the largest file (4 TiB) fails with EFBIG; to exactly
#     a chunk boundary and to a byte past it reads back right.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is missing"
LIMIT=4194304
export LINKFS_TEST_LIMIT_LENGTH=$LIMIT
mount_fs

check_files() {
python3 - "$MNT" "$LIMIT" "$1" <<'PY' || fail "python checks (see above)"
import errno, hashlib, os, sys
mnt, limit, phase = sys.argv[1], int(sys.argv[2]), sys.argv[3]
MiB = 1 << 20
big = os.path.join(mnt, "big.bin")
size = 5 * limit + 3
data = hashlib.sha256(b"seed").digest() * (size // 32 + 1)
data = data[:size]
if phase == "write":
    fd = os.open(big, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    off, step = 0, [MiB, 4093, 3 * MiB + 7, 65536]
    i = 0
    while off < size:
        n = min(step[i % len(step)], size - off)
        assert os.write(fd, data[off:off + n]) == n
        off += n
        i += 1
    os.close(fd)
    sp = os.path.join(mnt, "sparse")
    fd = os.open(sp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.pwrite(fd, b"x", 3 << 30)
    os.close(fd)
    # truncate: past the largest file, to a chunk boundary, one past it
    t = os.path.join(mnt, "t")
    with open(t, "wb") as f:
        f.write(data[:3 * MiB + 5])
    try:
        os.truncate(t, (4 << 40) + 1)
        sys.exit("truncate past 4 TiB did not fail")
    except OSError as e:
        if e.errno != errno.EFBIG:
            sys.exit("truncate past 4 TiB: %s, want EFBIG" % e)
    os.truncate(t, 2 * MiB)
    with open(t, "rb") as f:
        assert f.read() == data[:2 * MiB], "truncate to 2 MiB"
    os.truncate(t, 2 * MiB + 1)
    with open(t, "rb") as f:
        assert f.read() == data[:2 * MiB] + b"\0", "truncate to 2 MiB + 1"
with open(big, "rb") as f:
    got = f.read()
if got != data:
    sys.exit("%s: %d bytes read, %d written; first difference at %s" % (
        phase, len(got), len(data),
        next((i for i in range(min(len(got), len(data))) if got[i] != data[i]), "the end")))
sp = os.path.join(mnt, "sparse")
st = os.stat(sp)
assert st.st_size == (3 << 30) + 1, "sparse size %d" % st.st_size
with open(sp, "rb") as f:
    f.seek((3 << 30) - 4096)
    assert f.read() == b"\0" * 4096 + b"x", "the end of the sparse file"
    f.seek(1 << 30)
    assert f.read(65536) == b"\0" * 65536, "the sparse file's hole"
print("%s: %d bytes (5 x the row limit + 3) and a 3 GiB sparse file read back" % (phase, size))
PY
}

check_files write
ok "a file 5 times SQLite's row limit and a sparse 3 GiB file read back"
umount_fs
q() { sqlite3 "$STORE" "$1"; }
[ "$(q "SELECT max(length(data)) FROM bodies")" -le 1048576 ] ||
	fail "a chunk row over 1 MiB: $(q "SELECT max(length(data)) FROM bodies")"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
n=$(q "SELECT count(*) FROM content_chunks cc JOIN nodes n ON n.blob = cc.content WHERE n.name = CAST('sparse' AS BLOB)")
[ "$n" = 1 ] || fail "the sparse file stores $n chunks, want 1"
ok "chunks of at most 1 MiB; the sparse file is one chunk; integrity ok"
mount_fs
check_files remount
ok "after a remount"
