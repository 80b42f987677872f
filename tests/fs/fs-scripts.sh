#!/bin/sh
# fs-scripts: mount-scripts/ work: linkfs-mount waits until the mount is
# live and fails when the daemon dies; mount.fuse.linkfs takes mount(8)
# arguments and drops mount-only options; linkfs-umount unmounts. As root,
# with /sbin/mount.fuse.linkfs absent, it installs the helper there for the
# test and checks the real `mount -t fuse.linkfs` and the documented
# /etc/fstab line (through `mount -T` with a temp fstab), then removes it.
. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../../mount-scripts" && pwd) || fail "no mount-scripts"
export LINKFS
export XDG_RUNTIME_DIR="$T"   # linkfs-mount keeps the daemon log there

if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify "$S/srv-build.mount" 2>"$T/err" ||
		fail "systemd-analyze verify srv-build.mount: $(cat "$T/err")"
	ok "srv-build.mount passes systemd-analyze verify"
fi

pid=$("$S/linkfs-mount" -o store="$STORE" "$MNT") || fail "linkfs-mount"
DAEMON_PID=   # not our child: the trap unmounts by path
echo hi > "$MNT/f" || fail "write through linkfs-mount"
"$S/linkfs-umount" "$MNT" || fail "linkfs-umount"
is_mounted "$MNT" && fail "still mounted"
i=0
while kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 500 ] || fail "daemon $pid did not exit"; sleep 0.02
done
ok "linkfs-mount and linkfs-umount"

"$S/linkfs-mount" -o store="$T/no/such/dir/s.db" "$MNT" 2>"$T/err" &&
	fail "linkfs-mount succeeded with a daemon that cannot start"
grep -q "exited" "$T/err" || fail "linkfs-mount: unclear failure: $(cat "$T/err")"
ok "linkfs-mount fails when the daemon dies"

"$S/mount.fuse.linkfs" "$STORE" "$MNT" -o defaults,nofail,noauto ||
	fail "mount.fuse.linkfs"
is_mounted "$MNT" || fail "mount.fuse.linkfs did not mount"
[ "$(cat "$MNT/f")" = hi ] || fail "store not used by mount.fuse.linkfs"
"$S/linkfs-umount" "$MNT" || fail "linkfs-umount"
ok "mount.fuse.linkfs"

# ---- the real mount(8) path: mount -t fuse.linkfs and an fstab line
H=/sbin/mount.fuse.linkfs
if [ "$(id -u)" != 0 ] || ! command -v mount >/dev/null || [ -e "$H" ] ||
	! cp "$S/mount.fuse.linkfs" "$H" 2>/dev/null; then
	echo "SKIP (part): mount -t fuse.linkfs needs root and no installed $H"
	exit 0
fi
EXTRA_CLEANUP="rm -f '$H'"
mount -t fuse.linkfs -o nofail,noauto "$STORE" "$MNT" 2>"$T/err" ||
	fail "mount -t fuse.linkfs: $(cat "$T/err")"
is_mounted "$MNT" || fail "mount -t fuse.linkfs did not mount"
awk -v m="$MNT" '$5 == m && / - fuse\.linkfs / { f = 1 } END { exit !f }' \
	/proc/self/mountinfo || fail "mount type is not fuse.linkfs"
[ "$(cat "$MNT/f")" = hi ] || fail "mount -t fuse.linkfs: store not used"
"$S/linkfs-umount" "$MNT" || fail "linkfs-umount"
# the line docs/usage.md documents, with this test's paths
echo "$STORE $MNT fuse.linkfs defaults,nofail 0 0" > "$T/fstab"
mount -T "$T/fstab" "$MNT" 2>"$T/err" || fail "mount via fstab: $(cat "$T/err")"
[ "$(cat "$MNT/f")" = hi ] || fail "fstab mount: store not used"
"$S/linkfs-umount" "$MNT" || fail "linkfs-umount"
rm -f "$H"
ok "mount -t fuse.linkfs and the fstab line"
