#!/usr/bin/env python3
"""fsstress.py - an fsstress-style load of our own (xfstests' fsstress and
LTP are not packaged in Debian 12): --procs (4) processes for --seconds
(60) (or --ops each) run random operations in DIR, each in its own
subtree DIR/p<N>, of which it keeps a model (every file's content, every
directory): create files with random sizes (most small, some up to
--max-file, 4 MiB), overwrite (in place or O_TRUNC), append (O_APPEND),
truncate (by path and ftruncate), rename files (to new names and over
other files) and directories, unlink, mkdir, rmdir (a non-empty one must
fail with ENOTEMPTY), read back a file (sha256 and size) or list a
directory against the model, and two writers of one open file: one that
dup()s its descriptor, writes through both and closes the duplicate
before it finishes, and one that fork()s a child that writes its part of
the file and exits. After the duplicate's close or the child's exit a new
reader must see what was written so far. At the end every process checks
its whole subtree against the model (names, sizes, sha256).

Any error other than the one an operation is meant to get is a failure:
the process prints its last operations and the run exits 1. Seeded
(--seed, printed); with --ops instead of --seconds the operations are the
same for the same seed. Prints a summary: operations (per kind), bytes
written, live bytes at the end, the longest close() (`fsstress:
max_close_ms X`).

Leaves out: operations across processes' subtrees (no races on names, so
no error is legitimate), hard links, symlinks, xattrs, mmap, O_DIRECT,
fallocate, and any timing check.
"""
import argparse
import collections
import errno
import hashlib
import json
import os
import random
import shutil
import sys
import time

MiB = 1024 * 1024


class Failure(Exception):
    pass


