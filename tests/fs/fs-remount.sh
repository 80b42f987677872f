#!/bin/sh
# fs-remount: a link result is kept in the store: a remount serves it
# without linking (the status file counts links and kept results), and
# only a change of the inputs links again. Objects written in this mount
# reach the link already parsed (last_inputs_parsed); objects read back
# from the store after a remount are parsed by the link.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
mount_fs
mkdir "$MNT/app" || fail "mkdir"
printf 'int main(void) { return 0; }\n' > "$T/m.c"
cc_macho "$T/m.c" "$MNT/app/main.o" || fail "clang"

ls -l "$MNT/app" >/dev/null   # stat may link: sizes must be exact
cat "$MNT/app/link.log" "$MNT/app/a.out" >/dev/null 2>&1
[ "$(status links)" = 1 ] || fail "expected one link, got $(status links)"
[ "$(status last_inputs)/$(status last_inputs_parsed)" = 1/1 ] ||
	fail "the written object did not reach the link parsed ($(status last_inputs_parsed) of $(status last_inputs))"
cat "$MNT/app/link.log" "$MNT/app/bind.txt" >/dev/null 2>&1
[ "$(status links)" = 1 ] || fail "unchanged re-read linked again"
log1=$(cat "$MNT/app/link.log")
size1=$(stat -c %s "$MNT/app/a.out")
mt1=$(stat -c %y "$MNT/app/a.out")
ok "one link for repeated reads"

umount_fs
mount_fs
ls "$MNT/app" >/dev/null
[ "$(status links)" = 0 ] || fail "ls after remount linked"
cat "$MNT/app/link.log" "$MNT/app/a.out" >/dev/null 2>&1
[ "$(status links)" = 0 ] || fail "remount relinked (links=$(status links))"
[ "$(status kept_hits)" -ge 1 ] || fail "kept result not used"
[ "$(cat "$MNT/app/link.log")" = "$log1" ] || fail "kept link.log differs"
[ "$(stat -c %s "$MNT/app/a.out")" = "$size1" ] || fail "kept a.out size differs"
[ "$(stat -c %y "$MNT/app/a.out")" = "$mt1" ] || fail "synthetic mtime changed across a remount"
ok "remount serves the kept result without linking"

printf 'int two(void) { return 2; }\n' > "$T/t.c"
cc_macho "$T/t.c" "$MNT/app/two.o" || fail "clang"
cat "$MNT/app/link.log" >/dev/null
[ "$(status links)" = 1 ] || fail "a new input did not relink once"
[ "$(status last_inputs)/$(status last_inputs_parsed)" = 2/1 ] ||
	fail "expected 1 of 2 inputs parsed at commit (the new one), got $(status last_inputs_parsed) of $(status last_inputs)"
ok "a changed input relinks"
