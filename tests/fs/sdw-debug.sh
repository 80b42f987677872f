#!/bin/sh
# store-dupwrite: a FLUSH from a copy of a write descriptor commits the
# file (what a close() saw is kept) but never makes the half-written
# content a link input (issue 20, item 1: write-handle versions).
#
# One unit holds main.o and x.o (the OLD x.o: _x_pad is 16 bytes) and
# links. Then x.o is rewritten with a NEW object defining the same
# symbols (_x_pad is 4096 bytes, so the map tells the two apart), in three
# ways, each one from a fresh old x.o:
#   dup:   open O_TRUNC, dup() it, write half through the dup, close the
#          dup (the kernel sends FLUSH), ... , write the rest, close;
#   fork:  open O_TRUNC, a forked child writes half and exits (its exit
#          closes its copy: FLUSH), ... , the parent writes the rest;
#   group: open O_TRUNC, `head -c HALF` writes half into the descriptor
#          and exits (as in `{ head; tail; } > x.o`), ... , `tail` writes
#          the rest, close.
# At "...", with the original descriptor still open:
#   - a.out reads (the link may wait a while for the open writer: the
#     time is printed, at most 60 s is accepted), link.log has no diagnostic, and
#     the link used the OLD x.o: map.txt lists main.o and x.o with
#     _x_pad of 0x10 bytes, and (with LINKFS_LD) a.out is byte-identical
#     to linkfs-ld's output for main.o and the old x.o;
#   - `cat x.o` gives the half written so far (durability: what a close()
#     saw is committed).
# After the final close: a.out links the NEW x.o (_x_pad 0x1000, and
# linkfs-ld's bytes), x.o is the new object.
# Leaves out: kills (fault-kill-dupfork), several units and writers at
# once, and what the link does when the writer never closes (beyond the
# bound it must not hang: the python part runs under a 300 s timeout).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
have_clang || skip "clang-19 is missing"

S=$T/src
mkdir "$S" || fail "mkdir"
cat > "$S/main.c" <<'C'
int x_fn(void);
int main(void) { return x_fn(); }
C
cat > "$S/x_old.c" <<'C'
int x_val = 1;
char x_pad[16] = { 1 };
int x_fn(void) { return x_val + x_pad[3]; }
C
cat > "$S/x_new.c" <<'C'
int x_val = 2;
char x_pad[4096] = { 2 };
int x_fn(void) { return x_val * 5 + x_pad[4000]; }
C
for f in main x_old x_new; do
	cc_macho "$S/$f.c" "$S/$f.o" || fail "clang $f.c"
done
# linkfs-ld's output for each state, when we have it
if [ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ]; then
	for v in old new; do
		mkdir "$S/ld-$v" && cp "$S/main.o" "$S/ld-$v/main.o" &&
			cp "$S/x_$v.o" "$S/ld-$v/x.o" || fail "cp"
		(cd "$S/ld-$v" && "$LINKFS_LD" -o a.out main.o x.o) || fail "linkfs-ld ($v)"
	done
else
	echo "note: LINKFS_LD is not set: a.out is checked by the map, not by bytes"
fi

mount_fs
mkdir "$MNT/u" || fail "mkdir"
cp "$S/main.o" "$MNT/u/main.o" && cp "$S/x_old.o" "$MNT/u/x.o" || fail "cp"

timeout 300 python3 - "$MNT/u" "$S" <<'PY' || fail "see above"
import os, subprocess, sys, time
from fsutil import link_errors
unit, src = sys.argv[1], sys.argv[2]
old = open(os.path.join(src, "x_old.o"), "rb").read()
new = open(os.path.join(src, "x_new.o"), "rb").read()
half = len(new) // 2
def ld(v):
    p = os.path.join(src, "ld-" + v, "a.out")
    return open(p, "rb").read() if os.path.exists(p) else None
LD = {"old": ld("old"), "new": ld("new")}
SIZE = {"old": 16, "new": 4096}
problems = []

def read(name):
    """(bytes, None) or (None, error text); and the seconds it took."""
    t = time.monotonic()
    try:
        with open(os.path.join(unit, name), "rb") as f:
            r = f.read(), None
    except OSError as e:
        r = None, "%s (%s)" % (e.strerror, e.errno)
    return r, time.monotonic() - t

