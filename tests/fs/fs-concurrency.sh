#!/bin/sh
# fs-concurrency: the daemon is multithreaded and neither deadlocks nor
# corrupts.
# (a) make -j4 compiles 8 .c files into the mount (clang writes a temp file
#     and renames it); the served a.out runs; a second make is a no-op.
# (b) 4 writers and 4 readers for CONC_SECONDS (default 60) each, all
#     under `timeout` (the duration bounds the work; nothing is timed):
#     writers cp objects into two directories (over lib.o directly, or to a
#     temp name then mv over lib.o; adding and removing their own x<w>.o);
#     readers cat a.out and every table of both. Every state of a unit is
#     linkable, so no read may fail; every a.out read is byte-identical to
#     linkfs-ld's output for one of the possible states and runs under
#     macho-run printing one of the expected lines. Afterwards nothing is
#     lost and the tables agree with llvm-objdump.
# Needs LINKFS, LINKFS_LD and MACHO_RUN (env, or MACHO_RUN as $1).
. "$(dirname "$0")/lib.sh"
MACHO_RUN=${MACHO_RUN:-${1:-}}
have_clang || skip "clang-19 is missing"
[ -x "$OBJDUMP" ] || skip "llvm-objdump-19 is missing"
command -v make >/dev/null || skip "make is missing"
[ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ] || skip "LINKFS_LD is not set"
[ -n "$MACHO_RUN" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
mount_fs

# ---- (a) make -j4 into the mount
mkdir "$T/mk" "$MNT/mk" || fail "mkdir"
i=1
while [ $i -le 7 ]; do
	printf 'int f%d(int x) { return x + %d; }\n' $i $i > "$T/mk/f$i.c"
	i=$((i + 1))
done
cat > "$T/mk/main.c" <<'C'
#include <stdio.h>
int f1(int), f2(int), f3(int), f4(int), f5(int), f6(int), f7(int);
int main(void) { printf("sum %d\n", f1(f2(f3(f4(f5(f6(f7(0)))))))); return 0; }
C
R=$("$CLANG" -print-resource-dir)
cat > "$T/mk/Makefile" <<EOF
OUT = $MNT/mk
CFLAGS = -target x86_64-apple-macos11 -nostdinc -isystem $R/include -isystem /usr/include/x86_64-linux-musl
OBJS = \$(patsubst %.c,\$(OUT)/%.o,\$(wildcard *.c))
all: \$(OBJS)
\$(OUT)/%.o: %.c
	$CLANG \$(CFLAGS) -c \$< -o \$@
EOF
timeout 120 make -s -j4 -C "$T/mk" || fail "make -j4 into the mount"
[ "$(ls "$MNT/mk" | grep -c '\.o$')" = 8 ] || fail "make: expected 8 objects, got: $(ls "$MNT/mk")"
out=$(cp "$MNT/mk/a.out" "$T/mk.out" && "$MACHO_RUN" "$T/mk.out" 2>&1) ||
	fail "make: a.out does not run: $out $(cat "$MNT/mk/link.log")"
[ "$out" = "sum 28" ] || fail "make: a.out printed '$out'"
timeout 60 make -q -C "$T/mk" || fail "make: a second make would rebuild (mtimes not stable)"
ok "make -j4 into the mount: a.out runs, second make is a no-op"

# ---- an open file stays usable after its name is replaced or removed,
# as on a local filesystem: cp over an existing file opens it, and a
# concurrent mv over the same name must not make that open or the fstat
# that follows fail with ENOENT (which is what makes cp fail in (b))
python3 - "$MNT/mk" <<'PY' >> "$T/problems"
import os, sys
d = sys.argv[1]
with open(d + "/g.txt", "w") as f: f.write("old")
fd = os.open(d + "/g.txt", os.O_RDONLY)
with open(d + "/h.txt", "w") as f: f.write("new!")
os.rename(d + "/h.txt", d + "/g.txt")
try:
    st = os.fstat(fd)
    if st.st_size != 3: print("fstat after rename-over: size %d, want 3" % st.st_size)
except OSError as e:
    print("fstat of an open file after a rename over its name: %s" % e)
if os.pread(fd, 10, 0) != b"old": print("read after rename-over: not the old content")
os.close(fd)
w = os.open(d + "/u.txt", os.O_RDWR | os.O_CREAT, 0o644)
os.write(w, b"abc")
os.unlink(d + "/u.txt")
try: os.fstat(w)
except OSError as e: print("fstat of an open file after unlink: %s" % e)
os.close(w)
os.unlink(d + "/g.txt")
PY
[ -s "$T/problems" ] || ok "open files stay usable after rename-over and unlink"

# ---- (b) concurrent writers and readers
S=$T/src
mkdir "$S" "$T/reads" "$MNT/d1" "$MNT/d2" || fail "mkdir"
cat > "$S/main.c" <<'C'
#include <stdio.h>
const char *lib(void);
int main(void) { printf("lib %s\n", lib()); return 0; }
C
printf 'const char *lib(void) { return "A"; }\nint lib_a = 1;\nint *lib_pa = &lib_a;\n' > "$S/libA.c"
printf '#include <stdlib.h>\nvoid *lib_q = (void *)&qsort;\nconst char *lib(void) { return "B"; }\n' > "$S/libB.c"
for w in 1 2 3 4; do
	printf 'int x%d_v = %d;\nint *x%d_p = &x%d_v;\nint x%d(void) { return x%d_v; }\n' \
		$w $w $w $w $w $w > "$S/x$w.c"
done
for f in main libA libB x1 x2 x3 x4; do
	cc_macho "$S/$f.c" "$S/$f.o" || fail "clang $f.c"
done

# every possible state of a unit: main.o, lib.o (A or B), any subset of
# x1..x4.o; linkfs-ld's output for each, by hash
mkdir "$T/states" && cp "$S"/*.o "$T/states/" || fail "mkdir states"
for lib in A B; do
	cp "$S/lib$lib.o" "$T/states/lib.o"
	m=0
	while [ $m -lt 16 ]; do
		objs="lib.o main.o"
		for w in 1 2 3 4; do
			[ $(((m >> (w - 1)) & 1)) = 1 ] && objs="$objs x$w.o"
		done
		# shellcheck disable=SC2086
		(cd "$T/states" && "$LINKFS_LD" -o s.out $objs) || fail "linkfs-ld $objs"
		mv "$T/states/s.out" "$T/states/$lib.$m.out"
		echo "$(sha256sum < "$T/states/$lib.$m.out" | cut -c1-64) lib $lib" >> "$T/expected"
		m=$((m + 1))
	done
done

cp "$S/main.o" "$MNT/d1/" && cp "$S/main.o" "$MNT/d2/" || fail "cp main.o"
cp "$S/libA.o" "$MNT/d1/lib.o" && cp "$S/libB.o" "$MNT/d2/lib.o" || fail "cp lib.o"

SECS=${CONC_SECONDS:-60}
END=$(($(date +%s) + SECS))
cat > "$T/writer.sh" <<'EOF'
# writer W: iterations over d1/d2 until END (at least 8); exits non-zero
# on the first failure
w=$1 MNT=$2 S=$3 END=$4
i=0
while [ $i -lt 8 ] || [ "$(date +%s)" -lt "$END" ]; do
	d=$MNT/d$((i % 2 + 1))
	if [ $(((w + i) % 2)) = 0 ]; then v=A; else v=B; fi
	if [ $((i % 3)) = 0 ]; then
		cp "$S/lib$v.o" "$d/lib.o" || { echo "writer $w: cp over lib.o" >&2; exit 1; }
	else
		cp "$S/lib$v.o" "$d/lib.o.w$w" &&
			mv -f "$d/lib.o.w$w" "$d/lib.o" || { echo "writer $w: cp+mv" >&2; exit 1; }
	fi
	if [ $((i % 4)) = 3 ]; then
		rm -f "$d/x$w.o" || { echo "writer $w: rm" >&2; exit 1; }
	else
		cp "$S/x$w.o" "$d/x$w.o" || { echo "writer $w: cp x$w.o" >&2; exit 1; }
	fi
	i=$((i + 1))
done
# final state: every x<w>.o in both
cp "$S/x$w.o" "$MNT/d1/" && cp "$S/x$w.o" "$MNT/d2/" || exit 1
EOF
cat > "$T/reader.sh" <<'EOF'
# reader R: iterations until END (at least 8); keeps every a.out it reads
# in $OUT (each distinct image once, by hash, plus a count)
r=$1 MNT=$2 OUT=$3 END=$4
i=0
while [ $i -lt 8 ] || [ "$(date +%s)" -lt "$END" ]; do
	d=$MNT/d$(((r + i) % 2 + 1))
	cat "$d/a.out" > "$OUT/$r.cur" || { echo "reader $r: cat $d/a.out failed" >&2; exit 1; }
	h=$(sha256sum < "$OUT/$r.cur" | cut -c1-64)
	[ -e "$OUT/$h.out" ] || mv "$OUT/$r.cur" "$OUT/$h.out"
	echo "$h" >> "$OUT/reads"
	for t in rebase bind lazy_bind weak_bind exports got stubs symbols map; do
		cat "$d/$t.txt" > /dev/null || { echo "reader $r: cat $d/$t.txt failed" >&2; exit 1; }
	done
	cat "$d/link.log" > "$OUT/$r.$i.log" || { echo "reader $r: link.log" >&2; exit 1; }
	grep -vq '^option ' "$OUT/$r.$i.log" && { echo "reader $r: link.log: $(cat "$OUT/$r.$i.log")" >&2; exit 1; }
	# (not ls -l: an lstat racing with a rename may see ENOENT anywhere)
	ls "$d" > /dev/null || { echo "reader $r: ls" >&2; exit 1; }
	i=$((i + 1))
done
EOF

pids=
for n in 1 2 3 4; do
	timeout $((SECS + 90)) sh "$T/writer.sh" $n "$MNT" "$S" $END 2>> "$T/workers.err" &
	pids="$pids $!"
	timeout $((SECS + 90)) sh "$T/reader.sh" $n "$MNT" "$T/reads" $END 2>> "$T/workers.err" &
	pids="$pids $!"
done
bad=0
for p in $pids; do
	wait "$p"; rc=$?
	[ $rc = 124 ] && echo "a worker hung (timeout)" >&2
	[ $rc = 0 ] || bad=1
done
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
if [ $bad = 0 ]; then
	ok "4 writers x 4 readers for ${SECS}s finished, no read failed"
else
	# report, check what was read, then fail at the end
	echo "$(cat "$T/workers.err")" >> "$T/problems"
	echo "FAILING: a writer or reader failed or hung (see the end)"
fi

# every a.out read is one of the possible links, complete, and runs
n=0
for f in "$T"/reads/*.out; do
	h=$(sha256sum < "$f" | cut -c1-64)
	want=$(awk -v h="$h" '$1 == h { print $2, $3; exit }' "$T/expected")
	if [ -z "$want" ]; then
		sz=$(wc -c < "$f")
		for g in "$T"/states/?.*.out; do
			[ "$(wc -c < "$g")" -gt "$sz" ] && cmp -s -n "$sz" "$f" "$g" &&
				fail "$(basename "$f"): a reader got a truncated a.out: its $sz bytes are a prefix of the $(wc -c < "$g")-byte image of a valid state
$(cat "$T/problems")"
		done
		fail "$(basename "$f"): a.out ($sz bytes) is not linkfs-ld's output for any state of the unit"
	fi
	if [ ! -e "$T/ran.$h" ]; then
		out=$("$MACHO_RUN" "$f" 2>&1) || fail "$(basename "$f"): does not run: $out"
		[ "$out" = "$want" ] || fail "$(basename "$f"): printed '$out', want '$want'"
		: > "$T/ran.$h"
	fi
	n=$((n + 1))
done
reads=$(wc -l < "$T/reads/reads")
[ $bad = 1 ] || [ "$reads" -ge 32 ] || fail "expected at least 32 a.out reads, got $reads"
ok "all $reads a.out reads ($n distinct) are complete images of a valid state and run"

# a failed writer did not reach its final state: nothing more to check
[ $bad = 1 ] && fail "$(cat "$T/problems")"

# nothing lost; the final state links and its tables agree with llvm-objdump
for d in d1 d2; do
	for w in 1 2 3 4; do
		cmp "$S/x$w.o" "$MNT/$d/x$w.o" || fail "$d/x$w.o lost or corrupt"
	done
	cmp -s "$S/libA.o" "$MNT/$d/lib.o" && v=A
	cmp -s "$S/libB.o" "$MNT/$d/lib.o" && v=B
	cmp -s "$S/lib$v.o" "$MNT/$d/lib.o" || fail "$d/lib.o is neither variant"
	ls "$MNT/$d" | grep -q '^lib\.o\.w' && fail "$d: a temp file survived its mv: $(ls "$MNT/$d")"
	cp "$MNT/$d/a.out" "$T/$d.out" || fail "$d: read a.out"
	out=$("$MACHO_RUN" "$T/$d.out" 2>&1) || fail "$d: final a.out does not run: $out"
	[ "$out" = "lib $v" ] || fail "$d: final a.out printed '$out', lib.o is $v (stale)"
	for k in rebase bind lazy-bind weak-bind exports-trie; do
		case $k in
		lazy-bind) f=lazy_bind ;; weak-bind) f=weak_bind ;;
		exports-trie) f=exports ;; *) f=$k ;;
		esac
		"$OBJDUMP" --macho --$k "$T/$d.out" | tail -n +3 | diff - "$MNT/$d/$f.txt" ||
			fail "$d: $f.txt differs from llvm-objdump --$k"
	done
	grep -q '_x4_v' "$MNT/$d/symbols.txt" || fail "$d: symbols.txt lacks x4.o's symbols"
done
ok "final state: nothing lost, a.out current, tables agree"
[ -s "$T/problems" ] && fail "$(cat "$T/problems")"
ok "no problems"
