#!/bin/sh
# fault-kill1000: kill -9 of the daemon in the middle of copying 1,000
# objects, ten times at random moments (issue 5, faults 1).
#
# 1,000 distinct objects (plus main.o) are made from one clang compile
# (gen_objects). A python copier writes them into the mount in 256-byte
# writes, logging "S name" before open and "D name" only after close()
# returned 0. A thread of the copier sends SIGKILL to the daemon after the
# K-th completed close plus a random delay of 0-4 ms, while the copier goes
# on, so the kill lands inside a create, write or close. After each kill
# the mount is restarted on the same store and:
#   - every file logged D is present and byte-identical (sha256);
#   - every visible *.o is identical to its source (a file whose close did
#     not return 0 is absent or complete, never partial);
#   - the link inputs (map.txt's object list) are exactly the visible
#     objects, and the unit links;
#   - the store has no incomplete row and passes PRAGMA integrity_check.
# Then the next round resumes the copy. After ten kills the copy is
# completed and all 1,000 are checked after a clean remount.
# The kill points come from KILL_SEED (printed; set it to repeat a run).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
have_clang || skip "clang-19 is missing"
have_sql || skip "neither sqlite3 nor python3's sqlite3 is available"
N_OBJ=1000
ROUNDS=10
SEED=${KILL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "KILL_SEED=$SEED (set it to repeat these kill points)"

S=$T/src
gen_objects $N_OBJ "$S"

# the kill points: one random completed-copy count in each tenth of the
# copy, and a random delay after it
python3 - "$SEED" $N_OBJ $ROUNDS > "$T/kills" <<'PY'
import random, sys
seed, n, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
span = (n - 40) // rounds
for r in range(rounds):
    print(20 + r * span + rng.randrange(span), rng.randrange(5))
PY
echo "kill points (completed copies, extra ms):" $(cat "$T/kills")

cat > "$T/copy.py" <<'PY'
# copy.py SRC DST LOG [KILL_AFTER DELAY_MS PID]: copies every *.o of SRC
# not yet logged D; sends SIGKILL to PID DELAY_MS after the KILL_AFTER-th
# logged D (counting earlier rounds), from a thread, while copying goes on.
import os, signal, sys, threading, time
src, dst, log = sys.argv[1:4]
kill = sys.argv[4:7]
done = set()
if os.path.exists(log):
    for line in open(log, "rb"):
        if line.startswith(b"D "):
            done.add(line[2:-1].decode())
lf = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
def note(s): os.write(lf, s.encode() + b"\n")
count = len(done)
killer = None
def kill_later(delay, pid):
    time.sleep(delay / 1000.0)
    os.kill(pid, signal.SIGKILL)
names = sorted(f for f in os.listdir(src) if f.endswith(".o"))
for name in names:
    if name in done:
        continue
    if kill and killer is None and count >= int(kill[0]):
        killer = threading.Thread(target=kill_later, args=(int(kill[1]), int(kill[2])))
        killer.start()
    data = open(os.path.join(src, name), "rb").read()
    note("S " + name)
    try:
        fd = os.open(os.path.join(dst, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            for i in range(0, len(data), 256):
                os.write(fd, data[i:i + 256])
        finally:
            os.close(fd)    # its error (the flush) is what counts
    except OSError as e:
        note("E %s %s" % (name, e.strerror))
        break
    note("D " + name)
    count += 1
if killer:
    killer.join()
PY

cat > "$T/verify.py" <<'PY'
# verify.py SRC UNITDIR LOG WHEN: the checks listed at the top of the test
import hashlib, os, sys
src, unit, log, when = sys.argv[1:5]
def h(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()
done, started = [], []
for line in open(log):
    k, name = line[0], line[2:].split()[0] if line[2:].strip() else ""
    if k == "D": done.append(name)
    if k == "S": started.append(name)
bad = []
for name in done:
    p = os.path.join(unit, name)
    if not os.path.exists(p):
        bad.append("%s: close() returned 0 but the file is missing" % name)
    elif h(p) != h(os.path.join(src, name)):
        bad.append("%s: close() returned 0 but the content differs" % name)
visible = sorted(n for n in os.listdir(unit) if n.endswith(".o"))
for name in visible:
    s = os.path.join(src, name)
    if not os.path.exists(s):
        bad.append("%s: unexpected object" % name)
    elif h(os.path.join(unit, name)) != h(s):
        bad.append("%s: visible but differs from its source (partial?)" % name)
inflight = [n for n in started if n not in set(done)]
def state(n):
    p = os.path.join(unit, n)
    if not os.path.exists(p):
        return "absent"
    return "complete" if h(p) == h(os.path.join(src, n)) else "PARTIAL"
print("%s: %d closes returned 0, %d objects visible, in flight at the kill: %s"
      % (when, len(done), len(visible),
         ", ".join("%s (%s)" % (n, state(n)) for n in inflight) or "none"))
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY

# check WHEN: after a (re)mount: files, link inputs, store
check() {
	python3 "$T/verify.py" "$S" "$MNT/u" "$T/log" "$1" || fail "$1: see above"
	cat "$MNT/u/map.txt" > "$T/map.txt" 2>"$T/err" ||
		fail "$1: the unit does not link: $(cat "$T/err"; cat "$MNT/u/link.log")"
	map_inputs "$T/map.txt" > "$T/inputs"
	(cd "$MNT/u" && ls | grep '\.o$') > "$T/visible"
	# A close() commits, and the release of the file's last descriptor
	# makes that content its link input (docs/store.md). A kill between
	# the two leaves the object visible and complete but not an input:
	# only the object in flight or the last one closed, and link.log
	# must name it.
	comm -13 "$T/visible" "$T/inputs" > "$T/extra"
	[ -s "$T/extra" ] && fail "$1: link inputs that are not visible: $(cat "$T/extra")"
	comm -23 "$T/visible" "$T/inputs" > "$T/left"
	while read -r n; do
		grep -qx "$n" "$T/allowed" ||
			fail "$1: $n is not a link input, yet it was neither in flight nor the last one closed at a kill"
		grep -q "linkfs: '$n' .* is not linked as it is" "$MNT/u/link.log" ||
			fail "$1: $n is visible, not an input, and link.log does not say so: $(cat "$MNT/u/link.log")"
		echo "$1: $n: visible, not yet an input (its release was not seen), named in link.log"
	done < "$T/left"
	n=$(store_sql "$STORE" 'SELECT count(*) FROM nodes WHERE complete=0')
	[ "$n" = 0 ] || fail "$1: $n incomplete rows survived the restart"
	integrity "$STORE" "$1"
	ok "$1: committed files intact, none partial, link inputs = visible objects less $(wc -l < "$T/left") named in link.log ($(wc -l < "$T/inputs")), store ok"
}

mount_fs
mkdir "$MNT/u" || fail "mkdir"
: > "$T/log"
: > "$T/allowed"
round=0
while read -r K DELAY; do
	round=$((round + 1))
	python3 "$T/copy.py" "$S" "$MNT/u" "$T/log" "$K" "$DELAY" "$DAEMON_PID" ||
		fail "round $round: the copier failed"
	reap_fs
	grep -q '^E ' "$T/log" || fail "round $round: the copy finished before the kill"
	# what may be left visible but not an input: the last object closed
	# and the one in flight at this kill (a rewrite would make them
	# inputs; a build that thinks them done does not rewrite them)
	grep '^D ' "$T/log" | tail -1 | cut -d' ' -f2 >> "$T/allowed"
	grep '^S ' "$T/log" | tail -1 | cut -d' ' -f2 >> "$T/allowed"
	echo "round $round: killed after $(grep -c '^D ' "$T/log") completed copies" \
		"($(grep '^E ' "$T/log" | tail -1))"
	sed -i '/^E /d' "$T/log"
	mount_fs
	check "after kill $round"
done < "$T/kills"

python3 "$T/copy.py" "$S" "$MNT/u" "$T/log" || fail "completing the copy"
grep -q '^E ' "$T/log" && fail "completing the copy: $(grep '^E ' "$T/log")"
umount_fs
mount_fs
check "after the completed copy and a clean remount"
[ "$(grep '^D ' "$T/log" | sort -u | wc -l)" = $((N_OBJ + 1)) ] || fail "copy incomplete"
[ "$(wc -l < "$T/visible")" = $((N_OBJ + 1)) ] || fail "expected $((N_OBJ + 1)) objects"
ok "all $N_OBJ objects and main.o intact after $ROUNDS kills"
