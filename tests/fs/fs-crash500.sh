#!/bin/sh
# fs-crash500: kill -9 of the daemon during and after a copy of 500
# objects. 500 distinct tiny objects are compiled with clang-19, then cp'd
# one by one into the mount; after a random number of completed cps the
# daemon gets SIGKILL. After a remount: every object whose cp returned 0 is
# there and byte-identical (sha256), any other visible object is identical
# to its source too (never half-written), and `PRAGMA integrity_check` of
# the store says ok. Then the copy is completed, the daemon is killed again
# after it finished, and all 500 are checked after a remount.
# Needs LINKFS. CRASH_AFTER=N fixes the kill point (default: random).
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
command -v sqlite3 >/dev/null || skip "sqlite3 is missing"
N_OBJ=500

# 500 distinct objects, compiled 50 per clang run, 2 runs at a time
S=$T/src
mkdir "$S" || fail "mkdir"
i=0
while [ $i -lt $N_OBJ ]; do
	n=$(printf %03d $i)
	printf 'int g%s = %d;\nint f%s(int x) { return x * %d + g%s; }\n' \
		"$n" $i "$n" $((i + 3)) "$n" > "$S/o$n.c"
	i=$((i + 1))
done
R=$("$CLANG" -print-resource-dir)
(cd "$S" && ls -- *.c | xargs -n 50 -P 2 "$CLANG" -target x86_64-apple-macos11 \
	-nostdinc -isystem "$R/include" -c) || fail "clang of the 500 objects"
[ "$(ls "$S" | grep -c '\.o$')" = $N_OBJ ] || fail "expected $N_OBJ objects"
(cd "$S" && sha256sum -- *.o) > "$T/sums" || fail "sha256sum"

integrity() {
	r=$(sqlite3 "$STORE" 'PRAGMA integrity_check') || fail "$1: sqlite3 failed"
	[ "$r" = ok ] || fail "$1: integrity_check: $r"
}

# verify WHEN: objects listed in $T/done are intact; every visible object
# equals its source
verify() {
	while read -r f; do
		cmp -s "$S/$f" "$MNT/u/$f" || fail "$1: $f was copied (cp returned 0) but is missing or differs"
	done < "$T/done"
	seen=0
	for f in "$MNT"/u/*.o; do
		[ -e "$f" ] || continue
		b=$(basename "$f")
		[ -e "$S/$b" ] || fail "$1: unexpected object $b"
		cmp -s "$S/$b" "$f" || fail "$1: $b is visible but differs from its source (half-written?)"
		seen=$((seen + 1))
	done
	integrity "$1"
	ok "$1: $(wc -l < "$T/done") copied objects intact, $seen visible, none half-written, store ok"
}

mount_fs
mkdir "$MNT/u" || fail "mkdir"
: > "$T/done"
if [ -n "${CRASH_AFTER:-}" ]; then
	K=$CRASH_AFTER
else
	K=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 400 + 50 ))
fi
echo "killing the daemon after $K completed copies"

# the copier stops at its first failed cp (the daemon is gone)
(
	cd "$S" || exit 1
	for f in o*.o; do
		cp "$f" "$MNT/u/$f" 2>/dev/null || exit 0
		echo "$f" >> "$T/done"
	done
) &
COPIER=$!
i=0
while [ "$(wc -l < "$T/done")" -lt "$K" ]; do
	kill -0 $COPIER 2>/dev/null || break
	i=$((i + 1)); [ $i -lt 30000 ] || { kill $COPIER; fail "the copy does not progress"; }
	sleep 0.005
done
crash_fs
wait $COPIER
n=$(wc -l < "$T/done")
[ "$n" -lt $N_OBJ ] || echo "note: the copy finished before the kill"
echo "the daemon was killed during the copy; $n cps had returned 0"

mount_fs
verify "kill -9 during the copy"

# finish the copy, then kill -9 after it
(cd "$S" && for f in o*.o; do
	grep -qx "$f" "$T/done" && continue
	cp "$f" "$MNT/u/$f" || exit 1
	echo "$f" >> "$T/done"
done) || fail "completing the copy"
[ "$(wc -l < "$T/done")" = $N_OBJ ] || fail "copy incomplete"
crash_fs
mount_fs
verify "kill -9 after the copy"
[ "$(ls "$MNT/u" | grep -c '\.o$')" = $N_OBJ ] || fail "expected $N_OBJ objects listed"
(cd "$MNT/u" && sha256sum -c --quiet "$T/sums") || fail "sha256sum -c of all $N_OBJ"
ok "all $N_OBJ objects intact after kill -9 and remount"
