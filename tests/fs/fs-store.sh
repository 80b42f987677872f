#!/bin/sh
# fs-store: the store's location and modes, its schema version check, and
# garbage collection of unreferenced contents, chunks and link results,
# and the reference counts the schema's triggers keep.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is missing"

# default location: $XDG_DATA_HOME/linkfs/<hash>.db, dir 0700, db 0600
export XDG_DATA_HOME="$T/xdg"
"$LINKFS" -f "$MNT" 2>"$T/daemon.log" &
DAEMON_PID=$!
i=0
while ! is_mounted "$MNT"; do
	kill -0 $DAEMON_PID 2>/dev/null || { cat "$T/daemon.log"; fail "daemon died"; }
	i=$((i + 1)); [ $i -lt 500 ] || fail "mount did not appear"; sleep 0.02
done
echo hi > "$MNT/f"
umount_fs
db=$(ls "$XDG_DATA_HOME"/linkfs/*.db) || fail "no store under XDG_DATA_HOME"
[ "$(stat -c %a "$XDG_DATA_HOME/linkfs")" = 700 ] || fail "store dir not 0700"
[ "$(stat -c %a "$db")" = 600 ] || fail "store not 0600"
[ "$(sqlite3 "$db" 'PRAGMA journal_mode')" = wal ] || fail "store not in WAL mode"
ok "default store location and modes"

# a store inside the mount is refused
"$LINKFS" -f -o store="$MNT/s.db" "$MNT" 2>"$T/err" && fail "store inside the mount accepted"
grep -q "inside the mount" "$T/err" || fail "unclear message: $(cat "$T/err")"
ok "store inside the mount refused"

# the mount's source names the store (issue 24), unless fsname= is given
mount_fs
src=$(awk -v m="$MNT" '$5 == m { for (i = 7; $i != "-"; i++); print $(i + 2) }' /proc/self/mountinfo)
[ "$src" = "$STORE" ] || fail "the mount's source is '$src', want the store '$STORE'"
umount_fs
"$LINKFS" -f -o store="$STORE",fsname=mine "$MNT" 2>>"$T/daemon.log" &
DAEMON_PID=$!
i=0
while ! is_mounted "$MNT"; do
	i=$((i + 1)); [ $i -lt 500 ] || fail "mount did not appear"; sleep 0.02
done
src=$(awk -v m="$MNT" '$5 == m { for (i = 7; $i != "-"; i++); print $(i + 2) }' /proc/self/mountinfo)
[ "$src" = mine ] || fail "-o fsname=mine: the source is '$src'"
umount_fs
ok "the mount's source is the store (or -o fsname)"

# collection: overwritten and deleted contents and stale results go
mount_fs
mkdir "$MNT/d"
echo one > "$MNT/d/a"; echo two > "$MNT/d/a"; echo three > "$MNT/d/b"; rm "$MNT/d/b"
printf 'junk' > "$MNT/d/x.o"; cat "$MNT/d/link.log" >/dev/null
printf 'junk2' > "$MNT/d/x.o"; cat "$MNT/d/link.log" >/dev/null
umount_fs
mount_fs   # collects at startup
umount_fs
q() { sqlite3 "$STORE" "$1"; }
[ "$(q 'SELECT count(*) FROM contents WHERE refs = 0')" = 0 ] ||
	fail "unreferenced contents left: $(q 'SELECT count(*) FROM contents WHERE refs = 0')"
[ "$(q 'SELECT count(*) FROM chunks WHERE refs = 0')" = 0 ] ||
	fail "unreferenced chunks left"
[ "$(q 'SELECT count(*) FROM bodies WHERE id NOT IN (SELECT body FROM chunks)')" = 0 ] ||
	fail "chunk bodies without their chunk"
# every count equals what refers to it
bad=$(q "SELECT count(*) FROM contents c WHERE refs !=
	(SELECT count(*) FROM nodes WHERE blob = c.hash) +
	(SELECT count(*) FROM nodes WHERE input = c.hash) +
	(SELECT count(*) FROM link_files WHERE blob = c.hash)")
[ "$bad" = 0 ] || fail "$bad contents with a wrong reference count"
bad=$(q "SELECT count(*) FROM chunks k WHERE refs !=
	(SELECT count(*) FROM content_chunks WHERE chunk = k.hash) +
	(SELECT count(*) FROM staged WHERE chunk = k.hash)")
[ "$bad" = 0 ] || fail "$bad chunks with a wrong reference count"
[ "$(q 'SELECT count(*) FROM content_chunks WHERE content NOT IN (SELECT hash FROM contents)')" = 0 ] ||
	fail "chunk lists of deleted contents"
[ "$(q 'SELECT count(*) FROM nodes WHERE blob IS NOT NULL AND blob NOT IN (SELECT hash FROM contents)')" = 0 ] ||
	fail "a file names a content that is gone"
results=$(sqlite3 "$STORE" "SELECT count(*) FROM link_results")
[ "$results" = 1 ] || fail "$results link results kept, want 1"
ok "garbage collection"

# a store from a newer linkfs is refused with a clear message
sqlite3 "$STORE" 'PRAGMA user_version = 999' || fail "sqlite3"
"$LINKFS" -f -o store="$STORE" "$MNT" 2>"$T/err" && fail "newer store accepted"
grep -q "newer than this linkfs" "$T/err" || fail "unclear message: $(cat "$T/err")"
is_mounted "$MNT" && fail "mounted a newer store"
ok "newer store refused"

# --help and --version follow libfuse conventions
"$LINKFS" --help | grep -q "store=PATH" || fail "--help lacks store="
"$LINKFS" --version | grep -q "linkfs version" || fail "--version"
ok "--help, --version"
