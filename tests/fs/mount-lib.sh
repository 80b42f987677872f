# mount-lib.sh - shared helpers for the tests of mounting the way a system
# does (fs-mount-*.sh): through mount(8), its helpers, fstab lines, and the
# daemon's own fork into the background. Sourced, not run; it sources
# lib.sh, so everything there (T, MNT, STORE, the EXIT trap) holds.
#
# With NS=private set before sourcing, the test first re-runs itself in a
# private mount namespace (unshare -m). There fake_dir can lay an empty
# directory of the test over /sbin or /usr/local/bin, so mount(8) finds
# exactly the helpers and the daemon the test put there: the machine's
# /sbin is never written, and tests running at once do not see each other's
# helpers. The mounts a test makes vanish with its namespace. Needs root
# (mount(8) with a helper, unshare); skips (77) otherwise.

if [ "${NS:-}" = private ] && [ "${LINKFS_MOUNT_NS:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] ||
		{ echo "SKIP: needs root (mount(8) and a private mount namespace)"; exit 77; }
	command -v unshare >/dev/null 2>&1 || { echo "SKIP: unshare is missing"; exit 77; }
	unshare -m --propagation private true 2>/dev/null ||
		{ echo "SKIP: cannot make a private mount namespace"; exit 77; }
	LINKFS_MOUNT_NS=1 exec unshare -m --propagation private /bin/sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

# fake_dir DIR: lays a fresh, empty directory over DIR (through its
# symlinks: /sbin is /usr/sbin on a merged /usr) in this namespace, and
# prints the directory to fill. Only with NS=private.
fake_dir() {
	[ "${LINKFS_MOUNT_NS:-}" = 1 ] || fail "fake_dir outside a private namespace"
	real=$(readlink -f "$1") || fail "no $1"
	d=$T/fake$(echo "$real" | tr / _)
	mkdir -p "$d" || fail "mkdir $d"
	mount --bind "$d" "$real" || fail "cannot lay $d over $real"
	echo "$d"
}

# mnt_field N: field N after the " - " of $MNT's line in mountinfo:
# 1 the type, 2 the source, 3 the superblock options.
mnt_field() {
	awk -v m="$MNT" -v n="$1" '$5 == m {
		for (i = 7; $i != "-"; i++) ;
		print $(i + n) }' /proc/self/mountinfo
}

# daemon_of PATH: the pid of the linkfs whose command line has the
# argument PATH (its mountpoint) or that holds PATH (its store) open.
# mount(8) and the daemon's fork make it no child of the test.
daemon_of() {
	exe=$(readlink -f "$LINKFS")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$exe" ] || continue
		if tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qxF -- "$1" ||
		   ls -l "$p/fd" 2>/dev/null | grep -qF -- "-> $1"; then
			echo "${p#/proc/}"
		fi
	done
}

# check_mount STORE: $MNT is a live linkfs mount of type fuse.linkfs whose
# source (mount(8), df) is STORE.
check_mount() {
	is_mounted "$MNT" || fail "$MNT is not mounted"
	stat "$MNT" >/dev/null || fail "$MNT is not live"
	[ "$(mnt_field 1)" = fuse.linkfs ] || fail "type is '$(mnt_field 1)', not fuse.linkfs"
	[ "$(mnt_field 2)" = "$1" ] || fail "source is '$(mnt_field 2)', not '$1'"
}

# unmount_wait [CMD...]: unmounts $MNT (with CMD, default umount(8), as
# systemd does) and waits (bounded) until the daemon that served it has
# exited, so its store is closed. The daemon is $DPID if set (then unset),
# else the one daemon_of "$MNT" finds.
unmount_wait() {
	pid=${DPID:-$(daemon_of "$MNT")}
	DPID=
	[ -n "$pid" ] || fail "no linkfs daemon serves $MNT"
	[ $# -gt 0 ] || set -- umount
	"$@" "$MNT" || fail "$* $MNT failed"
	is_mounted "$MNT" && fail "$MNT still mounted after $*"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 500 ] || fail "daemon $pid did not exit after the unmount"
		sleep 0.02
	done
}
