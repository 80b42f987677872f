#!/bin/sh
# fs-history: a unit keeps its last links in .history (issue 24): a
# generation appears when the keeper keeps a link, numbered from 1; the
# diff of a table across two generations is exactly the change made
# (a data pointer to a new extern function: one more bind line); listing
# and reading .history never links; the history survives a remount and
# is bounded by link.conf's `history` (oldest dropped); it is read-only
# as the synthetic files are; `rm -rf` of the unit works in one pass;
# `history = 0` keeps none, a bad value fails the link; the status file
# names each unit's last link and its generation; a store made before
# the history (schema 5) mounts and starts one.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
mount_fs
cd "$MNT" || fail "cd"

# gens DIR: the generations listed in DIR/.history, one line
gens() { ls "$1/.history" 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//'; }
# wait_gen DIR N: until generation N of DIR is kept (the keeper waits
# 300 ms of quiet: at most 100 tries of 0.1 s)
wait_gen() {
	i=0
	while [ ! -d "$1/.history/$2" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "generation $2 of $1 never appeared (have: $(gens "$1"))"
		sleep 0.1
	done
}
# version K: main.o with K data pointers to extern functions (puts, then
# zfn1, zfn2, ...: each version adds one bind), linked and kept as the
# next generation G
version() {
	{
		echo '#include <stdio.h>'
		echo 'int (*fp)(const char *) = puts;'
		j=1
		while [ $j -lt "$1" ]; do
			echo "extern int zfn$j(void); int (*fz$j)(void) = zfn$j;"
			j=$((j + 1))
		done
		echo 'int main(void) { return fp("hi"); }'
	} > "$T/m.c"
	cc_macho "$T/m.c" app/main.o || fail "clang (version $1)"
	cat app/a.out > /dev/null || fail "link of version $1: $(cat app/link.log)"
}

mkdir app || fail "mkdir"
printf 'undefined = dynamic_lookup\nhistory = 3\n' > app/link.conf
[ -e app/.history ] && fail ".history before any link"
version 1
wait_gen app 1
[ "$(gens app)" = 1 ] || fail "after one link: generations '$(gens app)', want '1'"
version 2
wait_gen app 2
[ "$(gens app)" = "1 2" ] || fail "after two links: '$(gens app)', want '1 2'"
[ "$(stat -c %h app)/$(stat -c %h app/.history)/$(stat -c %h app/.history/1)" = 3/4/2 ] ||
	fail "link counts of app, .history, .history/1: $(stat -c %h app)/$(stat -c %h app/.history)/$(stat -c %h app/.history/1), want 3/4/2"
ok "a generation per kept link"

# the change made: one bind line more, nothing else in bind.txt
diff app/.history/1/bind.txt app/bind.txt > "$T/d"
[ "$(grep -c '^[<>]' "$T/d")" = 1 ] && grep -q '^> .*_zfn1$' "$T/d" ||
	fail "diff .history/1/bind.txt bind.txt is not one added bind of _zfn1:
$(cat "$T/d")"
cmp -s app/.history/2/bind.txt app/bind.txt || fail "the latest generation is not the current bind.txt"
cmp -s app/.history/2/a.out app/a.out || fail "the latest generation's a.out differs from a.out"
[ -x app/.history/2/a.out ] || fail "a generation's a.out is not executable"
for f in a.out bind.txt rebase.txt map.txt link.log; do
	[ -e "app/.history/1/$f" ] || fail "generation 1 has no $f"
done
ok "diff of bind.txt across generations shows exactly the added bind"

# listing and reading the history never links
l0=$(status links)
ls -lR app/.history > /dev/null || fail "ls -lR .history"
cat app/.history/*/* > /dev/null || fail "cat of every history file"
per=$(ls app | grep -vc '\.o$\|^link\.conf$')   # the files a link makes
[ "$(find app/.history -type f | wc -l)" = $((2 * per)) ] ||
	fail "find .history: $(find app/.history -type f | wc -l) files, want 2 x $per"
[ "$(status links)" = "$l0" ] || fail "reading .history linked ($l0 -> $(status links) links)"
ok "ls, find and cat of .history do not link"

# the status file: the unit's last link, kept as generation 2
grep -q '^last /app ok [0-9T:-]*Z generation 2$' "$MNT/.linkfs-status" ||
	fail "status has no 'last /app ok ... generation 2':
$(cat "$MNT/.linkfs-status")"
ok "the status file names the last link and its generation"

# read-only, as the synthetic files (docs/usage.md)
python3 - "$MNT/app/.history" <<'PY' || fail "history write checks (see above)"
from fsutil import expect_err
import errno, os, sys
h = sys.argv[1]
def p(*a): return os.path.join(h, *a)
expect_err(errno.EACCES, os.open, p("1", "bind.txt"), os.O_WRONLY)
expect_err(errno.EACCES, os.open, p("1", "bind.txt"), os.O_RDONLY | os.O_TRUNC)
expect_err(errno.EEXIST, os.open, p("1", "bind.txt"), os.O_WRONLY | os.O_CREAT | os.O_EXCL)
expect_err(errno.EACCES, os.open, p("1", "new.txt"), os.O_WRONLY | os.O_CREAT)
expect_err(errno.EACCES, os.mkdir, p("9"))
expect_err(errno.EEXIST, os.mkdir, p("1"))
expect_err(errno.EEXIST, os.mkdir, h)
expect_err(errno.EPERM, os.rename, p("1"), p("7"))
expect_err(errno.EPERM, os.rename, p("1", "bind.txt"), p("..", "x.txt"))
expect_err(errno.EPERM, os.chmod, p("1", "bind.txt"), 0o644)
expect_err(errno.EPERM, os.truncate, p("1", "bind.txt"), 0)
expect_err(errno.EPERM, os.utime, p("1", "bind.txt"), (0, 0))
expect_err(errno.ENOENT, os.stat, p("0"))
expect_err(errno.ENOENT, os.stat, p("01"))
expect_err(errno.ENOENT, os.stat, p("1", "nosuch.txt"))
# removing succeeds and changes nothing (rm -rf, below, relies on it)
os.unlink(p("1", "bind.txt"))
os.rmdir(p("1"))
if not os.path.exists(p("1", "bind.txt")):
    sys.exit("FAIL: a removed history file is gone")
print("ok: writes refused with EACCES, EEXIST, EPERM")
PY

# bounded by `history = 3`: the oldest goes
version 3
wait_gen app 3
version 4
wait_gen app 4
[ "$(gens app)" = "2 3 4" ] || fail "history = 3 after four links: '$(gens app)', want '2 3 4'"
diff app/.history/3/bind.txt app/.history/4/bind.txt | grep -c '^[<>]' | grep -qx 1 ||
	fail "generations 3 and 4 differ by more than one bind"
ok "bounded to history = 3: the oldest dropped"

# a remount keeps the history, byte for byte
cat app/.history/2/bind.txt app/.history/4/a.out > "$T/before"
cd /
umount_fs
mount_fs
cd "$MNT" || fail "cd"
[ "$(gens app)" = "2 3 4" ] || fail "after a remount: '$(gens app)', want '2 3 4'"
cat app/.history/2/bind.txt app/.history/4/a.out | cmp -s - "$T/before" ||
	fail "the history changed across a remount"
[ "$(status links)" = 0 ] || fail "reading the history after a remount linked"
ok "the history survives a remount"

# the dropped generation's result is deleted: the store holds the results
# of the 3 generations only; a file the same in all three (link.log,
# weak_bind.txt, ...) is one content referenced three times, not a copy
python3 - "$STORE" <<'PY' || fail "the store's results (see above)"
import sqlite3, sys
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
n = db.execute('SELECT count(*) FROM link_results').fetchone()[0]
if n != 3:
    sys.exit("FAIL: the store keeps %d link results, want 3 (one per generation)" % n)
shared = db.execute("""SELECT count(*) FROM (SELECT blob FROM link_files
    GROUP BY blob HAVING count(*) = 3)""").fetchone()[0]
bad = db.execute("""SELECT count(*) FROM (SELECT blob, count(*) AS n
    FROM link_files GROUP BY blob) AS f JOIN contents c ON c.hash = f.blob
    WHERE c.refs < f.n""").fetchone()[0]
if not shared or bad:
    sys.exit("FAIL: %d contents shared by the 3 generations (want some), "
             "%d counted fewer times than referenced" % (shared, bad))
print("ok: %d link results; %d contents shared by all 3 generations" % (n, shared))
PY
ok "a dropped generation's result is deleted; kept files are shared"

# history = 0 keeps none
printf 'undefined = dynamic_lookup\nhistory = 0\n' > app/link.conf
cat app/a.out > /dev/null
i=0
while [ -e app/.history ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "history = 0 left '$(gens app)'"
	sleep 0.1
done
ok "history = 0 keeps none"

# a bad bound fails the link, as any bad link.conf value
mkdir conf && cp app/main.o conf/ || fail "mkdir conf"
for v in -1 1001 five; do
	printf 'undefined = dynamic_lookup\nhistory = %s\n' "$v" > conf/link.conf
	cat conf/a.out > /dev/null 2>&1 && fail "history = $v linked"
	grep -q "link.conf:2: bad value '$v' for 'history'" conf/link.log ||
		fail "history = $v: link.log says '$(cat conf/link.log)'"
done
ok "a bad history value fails the link and link.log names it"

# rm -rf of a unit with a history, in one pass
printf 'undefined = dynamic_lookup\n' > app/link.conf
version 5
wait_gen app 5
[ "$(gens app)" = 5 ] || fail "generation numbers restarted: '$(gens app)', want '5'"
rm -rf app 2> "$T/rm.err" || fail "rm -rf of a unit with a history: $(head -3 "$T/rm.err")"
[ -e app ] && fail "app still there after rm -rf"
ok "rm -rf of a unit with .history in one pass"

# a store made before the history (schema 5) still mounts: its unit's
# kept result is served without a link, and its next link is generation 1
mkdir old || fail "mkdir old"
printf 'int main(void) { return 0; }\n' > "$T/o.c"
cc_macho "$T/o.c" old/main.o || fail "clang o.c"
cat old/a.out > /dev/null || fail "link of old/"
wait_gen old 1
cd /
umount_fs
python3 - "$STORE" <<'PY' || fail "making a schema-5 store"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""DROP TABLE history; ALTER TABLE units DROP COLUMN generation;
    PRAGMA user_version = 5;""")
db.close()
PY
mount_fs
cd "$MNT" || fail "cd"
[ -e old/.history ] && fail "a schema-5 store shows a history"
cat old/a.out > /dev/null || fail "the kept result after the migration"
[ "$(status links)/$(status kept_hits)" = 0/1 ] ||
	fail "the kept result was not served from the migrated store (links $(status links), kept_hits $(status kept_hits))"
printf 'int main(void) { return 1; }\n' > "$T/o.c"
cc_macho "$T/o.c" old/main.o || fail "clang"
cat old/a.out > /dev/null || fail "relink after the migration: $(cat old/link.log)"
wait_gen old 1
[ "$(gens old)" = 1 ] || fail "after the migration: '$(gens old)', want '1'"
ok "a schema-5 store mounts, serves its kept result, and starts a history"
