#!/usr/bin/env python3
"""gen-dylibs.py - writes malformed binary dylibs, one per check of
linker/input/dylib_macho.c and dylib_exports.c, by mutating the checked-in
seed (seeds/libseed-x86_64.dylib.in, rebuilt by seeds/make-dylib-seed.sh)
and by wrapping it in fat files.

Each case names the mutation, the file offset the error must report and a
substring of the expected problem text ("ok" cases must parse). Output:
OUTDIR/dylib-<case>.dylib and OUTDIR/manifest-dylib.json (one JSON object per
line: name, file, offset or null, expect), as run-case.py reads them.

Usage: gen-dylibs.py SEEDDIR OUTDIR      write everything
       gen-dylibs.py --list              print the case names
Leaves out: random fuzzing (tests/fuzz/fuzz_dylib.c does that).
"""
import json
import os
import struct
import sys

LC_SEGMENT_64, LC_SYMTAB, LC_ID_DYLIB, LC_LOAD_DYLIB = 0x19, 0x2, 0xd, 0xc
LC_DYLD_INFO_ONLY, LC_REEXPORT_DYLIB = 0x80000022, 0x8000001f
LC_RPATH = 0x8000001c
X86_64, ARM64 = 0x01000007, 0x0100000c


class Dylib:
    """A mutable seed with the offsets of its structures."""

    def __init__(self, data):
        self.b = bytearray(data)
        self.cmds = []  # (offset, cmd, cmdsize)
        off = 32
        for _ in range(self.u32(16)):
            self.cmds.append((off, self.u32(off), self.u32(off + 4)))
            off += self.u32(off + 4)
        self.cmds_end = off
        st = self.cmd(LC_SYMTAB)
        self.symoff, self.nsyms = self.u32(st + 8), self.u32(st + 12)
        self.stroff, self.strsize = self.u32(st + 16), self.u32(st + 20)
        di = self.cmd(LC_DYLD_INFO_ONLY)
        self.trie, self.trie_size = self.u32(di + 40), self.u32(di + 44)

    def u32(self, o):
        return struct.unpack_from("<I", self.b, o)[0]

    def w32(self, o, v):
        struct.pack_into("<I", self.b, o, v & 0xffffffff)

    def cmd(self, want):
        return next(off for off, c, _ in self.cmds if c == want)

    def drop_trie(self):
        self.w32(self.cmd(LC_DYLD_INFO_ONLY) + 44, 0)

    def trie_path(self):
        """Offsets along the first-child path from the root to the first
        terminal node: [(node, entry, uleb)] for each edge taken, where
        entry is the child entry's label and uleb its child offset."""
        t, node, path = self.trie, 0, []
        while self.b[t + node] == 0:  # terminal size 0: not an export
            entry = node + 2
            end = self.b.index(0, t + entry) - t
            path.append((node, entry, end + 1))
            node = self.b[t + end + 1]  # single-byte ULEBs in the seed
        return path, node

    def first_external(self):
        """The file offset of the first external defined nlist_64."""
        for i in range(self.nsyms):
            e = self.symoff + 16 * i
            t = self.b[e + 4]
            if t & 1 and t & 0xe and not t & 0xe0:
                return e
        raise KeyError("no external symbol")


def fat(slices, wide=False, fix=None):
    """A fat file of (cputype, cpusubtype, bytes) slices at 2^12-aligned
    offsets; fix(entries) may change the (cpu, sub, off, size) entries."""
    ent = 32 if wide else 20
    off = 0x1000
    entries, body = [], b""
    for cpu, sub, data in slices:
        entries.append([cpu, sub, off, len(data)])
        pad = (-len(data)) % 0x1000
        body += data + b"\0" * pad
        off += len(data) + pad
    if fix:
        fix(entries)
    out = struct.pack(">II", 0xcafebabf if wide else 0xcafebabe, len(entries))
    for cpu, sub, o, n in entries:
        if wide:
            out += struct.pack(">IIQQII", cpu, sub, o, n, 12, 0)
        else:
            out += struct.pack(">IIIII", cpu, sub, o, n, 12)
    assert len(out) <= 0x1000 and len(out) == 8 + ent * len(entries)
    return out + b"\0" * (0x1000 - len(out)) + body


