#!/bin/sh
# store-toobig: a file over the store's limit is refused, never silently
# lost (issue 20, item 2).
#
# SQLite holds a blob (a row) of at most SQLITE_LIMIT_LENGTH bytes
# (1,000,000,000 by default); a file may hold that less 64 bytes (the rest
# of the row). The test lowers the limit to 4 MiB for the daemon with
# LINKFS_TEST_LIMIT_LENGTH (a test-only variable, docs/store.md), so a few
# MiB prove what a 1 GB file would:
#   - a file of exactly the maximum commits and reads back, after a
#     remount too;
#   - one byte more: write() fails with EFBIG; what the earlier writes put
#     in the file is committed at close() and reads back (as on a local
#     filesystem at its size limit);
#   - ftruncate and truncate past the maximum fail with EFBIG;
#   - cp of a too-large file exits non-zero with "File too large";
#   - the store passes integrity_check and has no blob row without its
#     data, and no node points at a missing blob.
# The commit path itself (SQLite's SQLITE_TOOBIG at the bind and at the
# row, checked and turned into EFBIG) is store-commit-toobig's
# (test_store_toobig.c), without the handlers' early refusal.
# STORE_TOOBIG_REAL=1 also writes a file of 1,000,000,001 bytes with
# SQLite's own limit (a few GB of memory and disk; not in CI).
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is missing"
LIMIT=4194304
export LINKFS_TEST_LIMIT_LENGTH=$LIMIT
mount_fs

python3 - "$MNT" "$LIMIT" <<'PY' || fail "python checks (see above)"
import errno, hashlib, os, sys
mnt, limit = sys.argv[1], int(sys.argv[2])
top = limit - 64
MiB = 1 << 20

def write_all(path, data):
    """Writes data in 1 MiB writes; returns (bytes written, errno of the
    failed write or None, errno of close or None)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    done, werr = 0, None
    try:
        while done < len(data):
            done += os.write(fd, data[done:done + MiB])
    except OSError as e:
        werr = e.errno
    cerr = None
    try:
        os.close(fd)
    except OSError as e:
        cerr = e.errno
    return done, werr, cerr

def content(path):
    with open(path, "rb") as f:
        return f.read()

def name(e):
    return errno.errorcode[e] if e else "no error"

# 1. exactly the maximum: committed whole
data = os.urandom(top)
done, werr, cerr = write_all(os.path.join(mnt, "top"), data)
if werr or cerr or content(os.path.join(mnt, "top")) != data:
    sys.exit(f"a file of the maximum ({top} bytes): write {name(werr)}, "
             f"close {name(cerr)}")
with open(os.path.join(mnt, "top.sha"), "w") as f:
    f.write(hashlib.sha256(data).hexdigest())
print(f"ok: a file of the maximum, {top} bytes, commits")

# 2. one byte more: write() fails with EFBIG; the bytes before are kept
data = os.urandom(top + 1)
done, werr, cerr = write_all(os.path.join(mnt, "over"), data)
if werr != errno.EFBIG:
    sys.exit(f"writing {top + 1} bytes (the maximum is {top}): write gave "
             f"{name(werr)}, want EFBIG")
if cerr is not None:
    sys.exit(f"close after the refused write: {name(cerr)}")
got = content(os.path.join(mnt, "over"))
if got != data[:done]:
    sys.exit(f"after a refused write the file holds {len(got)} bytes, "
             f"want the {done} written")
with open(os.path.join(mnt, "over.sha"), "w") as f:
    f.write(hashlib.sha256(got).hexdigest())
print(f"ok: one byte over: EFBIG at write() after {done} bytes, which were kept")

# 3. truncate past the maximum
fd = os.open(os.path.join(mnt, "trunc"), os.O_WRONLY | os.O_CREAT, 0o644)
for how, call in (("ftruncate", lambda n: os.ftruncate(fd, n)),
                  ("truncate", lambda n: os.truncate(os.path.join(mnt, "trunc"), n))):
    try:
        call(top + 1)
        sys.exit(f"{how} past the maximum succeeded")
    except OSError as e:
        if e.errno != errno.EFBIG:
            sys.exit(f"{how} past the maximum: {name(e.errno)}, want EFBIG")
os.ftruncate(fd, top)
os.close(fd)
if os.stat(os.path.join(mnt, "trunc")).st_size != top:
    sys.exit("ftruncate to the maximum did not stick")
print("ok: ftruncate and truncate past the maximum: EFBIG; to it: fine")
PY

head -c $((LIMIT + 4096)) /dev/urandom > "$T/big"
cp "$T/big" "$MNT/cp-big" 2>"$T/cp.err" && fail "cp of a file over the limit succeeded"
grep -q "File too large" "$T/cp.err" || fail "cp: unclear message: $(cat "$T/cp.err")"
ok "cp of a file over the limit fails: $(cat "$T/cp.err")"

umount_fs
mount_fs
for f in top over; do
	[ "$(sha256sum < "$MNT/$f" | cut -d' ' -f1)" = "$(cat "$MNT/$f.sha")" ] ||
		fail "$f differs after a remount"
done
[ "$(stat -c %s "$MNT/trunc")" = $((LIMIT - 64)) ] || fail "trunc's size after a remount"
umount_fs
[ "$(sqlite3 "$STORE" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
[ "$(sqlite3 "$STORE" 'SELECT count(*) FROM blobs WHERE data IS NULL OR length(data) != size')" = 0 ] ||
	fail "a blob row without its data"
[ "$(sqlite3 "$STORE" 'SELECT count(*) FROM nodes WHERE blob IS NOT NULL AND blob NOT IN (SELECT hash FROM blobs)')" = 0 ] ||
	fail "a node points to a missing blob"
ok "after a remount: every committed file intact, the store consistent"

if [ "${STORE_TOOBIG_REAL:-}" = 1 ]; then
	unset LINKFS_TEST_LIMIT_LENGTH
	mount_fs
	python3 - "$MNT" <<'PY' || fail "the 1 GB case (see above)"
import errno, os, sys
p = os.path.join(sys.argv[1], "gig")
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
chunk = b"\x5a" * (1 << 20)
n, target, werr = 0, 1_000_000_001, None
try:
    while n < target:
        n += os.write(fd, chunk[:min(len(chunk), target - n)])
except OSError as e:
    werr = e.errno
cerr = None
try:
    os.close(fd)
except OSError as e:
    cerr = e.errno
size = os.stat(p).st_size if os.path.exists(p) else None
print(f"1,000,000,001 bytes: wrote {n}, write error {werr and errno.errorcode[werr]}, "
      f"close error {cerr and errno.errorcode[cerr]}, size now {size}")
if werr is None and cerr is None:
    sys.exit("a file over SQLite's limit was accepted")
if size is None:
    sys.exit("the file vanished")
PY
	umount_fs
	sed -i "/cannot commit inode/d" "$T/daemon.log"
	ok "a 1,000,000,001-byte file: refused with an error, not lost"
fi
exit 0
