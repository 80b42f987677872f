#!/bin/sh
# fs-why: a unit linked with dead_strip = yes serves why.txt, the chains
# that kept the symbols link.conf's why_live names (ld64.lld's -why_live
# lines), and map.txt ends with lld's "# Dead Stripped Symbols:" list;
# both equal linkfs-ld's --dump=why and --dump=map of the same objects.
# `ls` lists why.txt without linking; without why_live, or without
# dead_strip, why.txt says so in one line and map.txt has no dead list.
# A remount serves the kept why.txt without linking again.
# Needs LINKFS, LINKFS_LD and MACHO_RUN (env).
. "$(dirname "$0")/lib.sh"
: "${LINKFS_LD:?LINKFS_LD must name linkfs-ld}"
[ -n "${MACHO_RUN:-}" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
have_clang || skip "clang-19 is missing"
LIBSYSTEM="$(cd "$(dirname "$0")/../.." && pwd)/data"

cat > "$T/m.s" <<'S'
	.section __TEXT,__text,regular,pure_instructions
	.globl _main
_main:
	pushq %rbp
	leaq L_.str(%rip), %rdi
	callq _puts
	callq _used
	xorl %eax, %eax
	popq %rbp
	retq
	.globl _used
_used:
	retq
	.globl _unused
_unused:
	leaq L_.dead(%rip), %rdi
	jmp _puts
	.section __TEXT,__cstring,cstring_literals
L_.str:
	.asciz "kept"
L_.dead:
	.asciz "gone"
.subsections_via_symbols
S
"$CLANG" -target x86_64-apple-macos11 -c "$T/m.s" -o "$T/m.o" || fail "assemble"

mount_fs
cd "$MNT" || fail "cd"
mkdir app || fail "mkdir"
cp "$T/m.o" app/m.o || fail "cp m.o"
printf 'dead_strip = yes\nwhy_live = _u* _puts\n' > app/link.conf || fail "link.conf"
ls app | grep -qx why.txt || fail "ls app: no why.txt"
[ "$(status links)" = 0 ] || fail "ls linked"
ok "ls lists why.txt and does not link"

# what linkfs-ld makes of the same object and options
(cd "$T" && "$LINKFS_LD" --dump=why -arch x86_64 -platform_version macos 11.0 11.0 \
	-dead_strip -why_live '_u*' -why_live _puts -o "$T/ld.out" m.o \
	-L "$LIBSYSTEM" -lSystem > "$T/ld.why") || fail "linkfs-ld --dump=why"
(cd "$T" && "$LINKFS_LD" --dump=map -arch x86_64 -platform_version macos 11.0 11.0 \
	-dead_strip -o a.out m.o -L "$LIBSYSTEM" -lSystem > "$T/ld.map") ||
	fail "linkfs-ld --dump=map"

cat app/why.txt > "$T/why" || fail "read why.txt"
sed -n 1,2p "$T/why" > "$T/why12"
printf '%s\n' "_used from m.o" "  _main from m.o" > "$T/want12"
cmp -s "$T/why12" "$T/want12" || { diff "$T/want12" "$T/why12" >&2; fail "why.txt: _used's chain"; }
grep -q '^_puts from .*libSystem.tbd(/usr/lib/libSystem.B.dylib)$' "$T/why" || fail "why.txt: no _puts"
[ "$(wc -l < "$T/why")" = 4 ] || { cat "$T/why" >&2; fail "why.txt: not 4 lines"; }
# the fs names the shipped libSystem by its own path: compare the rest
sed 's/ from .*libSystem.tbd(/ from (/' "$T/why" > "$T/why.n"
sed 's/ from .*libSystem.tbd(/ from (/' "$T/ld.why" > "$T/ld.why.n"
cmp -s "$T/ld.why.n" "$T/why.n" || { diff "$T/ld.why.n" "$T/why.n" >&2; fail "why.txt differs from linkfs-ld --dump=why"; }
ok "why.txt: the chains of _used and _puts, as linkfs-ld's --dump=why"

sed -n '/^# Dead Stripped Symbols:/,$p' app/map.txt > "$T/dead" || fail "read map.txt"
printf '# Dead Stripped Symbols:\n#        \tSize    \tFile  Name\n<<dead>>\t0x0000000C\t[  1] _unused\n<<dead>>\t0x00000005\t[  1] literal string: gone\n' > "$T/want"
cmp -s "$T/dead" "$T/want" || { diff "$T/want" "$T/dead" >&2; fail "map.txt's dead list"; }
# the daemon's libSystem is its own (named libSystem.tbd), linkfs-ld's data/'s
sed 's|^\(\[  2\] \).*/libSystem.tbd$|\1libSystem.tbd|' "$T/ld.map" > "$T/ld.map.n"
cmp -s "$T/ld.map.n" app/map.txt || { diff "$T/ld.map.n" app/map.txt >&2; fail "map.txt differs from linkfs-ld --dump=map"; }
out=$("$MACHO_RUN" app/a.out) || fail "a.out failed under macho-run"
[ "$out" = kept ] || fail "a.out printed '$out'"
ok "map.txt lists _unused and \"gone\" as dead, as linkfs-ld's map; a.out runs"

# another pattern alone is another link (no patch of the last result:
# its why.txt has other chains)
printf 'dead_strip = yes\nwhy_live = _used\n' > app/link.conf || fail "link.conf"
printf '%s\n' "_used from m.o" "  _main from m.o" > "$T/want_used"
cmp -s app/why.txt "$T/want_used" || { diff "$T/want_used" app/why.txt >&2; fail "why.txt after why_live changed"; }
grep -qx 'option why_live = _used (link.conf:2)' app/link.log || fail "link.log after why_live changed"
printf 'dead_strip = yes\nwhy_live = _u* _puts\n' > app/link.conf || fail "link.conf"
cmp -s app/why.txt "$T/why" || fail "why.txt after why_live changed back"
ok "a change of why_live alone relinks: why.txt and link.log follow"

# kept: a remount serves the same why.txt without a link
n=$(status links)
cd / && umount_fs && mount_fs && cd "$MNT" || fail "remount"
cmp -s app/why.txt "$T/why" || fail "why.txt after a remount"
[ "$(status links)" = 0 ] || fail "the remount linked again"
ok "a remount serves the kept why.txt (links before: $n)"

printf 'dead_strip = yes\n' > app/link.conf || fail "link.conf"
[ "$(cat app/why.txt)" = "# no why_live patterns: no chains recorded (why_live = PATTERN... in link.conf)" ] ||
	fail "why.txt without why_live: $(cat app/why.txt)"
printf 'why_live = _u*\n' > app/link.conf || fail "link.conf"
[ "$(cat app/why.txt)" = "# not dead stripped: every symbol is kept (dead_strip = yes to strip)" ] ||
	fail "why.txt without dead_strip: $(cat app/why.txt)"
grep -q 'Dead Stripped' app/map.txt && fail "map.txt has a dead list without dead_strip"
grep -qx 'option why_live = _u\* (link.conf:1)' app/link.log || fail "link.log: $(grep why_live app/link.log)"
ok "without why_live, or without dead_strip, why.txt says so in one line"
