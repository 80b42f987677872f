#!/bin/sh
# fault-leak: the daemon under LeakSanitizer across 1,000 link cycles
# (issue 5, "Sanitizers").
#
# Only meaningful in the sanitizer build (meson setup -Db_sanitize=address):
# skips unless the daemon is ASan-instrumented (libasan linked, or
# __asan_init in its dynamic symbols). One python process rewrites the
# unit's main.o with new content 1,000 times (a data word patched, so
# every cycle is a real link, never a kept result) and reads a.out after
# each write; every 50th cycle it also reads the tables and link.log, and
# renames an object out of the unit and back. Then a clean unmount: the
# daemon must exit with status 0 and LeakSanitizer, which runs at exit,
# must report nothing (lib.sh fails the test on any "Sanitizer" line in
# the daemon's log). The status file must show at least 1,000 links.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"
have_clang || skip "clang-19 is missing"
if ! { ldd "$LINKFS" 2>/dev/null | grep -q libasan ||
       nm -D "$LINKFS" 2>/dev/null | grep -q ' __asan_init'; }; then
	skip "the daemon is not built with AddressSanitizer (use -Db_sanitize=address)"
fi
CYCLES=${LEAK_CYCLES:-1000}
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"

gen_objects 3 "$T/objs"
cat > "$T/main.c" <<'C'
int mainv = 0x13572468;
int fn_0000(int);
int main(void) { return fn_0000(mainv); }
C
cc_macho "$T/main.c" "$T/main.o" || fail "clang main.c"

mount_fs
mkdir "$MNT/u" || fail "mkdir"
cp "$T"/objs/o000?.o "$MNT/u/" || fail "cp"
links0=$(status links)
python3 - "$MNT/u" "$T/main.o" "$CYCLES" <<'PY' || fail "the link cycles (see above)"
import os, struct, sys
from fsutil import link_errors
u, tmpl, n = sys.argv[1], open(sys.argv[2], "rb").read(), int(sys.argv[3])
marker = struct.pack("<I", 0x13572468)
assert tmpl.count(marker) == 1
def rd(name):
    with open(os.path.join(u, name), "rb") as f:
        return f.read()
for i in range(n):
    with open(os.path.join(u, "main.o"), "wb") as f:
        f.write(tmpl.replace(marker, struct.pack("<I", i)))
    a = rd("a.out")
    assert len(a) > 4096 and a[:4] == b"\xcf\xfa\xed\xfe", "cycle %d: a.out is %d bytes" % (i, len(a))
    if i % 50 == 0:
        for t in ("rebase.txt", "bind.txt", "lazy_bind.txt", "weak_bind.txt", "exports.txt",
                  "got.txt", "stubs.txt", "symbols.txt", "map.txt"):
            assert rd(t), "cycle %d: %s is empty" % (i, t)
        assert link_errors(rd("link.log")) == b"", "cycle %d: link.log: %r" % (i, rd("link.log"))
        os.rename(os.path.join(u, "o0002.o"), os.path.join(u, "..", "o0002.o"))
        rd("a.out")
        os.rename(os.path.join(u, "..", "o0002.o"), os.path.join(u, "o0002.o"))
print("ok: %d link cycles" % n)
PY
links=$(( $(status links) - links0 ))
[ "$links" -ge "$CYCLES" ] || fail "only $links links in $CYCLES cycles (kept results served?)"
ok "$links links"

# a clean unmount: LeakSanitizer reports at the daemon's exit
fusermount3 -u "$MNT" || fail "fusermount3 -u"
wait "$DAEMON_PID"; st=$?
DAEMON_PID=
grep -q "LeakSanitizer" "$T/daemon.log" && fail "LeakSanitizer reported leaks"
[ $st = 0 ] || fail "the daemon exited with status $st"
ok "no leak reported after $CYCLES link cycles and a clean unmount"
