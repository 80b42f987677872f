#!/bin/sh
# fs-mount-fuse3: libfuse's stock helper mounts linkfs, with no
# mount.fuse.linkfs anywhere, in every form mount.fuse3(8) documents:
#   mount.fuse3 linkfs#STORE MOUNTPOINT -o OPTIONS      (by hand)
#   mount -t fuse.linkfs STORE MOUNTPOINT              (mount(8) runs
#                                                      /sbin/mount.fuse -t fuse.linkfs)
#   fstab: STORE MOUNTPOINT fuse.linkfs defaults,nofail 0 0
#   fstab: linkfs#STORE MOUNTPOINT fuse defaults,nofail 0 0
#   -o drop_privileges (mount.fuse3 mounts, linkfs gets /dev/fd/N)
# mount.fuse3 runs `linkfs STORE MOUNTPOINT -o OPTIONS,dev,suid` through
# /bin/sh, which finds linkfs on its default PATH (mount(8) passes no
# PATH): the test shows mount(8) a /sbin holding only mount.fuse3 and a
# /usr/local/bin holding only linkfs, in a private mount namespace. Each
# mount must serve the named store (the mount's source shows it) and pass
# the FUSE options on. Issue 24: linkfs refused the STORE argument and the
# mount-only options mount.fuse3 passes (nofail, x-*).
NS=private . "$(dirname "$0")/mount-lib.sh"
F3=$(command -v mount.fuse3) || skip "mount.fuse3 is missing"
cp "$F3" "$T/mount.fuse3" || fail "copy mount.fuse3"
sbin=$(fake_dir /sbin)
cp "$T/mount.fuse3" "$sbin/mount.fuse3" && ln -s mount.fuse3 "$sbin/mount.fuse" ||
	fail "fill /sbin"
bin=$(fake_dir /usr/local/bin)
ln -s "$(readlink -f "$LINKFS")" "$bin/linkfs" || fail "fill /usr/local/bin"

# 1. by hand, as its man page shows; options reach libfuse
env -i /sbin/mount.fuse3 "linkfs#$STORE" "$MNT" \
	-o nofail,default_permissions,x-test=1 2>"$T/err" ||
	fail "mount.fuse3 linkfs#STORE: $(cat "$T/err")"
check_mount "$STORE"
case ,$(mnt_field 3), in *,default_permissions,*) ;; *)
	fail "default_permissions did not reach the mount: $(mnt_field 3)" ;; esac
echo one > "$MNT/token" || fail "write"
unmount_wait
ok "mount.fuse3 linkfs#STORE MOUNTPOINT -o ..."

# 2. mount -t fuse.linkfs: mount(8) finds no mount.fuse.linkfs and runs
# mount.fuse -t fuse.linkfs
env -i /usr/bin/mount -t fuse.linkfs -o nofail "$STORE" "$MNT" 2>"$T/err" ||
	fail "mount -t fuse.linkfs: $(cat "$T/err")"
check_mount "$STORE"
[ "$(cat "$MNT/token")" = one ] || fail "mount -t fuse.linkfs: not the same store"
unmount_wait
ok "mount -t fuse.linkfs STORE MOUNTPOINT"

# 3. and 4. the two fstab forms
echo "$STORE $MNT fuse.linkfs defaults,nofail,x-systemd.after=x 0 0" > "$T/fstab"
env -i /usr/bin/mount -T "$T/fstab" "$MNT" 2>"$T/err" ||
	fail "fstab fuse.linkfs: $(cat "$T/err")"
check_mount "$STORE"
[ "$(cat "$MNT/token")" = one ] || fail "fstab fuse.linkfs: not the same store"
unmount_wait
echo "linkfs#$STORE $MNT fuse defaults,nofail 0 0" > "$T/fstab"
env -i /usr/bin/mount -T "$T/fstab" "$MNT" 2>"$T/err" ||
	fail "fstab linkfs#STORE fuse: $(cat "$T/err")"
check_mount "$STORE"
[ "$(cat "$MNT/token")" = one ] || fail "fstab linkfs#: not the same store"
unmount_wait
ok "fstab: STORE ... fuse.linkfs and linkfs#STORE ... fuse"

# 5. drop_privileges: mount.fuse3 mounts (so the source is its "linkfs")
# and passes /dev/fd/N for the mountpoint; the store must be named
env -i /sbin/mount.fuse3 "linkfs#$STORE" "$MNT" -o drop_privileges 2>"$T/err" ||
	fail "mount.fuse3 -o drop_privileges: $(cat "$T/err")"
is_mounted "$MNT" || fail "drop_privileges: not mounted"
[ "$(cat "$MNT/token")" = one ] || fail "drop_privileges: not the same store"
pid=$(daemon_of "$STORE")   # its mountpoint is /dev/fd/N
fusermount3 -u "$MNT" || fail "unmount (drop_privileges)"
i=0
while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 500 ] || fail "daemon $pid did not exit"; sleep 0.02
done
# with no store named there is no mountpoint to hash: refused, clearly
env -i /sbin/mount.fuse3 "linkfs#" "$MNT" -o drop_privileges 2>"$T/err"
fusermount3 -u "$MNT" 2>/dev/null   # mount.fuse3 mounted before linkfs said no
grep -q "is a descriptor: name the store" "$T/err" ||
	fail "drop_privileges without a store: $(cat "$T/err")"
ok "mount.fuse3 -o drop_privileges"

# the STORE argument and -o store= naming two stores, and a third
# argument, are refused before anything is mounted
"$LINKFS" "$T/a.db" "$MNT" -o store="$T/b.db" 2>"$T/err" && fail "two stores accepted"
grep -q "two stores given" "$T/err" || fail "two stores: unclear message: $(cat "$T/err")"
"$LINKFS" "$T/a.db" "$T/b.db" "$MNT" 2>"$T/err" && fail "three arguments accepted"
grep -q "too many arguments" "$T/err" || fail "three arguments: unclear message: $(cat "$T/err")"
is_mounted "$MNT" && fail "a refused command line mounted"
[ -e "$T/a.db" ] || [ -e "$T/b.db" ] && fail "a refused command line made a store"
ok "two stores, or a third argument, are refused"
