#!/bin/sh
# fs-mount-helper: the helper `meson install` puts in /sbin
# (mount.fuse.linkfs, with the installed daemon's path filled in) works
# through mount(8) with an empty environment, as at boot: no PATH, no
# HOME, no LINKFS. In a private mount namespace the test lays its own /sbin
# holding only that helper (its daemon path pointed at this build's
# linkfs), then mounts
#   - the fstab line docs/usage.md documents (defaults,nofail,auto_unmount),
#   - `mount -t fuse.linkfs -o ro STORE MOUNTPOINT` (read-only),
#   - a store whose directory is missing: mount(8) fails with the
#     daemon's reason.
# Issue 24: mount(8) never looks in /usr/local/sbin, where the unit's
# comment put the helper, and the helper ran `linkfs` from a PATH mount(8)
# does not pass. Needs MOUNT_HELPER (the configured helper in the build).
NS=private . "$(dirname "$0")/mount-lib.sh"
: "${MOUNT_HELPER:?MOUNT_HELPER must name the configured mount.fuse.linkfs}"
grep -q "^bindir='/" "$MOUNT_HELPER" ||
	fail "the configured helper names no absolute bindir: $(grep -n bindir= "$MOUNT_HELPER")"
mkdir "$T/bin" && ln -s "$(readlink -f "$LINKFS")" "$T/bin/linkfs" || fail "bin"
sed "s|^bindir=.*|bindir='$T/bin'|" "$MOUNT_HELPER" > "$T/helper" || fail "sed"
sbin=$(fake_dir /sbin)
install -m 0755 "$T/helper" "$sbin/mount.fuse.linkfs" || fail "fill /sbin"

# the documented line, with this test's paths
echo "$STORE $MNT fuse.linkfs defaults,nofail,auto_unmount 0 0" > "$T/fstab"
env -i /usr/bin/mount -T "$T/fstab" "$MNT" 2>"$T/err" ||
	fail "mount via the fstab line: $(cat "$T/err")"
check_mount "$STORE"
echo one > "$MNT/token" || fail "write"
unmount_wait
ok "the documented fstab line, through /sbin/mount.fuse.linkfs"

env -i /usr/bin/mount -t fuse.linkfs -o ro "$STORE" "$MNT" 2>"$T/err" ||
	fail "mount -t fuse.linkfs -o ro: $(cat "$T/err")"
check_mount "$STORE"
[ "$(cat "$MNT/token")" = one ] || fail "mount -t fuse.linkfs: not the same store"
echo two 2>/dev/null > "$MNT/token" && fail "a read-only mount took a write"
unmount_wait
ok "mount -t fuse.linkfs -o ro STORE MOUNTPOINT"

env -i /usr/bin/mount -t fuse.linkfs "$T/no/such/s.db" "$MNT" 2>"$T/err" &&
	fail "mount succeeded with a store in a missing directory"
grep -q "cannot use store directory '$T/no/such'" "$T/err" ||
	fail "mount(8) did not show the daemon's reason: $(cat "$T/err")"
is_mounted "$MNT" && fail "a failed mount left a mount"
ok "a failing mount says why"
