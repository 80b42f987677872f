#!/usr/bin/env python3
"""fsx.py - an fsx-style file exerciser of our own (xfstests' fsx is not
packaged in Debian 12). It keeps --files (3) files in DIR, each mirrored by
an in-memory model (a bytearray), and runs --ops random operations from a
seeded generator (--seed, printed; the same seed and arguments give the
same operations): writes at random offsets (up to 64 KiB, some past EOF,
leaving holes), ftruncate and truncate by path (grow and shrink), reads of
random ranges and of whole files checked byte for byte against the model
(and the size by fstat and stat), close+reopen, rename to another name and
back (with the descriptor open), fsync, and, with --remount-cmd, remounts.
Every file stays at most --size bytes long.

Remounts: --remount-cmd CMD is run with os.system() at random points
(probability --remount-prob per operation) with every file closed; it must
return once the old daemon has exited and the mount is live again, e.g.
`fusermount3 -u M && while pidof -q linkfs; do sleep 0.05; done && linkfs
-o store=S M` (without -f linkfs returns once mounted; not `pgrep -f`,
which matches the command's own shell). The files are then reopened and
fully verified. Alternatively --state DIR keeps the model in
DIR between runs: a run loads it and verifies every file first, and saves
it at the end, so a script can remount between runs itself (store-growth.sh
and fs-fsx.sh do: their daemon stays the test shell's child).

On the first mismatch or unexpected error it prints the last --log (50)
operations, the offset of the first differing byte, and exits 1. At the
end it prints the operations done per kind and the longest close() and
fsync() (`fsx: max_close_ms X`), and exits 0.

Leaves out: mmap, O_DIRECT, O_APPEND, fallocate/hole punching,
copy_file_range, several descriptors writing one file (in linkfs the last
commit wins), hard links, concurrency (fsstress.py) and any timing check.
"""
import argparse
import collections
import json
import os
import random
import sys
import time

MAX_WRITE = 64 * 1024


def parse_size(s):
    """4194304, 4M, 4MiB, 512K, 512KiB."""
    t = s.strip().upper().replace("IB", "").replace("B", "")
    mult = 1
    if t and t[-1] in "KMG":
        mult = 1024 ** ("KMG".index(t[-1]) + 1)
        t = t[:-1]
    return int(t) * mult


def first_diff(a, b):
    """Offset of the first differing byte of a and b (bytes-like), or -1
    when equal; a shorter one differs at its end."""
    n = min(len(a), len(b))
    ma, mb = memoryview(a), memoryview(b)
    step = 65536
    for o in range(0, n, step):
        if ma[o:o + step] != mb[o:o + step]:
            for i in range(o, min(o + step, n)):
                if ma[i] != mb[i]:
                    return i
    return -1 if len(a) == len(b) else n


class Failure(Exception):
    pass


class File:
    def __init__(self, d, i):
        self.names = [os.path.join(d, "fsx%d" % i), os.path.join(d, "fsx%d.renamed" % i)]
        self.cur = 0
        self.fd = -1
        self.model = bytearray()

    @property
    def path(self):
        return self.names[self.cur]


