# lib.sh - shared helpers for the linkfs mount tests (sourced, not run).
#
# Every test mounts a fresh linkfs in a fresh temp dir with a fresh store,
# runs the daemon in the foreground in the background, waits until the
# mount is live (with a bound on the number of tries, not a timing check),
# and ALWAYS unmounts and removes everything in the EXIT trap.
# Exit codes: 0 pass, 77 skip (no usable /dev/fuse or fusermount3), else fail.
# Needs: LINKFS (path of the daemon) in the environment.

set -u
: "${LINKFS:?LINKFS must name the linkfs binary}"
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
OBJDUMP=${OBJDUMP:-/usr/lib/llvm-19/bin/llvm-objdump}

# the python parts of the tests import fsutil.py from here
PYTHONPATH="$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

[ -c /dev/fuse ] || skip "/dev/fuse is missing"
[ -r /dev/fuse ] && [ -w /dev/fuse ] || skip "/dev/fuse is not usable by $(id -un)"
command -v fusermount3 >/dev/null 2>&1 || skip "fusermount3 is unavailable"

T=$(mktemp -d "${TMPDIR:-/tmp}/linkfs-test.XXXXXX") || fail "mktemp"
MNT=$T/mnt
STORE=$T/store.db
DAEMON_PID=
mkdir -p "$MNT"

is_mounted() { awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo; }

# Starts the daemon on $MNT with $STORE; waits until the mount is live.
mount_fs() {
	"$LINKFS" -f -o store="$STORE" "$@" "$MNT" 2>>"$T/daemon.log" &
	DAEMON_PID=$!
	i=0
	while ! is_mounted "$MNT"; do
		kill -0 "$DAEMON_PID" 2>/dev/null || {
			cat "$T/daemon.log" >&2; fail "daemon died while mounting"; }
		i=$((i + 1))
		[ $i -lt 500 ] || fail "mount did not appear"
		sleep 0.02
	done
	# the kernel answers only once INIT was handled: stat the root
	stat "$MNT" >/dev/null || fail "mount is not live"
}

# Unmounts cleanly and waits for the daemon to exit.
umount_fs() {
	if is_mounted "$MNT"; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT"
	fi
	if [ -n "$DAEMON_PID" ]; then
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
}

# Kills the daemon with SIGKILL and removes the dead mount.
crash_fs() {
	kill -9 "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT" 2>/dev/null
}

# EXTRA_CLEANUP: shell code a test sets to undo a change outside $T.
cleanup() {
	rc=$?
	cd /
	if [ -n "$DAEMON_PID" ] || is_mounted "$MNT"; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT" 2>/dev/null
		if [ -n "$DAEMON_PID" ]; then
			kill "$DAEMON_PID" 2>/dev/null
			wait "$DAEMON_PID" 2>/dev/null
		fi
	fi
	# a sanitizer report or a crash in the daemon fails the test
	if grep -qE "Sanitizer|runtime error|linkfs: store error" "$T/daemon.log" 2>/dev/null; then
		echo "FAIL: the daemon reported:" >&2
		cat "$T/daemon.log" >&2
		rc=1
	elif [ "$rc" != 0 ] && [ -s "$T/daemon.log" ]; then
		echo "daemon log:" >&2
		cat "$T/daemon.log" >&2
	fi
	[ -n "${EXTRA_CLEANUP:-}" ] && eval "$EXTRA_CLEANUP"
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# link_errors LOG: what the link said, the lines of link.log after its
# "option KEY = VALUE (...)" lines (docs/formats.md, "link.log"): nothing
# after a clean link.
link_errors() { grep -v '^option ' "$1"; }

# status KEY: the counter KEY from the status file.
status() { awk -v k="$1" '$1 == k { print $2 }' "$MNT/.linkfs-status"; }

# cc SRC OUT [ARCH]: compiles C for macOS on x86_64 (or ARCH) with clang-19
# (no SDK needed).
have_clang() { [ -x "$CLANG" ]; }
cc_macho() {
	R=$("$CLANG" -print-resource-dir)
	"$CLANG" -target "${3:-x86_64}-apple-macos11" -nostdinc -isystem "$R/include" \
		-isystem /usr/include/x86_64-linux-musl -c "$1" -o "$2"
}
