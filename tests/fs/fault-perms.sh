#!/bin/sh
# fault-perms: an unprivileged user mounts through fusermount3 (issue 5,
# faults 7).
#
# As root, the test makes a throwaway system user (linkfs-fault, removed
# again if the test made it) and lends it /dev/fuse (mode 0600 here) only
# while its daemon mounts. The daemon runs as that user with umask 0.
#   - the mount is the user's (user_id), nosuid,nodev, as fusermount3 makes
#     it;
#   - with -o default_permissions the kernel checks mode bits against the
#     file's owner (every file is owned by the daemon's user): the owner
#     gets EACCES reading a 0000 file, appending to a 0444 file, creating
#     in a 0555 directory; after chmod back it works. Without the option
#     (the control) linkfs checks nothing itself and the 0000 file reads;
#   - another user (root here: allow_other is not set, and needs
#     user_allow_other in /etc/fuse.conf, which the test does not touch)
#     gets EACCES for the mount and anything in it;
#   - the default store is created 0600 (its -wal and -shm files too) in a
#     0700 directory owned by the user, whatever the umask; an existing
#     store directory open to others is made 0700; one owned by another
#     user is refused;
#   - the store is never opened through a symlink: a symlink at the store
#     path (to a missing file, or to an existing one) or at its -wal file
#     is refused with a message that says so, nothing is mounted and the
#     link's target is neither created nor changed; a directory there is
#     refused too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (to make a throwaway user and lend it /dev/fuse)"
for c in setpriv useradd userdel; do
	command -v $c >/dev/null 2>&1 || skip "$c is unavailable"
done
PUSER=linkfs-fault
CREATED=
if ! id "$PUSER" >/dev/null 2>&1; then
	useradd --system --no-create-home --shell /usr/sbin/nologin "$PUSER" 2>"$T/err" ||
		skip "cannot create a user: $(cat "$T/err")"
	CREATED=1
fi
PU=$(id -u "$PUSER")
PG=$(id -g "$PUSER")
FUSE_MODE=$(stat -c %a /dev/fuse)
UD=$T/u
UMNT=$UD/mnt
UPID=
perm_cleanup() {
	chmod "$FUSE_MODE" /dev/fuse
	if is_mounted "$UMNT"; then
		fusermount3 -u "$UMNT" 2>/dev/null || fusermount3 -u -z "$UMNT"
	fi
	if [ -n "$UPID" ]; then
		kill "$UPID" 2>/dev/null
		wait "$UPID" 2>/dev/null
		UPID=
	fi
	[ -n "$CREATED" ] && userdel "$PUSER" 2>/dev/null
	# the user's daemon reported a sanitizer error: lib.sh's cleanup fails
	cat "$T/user.log" >> "$T/daemon.log" 2>/dev/null
}
trap 'rc0=$?; perm_cleanup; (exit $rc0); cleanup' EXIT
chmod 711 "$T" && mkdir "$UD" && chown "$PUSER:" "$UD" && chmod 700 "$UD" || fail "setup"
: > "$T/user.log"

# as_user CMD...: runs CMD as the user, with a clean environment
as_user() {
	env -i PATH=/usr/bin:/bin HOME="$UD" XDG_DATA_HOME="${UXDG:-$UD/xdg}" \
		${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
		${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
		setpriv --reuid="$PU" --regid="$PG" --clear-groups -- "$@"
}
as_user test -x "$LINKFS" || skip "$LINKFS is not reachable by an unprivileged user"
as_user mkdir "$UMNT" || fail "mkdir as the user"

# user_mount OPTS...: the user's daemon mounts UMNT (umask 0); /dev/fuse
# is usable by others only until the mount is up
user_mount() {
	chmod 0666 /dev/fuse
	as_user sh -c 'umask 0; exec "$0" -f "$@"' "$LINKFS" "$@" "$UMNT" 2>>"$T/user.log" &
	UPID=$!
	i=0
	while ! is_mounted "$UMNT"; do
		kill -0 "$UPID" 2>/dev/null || {
			chmod "$FUSE_MODE" /dev/fuse; cat "$T/user.log" >&2
			fail "the user's daemon died while mounting"; }
		i=$((i + 1)); [ $i -lt 500 ] || fail "the user's mount did not appear"
		sleep 0.02
	done
	chmod "$FUSE_MODE" /dev/fuse
	as_user stat "$UMNT" > /dev/null || fail "the user's mount is not live"
}
user_umount() {
	as_user fusermount3 -u "$UMNT" || fail "fusermount3 -u as the user"
	wait "$UPID" || fail "the user's daemon exited with status $?"
	UPID=
}
# denied WHAT CMD...: CMD must fail with "Permission denied"
denied() {
	w=$1; shift
	"$@" > /dev/null 2> "$T/err" && fail "$w succeeded"
	grep -q "Permission denied" "$T/err" || fail "$w: $(cat "$T/err"), want EACCES"
}

# 1. default_permissions is honoured
user_mount -o default_permissions
line=$(awk -v m="$UMNT" '$5 == m' /proc/self/mountinfo)
echo "$line"
case $line in *nosuid,nodev*) ;; *) fail "the user's mount is not nosuid,nodev" ;; esac
case $line in *user_id=$PU,*) ;; *) fail "the mount is not the user's (user_id=$PU)" ;; esac
case $line in *default_permissions*) ;; *) fail "default_permissions is not set" ;; esac
as_user sh -c "echo hi > '$UMNT/f' && mkdir '$UMNT/d'" || fail "writing as the user"
[ "$(as_user stat -c %u "$UMNT/f")" = "$PU" ] || fail "files are not owned by the user"
as_user chmod 000 "$UMNT/f" || fail "chmod"
denied "reading a 0000 file" as_user cat "$UMNT/f"
as_user chmod 444 "$UMNT/f" || fail "chmod"
denied "appending to a 0444 file" as_user sh -c "echo x >> '$UMNT/f'"
as_user chmod 555 "$UMNT/d" || fail "chmod"
denied "creating in a 0555 directory" as_user touch "$UMNT/d/x"
as_user chmod 644 "$UMNT/f" && as_user chmod 755 "$UMNT/d" || fail "chmod back"
[ "$(as_user cat "$UMNT/f")" = hi ] || fail "reading after chmod back"
as_user touch "$UMNT/d/x" || fail "creating after chmod back"
ok "default_permissions: mode bits are enforced for the owner"
denied "root listing the user's mount" ls "$UMNT"
denied "root reading a file in the user's mount" cat "$UMNT/f"
ok "another user (root, no allow_other) gets EACCES"

