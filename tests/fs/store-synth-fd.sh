#!/bin/sh
# store-synth-fd: stat and read through one descriptor of a.out never
# disagree (issue 20, item 5). Each open of a.out is a snapshot; fstat of
# a descriptor reports the size of the snapshot it reads, whatever opens
# and relinks come meanwhile, and a stat by path shows the current result.
# Deterministic (no races): lib.o is replaced by variants that change
# a.out's size (temp file + mv over, or cp over), and after each step
# every open descriptor is checked with fstat, read, pread (also past
# the smaller size), lseek(SEEK_END) and a private mmap (in a child: a
# SIGBUS must not end the test), and the path with stat, against the
# image linkfs-ld makes of the objects that were current at its open.
# Sequences: an older descriptor and a newer one (larger, then smaller),
# and a reopen of the older one through /proc/self/fd (no lookup);
# the older one read partly before the relink and to its end after; the
# runner (macho-run, which sizes its read with fstat) on a.out while an
# older descriptor is open; seven relinks with every descriptor kept open,
# back to an older result too, then closed in mixed order.
# Needs LINKFS, LINKFS_LD and MACHO_RUN.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
[ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ] || skip "LINKFS_LD is not set"
[ -n "${MACHO_RUN:-}" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
mount_fs

S=$T/src
mkdir "$S" "$MNT/d" || fail "mkdir"
cat > "$S/main.c" <<'C'
#include <stdio.h>
const char *lib(void);
int main(void) { printf("lib %s\n", lib()); return 0; }
C
# v0 is the smallest; the others add a constant array of N KiB, so each
# relink moves a.out's size up or down by pages
V="v0:0 v1:64 v2:8 v3:128 v4:24 v5:40"
for vn in $V; do
	v=${vn%%:*} n=${vn#*:}
	if [ "$n" = 0 ]; then
		printf 'const char *lib(void) { return "%s"; }\n' "$v" > "$S/$v.c"
	else
		cat > "$S/$v.c" <<C
const unsigned char big[$n * 1024] = { 1, 2, 3 };
const char *lib(void) { return big[1] ? "$v" : "?"; }
C
	fi
done
for f in main v0 v1 v2 v3 v4 v5; do
	cc_macho "$S/$f.c" "$S/$f.o" || fail "clang $f.c"
done
for vn in $V; do
	v=${vn%%:*}
	mkdir "$T/$v" && cp "$S/main.o" "$T/$v/" && cp "$S/$v.o" "$T/$v/lib.o" &&
		(cd "$T/$v" && "$LINKFS_LD" -o a.out lib.o main.o) ||
		fail "linkfs-ld ($v)"
done
cp "$S/main.o" "$MNT/d/" && cp "$S/v0.o" "$MNT/d/lib.o" || fail "cp"

cat > "$T/check.py" <<'EOF'
import mmap, os, signal, subprocess, sys
mnt, tdir, run = sys.argv[1], sys.argv[2], sys.argv[3]
D = mnt + "/d"
A_OUT = D + "/a.out"
V = ["v0", "v1", "v2", "v3", "v4", "v5"]
img = {}
for v in V:
    with open("%s/%s/a.out" % (tdir, v), "rb") as f:
        img[v] = f.read()
assert len(set(len(b) for b in img.values())) == len(V), "variant sizes collide"
print("image sizes: " + ", ".join("%s %d" % (v, len(img[v])) for v in V))
failures = []
cur = None

def bad(msg):
    failures.append(msg)
    print("FAIL " + msg, file=sys.stderr)

def name(b):
    for v in V:
        if b == img[v]:
            return v
    return "none of the images (%d bytes)" % len(b)

def relink(v, how):
    """Makes lib.o variant v: clang's way (temp + rename) or cp over."""
    global cur
    src = "%s/src/%s.o" % (tdir, v)
    if how == "mv":
        subprocess.check_call(["cp", src, D + "/.lib.tmp"])
        os.rename(D + "/.lib.tmp", D + "/lib.o")
    else:
        subprocess.check_call(["cp", src, D + "/lib.o"])
    cur = v

def path_stat(tag):
    got = os.stat(A_OUT).st_size
    if got != len(img[cur]):
        bad("%s: stat(a.out) size %d, want %d (the current result, %s)"
            % (tag, got, len(img[cur]), cur))

def mmap_child(fd, size):
    """Maps fd privately (size bytes) in a child; returns its bytes or a
    description of how it failed (a SIGBUS kills only the child)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            m = mmap.mmap(fd, size, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)
            data = m[:]
        except OSError as e:
            data = b"E" + str(e).encode()
        else:
            data = b"D" + data
        while data:
            data = data[os.write(w, data):]
        os._exit(0)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 1 << 20)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    _, st = os.waitpid(pid, 0)
    out = b"".join(chunks)
    if os.WIFSIGNALED(st):
        return "killed by %s" % signal.Signals(os.WTERMSIG(st)).name
    if out[:1] == b"E":
        return "mmap failed: " + out[1:].decode()
    return out[1:]

def check(tag, fd, v):
    """fd must be the snapshot of variant v, by every means."""
    want = img[v]
    st = os.fstat(fd).st_size
    data = os.pread(fd, len(want) + 65536, 0)
    if st != len(want) or data != want:
        bad("%s (%s): fstat size %d, pread gives %d bytes (%s)"
            % (tag, v, st, len(data), name(data)))
    for off in (len(want) - 100, len(want), len(want) + 4096):
        got = os.pread(fd, 8192, off)
        if got != want[off:off + 8192]:
            bad("%s (%s): pread at %d gives %d bytes, want %d"
                % (tag, v, off, len(got), len(want[off:off + 8192])))
    end = os.lseek(fd, 0, os.SEEK_END)
    if end != len(want):
        bad("%s (%s): lseek(SEEK_END) %d, want %d" % (tag, v, end, len(want)))
    os.lseek(fd, 0, os.SEEK_SET)
    m = mmap_child(fd, st)
    if m != want:
        bad("%s (%s): mmap of the fstat size (%d): %s"
            % (tag, v, st, m if isinstance(m, str) else name(m)))
    if os.fstat(fd).st_size != len(want):
        bad("%s (%s): fstat size %d after the reads"
            % (tag, v, os.fstat(fd).st_size))

def opened(v):
    fd = os.open(A_OUT, os.O_RDONLY)
    return fd, v

def runner(tag):
    r = subprocess.run([run, A_OUT], capture_output=True, text=True)
    want = "lib " + cur
    if r.returncode != 0 or r.stdout.strip() != want:
        bad("%s: macho-run a.out: status %d, stdout %r, stderr %r, want %r"
            % (tag, r.returncode, r.stdout.strip(), r.stderr.strip(), want))

def seq_pair(small, large, how):
    """An older descriptor and a newer one of another size."""
    tag = "pair %s->%s" % (small, large)
    relink(small, how)
    path_stat(tag + ", before")
    a = opened(cur)
    relink(large, how)
    check(tag + ": older fd after the relink", *a)
    path_stat(tag + ", older fd open")
    b = opened(cur)
    for i in range(2):
        check(tag + ": newer fd", *b)
        check(tag + ": older fd", *a)
        path_stat(tag + ", both open")
    c = opened(cur)
    check(tag + ": third fd (newer result)", *c)
    check(tag + ": older fd", *a)
    # a reopen of the older descriptor's file (no lookup by name): the
    # older snapshot
    d = os.open("/proc/self/fd/%d" % a[0], os.O_RDONLY), a[1]
    check(tag + ": reopen of the older fd", *d)
    check(tag + ": newer fd", *b)
    for fd, _ in (a, b, c, d):
        os.close(fd)
    path_stat(tag + ", all closed")

def seq_partial():
    """The older descriptor read partly, then to its end after a relink."""
    tag = "partial v0->v3"
    relink("v0", "mv")
    fd = os.open(A_OUT, os.O_RDONLY)
    head = os.read(fd, 4096)
    relink("v3", "mv")
    b = opened(cur)
    bdata = os.read(b[0], 1 << 22)
    if bdata != img["v3"]:
        bad("%s: newer fd read %s, want v3" % (tag, name(bdata)))
    rest = []
    while True:
        x = os.read(fd, 3000)
        if not x:
            break
        rest.append(x)
    whole = head + b"".join(rest)
    if whole != img["v0"]:
        bad("%s: older fd read on to %s, want v0 (fstat says %d)"
            % (tag, name(whole), os.fstat(fd).st_size))
    if os.read(fd, 4096) != b"":
        bad("%s: older fd reads past its end" % tag)
    check(tag + ": older fd", fd, "v0")
    check(tag + ": newer fd", *b)
    os.close(fd)
    os.close(b[0])

def seq_runner(older, newer):
    tag = "runner, %s held, %s current" % (older, newer)
    relink(older, "mv")
    a = opened(cur)
    os.read(a[0], 100)
    relink(newer, "mv")
    runner(tag)
    check(tag + ": the held fd", *a)
    runner(tag + ", again")
    os.close(a[0])

def seq_many():
    """Six relinks, every descriptor kept; one result comes back."""
    tag = "many"
    fds = []
    for i, v in enumerate(["v0", "v1", "v2", "v3", "v1", "v4", "v5"]):
        relink(v, "mv" if i % 2 else "cp")
        path_stat("%s, step %d" % (tag, i))
        fds.append(opened(cur))
        for j, (fd, w) in enumerate(fds):
            check("%s, step %d: fd %d" % (tag, i, j), fd, w)
        runner("%s, step %d" % (tag, i))
    for j in (1, 4, 0, 6):
        os.close(fds[j][0])
        fds[j] = None
    relink("v2", "cp")
    fds.append(opened(cur))
    for j, x in enumerate(fds):
        if x:
            check("%s, after closes: fd %d" % (tag, j), *x)
    path_stat(tag + ", after closes")
    for x in fds:
        if x:
            os.close(x[0])

seq_pair("v0", "v1", "mv")
seq_pair("v3", "v2", "mv")
seq_pair("v2", "v4", "cp")
seq_partial()
seq_runner("v0", "v3")
seq_runner("v3", "v0")
seq_many()
if failures:
    print("%d failure(s); the first: %s" % (len(failures), failures[0]))
    sys.exit(1)
print("all descriptors and stats agreed")
EOF
python3 "$T/check.py" "$MNT" "$T" "$MACHO_RUN" || fail "stat and read of a.out disagree (see above)"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
ok "every descriptor's fstat, reads and mmap are its own snapshot; stat shows the current result"
