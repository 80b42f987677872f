#!/bin/sh
# fs-mount-nohome: the default store without HOME (mount(8) passes no HOME
# to its helpers; systemd, boot-time mounts and cron have none) is
# HOME/.local/share/linkfs/<hash of the mountpoint>.db for the home
# directory /etc/passwd gives the user: the same store a login shell's
# mount chooses, so a mount from fstab at boot serves what was written
# from a shell. Checked three ways: linkfs with neither HOME nor
# XDG_DATA_HOME, then with HOME set to that directory (same store, same
# files), then the fstab line with the default store ("linkfs" as the
# source) through mount(8) and the installed helper with an empty
# environment. Issue 24: "neither XDG_DATA_HOME nor HOME is set" failed
# the fstab line. The store this makes in the user's home is removed at
# the end (the directories too, if the test made them). Root only (it
# uses mount(8)); needs MOUNT_HELPER as fs-mount-helper does.
NS=private . "$(dirname "$0")/mount-lib.sh"
: "${MOUNT_HELPER:?MOUNT_HELPER must name the configured mount.fuse.linkfs}"
home=$(getent passwd "$(id -u)" | cut -d: -f6)
[ -n "$home" ] && [ -d "$home" ] || skip "uid $(id -u) has no home directory"
base=$home/.local/share/linkfs
made=""
for d in "$home/.local" "$home/.local/share" "$base"; do
	[ -d "$d" ] || made="$d $made"   # the deepest first, for rmdir
done
created=""   # the store found, for the cleanup
EXTRA_CLEANUP='[ -n "$created" ] && rm -f "$created" "$created-wal" "$created-shm"
for d in $made; do rmdir "$d" 2>/dev/null; done'

# start_fg ENV...: linkfs -f MNT (no store named) under env ENV, in the
# background; waits until the mount is live
start_fg() {
	env "$@" "$LINKFS" -f "$MNT" 2>>"$T/daemon.log" &
	DAEMON_PID=$!
	i=0
	while ! is_mounted "$MNT"; do
		kill -0 "$DAEMON_PID" 2>/dev/null || fail "linkfs died: $(cat "$T/daemon.log")"
		i=$((i + 1)); [ $i -lt 500 ] || fail "mount did not appear"; sleep 0.02
	done
	stat "$MNT" >/dev/null || fail "mount is not live"
}

start_fg -u HOME -u XDG_DATA_HOME
src=$(mnt_field 2)
case $src in
"$base"/????????????????????????????????.db) created=$src ;;
*) fail "default store without HOME is '$src', not in '$base'" ;;
esac
[ -f "$src" ] || fail "no store at '$src'"
echo one > "$MNT/token" || fail "write"
umount_fs
ok "no HOME, no XDG_DATA_HOME: $src"

start_fg -u XDG_DATA_HOME HOME="$home"
[ "$(mnt_field 2)" = "$src" ] || fail "HOME=$home chose '$(mnt_field 2)', not '$src'"
[ "$(cat "$MNT/token")" = one ] || fail "HOME=$home: not the same store"
umount_fs
ok "HOME set to the passwd home: the same store"

mkdir "$T/bin" && ln -s "$(readlink -f "$LINKFS")" "$T/bin/linkfs" || fail "bin"
sed "s|^bindir=.*|bindir='$T/bin'|" "$MOUNT_HELPER" > "$T/helper" || fail "sed"
sbin=$(fake_dir /sbin)
install -m 0755 "$T/helper" "$sbin/mount.fuse.linkfs" || fail "fill /sbin"
echo "linkfs $MNT fuse.linkfs defaults,nofail 0 0" > "$T/fstab"
env -i /usr/bin/mount -T "$T/fstab" "$MNT" 2>"$T/err" ||
	fail "fstab line with the default store: $(cat "$T/err")"
check_mount "$src"
[ "$(cat "$MNT/token")" = one ] || fail "fstab, default store: not the same store"
unmount_wait
ok "fstab line with the default store, empty environment"
