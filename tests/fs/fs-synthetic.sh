#!/bin/sh
# fs-synthetic: synthetic files appear only in units, are read-only with
# clear errnos, `ls` never links, a failed link gives EIO plus link.log,
# a bad link.conf is reported, and other units keep being served.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
mount_fs
cd "$MNT" || fail "cd"

mkdir app plain conf || fail "mkdir"
cat > "$T/undef.c" <<'C'
extern int nosuch(void);
int main(void) { return nosuch(); }
C
cc_macho "$T/undef.c" app/main.o || fail "clang -c into the mount"
echo "notes" > plain/readme.txt

# ls lists the synthetic files without linking
list=$(ls app) || fail "ls app"
for f in a.out rebase.txt bind.txt lazy_bind.txt weak_bind.txt exports.txt \
	got.txt stubs.txt symbols.txt map.txt link.log main.o; do
	echo "$list" | grep -qx "$f" || fail "ls app: '$f' missing"
done
[ "$(status links)" = 0 ] || fail "ls linked (links=$(status links))"
[ "$(ls plain)" = readme.txt ] || fail "a directory without objects shows synthetic files"
ok "ls lists synthetic files and does not link"

python3 - "$MNT" <<'PY' || fail "synthetic file checks (see above)"
from fsutil import expect_err
import errno, os, sys
m = sys.argv[1]
def p(*a): return os.path.join(m, *a)
def read(path):
    with open(path, "rb") as f: return f.read()

# the link fails: EIO on the executable and the tables, link.log says why
for f in ["a.out", "rebase.txt", "bind.txt", "lazy_bind.txt", "weak_bind.txt",
          "exports.txt", "got.txt", "stubs.txt", "symbols.txt", "map.txt"]:
    expect_err(errno.EIO, read, p("app", f))
