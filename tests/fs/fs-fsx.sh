#!/bin/sh
# fs-fsx: fsx.py on the mount: FSX_OPS (10,000) seeded random operations on
# 3 files of at most 4 MiB (writes at random offsets, holes, truncates,
# reads checked byte for byte against fsx's model, close+reopen, rename
# with the descriptor open, fsync), in FSX_SEGMENTS (4) segments. fsx.py
# closes every file at the end of a segment and keeps its model in
# $T/fsx-state (--state); between segments the daemon is stopped, by a
# clean unmount and by kill -9 in turn, and mounted again on the same
# store; the next segment starts by verifying every file (a close() that
# returned 0 survives both). FSX_SEED repeats a run (printed).
# Leaves out: the store's size and the unmount's time (store-growth.sh),
# mmap, concurrency (fs-fsstress.sh).
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
OPS=${FSX_OPS:-10000}
SEGMENTS=${FSX_SEGMENTS:-4}
SEED=${FSX_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "FSX_SEED=$SEED (set it to repeat this run)"
mount_fs
mkdir "$MNT/fsx" || fail "mkdir"
seg=1
while [ $seg -le "$SEGMENTS" ]; do
	python3 "$HERE/fsx.py" "$MNT/fsx" --seed $((SEED + seg)) --ops $((OPS / SEGMENTS)) \
		--size 4M --state "$T/fsx-state" ||
		fail "fsx, segment $seg (FSX_SEED=$SEED)"
	if [ $seg -lt "$SEGMENTS" ]; then
		if [ $((seg % 2)) = 1 ]; then
			how="a clean unmount"; umount_fs
		else
			how="kill -9"; crash_fs
		fi
		mount_fs
		echo "remounted after $how"
	fi
	seg=$((seg + 1))
done
ok "fsx: $OPS operations in $SEGMENTS segments, every read as the model says"
