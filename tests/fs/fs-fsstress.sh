#!/bin/sh
# fs-fsstress: fsstress.py on the mount: 4 processes for STRESS_SECONDS
# (30) of random creates, writes (up to 4 MiB), overwrites, appends,
# truncates, renames of files and directories, unlinks, mkdir/rmdir, dup()
# and fork() writers; each process checks its own subtree against its
# model at the end (names, sizes, sha256). Then the tree's listing and
# every file's sha256 must be the same after a clean unmount and mount.
# STRESS_SEED repeats a run (printed).
# Leaves out: the store's size and the unmount's time (store-growth.sh),
# crashes (fs-fsx.sh, fault-kill1000.sh), hard links and symlinks.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
SECS=${STRESS_SECONDS:-30}
SEED=${STRESS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
mount_fs
mkdir "$MNT/stress" || fail "mkdir"
python3 "$HERE/fsstress.py" "$MNT/stress" --procs 4 --seconds "$SECS" --seed "$SEED" ||
	fail "fsstress (STRESS_SEED=$SEED)"
# every file's name, size and sha256, and every directory
tree() {
	(cd "$MNT/stress" && find . -type d | sort &&
		find . -type f -exec sha256sum {} + | sort -k 2)
}
tree > "$T/before" || fail "reading the tree"
umount_fs
mount_fs
tree > "$T/after" || fail "reading the tree after the remount"
diff "$T/before" "$T/after" > "$T/diff" ||
	fail "the tree changed across a clean remount: $(head -20 "$T/diff")"
ok "fsstress: every process's files as its model says; the same after a remount ($(grep -c . "$T/after") entries)"
