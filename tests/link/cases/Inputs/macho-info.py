#!/usr/bin/env python3
"""macho-info.py - what the LLVM tools do not print of a 64-bit Mach-O file
(the tests/link/cases helper; little-endian only).

macho-info.py lazy-bind FILE
    the records of the lazy binding info (LC_DYLD_INFO[_ONLY]), one line
    each, in stream order:
        lazy-bind 0x<offset of the record> seg <n> 0x<offset in segment> <symbol>
    The offset is what a __stub_helper entry hands dyld_stub_binder;
    llvm-objdump --lazy-bind prints none.

macho-info.py ptrs FILE SEGNAME SECTNAME
    the section's contents as 64-bit words, one line each:
        0x<address> 0x<value>
    (llvm-otool -s prints 32-bit words on arm64 and bytes on x86_64)."""
import struct
import sys


def uleb(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7f) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def load_commands(data):
    magic, _, _, _, ncmds = struct.unpack_from("<IiiII", data, 0)
    if magic != 0xfeedfacf:
        sys.exit("not a 64-bit little-endian Mach-O file")
    p = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, p)
        yield cmd, p
        p += size


def ptrs(data, segname, sectname):
    for cmd, p in load_commands(data):
        if cmd != 0x19:                              # LC_SEGMENT_64
            continue
        nsects = struct.unpack_from("<I", data, p + 64)[0]
        for i in range(nsects):
            q = p + 72 + 80 * i
            sect = data[q:q + 16].rstrip(b"\0").decode()
            seg = data[q + 16:q + 32].rstrip(b"\0").decode()
            if (seg, sect) != (segname, sectname):
                continue
            addr, size, off = struct.unpack_from("<QQI", data, q + 32)
            for k in range(0, size - size % 8, 8):
                v = struct.unpack_from("<Q", data, off + k)[0]
                print(f"0x{addr + k:x} 0x{v:x}")
            return
    sys.exit(f"no section {segname},{sectname}")


def lazy_bind(data):
    info = None
    for cmd, p in load_commands(data):
        if cmd in (0x22, 0x80000022):
            info = struct.unpack_from("<10I", data, p + 8)
    if info is None:
        sys.exit("no LC_DYLD_INFO")
    off, size = info[6], info[7]
    b = data[off:off + size]
    i, start, seg, segoff, sym = 0, 0, 0, 0, ""
    while i < len(b):
        op, imm = b[i] & 0xf0, b[i] & 0x0f
        i += 1
        if op == 0x00:                              # DONE: a record ends
            start = i
        elif op in (0x10, 0x30):                    # DYLIB_ORDINAL_IMM, SPECIAL_IMM
            pass
        elif op == 0x20:                            # DYLIB_ORDINAL_ULEB
            _, i = uleb(b, i)
        elif op == 0x40:                            # SYMBOL_TRAILING_FLAGS_IMM
            end = b.index(0, i)
            sym = b[i:end].decode("utf-8", "replace")
            i = end + 1
        elif op == 0x50:                            # TYPE_IMM
            pass
        elif op == 0x60:                            # ADDEND_SLEB
            while b[i] & 0x80:
                i += 1
            i += 1
        elif op == 0x70:                            # SEGMENT_AND_OFFSET_ULEB
            seg = imm
            segoff, i = uleb(b, i)
        elif op == 0x80:                            # ADD_ADDR_ULEB
            v, i = uleb(b, i)
            segoff = (segoff + v) & (2**64 - 1)
        elif op == 0x90:                            # DO_BIND
            print(f"lazy-bind 0x{start:x} seg {seg} 0x{segoff:x} {sym}")
            segoff += 8
        else:
            sys.exit(f"unexpected lazy bind opcode 0x{op:02x} at 0x{i - 1:x}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "lazy-bind":
        lazy_bind(open(sys.argv[2], "rb").read())
    elif len(sys.argv) == 5 and sys.argv[1] == "ptrs":
        ptrs(open(sys.argv[2], "rb").read(), sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
