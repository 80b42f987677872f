#!/bin/sh
# store-ldout: where `linkfs-ld -o PATH` writes (issue 20, item 7).
#   - over a regular file: replaced atomically (a temporary file in the
#     same directory, then a rename); the mode is the output's (0755);
#   - through a symlink: the target gets the output, the link stays a link
#     (also a chain of links, a relative link, and a dangling one, whose
#     target is created);
#   - into a FIFO in place: a reader gets the bytes, the FIFO stays a FIFO;
#   - into a character device in place: a private copy of /dev/null (mknod,
#     as root) stays a character device; then the real /dev/null and
#     /dev/stdout (a pipe), checked with `stat -c %F` before and after;
#   - a directory is refused and left alone;
#   - a failed write (RLIMIT_FSIZE: EFBIG) leaves the old output intact
#     and no temporary file behind;
#   - into a linkfs mount: the output is a stored file there.
# Needs LINKFS_LD and clang (skips without).
. "$(dirname "$0")/lib.sh"
: "${LINKFS_LD:?LINKFS_LD must name linkfs-ld}"
have_clang || skip "no clang at $CLANG"
LD=$LINKFS_LD
O=$T/out
mkdir "$O"

cat > "$T/m.c" <<'C'
int twice(int);
int main(void) { return twice(21); }
C
echo 'int twice(int x) { return 2 * x; }' > "$T/u.c"
cc_macho "$T/m.c" "$T/m.o" && cc_macho "$T/u.c" "$T/u.o" || fail "compile"
link() { "$LD" -o "$1" "$T/m.o" "$T/u.o"; }
link "$T/ref" || fail "link"
[ -s "$T/ref" ] || fail "empty output"
# no_tmp DIR: no temporary output file is left in DIR
no_tmp() { ls -A "$1" | grep -q linkfs-tmp && fail "a temporary file was left in $1: $(ls -A "$1")"; :; }

# a regular file is replaced (a new inode: rename, not an in-place write)
echo old > "$O/over"
ino=$(stat -c %i "$O/over")
link "$O/over" || fail "link over a file"
cmp -s "$O/over" "$T/ref" || fail "the output over a file differs"
[ "$(stat -c %i "$O/over")" != "$ino" ] || fail "the file was rewritten in place, not replaced"
[ "$(stat -c %a "$O/over")" = 755 ] || fail "output mode $(stat -c %a "$O/over"), want 755"
no_tmp "$O"
ok "a regular file is replaced whole"

# through symlinks: absolute, relative, a chain, dangling
echo target > "$O/t1" && ln -s "$O/t1" "$O/abs"
link "$O/abs" || fail "link through an absolute symlink"
[ -L "$O/abs" ] || fail "the symlink was replaced by a file"
cmp -s "$O/t1" "$T/ref" || fail "the symlink's target did not get the output"
mkdir "$O/sub" && echo target > "$O/sub/t2" && ln -s sub/t2 "$O/rel" && ln -s rel "$O/chain"
link "$O/chain" || fail "link through a chain of symlinks"
[ -L "$O/chain" ] && [ -L "$O/rel" ] || fail "a link of the chain was replaced"
cmp -s "$O/sub/t2" "$T/ref" || fail "the chain's target did not get the output"
[ "$(stat -c %a "$O/sub/t2")" = 755 ] || fail "the target's mode is $(stat -c %a "$O/sub/t2"), want 755"
ln -s sub/new "$O/dangling"
link "$O/dangling" || fail "link through a dangling symlink"
[ -L "$O/dangling" ] && cmp -s "$O/sub/new" "$T/ref" || fail "a dangling symlink's target was not created"
no_tmp "$O"; no_tmp "$O/sub"
ok "symlinks are written through (absolute, relative, chain, dangling)"

# a directory is refused and left alone
mkdir "$O/dir" && echo keep > "$O/dir/f"
link "$O/dir" 2>"$T/err" && fail "a link replaced a directory"
[ "$(cat "$O/dir/f")" = keep ] || fail "a link over a directory changed it"
no_tmp "$O"
ok "a directory is refused: $(cat "$T/err")"