log = read(p("app", "link.log")).decode()
assert "error" in log, log
assert "_nosuch" in log or "not implemented" in log, log
assert os.stat(p("app", "link.log")).st_size == len(log.encode())
# modes
assert os.stat(p("app", "a.out")).st_mode & 0o777 == 0o555
assert os.stat(p("app", "bind.txt")).st_mode & 0o777 == 0o444
# read-only: EACCES to open for writing, EPERM to change, EEXIST to create;
# unlink succeeds and changes nothing (the file is a view of the inputs)
for f in ["a.out", "bind.txt", "link.log"]:
    expect_err(errno.EACCES, os.open, p("app", f), os.O_WRONLY)
    expect_err(errno.EACCES, os.open, p("app", f), os.O_RDWR)
    expect_err(errno.EACCES, os.open, p("app", f), os.O_RDONLY | os.O_TRUNC)
    os.unlink(p("app", f))
    assert f in os.listdir(p("app")), f + " gone after unlink"
    expect_err(errno.EPERM, os.rename, p("app", f), p("app", "moved"))
    expect_err(errno.EPERM, os.chmod, p("app", f), 0o777)
    expect_err(errno.EPERM, os.truncate, p("app", f), 0)
    expect_err(errno.EPERM, os.utime, p("app", f), None)
    expect_err(errno.EEXIST, os.mkdir, p("app", f))
    expect_err(errno.EEXIST, os.open, p("app", f), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
with open(p("plain", "x"), "wb") as fh: fh.write(b"x")
expect_err(errno.EPERM, os.rename, p("plain", "x"), p("app", "bind.txt"))
expect_err(errno.EPERM, os.unlink, p(".linkfs-status"))
expect_err(errno.EACCES, os.open, p(".linkfs-status"), os.O_WRONLY)
# stable mtime across re-reads
t1 = os.stat(p("app", "a.out")).st_mtime_ns
read(p("app", "link.log"))
assert os.stat(p("app", "a.out")).st_mtime_ns == t1
assert os.stat(p("app", "link.log")).st_mtime_ns == t1
print("python checks passed")
PY
ok "failed link: EIO and link.log; read-only errnos"

# a bad link.conf is a link error reported in link.log
cp app/main.o conf/main.o || fail "cp"
printf 'output = prog\nbogus = 1\n' > conf/link.conf
ls conf | grep -qx prog || fail "link.conf output name not used"
ls conf | grep -qx a.out && fail "a.out shown although output = prog"
cat conf/prog >/dev/null 2>&1 && fail "bad link.conf: reading the output succeeded"
grep -q "unknown key 'bogus'" conf/link.log || fail "link.log lacks the link.conf error: $(cat conf/link.log)"
ok "bad link.conf reported"

# print_statistics = yes: the stage lines in link.log, after a good link
for v in 7 9; do
	printf 'int main(void) { return %s; }\n' $v > "$T/ret$v.c"
	cc_macho "$T/ret$v.c" "$T/ret$v.o" || fail "clang ret$v.c"
done
cp "$T/ret7.o" conf/main.o || fail "cp"
printf 'output = prog\nprint_statistics = yes\n' > conf/link.conf
cat conf/prog >/dev/null || fail "print_statistics: the output failed: $(cat conf/link.log)"
for stage in parse symbols relocate linkedit; do
	grep -Eq "^stats: $stage +[0-9.]+ ms, peak RSS [0-9]+ MiB" conf/link.log ||
		fail "link.log lacks the $stage stage line: $(cat conf/link.log)"
done
# a relink by patching logs one line for the patch, not the last stages
patches=$(status patches)
cp "$T/ret9.o" conf/main.o || fail "cp"
cat conf/prog >/dev/null || fail "print_statistics: the relink failed: $(cat conf/link.log)"
[ "$(status patches)" = $((patches + 1)) ] || fail "the relink did not patch"
grep -Eq "^stats: patch +[0-9.]+ ms, peak RSS [0-9]+ MiB" conf/link.log &&
	[ "$(grep -c '^stats:' conf/link.log)" = 1 ] ||
	fail "patched relink's link.log: $(cat conf/link.log)"
printf 'output = prog\n' > conf/link.conf
[ -n "$(link_errors conf/link.log)" ] && fail "link.log not empty without print_statistics: $(cat conf/link.log)"
ok "print_statistics in link.conf"

# an input change relinks, and moves the synthetic mtime forward
links=$(status links)
t1=$(stat -c %Y.%y app/a.out)
printf 'int helper(void) { return 1; }\n' > "$T/h.c"
cc_macho "$T/h.c" app/h.o || fail "clang"
cat app/link.log >/dev/null
[ "$(status links)" -gt "$links" ] || fail "adding an object did not relink"
t2=$(stat -c %Y.%y app/a.out)
[ "$t1" != "$t2" ] || fail "synthetic mtime did not change with the inputs"
ok "input change relinks"

# st_blksize, the I/O size cat and cp take: 1 MiB for stored files; the
# file's size rounded up to a power of two (1 MiB to 64 MiB) for the files
# a link makes, so a reader takes a.out in one read()
mkdir big || fail "mkdir big"
printf 'char big[3 << 20] = { 1 };\nint main(void) { return big[0]; }\n' > "$T/big.c"
cc_macho "$T/big.c" big/main.o || fail "clang big.c"
size=$(stat -c %s big/a.out) || fail "stat big/a.out: $(cat big/link.log)"
[ "$size" -gt $((2 << 20)) ] && [ "$size" -le $((4 << 20)) ] ||
	fail "big/a.out is $size bytes, want 2-4 MiB"
[ "$(stat -c %o big/a.out)" = $((4 << 20)) ] ||
	fail "big/a.out ($size bytes) has st_blksize $(stat -c %o big/a.out), want 4 MiB"
[ "$(stat -c %o big/link.log)" = $((1 << 20)) ] ||
	fail "big/link.log has st_blksize $(stat -c %o big/link.log), want 1 MiB"
[ "$(stat -c %o big/main.o)" = $((1 << 20)) ] ||
	fail "big/main.o (stored, $(stat -c %s big/main.o) bytes) has st_blksize $(stat -c %o big/main.o), want 1 MiB"
cat big/a.out > "$T/big.out" && cmp -s "$T/big.out" big/a.out || fail "cat big/a.out"
ok "st_blksize: 4 MiB for a $size-byte a.out, 1 MiB for link.log and the stored object"

# the daemon keeps serving other directories
[ "$(cat plain/readme.txt)" = notes ] || fail "plain file after failed links"
ok "other directories still served"

# rm -rf of a build tree works in one pass (issue 24): the synthetic files
# "go" (their unlink succeeds) and the directory is empty once its
# objects are gone
mkdir -p tree/sub && cp big/main.o tree/main.o && cp big/main.o tree/sub/x.o ||
	fail "cp into tree"
cat tree/a.out tree/sub/map.txt > /dev/null 2>&1
rm -rf tree 2> "$T/rm.err" || fail "rm -rf of a unit: $(head -3 "$T/rm.err")"
[ -e tree ] && fail "tree still there after rm -rf"
ok "rm -rf of a tree of units in one pass"
