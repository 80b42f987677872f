#!/bin/sh
# fs-scripts: mount-scripts/ work: linkfs-mount waits until the mount is
# live and fails when the daemon dies; mount.fuse.linkfs takes mount(8)
# arguments and drops mount-only options; linkfs-umount unmounts.
. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../../mount-scripts" && pwd) || fail "no mount-scripts"
export LINKFS
export XDG_RUNTIME_DIR="$T"   # linkfs-mount keeps the daemon log there

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
