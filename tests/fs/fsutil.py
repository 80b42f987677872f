"""fsutil.py - helpers shared by the python parts of the mount tests
(lib.sh puts tests/fs on PYTHONPATH)."""
import errno
import os
import sys
import time


def link_errors(log):
    """What the link said: link.log (bytes) without its "option" lines
    (docs/formats.md, "link.log"); b"" after a clean link."""
    return b"".join(l for l in log.splitlines(True)
                    if not l.startswith(b"option "))


def expect_err(code, fn, *a):
    """Calls fn(*a) and asserts it fails with errno code."""
    try:
        fn(*a)
    except OSError as e:
        assert e.errno == code, "%s%r: errno %s, want %s" % (
            fn.__name__, a, errno.errorcode.get(e.errno), errno.errorcode[code])
        return
    raise AssertionError("%s%r succeeded, want %s" % (fn.__name__, a, errno.errorcode[code]))


def flag(d, n):
    """Raises flag n: creates the empty file d/n."""
    open(os.path.join(d, n), "w").close()


def wait_flag(d, n, who):
    """Waits (at most 30 s) until flag n is raised; exits naming who."""
    for _ in range(3000):
        if os.path.exists(os.path.join(d, n)):
            return
        time.sleep(0.01)
    sys.exit("%s: no %s flag" % (who, n))


# ---- big files: a deterministic generator, written and hashed in blocks
# (never the whole file in memory)
BLOCK = 1 << 20
_POOL = 4 << 20


def gen_blocks(seed, size, bs=BLOCK):
    """Yields the SIZE bytes of the file SEED in blocks of BS bytes: each
    block is a slice of a seeded random pool (at an offset chosen by the
    block's index) that starts with the seed and the index, so no two
    blocks of a file, and no two files, are alike."""
    import random
    import struct
    pool = random.Random(seed).randbytes(_POOL + bs)
    i = 0
    left = size
    while left > 0:
        n = min(bs, left)
        off = (i * 2654435761 + seed * 40503) % _POOL
        b = struct.pack("<QQ", seed, i) + pool[off + 16:off + n]
        yield b[:n]
        left -= n
        i += 1


def write_big(path, seed, size, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC):
    """Writes the file SEED of SIZE bytes at PATH in 1 MiB writes, hashing
    as it goes. Returns (sha256 hex, seconds of the writes, seconds of the
    close). An OSError names the offset it failed at (e.offset)."""
    import hashlib
    h = hashlib.sha256()
    fd = os.open(path, flags, 0o644)
    t = time.monotonic()
    done = 0
    try:
        for b in gen_blocks(seed, size):
            h.update(b)
            m = memoryview(b)
            while m:
                n = os.write(fd, m)
                m = m[n:]
                done += n
    except OSError as e:
        e.offset = done
        try:
            os.close(fd)
        except OSError:
            pass
        raise
    t_w = time.monotonic() - t
    t = time.monotonic()
    try:
        os.close(fd)
    except OSError as e:
        e.offset = done
        raise
    return h.hexdigest(), t_w, time.monotonic() - t


def hash_big(path, bs=BLOCK):
    """(sha256 hex, bytes read, seconds) of the file at PATH."""
    import hashlib
    h = hashlib.sha256()
    n = 0
    t = time.monotonic()
    with open(path, "rb", buffering=0) as f:
        while True:
            b = f.read(bs)
            if not b:
                break
            h.update(b)
            n += len(b)
    return h.hexdigest(), n, time.monotonic() - t


def first_diff(path, seed, size):
    """The offset of the first byte at PATH that differs from the file
    SEED of SIZE bytes (its length if PATH is a prefix), or None."""
    off = 0
    with open(path, "rb", buffering=0) as f:
        for b in gen_blocks(seed, size):
            got = f.read(len(b))
            if got != b:
                for k in range(min(len(got), len(b))):
                    if got[k] != b[k]:
                        return off + k
                return off + min(len(got), len(b))
            off += len(b)
        if f.read(1):
            return size
    return None


def time_small_closes(d, tag, n=20, size=4096):
    """Writes N files of SIZE bytes into D and times each close():
    (median ms, max ms). The files are removed again."""
    ms = []
    for i in range(n):
        p = os.path.join(d, "small-%s-%d" % (tag, i))
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, bytes([i & 255]) * size)
        t = time.monotonic()
        os.close(fd)
        ms.append((time.monotonic() - t) * 1000)
        os.unlink(p)
    ms.sort()
    return ms[len(ms) // 2], ms[-1]
