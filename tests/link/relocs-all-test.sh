#!/bin/sh
# relocs-all-test.sh LINKFS_LD - links the llvm-mc object that uses every
# x86_64 relocation type (tests/malformed/seeds/relocs-x86_64.s: BRANCH,
# GOT_LOAD, GOT, SIGNED, SIGNED_1/2/4, SUBTRACTOR pairs, UNSIGNED 8,
# TLV, section-relative and extern forms) with a small definitions object,
# with linkfs-ld and with ld64.lld 19. The dyld tables must agree
# (compare-lld) and the disassembly of __text must be the same once
# addresses and pc-relative displacements are masked.
set -u
LD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
need ld64.lld llvm-mc llvm-objdump llvm-nm
"$LLVM/llvm-mc" -triple x86_64-apple-macos11 -filetype=obj \
	"$HERE/../malformed/seeds/relocs-x86_64.s" -o "$t/relocs.o" || fail "llvm-mc"
printf 'int ext_var = 5;\nint ext_func(void) { return 1; }\n' > "$t/ext.c"
"$LLVM/clang" -target x86_64-apple-macos11 -ffreestanding -O2 -c "$t/ext.c" -o "$t/ext.o" || fail clang
"$LD" -e _start -o "$t/ours" "$t/relocs.o" "$t/ext.o" || fail "linkfs-ld"
"$LLVM/ld64.lld" -arch x86_64 -platform_version macos 11.0 11.0 -no_fixup_chains -e _start \
	-o "$t/lld" "$t/relocs.o" "$t/ext.o" "$HERE/../../data/libSystem.tbd" || fail "ld64.lld"
python3 "$HERE/compare-lld" "$t/ours" "$t/lld" || fail "tables differ from ld64.lld"
mask() {
	"$LLVM/llvm-objdump" --macho -d --no-show-raw-insn "$1" | tail -n +3 |
		sed -E 's/^ *[0-9a-f]+://; s/0x[0-9a-f]+\(%rip\)/DISP(%rip)/g; s/ *## literal pool.*//'
}
mask "$t/ours" > "$t/ours.s"
mask "$t/lld" > "$t/lld.s"
diff "$t/lld.s" "$t/ours.s" || fail "__text differs from ld64.lld's"
grep -q "leaq	_tlv_var(%rip)" "$t/ours.s" || fail "the TLV load of a local variable was not relaxed"
# The SUBTRACTOR pairs cross sections, so their values depend on layout:
# check them against our own symbol addresses (8-byte at _local_data+16,
# 4-byte at +24).
python3 - "$LLVM" "$t/ours" <<'PY' || fail "SUBTRACTOR values are wrong"
import subprocess, sys, re
llvm, exe = sys.argv[1], sys.argv[2]
nm = subprocess.run([llvm + "/llvm-nm", exe], capture_output=True, text=True).stdout
addr = {l.split()[2]: int(l.split()[0], 16) for l in nm.splitlines() if len(l.split()) == 3}
dump = subprocess.run([llvm + "/llvm-objdump", "--macho", "-s", "-j", "__data", exe],
                      capture_output=True, text=True).stdout
mem = {}
for l in dump.splitlines():
    m = re.match(r"^([0-9a-f]{16})\s+((?:[0-9a-f]{2} )+)", l)
    if m:
        base = int(m.group(1), 16)
        for i, b in enumerate(m.group(2).split()):
            mem[base + i] = int(b, 16)
def rd(a, n):
    return int.from_bytes(bytes(mem[a + i] for i in range(n)), "little", signed=True)
want = addr["_start"] - addr["_local_data"]
got8, got4 = rd(addr["_local_data"] + 16, 8), rd(addr["_local_data"] + 24, 4)
print(f"_start - _local_data = {want}: quad {got8}, long {got4}")
sys.exit(0 if got8 == want and got4 == want else 1)
PY
echo "relocs-all-test: ok"
