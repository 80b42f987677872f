#!/bin/sh
# fs-arm64: a unit of arm64 objects links to a signed arm64 executable,
# byte-identical to linkfs-ld's, with every table served; link.conf's
# arch = arm64 picks the architecture; a unit mixing architectures fails
# with a link.log line naming the odd object (not the others).
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
[ -n "${LINKFS_LD:-}" ] || skip "LINKFS_LD is not set"
mount_fs
cd "$MNT" || fail "cd"
here=$(dirname "$0")

mkdir app mixed conf || fail "mkdir"
cat > "$T/main.c" <<'C'
int printf(const char *, ...);
extern int twice(int);
int main(void) { printf("%d\n", twice(21)); return 0; }
C
cat > "$T/util.c" <<'C'
int twice(int x) { return 2 * x; }
C
for f in main util; do
	cc_macho "$T/$f.c" "$T/$f-arm64.o" arm64 || fail "clang arm64 $f"
	cc_macho "$T/$f.c" "$T/$f-x86.o" || fail "clang x86_64 $f"
	cp "$T/$f-arm64.o" "app/$f.o" || fail "cp into app"
	cp "$T/$f-arm64.o" "conf/$f.o" || fail "cp into conf"
done

# (the signature names the output file: the CLI writes an a.out too)
# the architecture comes from the objects
cmp -s app/a.out /dev/null && fail "empty a.out"
mkdir -p "$T/cli"; "$LINKFS_LD" -arch arm64 -lSystem -o "$T/cli/a.out" "$T/main-arm64.o" "$T/util-arm64.o" ||
	fail "linkfs-ld arm64"
cmp app/a.out "$T/cli/a.out" || fail "the mount's arm64 a.out differs from linkfs-ld's"
python3 "$here/../link/check-codesign" app/a.out >/dev/null || fail "signature of app/a.out"
for t in rebase bind lazy_bind weak_bind exports got stubs symbols; do
	"$LINKFS_LD" -arch arm64 -lSystem -o "$T/cli/a.out" "$T/main-arm64.o" "$T/util-arm64.o" \
		--dump=$t > "$T/$t.txt" || fail "--dump=$t"
	cmp -s "app/$t.txt" "$T/$t.txt" || fail "app/$t.txt differs from --dump=$t"
done
# (map.txt names the objects by path, which differ)
grep -q "Arch: arm64" app/map.txt || fail "map.txt does not say arm64"
ok "arm64 unit: a.out and tables equal linkfs-ld's, signature verifies"

# link.conf says arm64
echo "arch = arm64" > conf/link.conf
cmp conf/a.out "$T/cli/a.out" || fail "arch = arm64 unit differs"
ok "link.conf arch = arm64"

# one x86_64 object among arm64 ones, first in name order: that one is named
cp "$T/main-arm64.o" mixed/main.o
cp "$T/util-arm64.o" mixed/util.o
cp "$T/util-x86.o" mixed/a_odd.o
cat mixed/a.out > /dev/null 2>&1 && fail "a mixed unit linked"
grep -q "'a_odd.o': architecture x86_64 does not match the link (arm64)" mixed/link.log ||
	fail "link.log does not name a_odd.o: $(cat mixed/link.log)"
grep -q "'main.o'\\|'util.o'" mixed/link.log && fail "link.log blames the arm64 objects"
ok "a mixed unit names the odd object"

# a change inside code relinks in full (a patch would leave a stale
# signature): the new a.out equals linkfs-ld's and its signature verifies
p0=$(status patches)
sed 's/2 \* x/3 * x/' "$T/util.c" > "$T/util3.c"
cc_macho "$T/util3.c" "$T/util3-arm64.o" arm64 || fail "clang util3"
cp "$T/util3-arm64.o" app/util.o || fail "cp util3"
"$LINKFS_LD" -arch arm64 -lSystem -o "$T/cli/a.out" "$T/main-arm64.o" "$T/util3-arm64.o" ||
	fail "linkfs-ld util3"
cmp app/a.out "$T/cli/a.out" || fail "relinked arm64 a.out differs from linkfs-ld's"
python3 "$here/../link/check-codesign" app/a.out >/dev/null || fail "signature after relink"
[ "$(status patches)" = "$p0" ] || fail "a signed output was patched"
ok "an arm64 relink is a full link with a fresh signature"
