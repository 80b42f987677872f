# fault-lib.sh - helpers shared by the fault-*.sh mount tests (sourced
# after lib.sh, not run). See docs/reliability.md for what each test proves.

# store_sql DB SQL: prints the result of SQL on the store DB, through the
# sqlite3 CLI when installed, else python3's sqlite3 module. Opening the
# store beside a live daemon is fine: WAL mode lets readers in.
store_sql() {
	if command -v sqlite3 >/dev/null 2>&1; then
		sqlite3 "$1" "$2"
	else
		python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))' "$1" "$2"
	fi
}
have_sql() {
	command -v sqlite3 >/dev/null 2>&1 ||
		python3 -c 'import sqlite3' >/dev/null 2>&1
}

# integrity DB WHEN: PRAGMA integrity_check of the store must say ok.
integrity() {
	r=$(store_sql "$1" 'PRAGMA integrity_check') || fail "$2: cannot read the store"
	[ "$r" = ok ] || fail "$2: integrity_check: $r"
}

# gen_objects N DIR: N distinct small x86_64 Mach-O objects DIR/o0000.o ...
# plus DIR/main.o, from one clang compile: the template's symbol names
# (_gv_ZZZZ, _fn_ZZZZ, _pad_ZZZZ) and its data word are patched per copy,
# so the N objects link together. Each is about 2.7 KB.
gen_objects() {
	mkdir -p "$2" || fail "mkdir $2"
	cat > "$2/tmpl.c" <<'C'
int gv_ZZZZ = 0x13572468;
char pad_ZZZZ[2048] = { 1 };
int fn_ZZZZ(int x) { return x * 3 + gv_ZZZZ + pad_ZZZZ[x & 2047]; }
C
	echo 'int main(void) { return 0; }' > "$2/main.c"
	cc_macho "$2/tmpl.c" "$2/tmpl.o" || fail "clang of the template"
	cc_macho "$2/main.c" "$2/main.o" || fail "clang of main.c"
	python3 - "$1" "$2" <<'PY' || fail "patching the objects"
import os, struct, sys
n, d = int(sys.argv[1]), sys.argv[2]
t = open(os.path.join(d, "tmpl.o"), "rb").read()
assert t.count(b"ZZZZ") >= 3, t.count(b"ZZZZ")
assert t.count(b"\x68\x24\x57\x13") == 1
for i in range(n):
    b = t.replace(b"ZZZZ", b"%04d" % i).replace(b"\x68\x24\x57\x13", struct.pack("<I", i))
    with open(os.path.join(d, "o%04d.o" % i), "wb") as f:
        f.write(b)
os.remove(os.path.join(d, "tmpl.o"))
PY
	rm -f "$2/tmpl.c" "$2/main.c"
}

# map_inputs FILE: the input names listed in a map.txt, one a line (not
# the daemon's own libSystem.tbd, which the list names as lld names the
# dylibs a link used).
map_inputs() {
	awk '/^# Object files:/ { f = 1; next } /^# / { f = 0 }
	     f && /^\[/ { sub(/^\[ *[0-9]+\] /, "")
	                 if ($0 != "linker synthesized" && $0 != "libSystem.tbd") print }' "$1"
}

# reap_fs: the daemon was killed from outside (a test's own killer): reap
# it and remove the dead mount.
reap_fs() {
	kill -9 "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT" 2>/dev/null
}
