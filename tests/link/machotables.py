"""machotables - read a linked x86_64/arm64 Mach-O executable for the
tests in tests/link: its segments, sections and nlist symbols (parsed here
with struct), and the rebase, bind, lazy-bind, weak-bind and export tables
exactly as llvm-objdump 19 prints them. Leaves out: fat files, 32-bit
files, chained fixups (the tables are read through llvm-objdump's
opcode-based options only).
"""
import os
import re
import struct
import subprocess

LLVM_BIN = os.environ.get("LLVM_BIN", "/usr/lib/llvm-19/bin")
OBJDUMP = os.path.join(LLVM_BIN, "llvm-objdump")
NM = os.path.join(LLVM_BIN, "llvm-nm")
TABLES = {  # dump kind -> llvm-objdump option
    "rebase": "--rebase",
    "bind": "--bind",
    "lazy_bind": "--lazy-bind",
    "weak_bind": "--weak-bind",
    "exports": "--exports-trie",
    "fixups": "--dyld-info",
    "chained_fixups": "--chained-fixups",
}
# section types whose entries are pointer slots filled for one symbol
POINTER_SECTION_TYPES = {0x6, 0x7, 0x14}
S_CSTRING_LITERALS = 0x2


class MachOError(Exception):
    pass


def objdump_table(path, kind):
    """llvm-objdump's text for one table, without its first two lines."""
    opt = TABLES[kind]
    p = subprocess.run([OBJDUMP, "--macho", opt, path], capture_output=True)
    if p.returncode != 0 or p.stderr:
        raise MachOError(f"llvm-objdump {opt} '{path}': "
                         + p.stderr.decode(errors="replace"))
    return b"".join(p.stdout.splitlines(True)[2:])


def nm_m(path):
    p = subprocess.run([NM, "-m", path], capture_output=True)
    if p.returncode != 0 or p.stderr:
        raise MachOError(f"llvm-nm -m '{path}': "
                         + p.stderr.decode(errors="replace"))
    return p.stdout


