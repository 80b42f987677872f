#!/bin/sh
# store-attrs: the smaller promises of issue 20, item 8.
#   - a directory's link count is 2 + its subdirectories (the root's too),
#     and follows mkdir, rmdir and rename of a directory;
#   - link.conf `output = link.log`, `= main.o`, `= map.txt`, `= lib.a`,
#     `= link.conf` are refused: the link fails, link.log says why, the
#     executable goes back to a.out, and the stored main.o is untouched;
#   - a stored entry wins over a synthetic name: a directory named link.log
#     and a plain file named a.out, made before the directory held an
#     object, stay visible (listed once, as what they are) and removable;
#     once gone, the synthetic files take the names;
#   - after close() stat shows the commit's mtime at once, even when a
#     getattr came between the last write and the close (the kernel
#     caches attributes for a second), and for a file created and closed
#     without a write.
. "$(dirname "$0")/lib.sh"
have_clang || skip "clang-19 is missing"
mount_fs
cd "$MNT" || fail "cd"
# each part runs in a subshell: a failure is reported and the others run
bad=

# 1. link counts
(
	nlink() { stat -c %h "$1"; }
	[ "$(nlink .)" = 2 ] || fail "empty root: nlink $(nlink .), want 2"
	mkdir d d/a d/b d/b/c && : > d/f && : > d/b/g || fail "mkdir"
	[ "$(nlink .)" = 3 ] || fail "root with one subdirectory: nlink $(nlink .), want 3"
	[ "$(nlink d)" = 4 ] || fail "d with two subdirectories (and a file): nlink $(nlink d), want 4"
	[ "$(nlink d/b)" = 3 ] || fail "d/b: nlink $(nlink d/b), want 3"
	[ "$(nlink d/a)" = 2 ] || fail "d/a: nlink $(nlink d/a), want 2"
	[ "$(nlink d/f)" = 1 ] || fail "a file: nlink $(nlink d/f), want 1"
	rmdir d/a || fail "rmdir"
	[ "$(nlink d)" = 3 ] || fail "after rmdir: nlink $(nlink d), want 3"
	mv d/b . || fail "mv"
	[ "$(nlink d)" = 2 ] && [ "$(nlink .)" = 4 ] || fail "after mv of a directory: d $(nlink d), root $(nlink .)"
	# find's leaf optimisation relies on the count: every directory is found
	[ "$(find . -type d | wc -l)" = 4 ] || fail "find: $(find . -type d)"
	ok "directory link counts: 2 + subdirectories"
) || bad="$bad link-counts"

# 2. link.conf output names that would shadow a file
(
	printf 'int main(void) { return 7; }\n' > "$T/m.c"
	cc_macho "$T/m.c" "$T/m.o" || fail "clang"
	mkdir u && cp "$T/m.o" u/main.o || fail "cp"
	for name in link.log main.o map.txt lib.a link.conf; do
		printf 'output = %s\n' "$name" > u/link.conf || fail "link.conf"
		cmp -s u/main.o "$T/m.o" || fail "output = $name: main.o is no longer the stored object"
		[ "$(ls u | grep -cx "$name")" -le 1 ] || fail "output = $name: listed twice"
		ls u | grep -qx a.out || fail "output = $name: no a.out: $(ls u)"
		grep -q "link.conf: output '$name' is refused" u/link.log ||
			fail "output = $name: link.log says: $(cat u/link.log)"
		cat u/a.out > /dev/null 2>&1 && fail "output = $name: the link succeeded"
	done
	[ "$(cat u/link.conf)" = "output = link.conf" ] || fail "link.conf was shadowed"
	printf 'output = prog\n' > u/link.conf
	cat u/prog > /dev/null || fail "output = prog: $(cat u/link.log)"
	cmp -s u/main.o "$T/m.o" || fail "main.o changed"
	ok "link.conf output names of inputs and synthetic files are refused in link.log"
) || bad="$bad output-names"

# 3. stored entries win over synthetic names
(
	mkdir v v/link.log && echo mine > v/a.out && echo inside > v/link.log/f || fail "setup"
	cp "$T/m.o" v/main.o || fail "cp"
	sleep 1.2   # past the entry timeout: the kernel asks the daemon again
	[ -d v/link.log ] || fail "the stored directory link.log is hidden by the synthetic file"
	[ "$(cat v/link.log/f)" = inside ] || fail "the stored directory's content"
	[ "$(cat v/a.out)" = mine ] || fail "the stored a.out is hidden: $(head -c 20 v/a.out | od -c | head -2)"
	[ "$(ls v | grep -cx link.log)" = 1 ] && [ "$(ls v | grep -cx a.out)" = 1 ] ||
		fail "listed: $(ls v)"
	ls v | grep -qx map.txt || fail "the other synthetic files are missing: $(ls v)"
	rm -r v/link.log && rm v/a.out || fail "removing the stored entries"
	[ -f v/link.log ] && cat v/a.out > /dev/null || fail "the synthetic files after the stored entries went"
	ok "a stored directory link.log and a stored a.out stay visible"
) || bad="$bad stored-wins"

# 4. mtime right after close(), even with a getattr between the last
# write and the close
(
	python3 - "$MNT" <<-'PY' || fail "mtime checks (see above)"
	import os, sys, time
	m = sys.argv[1]
	for name in ("new", "old", "touched"):
	    p = os.path.join(m, name)
	    if name == "old":
	        with open(p, "wb") as f:
	            f.write(b"before")
	        time.sleep(0.05)
	    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
	    if name != "touched":                   # created, never written
	        os.write(fd, b"content")
	    during = os.fstat(fd).st_mtime_ns      # the kernel may keep this
	    time.sleep(0.02)
	    os.close(fd)                            # commits: mtime = now
	    after = os.stat(p).st_mtime_ns
	    time.sleep(1.3)                         # past the attribute timeout
	    later = os.stat(p).st_mtime_ns
	    if after != later:
	        sys.exit(f"{name}: stat right after close gave mtime {after}, "
	                 f"{later} a second later (during the write: {during})")
	print("mtime right after close is the committed one")
	PY
	ok "stat after close() shows the new mtime at once"
) || bad="$bad mtime"

cd /
umount_fs
[ -z "$bad" ] || fail "failed:$bad"
exit 0