def map_state(m):
    """The object names and _x_pad's size in a map.txt (not the daemon's
    own libSystem.tbd, listed as lld lists the dylibs a link used)."""
    objs, size, part = [], None, None
    for line in m.decode(errors="replace").splitlines():
        if line.startswith("# "):
            if line.endswith(":"):
                part = line     # not the column headers
            continue
        if part == "# Object files:" and line.startswith("["):
            n = line.split("] ", 1)[1]
            if n not in ("linker synthesized", "libSystem.tbd"):
                objs.append(n)
        if part == "# Symbols:" and line.endswith("] _x_pad"):
            size = int(line.split("\t")[1], 16)
    return objs, size

def check_link(when, want):
    """a.out links, link.log has no diagnostic, the link used x.o's WANT version."""
    (a, err), dt = read("a.out")
    (log, _), _ = read("link.log")
    log = link_errors(log or b"")
    (m, merr), _ = read("map.txt")
    print("%s: cat a.out took %.0f ms: %s" % (when, dt * 1000,
          "error: " + err if err else "%d bytes" % len(a)))
    if err:
        problems.append("%s: cat a.out failed: %s; link.log: %s"
                        % (when, err, (log or b"").decode(errors="replace").strip()))
        return
    if dt > 60:
        problems.append("%s: cat a.out took %.1f s (over 60 s)" % (when, dt))
    if a[:4] != b"\xcf\xfa\xed\xfe":
        problems.append("%s: a.out is not a 64-bit Mach-O: %r" % (when, a[:4]))
    if log:
        problems.append("%s: link.log: %s" % (when, log.decode(errors="replace").strip()))
    if merr:
        problems.append("%s: cat map.txt failed: %s" % (when, merr))
        return
    objs, size = map_state(m)
    if objs != ["main.o", "x.o"]:
        problems.append("%s: the map's objects are %s, want main.o, x.o" % (when, objs))
    if size != SIZE[want]:
        got = [k for k, v in SIZE.items() if v == size]
        problems.append("%s: the link used the %s x.o (_x_pad is %s bytes), want the %s one (%d)"
                        % (when, got[0] if got else "unknown", size, want, SIZE[want]))
    if LD[want] is not None and a != LD[want]:
        open("/tmp/sdw-got.out","wb").write(a); open("/tmp/sdw-want.out","wb").write(LD[want]); open("/tmp/sdw-map.txt","wb").write(m)
        problems.append("%s: a.out is not linkfs-ld output for main.o + the %s x.o"
                        % (when, want))

def put_old():
    with open(os.path.join(unit, "x.o"), "wb") as f:
        f.write(old)
    check_link("old x.o in place", "old")

def spawn_write(fd, argv):
    """Runs argv with its stdout on fd (the same open file description)."""
    subprocess.run(argv, stdout=fd, check=True)

for kind in ("dup", "fork", "group"):
    put_old()
    fd = os.open(os.path.join(unit, "x.o"), os.O_WRONLY | os.O_TRUNC)
    if kind == "dup":
        d = os.dup(fd)
        os.write(d, new[:half])
        os.close(d)                 # FLUSH of a copy: fd stays open
    elif kind == "fork":
        pid = os.fork()
        if pid == 0:
            try:
                os.write(fd, new[:half])
            finally:
                os._exit(0)         # the exit closes the child's copy
        os.waitpid(pid, 0)
    else:
        spawn_write(fd, ["head", "-c", str(half), os.path.join(src, "x_new.o")])
    when = "%s: half written, the copy closed, x.o still open" % kind
    check_link(when, "old")
    (x, err), _ = read("x.o")
    if err:
        problems.append("%s: cat x.o failed: %s" % (when, err))
    elif x != new[:half]:
        problems.append("%s: cat x.o gives %d bytes, want the %d-byte half (what the close saw)"
                        % (when, len(x), half))
    if kind == "group":
        spawn_write(fd, ["tail", "-c", "+%d" % (half + 1), os.path.join(src, "x_new.o")])
    else:
        os.write(fd, new[half:])
    os.close(fd)
    check_link("%s: after the final close" % kind, "new")
    (x, err), _ = read("x.o")
    if x != new:
        problems.append("%s: after the final close x.o is not the new object (%s)"
                        % (kind, err or "%d bytes" % len(x)))
    print("%s: done" % kind)

for p in problems:
    print("FAIL: " + p)
sys.exit(1 if problems else 0)
PY
ok "dup, fork and group: a half-written x.o was committed but never linked; the complete one was"
