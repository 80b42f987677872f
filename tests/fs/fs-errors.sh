#!/bin/sh
# fs-errors: a failed link gives EIO on a.out and the tables, link.log says
# exactly why, and the daemon keeps serving the other directories. In one
# mount: a unit with a .o of random bytes (link.log names the file and the
# problem; the bytes are still stored), a unit with two undefined symbols
# (both listed, with the referring file), a unit with an unknown link.conf
# key (link.log names link.conf and the key), and a good unit whose a.out
# runs under macho-run before, between and after the failures. Fixing each
# broken unit makes it link again.
# Needs LINKFS and MACHO_RUN (env, or MACHO_RUN as $1).
. "$(dirname "$0")/lib.sh"
MACHO_RUN=${MACHO_RUN:-${1:-}}
have_clang || skip "clang-19 is missing"
[ -n "$MACHO_RUN" ] && [ -x "$MACHO_RUN" ] || skip "MACHO_RUN is not set"
mount_fs
cd "$MNT" || fail "cd"
mkdir good bad undef conf || fail "mkdir"

cat > "$T/good.c" <<'C'
#include <stdio.h>
int main(void) { printf("good %d\n", 6 * 7); return 0; }
C
cat > "$T/main.c" <<'C'
#include <stdio.h>
int main(void) { puts("fixed"); return 0; }
C
cat > "$T/undef.c" <<'C'
#include <stdio.h>
int x(void);
extern int y;
int main(void) { printf("%d\n", x() + y); return 0; }
C
cc_macho "$T/good.c" good/main.o || fail "clang good.c"
for f in main undef; do cc_macho "$T/$f.c" "$T/$f.o" || fail "clang $f.c"; done

# good_runs WHEN: the good unit serves an a.out that runs
good_runs() {
	cp good/a.out "$T/good.out" || fail "$1: reading good/a.out failed"
	out=$("$MACHO_RUN" "$T/good.out" 2>&1) || fail "$1: good a.out failed under macho-run: $out"
	[ "$out" = "good 42" ] || fail "$1: good a.out printed '$out'"
	[ -n "$(link_errors good/link.log)" ] && fail "$1: good/link.log not empty: $(cat good/link.log)"
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "$1: the daemon died"
	ok "$1: the good unit serves a runnable a.out"
}

# expect_eio DIR: a.out and every table fail with EIO, link.log is readable
# and not empty
expect_eio() {
	for f in a.out rebase.txt bind.txt lazy_bind.txt weak_bind.txt exports.txt \
		got.txt stubs.txt symbols.txt map.txt; do
		cat "$1/$f" > /dev/null 2> "$T/err" && fail "$1: reading $f succeeded"
		grep -q "Input/output error" "$T/err" || fail "$1/$f: '$(cat "$T/err")', want EIO"
	done
	cat "$1/link.log" > "$T/log" || fail "$1: link.log is not readable"
	[ -n "$(link_errors "$T/log")" ] || fail "$1: link.log says nothing after a failed link"
	echo "$1/link.log:"; sed 's/^/  /' "$T/log"
}
log_has() { grep -Eq -- "$2" "$T/log" || fail "$1: link.log does not say '$2'"; }

good_runs "before"

# a .o of random bytes (starting like nothing Mach-O) next to a good main.o
cp "$T/main.o" bad/main.o || fail "cp main.o"
{ printf 'JUNK'; head -c 3000 /dev/urandom; } > "$T/bad.o"
cp "$T/bad.o" bad/bad.o || fail "cp bad.o: a bad object must still be stored"
cmp "$T/bad.o" bad/bad.o || fail "bad.o not stored unchanged"
expect_eio bad
log_has bad 'bad\.o'
log_has bad '[Mm]ach-O|magic|not an object|malformed|truncated'
ok "bad .o: EIO, link.log names bad.o and the reason"
# a valid Mach-O header cut short: named, with what is wrong
head -c 200 "$T/main.o" > "$T/cut.o"
rm bad/bad.o && cp "$T/cut.o" bad/bad.o || fail "replace bad.o"
cmp "$T/cut.o" bad/bad.o || fail "truncated bad.o not stored unchanged"
expect_eio bad
log_has bad 'bad\.o'
log_has bad 'truncat|beyond|past the end|outside|too small|bounds|short'
ok "truncated .o: EIO, link.log names bad.o and the reason"
good_runs "after the bad .o"

# two undefined symbols: both listed at once, with the referring file
cp "$T/undef.o" undef/main.o || fail "cp undef.o"
expect_eio undef
log_has undef "undefined symbol _x, referenced from '?main\\.o'?"
log_has undef "undefined symbol _y, referenced from '?main\\.o'?"
ok "undefined symbols: EIO, link.log lists _x and _y"
good_runs "after the undefined symbols"

# an unknown key in link.conf
cp "$T/main.o" conf/main.o || fail "cp main.o"
printf 'entry = _main\ncolour = blue\n' > conf/link.conf || fail "write link.conf"
expect_eio conf
log_has conf 'link\.conf'
log_has conf 'colour'
ok "bad link.conf: EIO, link.log names link.conf and the key"
good_runs "after the bad link.conf"

# every failure was independent: fixing each unit makes it link again
rm bad/bad.o || fail "rm bad.o"
cp "$T/main.o" undef/main.o || fail "cp main.o over undef's main.o"
printf 'entry = _main\n' > conf/link.conf || fail "rewrite link.conf"
for d in bad undef conf; do
	cp $d/a.out "$T/$d.out" || fail "$d: still failing after the fix: $(cat $d/link.log)"
	[ -n "$(link_errors $d/link.log)" ] && fail "$d: link.log not empty after the fix: $(cat $d/link.log)"
	out=$("$MACHO_RUN" "$T/$d.out" 2>&1) || fail "$d: a.out failed under macho-run: $out"
	[ "$out" = fixed ] || fail "$d: a.out printed '$out'"
done
ok "fixed units link and run"
good_runs "at the end"
