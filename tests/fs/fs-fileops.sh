#!/bin/sh
# fs-fileops: linkfs behaves like a local filesystem for the operations
# compilers, cp, make and editors use; names are stored faithfully.
. "$(dirname "$0")/lib.sh"
mount_fs
cd "$MNT" || fail "cd"

python3 - "$MNT" <<'PY' || fail "file operations (see above)"
from fsutil import expect_err
import ctypes, errno, os, stat, sys
m = sys.argv[1]
def p(*a): return os.path.join(m, *a)

# create + write + read back
with open(p("a.txt"), "wb") as f: f.write(b"hello\n")
assert open(p("a.txt"), "rb").read() == b"hello\n"
# O_EXCL
expect_err(errno.EEXIST, os.open, p("a.txt"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
fd = os.open(p("new.txt"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600); os.close(fd)
assert os.stat(p("new.txt")).st_size == 0
# write at offsets, sparse
fd = os.open(p("sparse.bin"), os.O_RDWR | os.O_CREAT, 0o644)
os.pwrite(fd, b"end", 100000)
os.pwrite(fd, b"start", 0)
assert os.fstat(fd).st_size == 100003, os.fstat(fd).st_size
os.close(fd)
d = open(p("sparse.bin"), "rb").read()
assert len(d) == 100003 and d[:5] == b"start" and d[-3:] == b"end" and d[5:100000] == bytes(99995)
# overwrite in the middle keeps the rest
fd = os.open(p("a.txt"), os.O_WRONLY); os.pwrite(fd, b"J", 0); os.close(fd)
assert open(p("a.txt"), "rb").read() == b"Jello\n"
# truncate (path and fd), grow and shrink
os.truncate(p("a.txt"), 2); assert open(p("a.txt"), "rb").read() == b"Je"
os.truncate(p("a.txt"), 4); assert open(p("a.txt"), "rb").read() == b"Je\0\0"
fd = os.open(p("a.txt"), os.O_RDWR); os.ftruncate(fd, 1); os.close(fd)
assert open(p("a.txt"), "rb").read() == b"J"
# O_TRUNC
with open(p("a.txt"), "wb") as f: f.write(b"x")
assert open(p("a.txt"), "rb").read() == b"x"
# mkdir, rename across dirs, rename over existing, NOREPLACE, EXCHANGE
os.mkdir(p("d1")); os.mkdir(p("d2"))
with open(p("d1", "f"), "wb") as f: f.write(b"one")
with open(p("d2", "g"), "wb") as f: f.write(b"two")
os.rename(p("d1", "f"), p("d2", "f"))
assert not os.path.exists(p("d1", "f")) and open(p("d2", "f"), "rb").read() == b"one"
os.rename(p("d2", "f"), p("d2", "g"))
assert open(p("d2", "g"), "rb").read() == b"one" and not os.path.exists(p("d2", "f"))
libc = ctypes.CDLL(None, use_errno=True)
def renameat2(a, b, flags):
    r = libc.renameat2(-100, a.encode(), -100, b.encode(), flags)
    if r: raise OSError(ctypes.get_errno(), "renameat2")
with open(p("d2", "h"), "wb") as f: f.write(b"three")
expect_err(errno.EEXIST, renameat2, p("d2", "h"), p("d2", "g"), 1)   # RENAME_NOREPLACE
renameat2(p("d2", "h"), p("d2", "h2"), 1)
expect_err(errno.EINVAL, renameat2, p("d2", "h2"), p("d2", "g"), 2)  # RENAME_EXCHANGE
# directory rename, rmdir
os.rename(p("d1"), p("d3")); assert os.path.isdir(p("d3"))
expect_err(errno.ENOTEMPTY, os.rmdir, p("d2"))
os.rmdir(p("d3"))
expect_err(errno.ENOENT, os.stat, p("d3"))
# unlink
os.unlink(p("d2", "h2")); expect_err(errno.ENOENT, os.stat, p("d2", "h2"))
# chmod, utimens
os.chmod(p("d2", "g"), 0o600); assert stat.S_IMODE(os.stat(p("d2", "g")).st_mode) == 0o600
os.utime(p("d2", "g"), ns=(1000000000123456789, 1000000000123456789))
assert os.stat(p("d2", "g")).st_mtime_ns == 1000000000123456789
# utimens while a write is pending is not undone by the close
fd = os.open(p("d2", "g"), os.O_WRONLY); os.write(fd, b"ONE")
os.utime(p("d2", "g"), ns=(2000000000000000000, 2000000000000000000)); os.close(fd)
assert os.stat(p("d2", "g")).st_mtime_ns == 2000000000000000000
assert open(p("d2", "g"), "rb").read() == b"ONE"
# fsync
fd = os.open(p("sync.txt"), os.O_WRONLY | os.O_CREAT, 0o644); os.write(fd, b"s"); os.fsync(fd); os.close(fd)
# names: 255 bytes work, 256 fail with ENAMETOOLONG (never truncated)
n255, n256 = "n" * 251 + ".txt", "n" * 252 + ".txt"
with open(p(n255), "wb") as f: f.write(b"long")
assert open(p(n255), "rb").read() == b"long"
expect_err(errno.ENAMETOOLONG, os.open, p(n256), os.O_WRONLY | os.O_CREAT, 0o644)
expect_err(errno.ENAMETOOLONG, os.mkdir, p(n256))
expect_err(errno.ENAMETOOLONG, os.rename, p(n255), p(n256))
# quotes, newlines, non-UTF-8 bytes
odd = [b"quote'\";--.o", b"new\nline.o", b"\xff\xfe-nonutf8.o"]
for i, n in enumerate(odd):
    with open(os.path.join(m.encode(), n), "wb") as f: f.write(b"%d" % i)
names = os.listdir(m.encode())
for i, n in enumerate(odd):
    assert n in names, n
    assert open(os.path.join(m.encode(), n), "rb").read() == b"%d" % i
# refused node types
expect_err(errno.EPERM, os.symlink, "a.txt", p("sl"))
expect_err(errno.EPERM, os.link, p("a.txt"), p("hl"))
expect_err(errno.EPERM, os.mkfifo, p("fifo"))
# statfs
assert os.statvfs(m).f_namemax == 255
print("python checks passed")
PY
ok "file operations"

# the compiler pattern: write a temp file, rename it over the target
printf 'v1' > tmp.o.XXXX && mv tmp.o.XXXX x.o && printf 'v2' > tmp2 && mv -f tmp2 x.o
[ "$(cat x.o)" = v2 ] || fail "rename over existing"
ok "temp file + rename"

# everything survives a clean remount (.history is not compared: the
# clean unmount keeps the pending link, which adds a generation)
sum_before=$(cd "$MNT" && find . \( -name .linkfs-status -o -name .history \) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum 2>/dev/null)
cd /
umount_fs
mount_fs
sum_after=$(cd "$MNT" && find . \( -name .linkfs-status -o -name .history \) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum 2>/dev/null)
[ "$sum_before" = "$sum_after" ] || fail "contents changed across a remount"
ok "remount keeps contents"