# a FIFO: written in place while a reader waits
mkfifo "$O/fifo"
timeout 20 cat "$O/fifo" > "$T/fifo.got" &
reader=$!
timeout 20 "$LD" -o "$O/fifo" "$T/m.o" "$T/u.o" || { kill $reader 2>/dev/null; fail "link into a FIFO"; }
if [ ! -p "$O/fifo" ]; then
	kill $reader 2>/dev/null; wait $reader 2>/dev/null
	fail "the FIFO was replaced by a $(stat -c %F "$O/fifo")"
fi
wait $reader || fail "the FIFO's reader failed"
cmp -s "$T/fifo.got" "$T/ref" || fail "the FIFO's reader got other bytes"
no_tmp "$O"
ok "a FIFO stays a FIFO and its reader gets the output"

# a symlink to a pipe (what /dev/stdout is when stdout is a pipe)
ln -s /proc/self/fd/1 "$O/stdout"
"$LD" -o "$O/stdout" "$T/m.o" "$T/u.o" | cat > "$T/pipe.got" || fail "link into a pipe"
[ -L "$O/stdout" ] || fail "the link to stdout was replaced"
cmp -s "$T/pipe.got" "$T/ref" || fail "the pipe got other bytes"
no_tmp "$O"
ok "a symlink to a pipe: written in place"

# a character device: first a private copy of /dev/null, and only when
# that one survives, the real /dev/null and /dev/stdout
if [ "$(id -u)" = 0 ] && mknod "$O/null" c 1 3 2>/dev/null; then
	link "$O/null" || fail "link into a character device"
	[ -c "$O/null" ] || fail "the character device was replaced by a $(stat -c %F "$O/null")"
	no_tmp "$O"
	before=$(stat -c %F /dev/null)
	link /dev/null || fail "link into /dev/null"
	after=$(stat -c %F /dev/null)
	[ "$after" = "$before" ] && [ -c /dev/null ] || fail "/dev/null was '$before', is now '$after'"
	ls -A /dev | grep -q linkfs-tmp && fail "a temporary file was left in /dev"
	ok "a character device stays one (/dev/null: '$before' before and after)"
	before=$(stat -L -c %F /dev/stdout)
	"$LD" -o /dev/stdout "$T/m.o" "$T/u.o" | cat > "$T/stdout.got" || fail "link into /dev/stdout"
	[ -L /dev/stdout ] || fail "/dev/stdout is no longer a symlink"
	cmp -s "$T/stdout.got" "$T/ref" || fail "-o /dev/stdout wrote other bytes"
	ok "/dev/stdout (a pipe) written in place, still a symlink"
else
	echo "not root (or no mknod): the character-device cases are skipped"
fi

# a failed write (EFBIG from RLIMIT_FSIZE, SIGXFSZ ignored) keeps the old
# output and leaves no temporary file
cp "$T/ref" "$O/keep" && echo more >> "$O/keep" && cp "$O/keep" "$T/keep.orig"
(trap '' XFSZ; ulimit -f 2; exec "$LD" -o "$O/keep" "$T/m.o" "$T/u.o") 2>"$T/err" &&
	fail "a write over the file size limit succeeded"
cmp -s "$O/keep" "$T/keep.orig" || fail "a failed write changed the old output"
grep -q "cannot write" "$T/err" || fail "unclear message: $(cat "$T/err")"
no_tmp "$O"
ok "a failed write leaves the old output and no temporary file: $(cat "$T/err")"

# into a linkfs mount (no symlinks, no RENAME_EXCHANGE there: a rename)
mount_fs
mkdir "$MNT/u"
link "$MNT/u/prog" || fail "link into the mount"
cmp -s "$MNT/u/prog" "$T/ref" || fail "the output in the mount differs"
link "$MNT/u/prog" || fail "link over a file in the mount"
cmp -s "$MNT/u/prog" "$T/ref" || fail "the output over a file in the mount differs"
no_tmp "$MNT/u"
umount_fs
ok "into a linkfs mount: a stored file"
exit 0
