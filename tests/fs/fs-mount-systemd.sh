#!/bin/sh
# fs-mount-systemd: the systemd mount unit example, mount-scripts/
# srv-build.mount, mounts linkfs. Checked statically: its name is
# `systemd-escape -p --suffix=mount` of Where, it has no ordering cycle
# (a local mount is implicitly Before=local-fs.target unless nofail is
# set, systemd.mount(5), so After=local-fs.target needs nofail; issue 24's
# unit had the cycle), RequiresMountsFor names the store's directory, and
# `systemd-analyze verify` passes. Then its [Mount] is run, with What and
# Where pointed into the test's directory:
#   - where systemd is PID 1 and /sbin/mount.fuse.linkfs is installed,
#     as a transient unit in /run/systemd/system, started and stopped by
#     systemctl (LINKFS, through Environment=, is this build's daemon);
#   - elsewhere (here, a container) as systemd runs it: `mount What Where
#     -t Type -o Options`, with systemd's PATH and no HOME, through the
#     configured helper laid in this test's own /sbin (as fs-mount-helper),
#     and stopped with `umount -c Where`; the unit's auto_unmount must
#     reach libfuse (a fusermount3 watches the mount).

# Under systemd, with the helper installed, systemd itself mounts (in the
# machine's mount namespace, so the test stays there); else the test lays
# its own /sbin in a private namespace
under_systemd=0
if [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] &&
   [ -x /sbin/mount.fuse.linkfs ] && [ "$(id -u)" = 0 ] &&
   command -v systemctl >/dev/null 2>&1; then
	under_systemd=1
else
	NS=private
fi
. "$(dirname "$0")/mount-lib.sh"
: "${MOUNT_SCRIPTS:?MOUNT_SCRIPTS must name mount-scripts/}"
: "${MOUNT_HELPER:?MOUNT_HELPER must name the configured mount.fuse.linkfs}"
U=$MOUNT_SCRIPTS/srv-build.mount
[ -f "$U" ] || fail "no $U"

# key SECTION KEY: the value of KEY in [SECTION] (the last one wins)
key() {
	awk -v s="[$1]" -v k="$2" '/^\[/ { in_s = ($0 == s) }
		in_s && index($0, k "=") == 1 { v = substr($0, length(k) + 2) }
		END { print v }' "$U"
}
what=$(key Mount What) where=$(key Mount Where) type=$(key Mount Type)
options=$(key Mount Options)
[ "$type" = fuse.linkfs ] || fail "Type is '$type'"
if command -v systemd-escape >/dev/null; then
	[ "$(systemd-escape -p --suffix=mount "$where")" = "$(basename "$U")" ] ||
		fail "unit name $(basename "$U") does not match Where=$where"
fi
if key Unit After | grep -qw local-fs.target; then
	case ,$options, in *,nofail,*) ;; *)
		fail "After=local-fs.target without nofail: an ordering cycle" ;; esac
fi
key Unit RequiresMountsFor | tr ' ' '\n' | grep -qxF "$(dirname "$what")" ||
	fail "RequiresMountsFor does not name the store's directory $(dirname "$what")"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify "$U" 2>"$T/err" || fail "systemd-analyze verify: $(cat "$T/err")"
	ok "static checks, systemd-analyze verify"
else
	ok "static checks (no systemd-analyze here)"
fi

if [ $under_systemd = 1 ]; then
	name=$(systemd-escape -p --suffix=mount "$MNT")
	unit=/run/systemd/system/$name
	EXTRA_CLEANUP="systemctl stop '$name' 2>/dev/null; rm -f '$unit'; systemctl daemon-reload"
	awk -v w="$STORE" -v m="$MNT" -v l="$LINKFS" '
		/^What=/ { print "What=" w; next }
		/^Where=/ { print "Where=" m; print "Environment=LINKFS=" l; next }
		{ print }' "$U" > "$unit" || fail "write $unit"
	systemctl daemon-reload && systemctl start "$name" 2>"$T/err" ||
		fail "systemctl start: $(cat "$T/err"; systemctl status "$name" 2>&1)"
	check_mount "$STORE"
	echo one > "$MNT/token" || fail "write"
	systemctl stop "$name" || fail "systemctl stop"
	is_mounted "$MNT" && fail "still mounted after systemctl stop"
	ok "started and stopped by systemd"
	exit 0
fi
echo "SKIP (part): systemd is not PID 1 here, or /sbin/mount.fuse.linkfs is" \
	"not installed: running the unit's mount command as systemd does"

mkdir "$T/bin" && ln -s "$(readlink -f "$LINKFS")" "$T/bin/linkfs" || fail "bin"
sed "s|^bindir=.*|bindir='$T/bin'|" "$MOUNT_HELPER" > "$T/helper" || fail "sed"
sbin=$(fake_dir /sbin)
install -m 0755 "$T/helper" "$sbin/mount.fuse.linkfs" || fail "fill /sbin"
sd_mount() {
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin \
		/usr/bin/mount "$STORE" "$MNT" -t "$type" -o "$options" 2>"$T/err" ||
		fail "mount ... -t $type -o $options: $(cat "$T/err")"
	check_mount "$STORE"
}
sd_mount
case ,$(mnt_field 3), in *,default_permissions,*) ;; *)
	fail "the unit's default_permissions did not reach the mount" ;; esac
echo one > "$MNT/token" || fail "write"
unmount_wait umount -c
ok "the unit's mount and umount commands"

sd_mount
[ "$(cat "$MNT/token")" = one ] || fail "not the same store"
# auto_unmount reached libfuse: fusermount3 stays to watch the daemon
# (killing the daemon to see the mount go is racy in fusermount3 itself:
# libfuse PR 763 documents it)
watch=
for p in /proc/[0-9]*; do
	[ "$(readlink "$p/exe" 2>/dev/null)" = "$(readlink -f "$(command -v fusermount3)")" ] ||
		continue
	c=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
	case $c in *auto_unmount*" $MNT "*|*auto_unmount*" $MNT") watch=${p#/proc/} ;; esac
done
[ -n "$watch" ] || fail "auto_unmount: no fusermount3 watches $MNT"
unmount_wait umount -c
i=0
while kill -0 "$watch" 2>/dev/null; do
	# a zombie has left (its reaping is init's business)
	[ "$(awk '{ print $3 }' "/proc/$watch/stat" 2>/dev/null)" = Z ] && break
	i=$((i + 1)); [ $i -lt 500 ] || fail "fusermount3 $watch outlived the mount"
	sleep 0.02
done
ok "auto_unmount: fusermount3 watched the daemon, and left with it"