def cases(seed):
    """Yields (name, bytes, offset or None, expect)."""
    def m():
        return Dylib(seed)

    d = m()
    ida, load = d.cmd(LC_ID_DYLIB), d.cmd(LC_LOAD_DYLIB)
    di, st = d.cmd(LC_DYLD_INFO_ONLY), d.cmd(LC_SYMTAB)
    seg = d.cmd(LC_SEGMENT_64)
    size = len(seed)
    path, term = d.trie_path()
    t = d.trie

    yield "ok", bytes(seed), None, "ok"
    x = m(); x.drop_trie()
    yield "ok-symtab-fallback", bytes(x.b), None, "ok"
    x = m(); x.w32(load, LC_REEXPORT_DYLIB)
    yield "ok-reexport", bytes(x.b), None, "ok"

    # header
    yield "trunc-magic", seed[:3], 0, "too small to contain a magic number"
    yield "trunc-header", seed[:20], 0, "too small for a mach_header_64"
    for name, magic, want in (("magic-32bit", 0xfeedface, "32-bit Mach-O"),
                              ("magic-swapped", 0xcffaedfe, "byte-swapped"),
                              ("magic-unknown", 0x12345678, "unknown magic")):
        x = m(); x.w32(0, magic)
        yield name, bytes(x.b), 0, want
    x = m(); x.w32(4, ARM64); x.w32(8, 0)
    yield "cputype-arm64", bytes(x.b), 4, "dylib is for arm64, not x86_64"
    x = m(); x.w32(8, 8)
    yield "cpusubtype-x86_64h", bytes(x.b), 4, "dylib is for x86_64h"
    x = m(); x.w32(4, 0x77)
    yield "cputype-unknown", bytes(x.b), 4, "unsupported cputype 0x77"
    x = m(); x.w32(12, 1)
    yield "filetype-object", bytes(x.b), 12, "filetype 1 is not MH_DYLIB"
    x = m(); x.w32(20, size)
    yield "sizeofcmds-past-end", bytes(x.b), 20, "sizeofcmds"

    # the load command walk
    x = m(); x.w32(16, 0xffffffff)
    yield "ncmds-too-many", bytes(x.b), d.cmds_end, \
        "starts past the end of the load commands"
    x = m(); x.w32(36, 0)
    yield "cmdsize-zero", bytes(x.b), 32, "has cmdsize 0"
    x = m(); x.w32(36, 12)
    yield "cmdsize-unaligned", bytes(x.b), 32, "must be a multiple of 8"
    last = d.cmds[-1][0]
    x = m(); x.w32(last + 4, 0x1000)
    yield "cmdsize-past-cmds", bytes(x.b), last, \
        "runs past the end of the load commands"
    x = m(); x.w32(seg + 64, 1000)
    yield "segment-nsects", bytes(x.b), seg, "does not fit in cmdsize"

    # LC_ID_DYLIB / LC_REEXPORT_DYLIB
    x = m(); x.w32(ida + 8, 48)
    yield "id-name-offset-past-cmd", bytes(x.b), ida, \
        "LC_ID_DYLIB name offset 48 is outside the command"
    x = m(); x.w32(ida + 8, 8)
    yield "id-name-offset-in-header", bytes(x.b), ida, \
        "LC_ID_DYLIB name offset 8 is outside the command"
    x = m()
    for o in range(ida + 24, ida + 48):
        x.b[o] = 0x41
    yield "id-name-unterminated", bytes(x.b), ida + 24, "not NUL-terminated"
    x = m(); x.b[ida + 24] = 0
    yield "id-name-empty", bytes(x.b), ida + 24, "LC_ID_DYLIB name is empty"
    x = m(); x.w32(ida + 4, 16)
    yield "id-cmdsize-small", bytes(x.b), ida, \
        "LC_ID_DYLIB cmdsize 16 is too small"
    x = m(); x.w32(ida, 0x7fff)
    yield "id-missing", bytes(x.b), 16, "no LC_ID_DYLIB"
    x = m(); x.w32(load, LC_ID_DYLIB)
    yield "id-twice", bytes(x.b), load, "a second LC_ID_DYLIB"
    x = m(); x.w32(load, LC_REEXPORT_DYLIB); x.w32(load + 8, 0x1000)
    yield "reexport-name-offset", bytes(x.b), load, \
        "LC_REEXPORT_DYLIB name offset 4096 is outside the command"

    # LC_RPATH (read to find re-exported libraries by @rpath): the load
    # command turned into one, its path at offset 24
    x = m(); x.w32(load, LC_RPATH)
    yield "ok-rpath", bytes(x.b), None, "ok"
    x = m(); x.w32(load, LC_RPATH); x.w32(load + 8, 0x1000)
    yield "rpath-offset-past-cmd", bytes(x.b), load, \
        "LC_RPATH name offset 4096 is outside the command (12.."
    x = m(); x.w32(load, LC_RPATH); x.w32(load + 8, 8)
    yield "rpath-offset-in-header", bytes(x.b), load, \
        "LC_RPATH name offset 8 is outside the command (12.."
    x = m(); x.w32(load, LC_RPATH); x.w32(load + 4, 8)
    yield "rpath-cmdsize-small", bytes(x.b), load, \
        "LC_RPATH cmdsize 8 is too small (need 12)"
    x = m(); x.w32(load, LC_RPATH)
    for o in range(load + 24, load + x.u32(load + 4)):
        x.b[o] = 0x41
    yield "rpath-unterminated", bytes(x.b), load + 24, \
        "LC_RPATH name is not NUL-terminated"

    # LC_SYMTAB
    x = m(); x.w32(st + 4, 32)
    yield "symtab-cmdsize", bytes(x.b), st, "LC_SYMTAB cmdsize 32 is not 24"
    x = m(); x.w32(st + 8, size)
    yield "symtab-symoff-past-end", bytes(x.b), st, \
        "symbol table (offset 0x%x" % size
    x = m(); x.w32(st + 12, 0x10000000)
    yield "symtab-nsyms-huge", bytes(x.b), st, "symbol table"
    x = m(); x.w32(st + 20, size)
    yield "strtab-past-end", bytes(x.b), st, "string table"
    e = d.first_external()
    x = m(); x.drop_trie(); x.w32(e, d.strsize)
    yield "symtab-strx-out-of-range", bytes(x.b), e, \
        "n_strx %d is outside the string table" % d.strsize
    strx = d.u32(e)
    x = m(); x.drop_trie(); x.w32(st + 20, strx + 2)
    yield "symtab-name-unterminated", bytes(x.b), e, \
        "name is not NUL-terminated inside the string table"

    # LC_DYLD_INFO_ONLY and the trie
    x = m(); x.w32(di + 4, 40)
    yield "dyldinfo-cmdsize", bytes(x.b), di, "LC_DYLD_INFO cmdsize 40 is not 48"
    x = m(); x.w32(di + 40, size - 8)
    yield "trie-off-past-end", bytes(x.b), di, "export trie (offset"
    x = m(); x.w32(di + 44, size)
    yield "trie-size-past-end", bytes(x.b), di, "export trie (offset"
    node, entry, uleb = path[0]
    x = m(); x.b[t + uleb] = 0x7f
    yield "trie-child-offset", bytes(x.b), t + entry, \
        "export trie child offset 0x7f is outside the trie"
    node, entry, uleb = path[-1]
    x = m(); x.b[t + uleb] = 0
    yield "trie-loop", bytes(x.b), t + entry, \
        "export trie node at 0x0 is reached twice"
    # the second child of the node below the root, pointed at the first
    # terminal node (already read in the first child's subtree)
    u = path[1][2] + 1  # the entry after the first one
    lab = d.b.index(0, t + u) - t
    x = m(); x.b[t + lab + 1] = term
    yield "trie-shared-node", bytes(x.b), t + u, \
        "export trie node at 0x%x is reached twice" % term
    x = m(); x.w32(di + 44, uleb)
    yield "trie-uleb-past-end", bytes(x.b), t + uleb, \
        "child offset: malformed uleb128, extends past end"
    x = m(); x.b[t + uleb] = 0x80; x.b[t + uleb + 1] = 0x80
    x.w32(di + 44, uleb + 2)
    yield "trie-uleb-unterminated", bytes(x.b), t + uleb, "malformed uleb128"
    x = m(); x.w32(di + 44, entry + 1)
    yield "trie-label-past-end", bytes(x.b), t + entry, \
        "edge label runs past the end of the trie"
    x = m(); x.b[t + term] = 0x7f
    yield "trie-terminal-size", bytes(x.b), t + term, \
        "terminal size 127 runs past the end of the trie"
    x = m(); x.b[t + term] = 1
    yield "trie-terminal-short", bytes(x.b), t + term + 2, \
        "address: malformed uleb128, extends past end (of the terminal info)"
    x = m(); x.b[t + term + 1] = 0x07
    yield "trie-kind-3", bytes(x.b), t + term, "unknown export kind 3"
    x = m(); x.b[t] = 2; x.b[t + 1] = 0; x.b[t + 2] = 0
    yield "trie-root-terminal", bytes(x.b), t, "empty exported symbol name"

    # fat files
    yield "ok-fat", fat([(ARM64, 0, seed), (X86_64, 3, seed)]), None, "ok"
    yield "ok-fat64", fat([(X86_64, 3, seed)], wide=True), None, "ok"
    yield "fat-trunc", fat([(X86_64, 3, seed)])[:6], 0, \
        "too small for a fat header"
    f = bytearray(fat([(X86_64, 3, seed)])); f[7] = 0
    yield "fat-no-archs", bytes(f), 4, "fat file has no architectures"
    f = bytearray(fat([(X86_64, 3, seed)])); struct.pack_into(">I", f, 4, 1000)
    yield "fat-table-past-end", bytes(f[:0x1000]), 4, \
        "fat_arch table (1000 entries of 20 bytes) runs past the end"

    def setf(i, k, v):
        def fix(es):
            es[i][k] = v
        return fix
    yield "fat-slice-offset", fat([(ARM64, 0, seed), (X86_64, 3, seed)],
                                  fix=setf(1, 2, 0x100000)), 28, \
        "fat slice for x86_64 (offset 0x100000"
    yield "fat-slice-size", fat([(X86_64, 3, seed)], fix=setf(0, 3, 0x100000)), \
        8, "runs past the end of the file"
    yield "fat64-slice-offset", fat([(X86_64, 3, seed)], wide=True,
                                    fix=setf(0, 2, 1 << 62)), 8, \
        "fat slice for x86_64 (offset 0x4000000000000000"
    yield "fat-slice-overlaps-header", fat([(X86_64, 3, seed)],
                                           fix=setf(0, 2, 0)), 8, \
        "overlaps the fat header"
    yield "fat-no-arch", fat([(ARM64, 0, seed)]), 0, \
        "fat file has no x86_64 slice (it has arm64)"
    yield "fat-x86_64h-only", fat([(X86_64, 8, seed), (7, 3, seed)]), 0, \
        "fat file has no x86_64 slice (it has x86_64h, i386)"
    x = m(); x.w32(36, 12)
    yield "fat-slice-bad-cmdsize", fat([(X86_64, 3, bytes(x.b))]), 0x1000 + 32, \
        "must be a multiple of 8"
    x = m(); x.w32(12, 1)
    yield "fat-slice-object", fat([(X86_64, 3, bytes(x.b))]), 0x1000 + 12, \
        "an object in a fat file is not supported"


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
        with open(os.path.join(here, "libseed-x86_64.dylib.in"), "rb") as f:
            seed = f.read()
        for name, _, _, _ in cases(seed):
            print(name)
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    seeddir, outdir = argv[1], argv[2]
    with open(os.path.join(seeddir, "libseed-x86_64.dylib.in"), "rb") as f:
        seed = f.read()
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "manifest-dylib.json"), "w") as man:
        for name, data, off, expect in cases(seed):
            path = os.path.join(outdir, "dylib-%s.dylib" % name)
            with open(path, "wb") as f:
                f.write(data)
            man.write(json.dumps(dict(name=name, file=path, offset=off,
                                      expect=expect)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