class Image:
    """Segments, sections and symbols of one executable."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if len(d) < 32:
            raise MachOError(f"'{path}' is too small")
        magic, _, _, _, ncmds, _, _ = struct.unpack_from("<7I", d)
        if magic != 0xfeedfacf:
            raise MachOError(f"'{path}' is not a 64-bit Mach-O")
        self.segments = []   # (name, vmaddr, vmsize)
        self.sections = []   # dicts: seg, sect, addr, size, offset, type
        self.symbols = []    # (name, type, sect, value)
        off = 32
        for _ in range(ncmds):
            cmd, size = struct.unpack_from("<2I", d, off)
            if cmd == 0x19:
                name = d[off + 8:off + 24].rstrip(b"\0").decode()
                vmaddr, vmsize = struct.unpack_from("<2Q", d, off + 24)
                nsects = struct.unpack_from("<I", d, off + 64)[0]
                self.segments.append((name, vmaddr, vmsize))
                for i in range(nsects):
                    s = off + 72 + 80 * i
                    sect = d[s:s + 16].rstrip(b"\0").decode()
                    seg = d[s + 16:s + 32].rstrip(b"\0").decode()
                    addr, ssize = struct.unpack_from("<2Q", d, s + 32)
                    offset = struct.unpack_from("<I", d, s + 48)[0]
                    flags = struct.unpack_from("<I", d, s + 64)[0]
                    self.sections.append(dict(
                        seg=seg, sect=sect, addr=addr, size=ssize,
                        offset=offset, type=flags & 0xff))
            elif cmd == 0x2:
                symoff, nsyms, stroff, strsize = struct.unpack_from(
                    "<4I", d, off + 8)
                for i in range(nsyms):
                    e = symoff + 16 * i
                    strx, ntype, nsect, _ = struct.unpack_from("<IBBH", d, e)
                    value = struct.unpack_from("<Q", d, e + 8)[0]
                    end = d.index(b"\0", stroff + strx)
                    name = d[stroff + strx:end].decode(errors="replace")
                    self.symbols.append((name, ntype, nsect, value))
            off += size

    def section_of(self, addr):
        for s in self.sections:
            if s["addr"] <= addr < s["addr"] + s["size"]:
                return s
        return None

    def segment_of(self, addr):
        for name, vmaddr, vmsize in self.segments:
            if vmaddr <= addr < vmaddr + vmsize:
                return name
        return None

    def read_u64(self, addr):
        s = self.section_of(addr)
        if s is None or s["offset"] == 0:
            return None
        at = s["offset"] + addr - s["addr"]
        return struct.unpack_from("<Q", self.data, at)[0]

    def read_cstring(self, addr):
        s = self.section_of(addr)
        at = s["offset"] + addr - s["addr"]
        end = self.data.find(b"\0", at)
        return self.data[at:end].decode("utf-8", "backslashreplace")

    def defined(self):
        """(name, value, section index) of every defined non-stab symbol."""
        return [(n, v, s) for n, t, s, v in self.symbols
                if not t & 0xe0 and t & 0x0e == 0x0e and s > 0]


def parse_rebase(text):
    rows = []
    for line in text.decode().splitlines()[2:]:
        seg, sect, addr, typ = line.split()
        rows.append(dict(seg=seg, sect=sect, addr=int(addr, 16), type=typ))
    return rows


def parse_bind(text):
    rows = []
    for line in text.decode().splitlines()[2:]:
        weak = line.endswith(" (weak_import)")
        if weak:
            line = line[:-len(" (weak_import)")]
        seg, sect, addr, typ, addend, dylib, sym = line.split(None, 6)
        rows.append(dict(seg=seg, sect=sect, addr=int(addr, 16), type=typ,
                         addend=int(addend), dylib=dylib, symbol=sym,
                         weak_import=weak))
    return rows


def parse_dyld_info(text):
    """The fixups llvm-objdump --dyld-info lists (chained fixups only):
    bind rows name the dylib and symbol, rebase rows the target address."""
    rows = []
    for line in text.decode().splitlines()[1:]:
        f = line.split()
        if len(f) >= 8 and f[4] == "bind":
            rows.append(dict(seg=f[0], sect=f[1], addr=int(f[2], 16), kind="bind",
                             addend=int(f[5], 16), dylib=f[6],
                             symbol=" ".join(f[7:])))
        elif len(f) == 6 and f[4] == "rebase":
            rows.append(dict(seg=f[0], sect=f[1], addr=int(f[2], 16),
                             kind="rebase", target=int(f[5], 16)))
        else:
            raise MachOError(f"unexpected --dyld-info line: {line!r}")
    return rows


def parse_chained_imports(text):
    """(symbol, weak_import, lib_ordinal text) of each chained import."""
    rows, cur = [], None
    for line in text.decode().splitlines():
        line = line.strip()
        if line.startswith("dyld chained import["):
            cur = {}
            rows.append(cur)
        elif cur is not None and " = " in line:
            k, v = line.split(" = ", 1)
            cur[k] = v
    return [(r["name_offset"].split("(", 1)[1].rstrip(")"), r["weak_import"],
             r["lib_ordinal"].split(" ", 1)[-1]) for r in rows]


def parse_lazy_bind(text):
    rows = []
    for line in text.decode().splitlines()[2:]:
        seg, sect, addr, dylib, sym = line.split(None, 4)
        rows.append(dict(seg=seg, sect=sect, addr=int(addr, 16), dylib=dylib,
                         symbol=sym))
    return rows


def parse_weak_bind(text):
    rows = []
    for line in text.decode().splitlines()[2:]:
        if line.startswith(" " * 40 + "strong"):
            rows.append(dict(strong=True, symbol=line[60:]))
            continue
        seg, sect, addr, typ, addend, sym = line.split(None, 5)
        rows.append(dict(strong=False, seg=seg, sect=sect,
                         addr=int(addr, 16), type=typ, addend=int(addend),
                         symbol=sym))
    return rows


EXPORT_RE = re.compile(r"^(?:0x([0-9A-F]+)  |\[re-export\] )(.*?)"
                       r"(?: \[([^\]]*)\])?(?: \(.*from .*\))?$")


def parse_exports(text):
    rows = []
    for line in text.decode().splitlines()[1:]:
        m = EXPORT_RE.match(line)
        if not m:
            raise MachOError(f"unexpected export line '{line}'")
        rows.append(dict(addr=int(m.group(1), 16) if m.group(1) else None,
                         name=m.group(2), flags=m.group(3) or ""))
    return rows


def without_uuid(data):
    """The file's bytes with the LC_UUID value zeroed (lld derives it from
    more than the inputs, so two links may differ there only)."""
    d = bytearray(data)
    if len(d) < 32:
        return bytes(d)
    ncmds = struct.unpack_from("<I", d, 16)[0]
    off = 32
    for _ in range(ncmds):
        if off + 8 > len(d):
            break
        cmd, size = struct.unpack_from("<2I", d, off)
        if cmd == 0x1b and off + 24 <= len(d):
            d[off + 8:off + 24] = bytes(16)
        if size < 8:
            break
        off += size
    return bytes(d)
