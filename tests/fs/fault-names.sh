#!/bin/sh
# fault-names: hostile names (issue 5, faults 6).
#
# File names:
#   - 255-byte names work (files, directories, an object that is a link
#     input); two 255-byte names differing only in the last byte stay two
#     files; 256 and 1025 bytes fail with ENAMETOOLONG for create, mkdir,
#     rename, stat, unlink and rmdir, and nothing truncated ever appears;
#   - names with quotes, newlines, tabs, backslashes, control bytes, DEL,
#     non-UTF-8 and UTF-8 bytes are stored and listed byte for byte
#     (readdir returns the exact bytes), before and after a remount;
#   - objects with such names are link inputs, named in map.txt with lld's
#     escaping (docs/formats.md); a malformed one is named in link.log with
#     \xNN escaping, once (never double-escaped), on one line.
# Symbol names with control bytes (0x01, newline, DEL, 0xff, backslash):
#   - defined and referenced: the unit links; symbols.txt has the name
#     verbatim as llvm-nm -m prints it (docs/formats.md: byte for byte
#     llvm-nm) and map.txt escapes it lld's way;
#   - undefined: the link fails with EIO, link.log holds one line naming
#     the symbol \xNN-escaped and the file that refers to it;
#   - imported with undefined = dynamic_lookup: stubs.txt and got.txt
#     escape it (\xNN), lazy_bind.txt has it verbatim as llvm-objdump does.
# Every check is repeated after a remount (kept link results).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
have_clang || skip "clang-19 is missing"
NM=${NM:-/usr/lib/llvm-19/bin/llvm-nm}

# objects: the symbol names carry the marker QXJZW, patched to control bytes
cat > "$T/def.c" <<'C'
int symQXJZWname(int x) { return x + 1; }
C
cat > "$T/use.c" <<'C'
int symQXJZWname(int);
int main(void) { return symQXJZWname(41); }
C
cat > "$T/imp.c" <<'C'
int impQXJZWname(int);
int main(void) { return impQXJZWname(1); }
C
for f in def use imp; do cc_macho "$T/$f.c" "$T/$f.o" || fail "clang $f.c"; done
python3 - "$T" <<'PY' || fail "patching the symbol names"
import os, sys
t = sys.argv[1]
for f in ("def", "use", "imp"):
    p = os.path.join(t, f + ".o")
    b = open(p, "rb").read()
    assert b.count(b"QXJZW") == 1, (f, b.count(b"QXJZW"))
    open(p, "wb").write(b.replace(b"QXJZW", b"\x01\n\x7f\xff\\"))
PY
gen_objects 3 "$T/objs"

mount_fs
mkdir "$MNT/n" "$MNT/s1" "$MNT/s2" "$MNT/s3" "$MNT/f" "$MNT/fbad" || fail "mkdir"
cp "$T/use.o" "$MNT/s1/main.o" && cp "$T/def.o" "$MNT/s1/def.o" || fail "cp s1"
cp "$T/use.o" "$MNT/s2/main.o" || fail "cp s2"
cp "$T/imp.o" "$MNT/s3/main.o" || fail "cp s3"
echo "undefined = dynamic_lookup" > "$MNT/s3/link.conf" || fail "link.conf"
cp "$T/objs/main.o" "$MNT/fbad/main.o" || fail "cp fbad"
printf 'not a mach-o object' > "$MNT/fbad/bad
name.o" || fail "bad name.o"

cat > "$T/names.py" <<'PY'
# names.py MNT OBJS create|check: the file-name part
from fsutil import expect_err
import errno, os, sys
m, objs, mode = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3]
def p(*a): return os.path.join(m, *a)
odd = [b"quote'\"`$(x);--.txt", b"new\nline.txt", b"\xff\xfe-nonutf8.txt",
       b"tab\there", b"back\\slash", b"-leading-dash", b" spaces ",
       b"ctl\x01\x1b\x7f", b"utf8-\xc3\xa9\xe2\x9c\x93", b"%s%n%x", b"*?[]",
       b"...", b"a" * 255, b"a" * 254 + b"b", b"d" * 255]
long_dir = b"D" * 255
long_obj = b"L" * 253 + b".o"
odd_objs = {b"quote'\".o": b"o0000.o", b"new\nline.o": b"o0001.o",
            b"\xff\xfe-nonutf8.o": b"o0002.o"}
def content(n): return b"content of " + n.hex().encode() + b"\n"
if mode == "create":
    for n in odd:
        with open(p(b"n", n), "wb") as f: f.write(content(n))
    os.mkdir(p(b"n", long_dir))
    with open(p(b"n", long_dir, b"x" * 255), "wb") as f: f.write(b"deep\n")
    for n, src in odd_objs.items():
        with open(p(b"f", n), "wb") as f: f.write(open(os.path.join(objs, src), "rb").read())
    with open(p(b"f", long_obj), "wb") as f: f.write(open(os.path.join(objs, b"main.o"), "rb").read())
    # too long: ENAMETOOLONG everywhere, never a truncated entry
    for n in (b"t" * 252 + b".txt", b"u" * 1025):
        assert len(n) > 255
        expect_err(errno.ENAMETOOLONG, os.open, p(b"n", n), os.O_WRONLY | os.O_CREAT, 0o644)
        expect_err(errno.ENAMETOOLONG, os.mkdir, p(b"n", n))
        expect_err(errno.ENAMETOOLONG, os.rename, p(b"n", b"a" * 255), p(b"n", n))
        expect_err(errno.ENAMETOOLONG, os.stat, p(b"n", n))
        expect_err(errno.ENAMETOOLONG, os.unlink, p(b"n", n))
        expect_err(errno.ENAMETOOLONG, os.rmdir, p(b"n", n))
    print("ok: names over 255 bytes fail with ENAMETOOLONG (create, mkdir, rename, stat, unlink, rmdir)")
