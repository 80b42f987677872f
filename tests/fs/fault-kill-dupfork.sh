#!/bin/sh
# fault-kill-dupfork: a file written through several copies of one open
# file description (dup, fork, a shell group) is never a link input while
# half written, not even after kill -9 of the daemon (issue 20, item 1:
# write-handle versions; fault-kill1000's shape).
#
# Each writer of an object opens it (O_CREAT|O_TRUNC), writes a first part
# and closes a copy of the descriptor, which makes the kernel send FLUSH
# while the original is still open, then writes the rest and closes:
#   dup:   dup() the descriptor, write the first part through the dup,
#          close the dup;
#   fork:  a forked child writes the first part and exits;
#   group: `head -c SPLIT` writes the first part into the descriptor and
#          exits, then `tail -c +SPLIT+1` writes the rest (two sequential
#          processes on the same open file description, as in
#          `{ head; tail; } > f`);
#   plain: one descriptor, no copy (as in fault-kill1000).
# The part before the rest is 1/4 to 3/4 of the object (seeded).
#
# (A) No kill. For each of dup, fork and group, in a unit that links
#     (main.o and five objects), a new object is half written and its copy
#     closed; while the writer holds the original open, a.out is read (the
#     link may wait for the writer: the time is printed, 60 s at most):
#     it must link (a 64-bit Mach-O, no diagnostic in link.log) and every object in
#     map.txt's list must be a complete copy of its source, so the half
#     object is not one. After the writer's close, a.out links with it.
# (B) 1,000 objects (gen_objects) copied into one unit by a python copier
#     choosing the writer kind per object (seeded), logging "S name kind
#     split" before the open, "P name" once the copy's close returned 0,
#     "D name" once the final close returned 0. Ten kills, in turn:
#     "timer" after the K-th completed copy plus 0-4 ms, from a thread
#     (as fault-kill1000; the copier pauses 0-2 ms between the copy's
#     close and the rest, as a compiler would); "window" from the copier
#     itself right after a copy's close (P), so that the kill always
#     lands between the FLUSH of the copy and the final close; "close"
#     from the copier right after the K-th final close returned 0 (D),
#     before the kernel's RELEASE of it is likely handled. After each kill
#     the daemon is mounted again on the same store and:
#       - every file logged D is present and byte-identical;
#       - a visible object is its source, or it was in flight at the kill
#         and written by a dup/fork/group writer, and is then a prefix of
#         its source; a file logged P is present with at least the part
#         its copy's close saw (what a close() returned 0 for is kept);
#         a plain writer's file is absent or complete;
#       - the unit links (a.out reads, no diagnostic in link.log) and every object in
#         map.txt's list is a visible, complete copy of its source: a
#         partial link input is a failure, and so is a link that fails on
#         one; every file logged D is in the list (no writer outlives
#         a restart, so no closed file may still wait to become an input);
#       - PRAGMA integrity_check says ok.
#     After ten kills the copy is completed and checked after a clean
#     remount: all 1,001 objects intact and in the map.
# KILL_SEED (printed) repeats the kill points and writer kinds.
# Leaves out: kills during (A), files rewritten over an older complete
# version (store-dupwrite does that without kills), fsync, and writers
# that never close (the link's bound on waiting for them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
have_clang || skip "clang-19 is missing"
have_sql || skip "neither sqlite3 nor python3's sqlite3 is available"
N_OBJ=1000
ROUNDS=10
SEED=${KILL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "KILL_SEED=$SEED (set it to repeat these kill points and writer kinds)"

S=$T/src
gen_objects $N_OBJ "$S"

cat > "$T/writers.py" <<'PY'
# the writer kinds, shared by (A) and (B)
import os, random, subprocess

KINDS = ("plain", "dup", "fork", "group")

def plan(seed, name):
    """(kind, split) of one object, the same on every round."""
    rng = random.Random("%s:%s" % (seed, name))
    return rng.choice(KINDS), rng.uniform(0.25, 0.75)

def write_all(fd, data):
    for i in range(0, len(data), 256):
        os.write(fd, data[i:i + 256])

def first_part(kind, fd, src, data, split):
    """Writes data[:split] through a copy of fd and closes the copy (the
    kernel sends FLUSH; fd stays open). Raises OSError on a failure."""
    if kind == "dup":
        d = os.dup(fd)
        try:
            write_all(d, data[:split])
        finally:
            os.close(d)
    elif kind == "fork":
        pid = os.fork()
        if pid == 0:
            try:
                write_all(fd, data[:split])
                # the child's own close(): its result is the promise
                # (an exit closes too, but nobody sees that close's
                # result, and the kernel need not wait for its FLUSH)
                os.close(fd)
                os._exit(0)
            except BaseException:
                os._exit(1)
        _, st = os.waitpid(pid, 0)
        if st != 0:
            raise OSError(0, "the forked writer failed (status %d)" % st)
    elif kind == "group":
        r = subprocess.run(["head", "-c", str(split), src], stdout=fd,
                           stderr=subprocess.PIPE)
        if r.returncode:
            raise OSError(0, "head: %s" % r.stderr.decode().strip())

def rest(kind, fd, src, data, split):
    if kind == "group":
        r = subprocess.run(["tail", "-c", "+%d" % (split + 1), src], stdout=fd,
                           stderr=subprocess.PIPE)
        if r.returncode:
            raise OSError(0, "tail: %s" % r.stderr.decode().strip())
    else:
        write_all(fd, data[split:])

def map_objects(text):
    """The names in a map.txt's object list (not the daemon's own
    libSystem.tbd, listed as lld lists the dylibs a link used)."""
    objs, part = [], None
    for line in text.decode(errors="replace").splitlines():
        if line.startswith("# "):
            if line.endswith(":"):
                part = line
            continue
        if part == "# Object files:" and line.startswith("["):
            n = line.split("] ", 1)[1]
            if n not in ("linker synthesized", "libSystem.tbd"):
                objs.append(n)
    return objs

def read(path):
    """(bytes, None) or (None, error text)."""
    try:
        with open(path, "rb") as f:
            return f.read(), None
    except OSError as e:
        return None, e.strerror
PY

# ---- (A) no kill: a.out while a writer sits between the copy's close and its own
mount_fs
mkdir "$MNT/q" || fail "mkdir"
for f in main o0000 o0001 o0002 o0003 o0004; do
	cp "$S/$f.o" "$MNT/q/" || fail "cp $f.o"
done
cat "$MNT/q/a.out" > /dev/null || fail "the unit q does not link: $(cat "$MNT/q/link.log")"
# (a failure here is reported at the end, after (B))
bad_a=
timeout 600 python3 - "$S" "$MNT/q" "$T" <<'PY' || bad_a=1
import os, sys, time
sys.path.insert(0, sys.argv[3])
from writers import first_part, rest, map_objects, read
from fsutil import link_errors
src, unit = sys.argv[1:3]
problems = []

def check(when, must_have=None):
    t = time.monotonic()
    a, err = read(os.path.join(unit, "a.out"))
    dt = time.monotonic() - t
    log, _ = read(os.path.join(unit, "link.log"))
    log = link_errors(log or b"")
    print("%s: cat a.out took %.0f ms: %s" % (when, dt * 1000, err or "%d bytes" % len(a)))
    if err:
        problems.append("%s: cat a.out failed: %s; link.log: %s"
                        % (when, err, (log or b"").decode(errors="replace").strip()))
        return
    if dt > 60:
        problems.append("%s: cat a.out took %.1f s" % (when, dt))
    if a[:4] != b"\xcf\xfa\xed\xfe":
        problems.append("%s: a.out is not a 64-bit Mach-O" % when)
    if log:
        problems.append("%s: link.log: %s" % (when, log.decode(errors="replace").strip()))
    m, err = read(os.path.join(unit, "map.txt"))
    if err:
        problems.append("%s: cat map.txt: %s" % (when, err))
        return
    objs = map_objects(m)
    for n in objs:
        got, _ = read(os.path.join(unit, n))
        want = open(os.path.join(src, n), "rb").read()
        if got != want:
            problems.append("%s: link input %s is partial (%s of %d bytes)"
                            % (when, n, "absent" if got is None else len(got), len(want)))
    if must_have and must_have not in objs:
        problems.append("%s: %s is not a link input: %s" % (when, must_have, objs))

for i, kind in enumerate(("dup", "fork", "group")):
    name = "o%04d.o" % (10 + i)
    p = os.path.join(src, name)
    data = open(p, "rb").read()
    split = len(data) // 2
    fd = os.open(os.path.join(unit, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    first_part(kind, fd, p, data, split)
    check("%s: %s half written, the copy closed, still open" % (kind, name))
    rest(kind, fd, p, data, split)
    os.close(fd)
    check("%s: %s closed" % (kind, name), must_have=name)
for p in problems:
    print("FAIL: " + p)
sys.exit(1 if problems else 0)
PY
[ -n "$bad_a" ] && echo "FAILING: (A) (see above); going on with (B)" ||
	ok "(A) dup, fork, group: the half-written object was never a link input; the closed one is"
umount_fs

# ---- (B) kills
# the kill points: one random completed-copy count in each tenth of the
# copy, and a random delay after it (timer rounds)
python3 - "$SEED" $N_OBJ $ROUNDS > "$T/kills" <<'PY'
import random, sys
seed, n, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
span = (n - 40) // rounds
for r in range(rounds):
    print(20 + r * span + rng.randrange(span), rng.randrange(5), ("timer", "window", "close")[r % 3])
PY
echo "kill points (completed copies, extra ms, how):" $(cat "$T/kills")

cat > "$T/copy.py" <<'PY'
# copy.py SEED SRC DST LOG [KILL_AFTER DELAY_MS HOW PID]: copies every *.o
# of SRC not yet logged D, with the writer kinds of writers.py. HOW timer:
# a thread sends SIGKILL to PID DELAY_MS after the KILL_AFTER-th logged D;
# HOW window: the copier sends it right after the first copy's close (P)
# of a dup/fork/group object once KILL_AFTER copies are done; HOW close:
# right after the KILL_AFTER-th final close returned 0 (D).
import os, random, signal, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
from writers import plan, first_part, rest, write_all
seed, src, dst, log = sys.argv[1:5]
kill = sys.argv[5:9]
done = set()
if os.path.exists(log):
    for line in open(log):
        if line.startswith("D "):
            done.add(line.split()[1])
lf = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
def note(s): os.write(lf, s.encode() + b"\n")
count = len(done)
killer = None
killed = False
def kill_later(delay, pid):
    time.sleep(delay / 1000.0)
    os.kill(pid, signal.SIGKILL)
pause = random.Random("%s:pause" % seed)
names = sorted(f for f in os.listdir(src) if f.endswith(".o"))
for name in names:
    if name in done:
        continue
    if kill and kill[2] == "timer" and killer is None and count >= int(kill[0]):
        killer = threading.Thread(target=kill_later, args=(int(kill[1]), int(kill[3])))
        killer.start()
    p = os.path.join(src, name)
    data = open(p, "rb").read()
    kind, frac = plan(seed, name)
    split = int(len(data) * frac)
    note("S %s %s %d" % (name, kind, split))
    step = "open"
    try:
        fd = os.open(os.path.join(dst, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            if kind == "plain":
                step = "write"
                write_all(fd, data)
            else:
                step = "first part"
                first_part(kind, fd, p, data, split)
                note("P " + name)
                if kill and kill[2] == "window" and not killed and count >= int(kill[0]):
                    os.kill(int(kill[3]), signal.SIGKILL)
                    killed = True
                    time.sleep(0.05)
                else:
                    time.sleep(pause.uniform(0, 0.002))
                step = "rest"
                rest(kind, fd, p, data, split)
        finally:
            if not sys.exc_info()[0]:
                step = "the final close"
            os.close(fd)    # its error (the flush) is what counts
    except OSError as e:
        note("E %s at %s: %s" % (name, step, e.strerror))
        break
    note("D " + name)
    count += 1
    if kill and kill[2] == "close" and not killed and count >= int(kill[0]):
        os.kill(int(kill[3]), signal.SIGKILL)
        killed = True
        time.sleep(0.05)
if killer:
    killer.join()
PY

cat > "$T/verify.py" <<'PY'
# verify.py SEED SRC UNITDIR LOG WHEN: the checks listed at the top of the test
import os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
from writers import map_objects, read
from fsutil import link_errors
seed, src, unit, log, when = sys.argv[1:6]
allowed = set(open(sys.argv[6]).read().split()) if len(sys.argv) > 6 else set()
def content(d, n):
    got, _ = read(os.path.join(d, n))
    return got
started, parted, done = {}, set(), set()
for line in open(log):
    f = line.split()
    if f[0] == "S":
        started[f[1]] = (f[2], int(f[3]))
        parted.discard(f[1])     # a P of an earlier round no longer counts
    if f[0] == "P": parted.add(f[1])
    if f[0] == "D": done.add(f[1])
bad = []
for name in sorted(done):
    if content(unit, name) != content(src, name):
        bad.append("%s: close() returned 0 but the file is %s" % (
            name, "missing" if content(unit, name) is None else "different"))
inflight = [n for n in started if n not in done]
visible = sorted(n for n in os.listdir(unit) if n.endswith(".o"))
def state(n):
    got, want = content(unit, n), content(src, n)
    if got is None: return "absent"
    if got == want: return "complete"
    if want.startswith(got): return "partial, %d of %d bytes" % (len(got), len(want))
    return "CORRUPT, %d bytes" % len(got)
for name in visible:
    got, want = content(unit, name), content(src, name)
    if want is None:
        bad.append("%s: unexpected object" % name)
    elif got != want and name not in done:
        if name not in inflight:
            bad.append("%s: visible but never written (%s)" % (name, state(name)))
        elif started[name][0] == "plain":
            bad.append("%s: a plain writer's file whose close did not return 0 is %s"
                       % (name, state(name)))
        elif got is None or not want.startswith(got):
            bad.append("%s: in flight, and not a prefix of its source (%s)" % (name, state(name)))
for name in inflight:
    if name in parted:
        got = content(unit, name)
        if got is None or len(got) < started[name][1]:
            bad.append("%s: its copy's close returned 0 after %d bytes, now it is %s"
                       % (name, started[name][1], state(name)))
# the link
a, err = read(os.path.join(unit, "a.out"))
linklog = link_errors(content(unit, "link.log") or b"").decode(errors="replace").strip()
objs = []
if err:
    partial_named = [n for n in inflight if n in linklog]
    bad.append("the unit does not link: cat a.out: %s; link.log: %s%s" % (
        err, linklog,
        "\n  (so %s, in flight at the kill and %s, is a link input)"
        % (partial_named[0], state(partial_named[0])) if partial_named else ""))
else:
    if a[:4] != b"\xcf\xfa\xed\xfe":
        bad.append("a.out is not a 64-bit Mach-O")
    # a file a close() committed but whose last descriptor the daemon
    # never saw released is not a link input, and link.log names it
    # (docs/store.md): allowed for what was in flight or just closed at
    # a kill, nothing else
    pending = set()
    for line in linklog.splitlines():
        mm = re.match(r"linkfs: '(.+?)' \(\d+ bytes\) is not linked as it is", line)
        if mm and (mm.group(1) in allowed or mm.group(1) in inflight):
            pending.add(mm.group(1))
        else:
            bad.append("link.log: " + line)
    m, merr = read(os.path.join(unit, "map.txt"))
    if merr:
        bad.append("cat map.txt: " + merr)
    else:
        objs = map_objects(m)
        for n in objs:
            if content(unit, n) != content(src, n):
                bad.append("link input %s is not a complete copy of its source (%s)"
                           % (n, state(n)))
        missing = sorted(done - set(objs) - pending)
        if missing:
            bad.append("closed (D) but not link inputs: %s" % " ".join(missing[:10]))
print("%s: %d closes returned 0, %d objects visible, %d link inputs; in flight at the kill: %s"
      % (when, len(done), len(visible), len(objs),
         ", ".join("%s (%s writer%s, %s%s)" % (
             n, started[n][0], ", its copy closed" if n in parted else "",
             state(n), ", a LINK INPUT" if n in objs else "") for n in inflight) or "none"))
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY

# check WHEN: after a (re)mount: files, link inputs, store
check() {
	python3 "$T/verify.py" "$SEED" "$S" "$MNT/u" "$T/log" "$1" "$T/allowed" || fail "$1: see above"
	if [ "$(store_sql "$STORE" "SELECT count(*) FROM pragma_table_info('nodes') WHERE name = 'complete'")" = 1 ]; then
		n=$(store_sql "$STORE" 'SELECT count(*) FROM nodes WHERE complete=0')
		[ "$n" = 0 ] || fail "$1: $n incomplete rows survived the restart"
	fi
	integrity "$STORE" "$1"
	ok "$1: committed files intact, no partial link input, store ok"
}

mount_fs
mkdir "$MNT/u" || fail "mkdir"
: > "$T/log"
: > "$T/allowed"
round=0
while read -r K DELAY HOW; do
	round=$((round + 1))
	timeout 300 python3 "$T/copy.py" "$SEED" "$S" "$MNT/u" "$T/log" "$K" "$DELAY" "$HOW" "$DAEMON_PID" ||
		fail "round $round: the copier failed"
	reap_fs
	grep -q '^E ' "$T/log" || fail "round $round: the copy finished before the kill"
	# what may stay visible but not an input: the last file closed and
	# the one in flight at this kill (their releases may not have come)
	grep '^D ' "$T/log" | tail -1 | cut -d' ' -f2 >> "$T/allowed"
	grep '^S ' "$T/log" | tail -1 | cut -d' ' -f2 >> "$T/allowed"
	echo "round $round ($HOW): killed after $(grep -c '^D ' "$T/log") completed copies" \
		"($(grep '^E ' "$T/log" | tail -1))"
	sed -i '/^E /d' "$T/log"
	mount_fs
	check "after kill $round"
done < "$T/kills"

timeout 300 python3 "$T/copy.py" "$SEED" "$S" "$MNT/u" "$T/log" || fail "completing the copy"
grep -q '^E ' "$T/log" && fail "completing the copy: $(grep '^E ' "$T/log")"
umount_fs
mount_fs
check "after the completed copy and a clean remount"
[ "$(grep '^D ' "$T/log" | sort -u | wc -l)" = $((N_OBJ + 1)) ] || fail "copy incomplete"
cat "$MNT/u/map.txt" > "$T/map.txt" || fail "map.txt"
# less the ones link.log names as left by a writer whose last close the
# daemon never saw (check() allowed only those closed or in flight at a
# kill): a rewrite would link them, and a build that thinks them done
# does not rewrite them
stale=$(grep -c "is not linked as it is" "$MNT/u/link.log")
inputs=$(map_inputs "$T/map.txt" | wc -l)
[ "$((inputs + stale))" = $((N_OBJ + 1)) ] ||
	fail "expected $((N_OBJ + 1)) link inputs less $stale named in link.log, got $inputs"
ok "all $N_OBJ objects and main.o intact; $inputs linked, $stale named in link.log as left at a kill, after $ROUNDS kills"
[ -z "$bad_a" ] || fail "(A): a half-written object was a link input (see above)"
