#!/bin/sh
# fs-mount-relative: a relative store path is resolved against the
# directory linkfs was started in, before the daemon forks into the
# background (fuse_daemonize changes to "/"). The daemon runs without -f
# here, as a user or mount(8) runs it; the test checks that the daemon
# really went to "/", that the mount's source is the absolute path, that
# the files written land in that store (read back by a remount that names
# it absolutely), and that nothing appears at "/". Forms: -o store=REL,
# the STORE argument mount(8)'s helpers pass (also with "../"), a relative
# mountpoint, and mount.fuse3 called in that directory. Issue 24 reported
# the store at "/" after daemonizing and an empty one in the current
# directory.
. "$(dirname "$0")/mount-lib.sh"
name=linkfs-relative-$$.db
[ -e "/$name" ] && skip "/$name exists"
EXTRA_CLEANUP="rm -f '/$name' '/$name-wal' '/$name-shm'"
mkdir "$T/sub" "$T/d" || fail "mkdir"

# run_bg DIR STORE ARGS...: starts linkfs ARGS in DIR, where it
# daemonizes; checks that the daemon holding STORE (an absolute path) open
# went to "/", and sets DPID (unmount_wait waits for it)
run_bg() {
	dir=$1 abs=$2; shift 2
	(cd "$dir" && "$LINKFS" "$@") 2>>"$T/daemon.log" || fail "linkfs $*"
	DPID=$(daemon_of "$abs")
	[ -n "$DPID" ] || fail "no daemon holds '$abs' (linkfs $*)"
	[ "$(readlink "/proc/$DPID/cwd")" = / ] || fail "linkfs $*: did not daemonize"
}

# absolute_has STORE TOKEN: the file token in STORE holds TOKEN (mounted
# with STORE named absolutely, in the foreground)
absolute_has() {
	STORE=$1
	mount_fs
	[ "$(cat "$MNT/token")" = "$2" ] || fail "the store '$1' does not hold '$2'"
	umount_fs
}

run_bg "$T" "$T/$name" -o store="$name" "$MNT"
check_mount "$T/$name"
echo one > "$MNT/token" || fail "write"
unmount_wait fusermount3 -u
[ -e "/$name" ] && fail "a store appeared at /$name"
absolute_has "$T/$name" one
ok "-o store=RELATIVE, daemonized"

run_bg "$T/sub" "$T/d/$name" "../d/$name" "$MNT"
check_mount "$T/d/$name"
echo two > "$MNT/token" || fail "write"
unmount_wait fusermount3 -u
[ -e "/d/$name" ] || [ -e "$T/sub/$name" ] && fail "a store appeared elsewhere"
absolute_has "$T/d/$name" two
ok "STORE argument ../d/NAME, daemonized"

run_bg "$T" "$T/$name" -o store="$name" mnt
check_mount "$T/$name"
[ "$(cat "$MNT/token")" = one ] || fail "relative mountpoint: not the same store"
unmount_wait fusermount3 -u
ok "relative store and mountpoint"

if F3=$(command -v mount.fuse3); then
	mkdir "$T/bin" && ln -s "$(readlink -f "$LINKFS")" "$T/bin/linkfs" || fail "bin"
	(cd "$T/sub" && PATH="$T/bin:$PATH" "$F3" "linkfs#../d/$name" "$MNT") 2>"$T/err" ||
		fail "mount.fuse3 linkfs#../d/NAME: $(cat "$T/err")"
	check_mount "$T/d/$name"
	[ "$(cat "$MNT/token")" = two ] || fail "mount.fuse3: not the same store"
	unmount_wait fusermount3 -u
	ok "mount.fuse3 linkfs#RELATIVE"
fi
[ -e "/$name" ] && fail "a store appeared at /$name"
ok "nothing at /"