class Worker:
    def __init__(self, root, idx, a):
        self.a = a
        self.base = os.path.join(root, "p%d" % idx)
        self.rng = random.Random("%d-%d" % (a.seed, idx))
        self.files = {}          # relative path -> bytearray
        self.dirs = [""]         # relative paths; "" is the subtree's root
        self.counter = 0
        self.counts = collections.Counter()
        self.written = 0
        self.max_close = 0.0
        self.log = collections.deque(maxlen=40)
        self.n = 0

    # ---- helpers
    def p(self, rel):
        return os.path.join(self.base, rel) if rel else self.base

    def note(self, s):
        self.log.append("%6d %s" % (self.n, s))

    def fail(self, s):
        raise Failure(s)

    def name(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def live(self):
        return sum(len(v) for v in self.files.values())

    def rand_size(self):
        """Most small, some large, none over --max-file."""
        r, mx = self.rng.random(), self.a.max_file
        lo, hi = ((0, 16 * 1024) if r < 0.6 else (16 * 1024, 512 * 1024) if r < 0.9 else
                  (512 * 1024, 2 * MiB) if r < 0.98 else (2 * MiB, mx))
        return self.rng.randint(min(lo, mx), min(hi, mx))

    def data(self, n):
        self.written += n
        return self.rng.randbytes(n)

    def write_all(self, fd, data, off=None):
        """Writes data in random pieces (4 KiB..256 KiB); at off by pwrite."""
        done = 0
        while done < len(data):
            piece = data[done:done + self.rng.randint(4096, 256 * 1024)]
            if off is None:
                done += os.write(fd, piece)
            else:
                done += os.pwrite(fd, piece, off + done)

    def close(self, fd):
        t = time.perf_counter()
        os.close(fd)
        self.max_close = max(self.max_close, time.perf_counter() - t)

    def read_file(self, rel):
        with open(self.p(rel), "rb") as f:
            return f.read()

    def expect_content(self, rel, want, what):
        got = self.read_file(rel)
        if got != want:
            d = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]),
                     min(len(got), len(want)))
            self.fail("%s: %s has %d bytes (sha256 %s), the model %d (sha256 %s); "
                      "first differing byte at %d"
                      % (what, rel, len(got), hashlib.sha256(got).hexdigest()[:16],
                         len(want), hashlib.sha256(want).hexdigest()[:16], d))

    def pick_file(self):
        return self.rng.choice(list(self.files)) if self.files else None

    def depth(self, rel):
        return rel.count("/") + 1 if rel else 0

    def under(self, rel, d):
        return rel == d or rel.startswith(d + "/")

    # ---- operations; each returns False when it does not apply now
    def op_create(self):
        d = self.rng.choice(self.dirs)
        rel = os.path.join(d, self.name("f"))
        data = self.data(self.rand_size())
        self.note("create %s %d bytes" % (rel, len(data)))
        fd = os.open(self.p(rel), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        self.write_all(fd, data)
        self.close(fd)
        self.files[rel] = bytearray(data)

    def op_overwrite(self):
        rel = self.pick_file()
        if rel is None:
            return False
        m = self.files[rel]
        if self.rng.random() < 0.4:
            data = self.data(self.rand_size())
            self.note("overwrite %s with O_TRUNC: %d bytes" % (rel, len(data)))
            fd = os.open(self.p(rel), os.O_WRONLY | os.O_TRUNC)
            self.write_all(fd, data)
            self.close(fd)
            self.files[rel] = bytearray(data)
            return
        fd = os.open(self.p(rel), os.O_WRONLY)
        for _ in range(self.rng.randint(1, 4)):
            off = self.rng.randint(0, min(len(m) + 64 * 1024, self.a.max_file - 1))
            n = min(self.rng.randint(1, 256 * 1024), self.a.max_file - off)
            data = self.data(n)
            self.note("overwrite %s at %d: %d bytes (size %d)" % (rel, off, n, len(m)))
            self.write_all(fd, data, off)
            if off > len(m):
                m.extend(bytes(off - len(m)))
            m[off:off + n] = data
        self.close(fd)

    def op_append(self):
        rel = self.pick_file()
        if rel is None:
            return False
        m = self.files[rel]
        n = min(self.rng.randint(1, 256 * 1024), self.a.max_file - len(m))
        if n <= 0:
            return False
        data = self.data(n)
        self.note("append %s: %d bytes (size %d)" % (rel, n, len(m)))
        fd = os.open(self.p(rel), os.O_WRONLY | os.O_APPEND)
        self.write_all(fd, data)
        self.close(fd)
        m.extend(data)

    def op_truncate(self):
        rel = self.pick_file()
        if rel is None:
            return False
        m = self.files[rel]
        if m and (self.rng.random() < 0.6 or self.live() > self.a.live_cap):
            ns = self.rng.randint(0, len(m))
        else:
            ns = min(self.a.max_file, len(m) + self.rng.randint(0, MiB))
        if self.rng.random() < 0.5:
            self.note("truncate(path) %s %d -> %d" % (rel, len(m), ns))
            os.truncate(self.p(rel), ns)
        else:
            self.note("ftruncate %s %d -> %d" % (rel, len(m), ns))
            fd = os.open(self.p(rel), os.O_WRONLY)
            os.ftruncate(fd, ns)
            self.close(fd)
        if ns < len(m):
            del m[ns:]
        else:
            m.extend(bytes(ns - len(m)))

    def op_rename_file(self):
        rel = self.pick_file()
        if rel is None:
            return False
        others = [f for f in self.files if f != rel]
        if others and self.rng.random() < 0.3:
            to = self.rng.choice(others)             # over another file
        else:
            to = os.path.join(self.rng.choice(self.dirs), self.name("f"))
        self.note("rename %s -> %s%s" % (rel, to, " (replacing it)" if to in self.files else ""))
        os.rename(self.p(rel), self.p(to))
        self.files[to] = self.files.pop(rel)

    def op_rename_dir(self):
        cands = [d for d in self.dirs if d]
        if not cands:
            return False
        d = self.rng.choice(cands)
        parents = [t for t in self.dirs if not self.under(t, d)]
        t = self.rng.choice(parents)
        sub = max(self.depth(x) for x in self.dirs if self.under(x, d)) - self.depth(d)
        if self.depth(t) + 1 + sub > 5:
            return False
        to = os.path.join(t, self.name("d"))
        self.note("rename dir %s -> %s" % (d, to))
        os.rename(self.p(d), self.p(to))
        move = lambda x: to + x[len(d):] if self.under(x, d) else x
        self.dirs = [move(x) for x in self.dirs]
        self.files = {move(k): v for k, v in self.files.items()}

    def op_unlink(self):
        rel = self.pick_file()
        if rel is None:
            return False
        self.note("unlink %s" % rel)
        os.unlink(self.p(rel))
        del self.files[rel]

    def op_mkdir(self):
        parents = [d for d in self.dirs if self.depth(d) < 4]
        if len(self.dirs) >= 24 or not parents:
            return False
        rel = os.path.join(self.rng.choice(parents), self.name("d"))
        self.note("mkdir %s" % rel)
        os.mkdir(self.p(rel))
        self.dirs.append(rel)

    def op_rmdir(self):
        cands = [d for d in self.dirs if d]
        if not cands:
            return False
        d = self.rng.choice(cands)
        empty = not any(self.under(x, d) and x != d for x in self.dirs) and \
            not any(self.under(f, d) for f in self.files)
        self.note("rmdir %s (%s)" % (d, "empty" if empty else "not empty: want ENOTEMPTY"))
        if empty:
            os.rmdir(self.p(d))
            self.dirs.remove(d)
            return
        try:
            os.rmdir(self.p(d))
        except OSError as e:
            if e.errno != errno.ENOTEMPTY:
                raise
            return
        self.fail("rmdir of the non-empty %s succeeded" % d)

    def split3(self, data):
        a = self.rng.randint(0, len(data))
        b = self.rng.randint(a, len(data))
        return data[:a], data[a:b], data[b:]

    def target(self):
        """An existing file (rewritten with O_TRUNC) or a new one."""
        rel = self.pick_file()
        if rel is None or self.rng.random() < 0.5:
            rel = os.path.join(self.rng.choice(self.dirs), self.name("f"))
        return rel

    def op_dupwrite(self):
        rel = self.target()
        data = self.data(self.rand_size())
        a, b, c = self.split3(data)
        self.note("dup-write %s: %d bytes by fd, %d by dup, close dup, %d by fd"
                  % (rel, len(a), len(b), len(c)))
        fd = os.open(self.p(rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.write_all(fd, a)
        fd2 = os.dup(fd)
        self.write_all(fd2, b)
        self.close(fd2)
        self.expect_content(rel, a + b, "after the duplicate's close")
        self.write_all(fd, c)
        self.close(fd)
        self.files[rel] = bytearray(data)

    def op_forkwrite(self):
        rel = self.target()
        data = self.data(self.rand_size())
        a, b, c = self.split3(data)
        self.note("fork-write %s: %d bytes by the parent, %d by a child, %d by the parent"
                  % (rel, len(a), len(b), len(c)))
        fd = os.open(self.p(rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.write_all(fd, a, 0)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                done = 0
                while done < len(b):
                    done += os.pwrite(fd, b[done:], len(a) + done)
                code = 0
            except BaseException as e:   # noqa: the child reports and exits
                sys.stderr.write("fork-write child: %s\n" % e)
            finally:
                os._exit(code)           # exiting closes (flushes) its fd
        _, st = os.waitpid(pid, 0)
        if not os.WIFEXITED(st) or os.WEXITSTATUS(st) != 0:
            self.fail("fork-write: the child failed (status %#x)" % st)
        self.expect_content(rel, a + b, "after the writing child exited")
        self.write_all(fd, c, len(a) + len(b))
        self.close(fd)
        self.files[rel] = bytearray(data)

    def op_verify(self):
        rel = self.pick_file()
        if rel is None:
            return False
        self.note("verify %s (%d bytes)" % (rel, len(self.files[rel])))
        sz = os.stat(self.p(rel)).st_size
        if sz != len(self.files[rel]):
            self.fail("stat of %s: size %d, the model's %d" % (rel, sz, len(self.files[rel])))
        self.expect_content(rel, self.files[rel], "verify")

    def op_listdir(self):
        d = self.rng.choice(self.dirs)
        self.note("listdir %s" % (d or "."))
        want = {os.path.basename(x) for x in list(self.dirs) + list(self.files)
                if x and os.path.dirname(x) == d}
        got = set(os.listdir(self.p(d)))
        if got != want:
            self.fail("listdir %s: extra %s, missing %s"
                      % (d or ".", sorted(got - want), sorted(want - got)))

    # ---- the run
    OPS = [("create", 20), ("overwrite", 10), ("append", 8), ("truncate", 6),
           ("rename_file", 6), ("rename_dir", 2), ("unlink", 6), ("mkdir", 4),
           ("rmdir", 3), ("dupwrite", 4), ("forkwrite", 3), ("verify", 5),
           ("listdir", 2)]

    def final_check(self):
        self.note("final check of the whole subtree")
        seen_dirs, seen_files = [], {}
        for top, dirs, files in os.walk(self.base):
            rel = os.path.relpath(top, self.base)
            rel = "" if rel == "." else rel
            seen_dirs.append(rel)
            for f in files:
                seen_files[os.path.join(rel, f)] = os.lstat(os.path.join(top, f)).st_size
        if sorted(seen_dirs) != sorted(self.dirs):
            self.fail("directories: extra %s, missing %s"
                      % (sorted(set(seen_dirs) - set(self.dirs)),
                         sorted(set(self.dirs) - set(seen_dirs))))
        if set(seen_files) != set(self.files):
            self.fail("files: extra %s, missing %s"
                      % (sorted(set(seen_files) - set(self.files)),
                         sorted(set(self.files) - set(seen_files))))
        for rel, m in self.files.items():
            if seen_files[rel] != len(m):
                self.fail("final: %s has size %d, the model %d" % (rel, seen_files[rel], len(m)))
            got = hashlib.sha256(self.read_file(rel)).hexdigest()
            if got != hashlib.sha256(m).hexdigest():
                self.expect_content(rel, m, "final check")   # says where

    def run(self, deadline):
        if os.path.lexists(self.base):
            shutil.rmtree(self.base)
        os.mkdir(self.base)
        names = [o for o, _ in self.OPS]
        weights = [w for _, w in self.OPS]
        while (self.a.ops == 0 or self.n < self.a.ops) and time.monotonic() < deadline:
            self.n += 1
            if self.live() > self.a.live_cap:
                op = self.rng.choice(["unlink", "truncate"])
            else:
                op = self.rng.choices(names, weights)[0]
            try:
                if getattr(self, "op_" + op)() is False:
                    continue
            except OSError as e:
                self.fail("%s: %s" % (op, e))
            self.counts[op] += 1
        self.final_check()


def child(root, idx, a, deadline, wfd):
    w = Worker(root, idx, a)
    out = {"idx": idx, "ok": True}
    try:
        w.run(deadline)
    except Failure as e:
        out["ok"] = False
        out["error"] = str(e)
    except Exception as e:       # a bug in the tool itself: report it too
        out["ok"] = False
        out["error"] = "%s: %s" % (type(e).__name__, e)
    out.update(ops=sum(w.counts.values()), counts=dict(w.counts), written=w.written,
               live=w.live(), files=len(w.files), dirs=len(w.dirs),
               max_close=w.max_close, log=list(w.log), at=w.n)
    os.write(wfd, json.dumps(out).encode())
    os.close(wfd)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dir", help="directory to work in (inside the mount)")
    p.add_argument("--procs", type=int, default=4)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--ops", type=int, default=0, help="operations per process (0: by time)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--max-file", type=int, default=4 * MiB)
    p.add_argument("--live-cap", type=int, default=48 * MiB,
                   help="live bytes per process above which it unlinks or truncates")
    a = p.parse_args()
    if a.seed is None:
        a.seed = int.from_bytes(os.urandom(4), "little")
    if a.ops:
        a.seconds = float("inf")
    print("fsstress: seed %d, %d processes, %s in %s"
          % (a.seed, a.procs, "%d ops each" % a.ops if a.ops else "%g s" % a.seconds, a.dir),
          flush=True)
    t0 = time.monotonic()
    deadline = t0 + a.seconds
    kids = []
    for i in range(a.procs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            code = 1
            try:
                child(a.dir, i, a, deadline, w)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        kids.append((pid, r))
    results, bad = [], 0
    for pid, r in kids:
        chunks = []
        while True:
            b = os.read(r, 1 << 16)
            if not b:
                break
            chunks.append(b)
        os.close(r)
        _, st = os.waitpid(pid, 0)
        try:
            res = json.loads(b"".join(chunks))
        except ValueError:
            print("fsstress: a process died without a report (status %#x)" % st)
            bad += 1
            continue
        results.append(res)
    counts = collections.Counter()
    for res in results:
        counts.update(res["counts"])
        print("fsstress: p%d: %s: %d ops, %d bytes written, %d live bytes in %d files "
              "and %d dirs, longest close %.1f ms"
              % (res["idx"], "ok" if res["ok"] else "FAILED", res["ops"], res["written"],
                 res["live"], res["files"], res["dirs"], res["max_close"] * 1000))
        if not res["ok"]:
            bad += 1
            print("fsstress: p%d FAILED at operation %d: %s" % (res["idx"], res["at"], res["error"]))
            print("fsstress: p%d's last operations:" % res["idx"])
            for line in res["log"]:
                print("  " + line)
    print("fsstress: %d ops in %.1f s, %d bytes written, %d live bytes at the end; per kind: %s"
          % (sum(r["ops"] for r in results), time.monotonic() - t0,
             sum(r["written"] for r in results), sum(r["live"] for r in results),
             ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    print("fsstress: max_close_ms %.1f"
          % (max([r["max_close"] for r in results] or [0]) * 1000))
    if bad:
        print("fsstress: FAILED (%d of %d processes; seed %d)" % (bad, a.procs, a.seed))
        sys.exit(1)
    print("fsstress: ok")


if __name__ == "__main__":
    main()