class Fsx:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.files = [File(a.dir, i) for i in range(a.files)]
        self.log = collections.deque(maxlen=a.log)
        self.counts = collections.Counter()
        self.n = 0
        self.max_close = 0.0
        self.max_fsync = 0.0
        self.bytes_written = 0

    # ---- helpers
    def note(self, s):
        line = "%6d %s" % (self.n, s)
        self.log.append(line)
        if self.a.verbose:
            print(line, flush=True)

    def fail(self, msg):
        raise Failure(msg)

    def open(self, f, create=False):
        flags = os.O_RDWR | (os.O_CREAT | os.O_TRUNC if create else 0)
        f.fd = os.open(f.path, flags, 0o644)

    def close(self, f):
        t = time.perf_counter()
        os.close(f.fd)     # its error is the commit's
        self.max_close = max(self.max_close, time.perf_counter() - t)
        f.fd = -1

    def read_range(self, fd, off, length):
        out = bytearray()
        while len(out) < length:
            b = os.pread(fd, length - len(out), off + len(out))
            if not b:
                break
            out += b
        return out

    def check(self, f, off, length, got, what):
        """got: what a read of [off, off+length) returned (short at EOF)."""
        exp = f.model[off:off + length]
        d = first_diff(got, exp)
        if d >= 0:
            g = got[d:d + 16].hex() if d < len(got) else "(EOF)"
            w = exp[d:d + 16].hex() if d < len(exp) else "(EOF)"
            self.fail("%s of %s [%d, +%d): first differing byte at file offset %d "
                      "(read returned %d bytes, the model has %d there; model size %d)\n"
                      "  read:  %s\n  model: %s"
                      % (what, f.path, off, length, off + d, len(got), len(exp),
                         len(f.model), g, w))

    def verify_whole(self, f, what):
        st = os.fstat(f.fd)
        if st.st_size != len(f.model):
            self.fail("%s of %s: fstat size %d, the model's %d"
                      % (what, f.path, st.st_size, len(f.model)))
        st = os.stat(f.path)
        if st.st_size != len(f.model):
            self.fail("%s of %s: stat size %d, the model's %d"
                      % (what, f.path, st.st_size, len(f.model)))
        length = len(f.model) + 4096     # a read past the end is checked too
        self.check(f, 0, length, self.read_range(f.fd, 0, length), what)

    # ---- operations
    def op_write(self, f):
        size, mx = len(f.model), self.a.size
        r = self.rng.random()
        if r < 0.6:                     # inside or at the end
            off = self.rng.randint(0, size)
        elif r < 0.85:                  # past the end: a hole
            off = size + self.rng.randint(1, 256 * 1024)
        else:                           # anywhere in the bound
            off = self.rng.randrange(mx)
        off = min(off, mx - 1)
        length = min(self.rng.randint(1, MAX_WRITE), mx - off)
        data = self.rng.randbytes(length)
        self.note("write %s off=%d len=%d (size %d)" % (f.path, off, length, size))
        done = 0
        while done < length:
            done += os.pwrite(f.fd, data[done:], off + done)
        if off > size:
            f.model.extend(bytes(off - size))
        f.model[off:off + length] = data
        self.bytes_written += length

    def new_size(self, f):
        size = len(f.model)
        if self.rng.random() < 0.5 and size > 0:
            return self.rng.randint(0, size)                      # shrink
        return min(self.a.size, size + self.rng.randint(0, 1024 * 1024))   # grow

    def resize(self, f, ns):
        if ns < len(f.model):
            del f.model[ns:]
        else:
            f.model.extend(bytes(ns - len(f.model)))

    def op_truncate(self, f):
        ns = self.new_size(f)
        self.note("ftruncate %s %d -> %d" % (f.path, len(f.model), ns))
        os.ftruncate(f.fd, ns)
        self.resize(f, ns)

    def op_ptruncate(self, f):
        ns = self.new_size(f)
        self.note("truncate(path) %s %d -> %d (descriptor open)" % (f.path, len(f.model), ns))
        os.truncate(f.path, ns)
        self.resize(f, ns)

    def op_read(self, f):
        size = len(f.model)
        off = self.rng.randint(0, size + 1024) if self.rng.random() < 0.9 else \
            self.rng.randint(0, size + 256 * 1024)
        length = self.rng.randint(1, 2 * MAX_WRITE)
        self.note("read %s off=%d len=%d (size %d)" % (f.path, off, length, size))
        self.check(f, off, length, self.read_range(f.fd, off, length), "read")

    def op_readall(self, f):
        self.note("read whole %s (size %d)" % (f.path, len(f.model)))
        self.verify_whole(f, "whole-file read")

    def op_reopen(self, f):
        self.note("close+reopen %s" % f.path)
        self.close(f)
        self.open(f)
        st = os.fstat(f.fd)
        if st.st_size != len(f.model):
            self.fail("after close+reopen of %s: size %d, the model's %d"
                      % (f.path, st.st_size, len(f.model)))

    def op_rename(self, f):
        old = f.path
        f.cur ^= 1
        self.note("rename %s -> %s (descriptor open)" % (old, f.path))
        os.rename(old, f.path)
        if os.path.lexists(old):
            self.fail("after rename %s -> %s: the old name still exists" % (old, f.path))
        if os.stat(f.path).st_ino != os.fstat(f.fd).st_ino:
            self.fail("after rename %s -> %s: the new name is another inode" % (old, f.path))

    def op_fsync(self, f):
        self.note("fsync %s" % f.path)
        t = time.perf_counter()
        os.fsync(f.fd)
        self.max_fsync = max(self.max_fsync, time.perf_counter() - t)

    def op_remount(self, f):
        self.note("remount: %s" % self.a.remount_cmd)
        for g in self.files:
            self.close(g)
        rc = os.system(self.a.remount_cmd)
        if rc != 0:
            self.fail("remount command failed (status %d): %s" % (rc, self.a.remount_cmd))
        for g in self.files:
            self.open(g)
            self.verify_whole(g, "after remount, whole-file read")

    # ---- the run
    def start(self):
        if self.a.state and os.path.exists(os.path.join(self.a.state, "model.json")):
            st = json.load(open(os.path.join(self.a.state, "model.json")))
            if len(st["cur"]) != len(self.files):
                self.fail("--state holds %d files, --files says %d"
                          % (len(st["cur"]), len(self.files)))
            for i, f in enumerate(self.files):
                f.cur = st["cur"][i]
                with open(os.path.join(self.a.state, "f%d" % i), "rb") as m:
                    f.model = bytearray(m.read())
            self.note("loaded the model from %s: verifying every file" % self.a.state)
            for f in self.files:
                other = f.names[f.cur ^ 1]
                if os.path.lexists(other):
                    self.fail("%s exists: the file is named %s" % (other, f.path))
                self.open(f)
                self.verify_whole(f, "at start (after the remount), whole-file read")
        else:
            for f in self.files:
                for p in f.names:
                    if os.path.lexists(p):
                        os.unlink(p)
                self.open(f, create=True)
            self.note("created %d empty files" % len(self.files))

    def save(self):
        if not self.a.state:
            return
        os.makedirs(self.a.state, exist_ok=True)
        for i, f in enumerate(self.files):
            with open(os.path.join(self.a.state, "f%d" % i), "wb") as m:
                m.write(f.model)
        with open(os.path.join(self.a.state, "model.json.tmp"), "w") as m:
            json.dump({"cur": [f.cur for f in self.files]}, m)
        os.replace(os.path.join(self.a.state, "model.json.tmp"),
                   os.path.join(self.a.state, "model.json"))

    def run(self):
        ops = [("write", 30), ("truncate", 6), ("ptruncate", 2), ("read", 25),
               ("readall", 4), ("reopen", 5), ("rename", 4), ("fsync", 3)]
        names = [o for o, _ in ops]
        weights = [w for _, w in ops]
        self.start()
        for self.n in range(1, self.a.ops + 1):
            if self.a.remount_cmd and self.rng.random() < self.a.remount_prob:
                op = "remount"
            else:
                op = self.rng.choices(names, weights)[0]
            f = self.rng.choice(self.files)
            try:
                getattr(self, "op_" + op)(f)
            except OSError as e:
                self.fail("%s failed: %s" % (op, e))
            self.counts[op] += 1
        self.n += 1
        self.note("final: close, reopen and verify every file")
        for f in self.files:
            self.close(f)
        for f in self.files:
            self.open(f)
            self.verify_whole(f, "final whole-file read")
            os.close(f.fd)
            f.fd = -1
        self.save()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", help="directory to work in (inside the mount)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--ops", type=int, default=10000)
    p.add_argument("--size", type=parse_size, default=4 * 1024 * 1024,
                   help="bound of each file's size (bytes; K/M suffixes)")
    p.add_argument("--files", type=int, default=3)
    p.add_argument("--remount-cmd", default=None)
    p.add_argument("--remount-prob", type=float, default=0.002)
    p.add_argument("--state", default=None, help="load/save the model here")
    p.add_argument("--log", type=int, default=50, help="operations shown on failure")
    p.add_argument("-v", "--verbose", action="store_true")
    a = p.parse_args()
    if a.seed is None:
        a.seed = int.from_bytes(os.urandom(4), "little")
    if a.size < 1 or a.files < 1:
        p.error("--size and --files must be positive")
    print("fsx: seed %d, %d ops, %d files of at most %d bytes in %s%s"
          % (a.seed, a.ops, a.files, a.size, a.dir,
             " (model in %s)" % a.state if a.state else ""), flush=True)
    x = Fsx(a)
    t0 = time.perf_counter()
    try:
        x.run()
    except Failure as e:
        print("fsx: FAILED at operation %d (seed %d): %s" % (x.n, a.seed, e))
        print("fsx: the last %d operations:" % len(x.log))
        for line in x.log:
            print("  " + line)
        sys.exit(1)
    print("fsx: ok, %d ops in %.1f s, %d bytes written; done per kind: %s"
          % (a.ops, time.perf_counter() - t0, x.bytes_written,
             ", ".join("%s %d" % kv for kv in sorted(x.counts.items()))))
    print("fsx: final sizes: %s" % ", ".join("%s %d" % (os.path.basename(f.path), len(f.model))
                                            for f in x.files))
    print("fsx: max_close_ms %.1f max_fsync_ms %.1f" % (x.max_close * 1000, x.max_fsync * 1000))


if __name__ == "__main__":
    main()
