#!/bin/sh
# fs-chained: a unit with chained fixups (link.conf fixups = chained, or
# platform_version macos 13.0 by default) serves an a.out byte-identical
# to linkfs-ld -fixup_chains, with fixups.txt and chained_fixups.txt equal
# to llvm-objdump --dyld-info / --chained-fixups of it, and it runs. A
# change of a constant is relinked by a patch that leaves every chain
# intact (the patched a.out equals a full link and runs); macOS 12.0
# stays with opcodes.
# Needs LINKFS, LINKFS_LD and MACHO_RUN (env).
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
[ -x "$OBJDUMP" ] || skip "llvm-objdump-19 is missing"
[ -n "${LINKFS_LD:-}" ] && [ -x "$LINKFS_LD" ] || skip "LINKFS_LD is not set"
[ -n "${MACHO_RUN:-}" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
mount_fs
APP=$MNT/app
mkdir "$APP" "$MNT/v13" "$MNT/v12" "$T/cli" || fail "mkdir"

cat > "$T/main.c" <<'C'
#include <stdio.h>
int value(void);
extern int table[];
int *ptrs[] = { &table[0], &table[1] };
int main(void) { printf("%d %d\n", value(), *ptrs[1]); return 0; }
C
printf 'int table[2] = { 1, 2 };\nint value(void) { return 40 + table[0]; }\n' > "$T/val.c"
printf 'int table[2] = { 1, 2 };\nint value(void) { return 50 + table[0]; }\n' > "$T/val2.c"
for f in main val val2; do
	cc_macho "$T/$f.c" "$T/$f.o" || fail "clang $f.c"
done

# link STEP OBJ...: a.out, the two tables and the run against the CLI
# link of the same objects with -fixup_chains
check() {
	step=$1 want=$2; shift 2
	(cd "$T/cli" && rm -f a.out && "$LINKFS_LD" -fixup_chains -o a.out "$@") ||
		fail "$step: linkfs-ld"
	cmp "$APP/a.out" "$T/cli/a.out" || fail "$step: served a.out differs from linkfs-ld -fixup_chains"
	"$OBJDUMP" --macho --private-headers "$APP/a.out" | grep -q LC_DYLD_CHAINED_FIXUPS ||
		fail "$step: no LC_DYLD_CHAINED_FIXUPS"
	"$OBJDUMP" --macho --dyld-info "$APP/a.out" | tail -n +3 > "$T/dyld-info"
	diff "$T/dyld-info" "$APP/fixups.txt" || fail "$step: fixups.txt differs from --dyld-info"
	"$OBJDUMP" --macho --chained-fixups "$APP/a.out" | tail -n +3 > "$T/chained"
	diff "$T/chained" "$APP/chained_fixups.txt" ||
		fail "$step: chained_fixups.txt differs from --chained-fixups"
	grep -q "rebase" "$APP/fixups.txt" && grep -q "bind" "$APP/fixups.txt" ||
		fail "$step: fixups.txt lacks a rebase or a bind: $(cat "$APP/fixups.txt")"
	out=$("$MACHO_RUN" "$APP/a.out") || fail "$step: a.out failed under macho-run"
	[ "$out" = "$want" ] || fail "$step: a.out printed '$out', want '$want'"
}

echo "fixups = chained" > "$APP/link.conf"
cp "$T/main.o" "$T/val.o" "$APP/" || fail "cp"
cp "$T/main.o" "$T/val.o" "$T/cli/" || fail "cp"
check first "41 2" main.o val.o
ok "chained unit: a.out, fixups.txt, chained_fixups.txt, run"

links=$(status links) patches=$(status patches)
cp "$T/val2.o" "$APP/val.o" && cp "$T/val2.o" "$T/cli/val.o" || fail "cp val2.o"
check patched "51 2" main.o val.o
[ "$(status links)" = $((links + 1)) ] && [ "$(status patches)" = $((patches + 1)) ] ||
	fail "the constant change was not one patch: links $links -> $(status links), patches $patches -> $(status patches)"
ok "a patch keeps the chains: equal to a full link, runs"

# the default follows the platform version, as ld64.lld 19
for v in 12 13; do
	printf 'platform_version = macos %s.0 %s.0\n' $v $v > "$MNT/v$v/link.conf"
	cp "$T/main.o" "$T/val.o" "$MNT/v$v/" || fail "cp v$v"
done
"$OBJDUMP" --macho --private-headers "$MNT/v13/a.out" | grep -q LC_DYLD_CHAINED_FIXUPS ||
	fail "macOS 13.0 did not default to chained fixups"
"$OBJDUMP" --macho --private-headers "$MNT/v12/a.out" | grep -q LC_DYLD_INFO_ONLY ||
	fail "macOS 12.0 did not default to opcodes"
[ -s "$MNT/v12/chained_fixups.txt" ] && fail "an opcode unit has a chained_fixups.txt"
ok "the default: chained from macOS 13.0, opcodes before"