# the default store: 0600 files in a 0700 directory, whatever the umask
db=$(ls "$UD"/xdg/linkfs/*.db) || fail "no store under XDG_DATA_HOME"
for f in "$UD/xdg/linkfs" "$db" "$db-wal" "$db-shm"; do
	[ -e "$f" ] || fail "missing: $f"
	[ "$(stat -c %u "$f")" = "$PU" ] || fail "$f is not owned by the user"
done
[ "$(stat -c %a "$UD/xdg/linkfs")" = 700 ] || fail "store directory mode $(stat -c %a "$UD/xdg/linkfs"), want 700"
for f in "$db" "$db-wal" "$db-shm"; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f mode $(stat -c %a "$f"), want 600"
done
ok "the default store and its -wal, -shm are 0600 in a 0700 directory (umask 0)"
user_umount

# 2. the control: without default_permissions linkfs checks nothing itself
user_mount
as_user chmod 000 "$UMNT/f" || fail "chmod"
[ "$(as_user cat "$UMNT/f")" = hi ] || fail "without default_permissions the owner could not read a 0000 file"
denied "root listing the user's mount" ls "$UMNT"
as_user chmod 644 "$UMNT/f"
user_umount
ok "without default_permissions the 0000 file reads (linkfs checks no modes itself)"

# an existing store directory open to others is made 0700; one owned by
# another user is refused
as_user mkdir -p "$UD/xdg3/linkfs" && as_user chmod 777 "$UD/xdg3/linkfs" || fail "mkdir"
UXDG=$UD/xdg3 user_mount
[ "$(stat -c %a "$UD/xdg3/linkfs")" = 700 ] || fail "an open store directory was not made 0700"
user_umount
as_user mkdir -p "$UD/xdg4" && mkdir "$UD/xdg4/linkfs" && chmod 777 "$UD/xdg4/linkfs" || fail "mkdir"
UXDG=$UD/xdg4 as_user "$LINKFS" -f "$UMNT" 2>"$T/err" && fail "a store directory of another user was used"
grep -q "belongs to another user" "$T/err" || fail "unclear message: $(cat "$T/err")"
is_mounted "$UMNT" && fail "mounted with another user's store directory"
ok "an open store directory is made 0700; another user's is refused: $(cat "$T/err")"

# 3. never through a symlink
# refused WHAT STORE: the daemon must refuse STORE, saying it is a link
refused() {
	as_user "$LINKFS" -f -o store="$2" "$UMNT" 2>"$T/err" && fail "$1: accepted"
	grep -q "$3" "$T/err" || fail "$1: unclear message: $(cat "$T/err")"
	is_mounted "$UMNT" && fail "$1: mounted"
	echo "  $1: $(cat "$T/err")"
}
as_user ln -s "$UD/victim.db" "$UD/link.db" || fail "ln"
refused "a symlink to a missing file" "$UD/link.db" "is a symbolic link"
[ -e "$UD/victim.db" ] && fail "the symlink's target was created"
as_user sh -c "echo precious > '$UD/victim2' && ln -s '$UD/victim2' '$UD/link2.db'" || fail "ln"
refused "a symlink to an existing file" "$UD/link2.db" "is a symbolic link"
[ "$(cat "$UD/victim2")" = precious ] || fail "the symlink's target changed"
as_user ln -s "$UD/victim3" "$UD/real.db-wal" || fail "ln"
refused "a symlink at the -wal file" "$UD/real.db" "is a symbolic link"
[ -e "$UD/victim3" ] && fail "the -wal symlink's target was created"
as_user mkdir "$UD/dir.db" || fail "mkdir"
refused "a directory" "$UD/dir.db" "Is a directory\\|not a regular file"
ok "the store is never opened through a symlink"

grep -E "Sanitizer|runtime error" "$T/user.log" && fail "the user's daemon reported errors"
exit 0