# the listing is exactly what was created, byte for byte
got = sorted(os.listdir(p(b"n")))
want = sorted(odd + [long_dir])
assert got == want, "readdir of n/: %r, want %r" % (got, want)
for n in odd:
    assert open(p(b"n", n), "rb").read() == content(n), n
    assert os.stat(p(b"n", n)).st_size == len(content(n)), n
assert os.listdir(p(b"n", long_dir)) == [b"x" * 255]
assert open(p(b"n", long_dir, b"x" * 255), "rb").read() == b"deep\n"
got = sorted(x for x in os.listdir(p(b"f")) if x.endswith(b".o"))
assert got == sorted(list(odd_objs) + [long_obj]), got
for n, src in odd_objs.items():
    assert open(p(b"f", n), "rb").read() == open(os.path.join(objs, src), "rb").read(), n
print("ok: %s: %d hostile and 255-byte names listed byte for byte, contents intact"
      % (mode, len(odd) + 1 + len(odd_objs) + 1))
PY
python3 "$T/names.py" "$MNT" "$T/objs" create || fail "file names (see above)"

cat > "$T/tables.py" <<'PY'
# tables.py MNT T NM: the symbol-name and link-input part
import errno, os, subprocess, sys
from fsutil import link_errors
m, t, nm = sys.argv[1:4]
def rd(*a): return open(os.path.join(m, *a), "rb").read()
def printable(b):
    return all(0x20 <= c < 0x7f or c == 0x0a or c == 0x09 for c in b)
raw = b"\x01\n\x7f\xff\\"
hexesc = b"\\x01\\x0a\\x7f\\xff\\\\"
lldesc = b"\\001\\n\\177\\377\\\\"
def eio(*a):
    try:
        rd(*a)
    except OSError as e:
        assert e.errno == errno.EIO, (a, e)
        return
    raise AssertionError("%r readable after a failed link" % (a,))
# s1: links; symbols.txt verbatim (llvm-nm), map.txt lld-escaped
aout = rd("s1", "a.out")
assert link_errors(rd("s1", "link.log")) == b"", rd("s1", "link.log")
sym = rd("s1", "symbols.txt")
assert b"_sym" + raw + b"name" in sym, sym
if os.access(nm, os.X_OK):
    open(os.path.join(t, "s1.out"), "wb").write(aout)
    ref = subprocess.run([nm, "-m", os.path.join(t, "s1.out")], capture_output=True).stdout
    assert sym == ref, "symbols.txt differs from llvm-nm -m:\n%r\n%r" % (sym, ref)
mp = rd("s1", "map.txt")
assert b"_sym" + lldesc + b"name" in mp, mp
assert printable(mp), "map.txt holds raw control bytes"
print("ok: s1 links; symbols.txt verbatim as llvm-nm -m; map.txt escapes the name")
# s2: undefined: EIO, one escaped line in link.log
eio("s2", "a.out"); eio("s2", "symbols.txt")
log = link_errors(rd("s2", "link.log"))
assert printable(log) and log.count(b"\n") == 1, log
assert b"undefined symbol _sym" + hexesc + b"name" in log and b"main.o" in log, log
print("ok: s2 fails with EIO; link.log: " + log.decode().strip())
# s3: dynamic_lookup import: stubs.txt/got.txt escaped, lazy_bind verbatim
rd("s3", "a.out")
stubs, got, lazy = rd("s3", "stubs.txt"), rd("s3", "got.txt"), rd("s3", "lazy_bind.txt")
assert b"_imp" + hexesc + b"name" in stubs, stubs
assert printable(stubs) and printable(got), (stubs, got)
assert b"_imp" + raw + b"name" in lazy, lazy
print("ok: s3 links with the import; stubs.txt escapes it, lazy_bind.txt verbatim")
# f: objects with hostile file names are link inputs, lld-escaped in map.txt
rd("f", "a.out")
mp = rd("f", "map.txt")
for n in (b"quote'\\\".o", b"new\\nline.o", b"\\377\\376-nonutf8.o", b"L" * 253 + b".o"):
    assert b"] " + n + b"\n" in mp, (n, mp)
assert printable(mp)
print("ok: f: hostile and 255-byte object names are link inputs; map.txt escapes them")
# fbad: a malformed object with a newline in its name
eio("fbad", "a.out")
log = link_errors(rd("fbad", "link.log"))
assert printable(log) and log.count(b"\n") == 1, log
assert b"bad\\x0aname.o" in log and b"\\\\x0a" not in log, log
print("ok: fbad fails; link.log names the file escaped once: " + log.decode().strip())
PY
python3 "$T/tables.py" "$MNT" "$T" "$NM" || fail "symbol names and link inputs (see above)"

umount_fs
mount_fs
python3 "$T/names.py" "$MNT" "$T/objs" check || fail "file names after a remount (see above)"
python3 "$T/tables.py" "$MNT" "$T" "$NM" || fail "symbol names after a remount (see above)"
ok "hostile names survive a remount"
