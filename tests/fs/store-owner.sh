#!/bin/sh
# store-owner: the daemon refuses a store someone else can change (issue
# 20, item 6), before mounting, with a message on stderr and a non-zero
# exit, and leaves nothing behind:
#   - the store, its -wal or its -shm file owned by another user (nobody);
#   - the store, its -wal or -shm, or its directory writable by others
#     (chmod o+w) or by the group (g+w); a sticky world-writable directory
#     (like /tmp) too;
#   - the store's directory owned by another user (root's is accepted);
#   - a FIFO at the -wal path, a directory at the -shm path;
#   - after each refusal nothing is mounted and the files are unchanged (a
#     FIFO stays a FIFO);
#   - a store reached through a symlinked directory works (the daemon uses
#     the resolved path); a failed open of a new store leaves no empty
#     file behind.
# Needs root (to chown to nobody): skips otherwise.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (to give the store to another user)"
NOBODY=$(id -u nobody 2>/dev/null) || skip "no user nobody"

D=$T/sd
mkdir -m 700 "$D"
S=$D/s.db
# a store with content, made by a normal mount
STORE=$S mount_fs
echo hello > "$MNT/f"
umount_fs

# refused WHAT PATTERN: the daemon must exit non-zero before mounting,
# saying PATTERN
refused() {
	"$LINKFS" -f -o store="$S" "$MNT" 2>"$T/err" &
	pid=$!
	i=0
	while kill -0 $pid 2>/dev/null && ! is_mounted "$MNT" && [ $i -lt 500 ]; do
		i=$((i + 1)); sleep 0.02
	done
	if is_mounted "$MNT"; then
		fusermount3 -u "$MNT"; wait $pid
		fail "$1: accepted (mounted)"
	fi
	kill $pid 2>/dev/null
	wait $pid && fail "$1: accepted (exit status 0)"
	grep -q "$2" "$T/err" || fail "$1: unclear message: $(cat "$T/err")"
	echo "  $1: $(cat "$T/err")"
}

chown "$NOBODY" "$S"
refused "a store owned by nobody" "belongs to uid $NOBODY, not to the mounting user"
chown 0 "$S"
chmod o+w "$S"
refused "a store writable by others" "writable by other users"
chmod o-w,g+w "$S"
refused "a store writable by its group" "writable by its group"
chmod 600 "$S"
ok "the store file: another owner, o+w, g+w refused"

for x in wal shm; do
	: > "$S-$x" && chmod 600 "$S-$x"
	chown "$NOBODY" "$S-$x"
	refused "a -$x file owned by nobody" "belongs to uid $NOBODY"
	chown 0 "$S-$x" && chmod 666 "$S-$x"
	refused "a -$x file writable by others" "writable by other users"
	rm -f "$S-$x"
done
mkfifo -m 600 "$S-wal"
refused "a FIFO at the -wal path" "is not a regular file (a FIFO)"
[ -p "$S-wal" ] || fail "the FIFO at the -wal path was replaced"
rm "$S-wal"
mkdir -m 700 "$S-shm"
refused "a directory at the -shm path" "is not a regular file (a directory)"
rmdir "$S-shm"
ok "-wal and -shm: another owner, o+w, a FIFO, a directory refused"

chmod o+w "$D"
refused "a store directory writable by others" "store directory '$D' is writable by other users"
chmod 1777 "$D"
refused "a sticky world-writable store directory" "writable by other users"
chmod 770 "$D"
refused "a store directory writable by its group" "writable by its group"
chmod 700 "$D"
chown "$NOBODY" "$D"
refused "a store directory owned by nobody" "directory '$D' belongs to uid $NOBODY"
chown 0 "$D"
ok "the store directory: o+w, sticky 1777, g+w, another owner refused"

# a new store in a refused directory: no empty file left behind
chmod o+w "$D"
S=$D/new.db
refused "a new store in a directory writable by others" "writable by other users"
[ -e "$S" ] && fail "a refused new store left a file behind"
chmod 700 "$D"
S=$D/s.db

# everything back in order: the store mounts and holds its content
STORE=$S mount_fs
[ "$(cat "$MNT/f")" = hello ] || fail "the store's content after the refusals"
umount_fs
ok "after the refusals the store mounts and its content is intact"

# a store through a symlinked directory: works, the store lands in the
# real directory
mkdir -m 700 "$T/real"
ln -s "$T/real" "$T/link"
STORE=$T/link/via.db mount_fs
echo through > "$MNT/g"
umount_fs
[ -f "$T/real/via.db" ] && [ -s "$T/real/via.db" ] || fail "the store is not in the real directory"
[ -L "$T/link" ] || fail "the symlink was replaced"
STORE=$T/link/via.db mount_fs
[ "$(cat "$MNT/g")" = through ] || fail "the store through a symlinked directory lost its content"
umount_fs
ok "a store through a symlinked directory works"

exit 0
