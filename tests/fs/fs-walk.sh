#!/bin/sh
# fs-walk: the user's walk of issue 3, step by step: clang -c straight into
# the mount, cp, ls -l with exact sizes, the tables equal llvm-objdump's
# reading of the served a.out, a.out equals linkfs-ld's output, a cp
# relinks, and a remount serves the kept result without linking.
# Passes only once the linker works.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
[ -x "$OBJDUMP" ] || skip "llvm-objdump-19 is missing"
mount_fs
APP=$MNT/app
mkdir "$APP" || fail "mkdir"

cat > "$T/main.c" <<'C'
#include <stdio.h>
int util(int);
int (*fp)(int) = util;
int main(void) { printf("%d\n", fp(41)); return 0; }
C
cat > "$T/util.c" <<'C'
int counter = 1;
int *pc = &counter;
int util(int x) { return x + *pc; }
C
cat > "$T/other.c" <<'C'
#include <stdlib.h>
void *other_ptr = (void *)&abort;
int other(void) { return 7; }
C
cc_macho "$T/main.c" "$APP/main.o" || fail "clang -c into the mount"
cc_macho "$T/util.c" "$T/util.o" || fail "clang util.c"
cc_macho "$T/other.c" "$T/other.o" || fail "clang other.c"
cp "$T/util.o" "$APP/" || fail "cp util.o"
cmp "$T/util.o" "$APP/util.o" || fail "util.o differs after cp"

# ls -l: every synthetic file with its exact size
ls -l "$APP" > "$T/ls" || fail "ls -l"
for f in a.out rebase.txt bind.txt lazy_bind.txt weak_bind.txt exports.txt \
	got.txt stubs.txt symbols.txt map.txt link.log main.o util.o; do
	grep -q " $f\$" "$T/ls" || fail "ls -l: '$f' missing"
	size=$(awk -v f="$f" '$NF == f { print $5 }' "$T/ls")
	real=$(wc -c < "$APP/$f") || fail "read $f"
	[ "$size" = "$real" ] || fail "'$f': ls -l size $size, read $real bytes"
done
ok "ls -l shows exact sizes"
[ -n "$(link_errors "$APP/link.log")" ] && fail "link.log not empty after a clean link: $(cat "$APP/link.log")"

check_tables() {
	cp "$APP/a.out" "$T/served" || fail "read a.out"
	for t in rebase bind lazy-bind weak-bind exports-trie; do
		case $t in
		lazy-bind) f=lazy_bind.txt ;; weak-bind) f=weak_bind.txt ;;
		exports-trie) f=exports.txt ;; *) f=$t.txt ;;
		esac
		"$OBJDUMP" --macho --$t "$T/served" | tail -n +3 > "$T/want.$t" ||
			fail "llvm-objdump --$t"
		diff "$T/want.$t" "$APP/$f" || fail "$f differs from llvm-objdump --$t ($1)"
	done
}
check_tables "first link"
grep -q "_printf" "$APP/bind.txt" "$APP/lazy_bind.txt" || fail "printf not bound"
ok "tables equal llvm-objdump"

if [ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ]; then
	cp "$APP/main.o" "$T/main.o" || fail "read main.o"
	(cd "$T" && "$LINKFS_LD" -o "$T/cli.out" main.o util.o) ||
		fail "linkfs-ld failed"
	cmp "$T/cli.out" "$APP/a.out" || fail "served a.out differs from linkfs-ld's"
	ok "a.out byte-identical to linkfs-ld"
fi

# cp another object: relinked, never a stale table
links=$(status links)
cp "$APP/rebase.txt" "$T/rebase.before"
cp "$T/other.o" "$APP/" || fail "cp other.o"
cmp -s "$T/rebase.before" "$APP/rebase.txt" && fail "rebase.txt unchanged after adding other.o"
check_tables "after cp"
[ "$(status links)" = $((links + 1)) ] || fail "expected exactly one relink"
ok "relinked after cp"

cp "$APP/a.out" "$T/kept"
cd /
umount_fs
mount_fs
cmp "$T/kept" "$APP/a.out" || fail "a.out differs after remount"
[ "$(status links)" = 0 ] || fail "remount relinked"
ok "remount served the kept result"
