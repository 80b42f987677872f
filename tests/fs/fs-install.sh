#!/bin/sh
# fs-install: `meson install` into a DESTDIR installs exactly what
# docs/usage.md ("Installed files") lists, and each works from there:
#   BINDIR/linkfs, linkfs-ld, linkfs-mount, linkfs-umount  (executable)
#   /sbin/mount.fuse.linkfs   (prefix /usr or /usr/local; else SBINDIR),
#                             executable, valid sh, naming BINDIR/linkfs
#   MANDIR/man1/linkfs.1      (renders without warnings)
#   DATADIR/doc/linkfs/examples/srv-build.mount
# Issue 24: `meson install` installed neither the man page nor the helper.
# No mount: runs without /dev/fuse. Needs BUILD_ROOT (the build directory);
# the build must be complete (it installs with --no-rebuild).
set -u
: "${BUILD_ROOT:?BUILD_ROOT must name the build directory}"
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
command -v meson >/dev/null 2>&1 || skip "meson is missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/linkfs-install.XXXXXX") || fail "mktemp"
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
D=$T/dest

meson install -C "$BUILD_ROOT" --destdir "$D" --no-rebuild >"$T/log" 2>&1 ||
	fail "meson install: $(cat "$T/log")"
# the install directories, as this build configured them
meson introspect --buildoptions "$BUILD_ROOT" > "$T/opts.json" || fail "introspect"
eval "$(python3 - "$T/opts.json" <<'PY'
import json, os, sys
o = {x["name"]: x["value"] for x in json.load(open(sys.argv[1]))}
p = o["prefix"]
for k in ("bindir", "sbindir", "mandir", "datadir"):
    print(f"{k}='{os.path.join(p, o[k])}'")
print(f"prefix='{p}'")
PY
)" || fail "reading the build options"
case $prefix in /usr|/usr/local) helperdir=/sbin ;; *) helperdir=$sbindir ;; esac

cat > "$T/want" <<EOF
$bindir/linkfs
$bindir/linkfs-ld
$bindir/linkfs-mount
$bindir/linkfs-umount
$helperdir/mount.fuse.linkfs
$mandir/man1/linkfs.1
$datadir/doc/linkfs/examples/srv-build.mount
EOF
sort -o "$T/want" "$T/want"
(cd "$D" && find . ! -type d | sed 's|^\.||' | sort) > "$T/got"
diff -u "$T/want" "$T/got" >"$T/diff" ||
	fail "installed files differ from the list (-want +got): $(cat "$T/diff")"
ok "meson install puts $(wc -l <"$T/got") files where docs/usage.md says"

for f in "$bindir/linkfs" "$bindir/linkfs-ld" "$bindir/linkfs-mount" \
	 "$bindir/linkfs-umount" "$helperdir/mount.fuse.linkfs"; do
	[ -x "$D$f" ] || fail "$f is not executable"
done
"$D$bindir/linkfs" --version 2>&1 | head -1 | grep -q "^linkfs version " ||
	fail "installed linkfs --version: $("$D$bindir/linkfs" --version 2>&1)"
"$D$bindir/linkfs-ld" --version >/dev/null 2>&1 || fail "installed linkfs-ld --version"
h=$D$helperdir/mount.fuse.linkfs
sh -n "$h" || fail "the installed helper is not valid sh"
grep -qx "bindir='$bindir'" "$h" ||
	fail "the installed helper does not name $bindir: $(grep -n bindir= "$h")"
cmp -s "$D$datadir/doc/linkfs/examples/srv-build.mount" \
	"${MOUNT_SCRIPTS:-$(dirname "$0")/../../mount-scripts}/srv-build.mount" ||
	fail "the installed unit example differs from mount-scripts/srv-build.mount"
ok "the programs run, the helper names $bindir/linkfs"

if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$D$mandir/man1/linkfs.1" 2>"$T/err" && [ ! -s "$T/err" ] ||
		fail "linkfs.1: groff warns: $(cat "$T/err")"
	LC_ALL=C.UTF-8 groff -man -rHY=0 -rLL=200n -Tutf8 -P-cbou \
		"$D$mandir/man1/linkfs.1" 2>/dev/null |
		grep -q "mount.fuse.linkfs" || fail "linkfs.1 does not document the helper"
	ok "the man page renders without warnings"
fi
