#!/bin/sh
# fs-snapshot: every open of a.out is one consistent snapshot, even while
# relinks change its size under it.
# A writer flips lib.o between a small and a large variant (cp to a temp
# name, mv over; and cp straight over), while four readers read a.out and
# bind.txt in tight loops, some with stat/fstat racing. The two images
# differ in size by about 64 KiB, so a stale kernel size shows up as a
# truncated or zero-padded read. Every read must equal one of the two
# images linkfs-ld makes, byte for byte; every bind.txt one of two texts.
# Bounded by iteration counts (SNAP_ITERS, default 300 per reader).
# Needs LINKFS and LINKFS_LD.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
[ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ] || skip "LINKFS_LD is not set"
ITERS=${SNAP_ITERS:-300}
mount_fs

S=$T/src
mkdir "$S" "$MNT/d" || fail "mkdir"
cat > "$S/main.c" <<'C'
#include <stdio.h>
const char *lib(void);
int main(void) { printf("lib %s\n", lib()); return 0; }
C
printf 'const char *lib(void) { return "small"; }\n' > "$S/small.c"
cat > "$S/large.c" <<'C'
#include <stdlib.h>
const unsigned char big[65536] = { 1, 2, 3 };
void *q = (void *)&qsort;
const char *lib(void) { return big[1] ? "large" : "?"; }
C
for f in main small large; do
	cc_macho "$S/$f.c" "$S/$f.o" || fail "clang $f.c"
done
for v in small large; do
	mkdir "$T/$v" && cp "$S/main.o" "$T/$v/" && cp "$S/$v.o" "$T/$v/lib.o" &&
		(cd "$T/$v" && "$LINKFS_LD" -o a.out lib.o main.o --dump=bind > bind.txt) ||
		fail "linkfs-ld ($v)"
done
cmp -s "$T/small/bind.txt" "$T/large/bind.txt" && fail "the variants' bind tables are equal"
cp "$S/main.o" "$MNT/d/" && cp "$S/small.o" "$MNT/d/lib.o" || fail "cp"

cat > "$T/writer.sh" <<'EOF'
MNT=$1 S=$2 N=$3
i=0
while [ $i -lt "$N" ]; do
	if [ $((i % 2)) = 0 ]; then v=large; else v=small; fi
	if [ $((i % 3)) = 0 ]; then
		cp "$S/$v.o" "$MNT/d/lib.o" || { echo "writer: cp over" >&2; exit 1; }
	else
		cp "$S/$v.o" "$MNT/d/.lib.tmp" && mv -f "$MNT/d/.lib.tmp" "$MNT/d/lib.o" ||
			{ echo "writer: cp+mv" >&2; exit 1; }
	fi
	i=$((i + 1))
done
EOF
cat > "$T/reader.py" <<'EOF'
import hashlib, os, sys
mnt, tdir, r, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
want = {}
for v in ("small", "large"):
    with open("%s/%s/a.out" % (tdir, v), "rb") as f:
        want[hashlib.sha256(f.read()).hexdigest()] = v
    with open("%s/%s/bind.txt" % (tdir, v), "rb") as f:
        want[hashlib.sha256(f.read()).hexdigest()] = v + " bind"
bad = 0
for i in range(n):
    name = "a.out" if i % 4 else "bind.txt"
    p = "%s/d/%s" % (mnt, name)
    if r % 2:
        os.stat(p)                      # a racing getattr without a handle
    fd = os.open(p, os.O_RDONLY)
    chunks = []
    while True:
        b = os.read(fd, 4096 if r == 3 else 131072)
        if not b:
            break
        chunks.append(b)
        if r == 2:
            os.fstat(fd)
    os.close(fd)
    data = b"".join(chunks)
    h = hashlib.sha256(data).hexdigest()
    if h not in want:
        bad += 1
        if bad <= 3:
            print("reader %d: %s read %d: %d bytes, not one of the images"
                  % (r, name, i, len(data)), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

timeout 200 sh "$T/writer.sh" "$MNT" "$S" $((ITERS * 2)) 2>> "$T/err" &
pids=$!
for r in 0 1 2 3; do
	timeout 200 python3 "$T/reader.py" "$MNT" "$T" $r "$ITERS" 2>> "$T/err" &
	pids="$pids $!"
done
bad=0
for p in $pids; do
	wait "$p" || bad=1
done
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
[ $bad = 0 ] || fail "$(cat "$T/err")"
ok "$((ITERS * 4)) reads during $((ITERS * 2)) relinks: every one a whole image"
