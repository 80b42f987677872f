#!/usr/bin/env python3
"""gen-malformed.py - writes malformed Mach-O objects, one per check of
linker/input/object.c, by mutating the checked-in seeds (seeds/*.o.in).

Each case names the seed, the mutation, the file offset the error must
report and a substring of the expected problem text ("ok" cases must parse).
Output: OUTDIR/<case>.o and OUTDIR/manifest.json (one JSON object per line:
name, file, offset or null, expect).

Usage: gen-malformed.py SEEDDIR OUTDIR      write everything
       gen-malformed.py --list              print the case names
Leaves out: random fuzzing (tests/fuzz does that).
"""
import json
import os
import struct
import sys

LC_SEGMENT_64, LC_SYMTAB, LC_DYSYMTAB = 0x19, 0x2, 0xb
LC_DATA_IN_CODE, LC_BUILD_VERSION, LC_VERSION_MIN_MACOSX = 0x29, 0x32, 0x24


class Obj:
    """A mutable seed with the offsets of its structures."""

    def __init__(self, data):
        self.b = bytearray(data)
        self.cmds = []  # (offset, cmd, cmdsize)
        off = 32
        for _ in range(self.u32(16)):
            self.cmds.append((off, self.u32(off), self.u32(off + 4)))
            off += self.u32(off + 4)
        self.sects = []  # dicts with hdr offset and fields
        for off, cmd, _ in self.cmds:
            if cmd != LC_SEGMENT_64:
                continue
            self.seg = off
            for j in range(self.u32(off + 64)):
                h = off + 72 + 80 * j
                self.sects.append(dict(
                    hdr=h, name=self.b[h:h + 16].rstrip(b"\0").decode(),
                    seg=self.b[h + 16:h + 32].rstrip(b"\0").decode(),
                    addr=self.u64(h + 32), size=self.u64(h + 40),
                    offset=self.u32(h + 48), reloff=self.u32(h + 56),
                    nreloc=self.u32(h + 60), flags=self.u32(h + 64)))
        st = self.cmd(LC_SYMTAB)
        self.symoff, self.nsyms = self.u32(st + 8), self.u32(st + 12)
        self.stroff, self.strsize = self.u32(st + 16), self.u32(st + 20)

    def u32(self, o):
        return struct.unpack_from("<I", self.b, o)[0]

    def u64(self, o):
        return struct.unpack_from("<Q", self.b, o)[0]

    def w8(self, o, v):
        self.b[o] = v

    def w32(self, o, v):
        struct.pack_into("<I", self.b, o, v & 0xffffffff)

    def w64(self, o, v):
        struct.pack_into("<Q", self.b, o, v)

    def cmd(self, want):
        for off, cmd, _ in self.cmds:
            if cmd == want:
                return off
        raise KeyError(hex(want))

    def cmd_index(self, want):
        return [c for _, c, _ in self.cmds].index(want)

    def sect(self, name):
        return next(s for s in self.sects if s["name"] == name)

    def label(self, name):
        s = self.sect(name)
        return "%s,%s" % (s["seg"], s["name"])

    def relocs(self, name):
        """(entry offset, r_address, symbolnum, pcrel, length, extern, type)"""
        s = self.sect(name)
        out = []
        for j in range(s["nreloc"]):
            e = s["reloff"] + 8 * j
            w0, w1 = self.u32(e), self.u32(e + 4)
            out.append((e, w0, w1 & 0xffffff, (w1 >> 24) & 1,
                        (w1 >> 25) & 3, (w1 >> 27) & 1, w1 >> 28))
        return out

    def set_reloc(self, e, addr=None, sym=None, pcrel=None, length=None,
                  ext=None, rtype=None):
        w0, w1 = self.u32(e), self.u32(e + 4)
        f = [w1 & 0xffffff, (w1 >> 24) & 1, (w1 >> 25) & 3, (w1 >> 27) & 1,
             w1 >> 28]
        for k, v in enumerate((sym, pcrel, length, ext, rtype)):
            if v is not None:
                f[k] = v
        self.w32(e, w0 if addr is None else addr)
        self.w32(e + 4, f[0] | f[1] << 24 | f[2] << 25 | f[3] << 27 |
                 f[4] << 28)

    def sym(self, i):
        return self.symoff + 16 * i

    def first_sym(self, pred):
        for i in range(self.nsyms):
            e = self.sym(i)
            if pred(self.b[e + 4], self.b[e + 5]):
                return i
        raise KeyError("no such symbol")


def defined(t, s):
    return not t & 0xe0 and t & 0x0e == 0x0e


CASES = []


def case(seed, expect):
    def reg(fn):
        CASES.append((fn.__name__.replace("_", "-"), seed, expect, fn))
        return fn
    return reg


X, XR, XT = "x86_64-basic-O0", "x86_64-relocs", "x86_64-tls-O2"
A, AR = "arm64-basic-O2", "arm64-relocs"
AA, AJ, AT = "arm64-allrelocs", "arm64-jumptable-O0-g", "arm64-tls-O2"

# arm64 relocation types (mach-o/arm64/reloc.h)
(A_UNSIGNED, A_SUBTRACTOR, A_BRANCH26, A_PAGE21, A_PAGEOFF12, A_GOT_PAGE21,
 A_GOT_PAGEOFF12, A_POINTER_TO_GOT, A_TLVP_PAGE21, A_TLVP_PAGEOFF12,
 A_ADDEND, A_AUTH) = range(12)


# --- header ---------------------------------------------------------------
@case(X, "too small to contain a magic number")
def trunc_magic(o):
    del o.b[3:]
    return 0


@case(X, "too small for a mach_header_64")
def trunc_header(o):
    del o.b[20:]
    return 0


@case(X, "32-bit Mach-O")
def magic_32bit(o):
    o.w32(0, 0xfeedface)
    return 0


@case(X, "byte-swapped (big-endian)")
def magic_swapped(o):
    o.b[0:4] = b"\xfe\xed\xfa\xcf"
    return 0


@case(X, "fat/universal")
def magic_fat(o):
    o.b[0:8] = b"\xca\xfe\xba\xbe\x00\x00\x00\x01"
    return 0


@case(X, "static archive ('!<arch>')")
def magic_archive(o):
    o.b[0:8] = b"!<arch>\n"
    return 0


@case(X, "unknown magic 0x464c457f")
def magic_elf(o):
    o.b[0:4] = b"\x7fELF"
    return 0


@case(X, "unsupported cputype 0x7")
def cputype_i386(o):
    o.w32(4, 7)
    return 4


@case(X, "x86_64h is not supported")
def cpusubtype_x86_64h(o):
    o.w32(8, 8)
    return 8


@case(A, "arm64e is not supported")
def cpusubtype_arm64e(o):
    o.w32(8, 2)
    return 8


@case(X, "filetype 2 (MH_EXECUTE) is not MH_OBJECT")
def filetype_execute(o):
    o.w32(12, 2)
    return 12


@case(A, "filetype 6 (MH_DYLIB) is not MH_OBJECT")
def filetype_dylib(o):
    o.w32(12, 6)
    return 12


@case(X, "load commands extend past the end of the file")
def sizeofcmds_past_eof(o):
    o.w32(20, len(o.b))
    return 20


# --- load command walk ------------------------------------------------------
@case(X, "load command 4 extends past the end of all load commands (ncmds")
def ncmds_huge(o):
    o.w32(16, 0xffffffff)
    return 32 + o.u32(20)


@case(X, "load command 0 (LC_SEGMENT_64) cmdsize 0 is too small (at least 8)")
def cmdsize_zero(o):
    o.w32(36, 0)
    return 32


@case(X, "cmdsize 4 is too small")
def cmdsize_four(o):
    off = o.cmd(LC_SYMTAB)
    o.w32(off + 4, 4)
    return off


@case(X, "is not a multiple of 8")
def cmdsize_unaligned(o):
    off = o.cmd(LC_BUILD_VERSION)
    o.w32(off + 4, o.u32(off + 4) + 4)
    return off


@case(X, "(LC_DYSYMTAB) cmdsize 88 extends past the end of all load commands")
def cmdsize_past_end(o):
    off, _, size = o.cmds[-1]
    o.w32(off + 4, size + 8)
    return off


@case(X, "(LC_SYMTAB) has incorrect cmdsize 16 (expected 24)")
def symtab_cmdsize(o):
    off = o.cmd(LC_SYMTAB)
    o.w32(off + 4, 16)
    return off


@case(X, "(LC_DYSYMTAB) has incorrect cmdsize 72 (expected 80)")
def dysymtab_cmdsize(o):
    off = o.cmd(LC_DYSYMTAB)
    o.w32(off + 4, 72)
    return off


@case(XR, "(LC_DATA_IN_CODE) has incorrect cmdsize 8 (expected 16)")
def dice_cmdsize(o):
    off = o.cmd(LC_DATA_IN_CODE)
    o.w32(off + 4, 8)
    return off


@case(X, "more than one LC_SYMTAB command")
def duplicate_symtab(o):
    bv, st = o.cmd(LC_BUILD_VERSION), o.cmd(LC_SYMTAB)
    assert o.u32(bv + 4) == 24
    o.b[bv:bv + 24] = o.b[st:st + 24]
    return max(bv, st)


@case(XR, "more than one LC_DATA_IN_CODE command")
def duplicate_dice(o):
    bv, dc = o.cmd(LC_BUILD_VERSION), o.cmd(LC_DATA_IN_CODE)
    o.b[bv:bv + 16] = o.b[dc:dc + 16]
    o.w32(bv + 16, 0x7ffffff0)  # an 8-byte unknown command fills the rest
    o.w32(bv + 20, 8)
    o.w32(16, o.u32(16) + 1)
    return max(bv, dc)


@case(X, "ntools 1 does not match cmdsize 24")
def build_version_ntools(o):
    off = o.cmd(LC_BUILD_VERSION)
    o.w32(off + 20, 1)
    return off


@case(X, "ntools 536870912 does not match")
def build_version_ntools_overflow(o):
    off = o.cmd(LC_BUILD_VERSION)
    o.w32(off + 20, 0x20000000)
    return off


# --- segments and sections ----------------------------------------------------
@case(X, "(LC_SEGMENT_64) inconsistent cmdsize")
def segment_nsects(o):
    o.w32(o.seg + 64, o.u32(o.seg + 64) + 1)
    return o.seg


@case(X, "inconsistent cmdsize")
def segment_nsects_overflow(o):
    o.w32(o.seg + 64, 0x3333334)  # * 80 wraps 32 bits
    return o.seg


@case(X, "extends past the end of the file")
def segment_fileoff_past_eof(o):
    o.w64(o.seg + 40, len(o.b))
    return o.seg


@case(X, "filesize 0x")
def segment_filesize_gt_vmsize(o):
    o.w64(o.seg + 32, o.u64(o.seg + 48) - 1)
    return o.seg


@case(X, "(__TEXT,__text) offset 0xfffffff0 + size")
def section_offset_past_eof(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 48, 0xfffffff0)
    return s["hdr"]


@case(X, "extends past the end of the file")
def section_size_past_eof(o):
    s = o.sect("__text")
    o.w64(s["hdr"] + 40, 0xfffffffffffffff0)
    o.w64(o.seg + 32, 0xffffffffffffffff)  # keep the vm range legal
    return s["hdr"]


@case(X, "overlaps the Mach-O header and load commands")
def section_in_headers(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 48, 0x20)
    return s["hdr"]


@case(X, "lies outside its segment (vmaddr")
def section_outside_segment(o):
    s = o.sect("__text")
    o.w64(s["hdr"] + 32, o.u64(o.seg + 24) + o.u64(o.seg + 32))
    return s["hdr"]


@case(X, "align 2^16 is too large")
def section_align_16(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 52, 16)
    return s["hdr"]


@case(X, "align 2^200 is too large")
def section_align_200(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 52, 200)
    return s["hdr"]


@case(X, "has unknown type 0x17")
def section_type_unknown(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 64, (s["flags"] & ~0xff) | 0x17)
    return s["hdr"]


@case(X, "zerofill section")
def zerofill_with_relocs(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 64, (s["flags"] & ~0xff) | 0x1)
    return s["hdr"]


@case(XT, "ok")
def zerofill_offset_ignored(o):
    s = o.sect("__thread_bss")
    o.w32(s["hdr"] + 48, 0xfffffff0)  # zerofill: no contents to check
    return None


@case(X, "ok")
def names_16_chars(o):
    s = o.sect("__text")
    o.b[s["hdr"]:s["hdr"] + 16] = b"__text_sixteen__"
    return None


@case(X, "relocation entries (reloff 0x")
def reloc_table_past_eof(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 56, len(o.b) - 4)
    return s["hdr"]


@case(X, "nreloc 536870913) extend past the end")
def reloc_nreloc_overflow(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 60, 0x20000001)  # * 8 wraps 32 bits
    return s["hdr"]


# --- overlaps -----------------------------------------------------------------
@case(X, "the string table (0x")
def overlap_symtab_strtab(o):
    st = o.cmd(LC_SYMTAB)
    o.w32(st + 16, o.symoff)
    o.w32(st + 20, min(o.strsize, 16 * o.nsyms))
    return o.symoff


@case(X, "relocations of section __TEXT,__text (0x")
def overlap_relocs_contents(o):
    s = o.sect("__text")
    o.w32(s["hdr"] + 56, s["offset"])
    return s["offset"]


# --- relocations ----------------------------------------------------------------
def reloc_case(o, sect, pick, **kw):
    rs = o.relocs(sect)
    j = next(k for k, r in enumerate(rs) if pick(r))
    o.set_reloc(rs[j][0], **kw)
    return rs[j][0], j


@case(X, "r_scattered bit is set")
def reloc_scattered(o):
    e = o.relocs("__text")[0][0]
    o.w32(e, o.u32(e) | 0x80000000)
    return e


@case(X, "r_address 0x1000 is past the end of the section (size 0x")
def reloc_address_past_end(o):
    return reloc_case(o, "__text", lambda r: True, addr=0x1000)[0]


@case(X, "+ 4 bytes extends past the end of the section")
def reloc_address_straddle(o):
    size = o.sect("__text")["size"]
    return reloc_case(o, "__text", lambda r: r[4] == 2, addr=size - 2)[0]


@case(X, "symbol index 16777215 is past the end of the symbol table")
def reloc_extern_index(o):
    return reloc_case(o, "__text", lambda r: r[5] == 1, sym=0xffffff)[0]


@case(XR, "section ordinal 0 is out of range")
def reloc_section_ordinal_zero(o):
    return reloc_case(o, "__data", lambda r: r[6] == 0 and r[5] == 0,
                      sym=0)[0]


@case(XR, "section ordinal 7 is out of range (1..6)")
def reloc_section_ordinal_big(o):
    return reloc_case(o, "__data", lambda r: r[6] == 0 and r[5] == 0,
                      sym=7)[0]


@case(XR, "unknown x86_64 relocation type 10")
def reloc_type_unknown_x86_64(o):
    return reloc_case(o, "__text", lambda r: True, rtype=10)[0]


@case(AR, "unknown arm64 relocation type 12")
def reloc_type_unknown_arm64(o):
    return reloc_case(o, "__text", lambda r: True, rtype=12)[0]


@case(AR, "only used by arm64e")
def reloc_arm64e_auth(o):
    return reloc_case(o, "__thread_vars", lambda r: r[6] == 0, rtype=11)[0]


@case(XR, "X86_64_RELOC_BRANCH with pcrel 0 and length 2")
def reloc_branch_not_pcrel(o):
    return reloc_case(o, "__text", lambda r: r[6] == 2, pcrel=0)[0]


@case(XR, "X86_64_RELOC_UNSIGNED with pcrel 0 and length 1")
def reloc_unsigned_len1(o):
    return reloc_case(o, "__data", lambda r: r[6] == 0, length=1)[0]


@case(XR, "X86_64_RELOC_GOT_LOAD must be extern")
def reloc_got_load_not_extern(o):
    return reloc_case(o, "__text", lambda r: r[6] == 3, ext=0)[0]


@case(AR, "ARM64_RELOC_PAGEOFF12 with pcrel 1")
def reloc_pageoff12_pcrel(o):
    return reloc_case(o, "__text", lambda r: r[6] == 4, pcrel=1)[0]


@case(AR, "ARM64_RELOC_POINTER_TO_GOT with pcrel 0 and length 2")
def reloc_pointer_to_got_len(o):
    return reloc_case(o, "__data", lambda r: r[6] == 7, pcrel=0)[0]


@case(XR, "must be followed by an UNSIGNED relocation, not X86_64_RELOC_SIGNED (type 1)")
def reloc_subtractor_unpaired(o):
    rs = o.relocs("__data")
    j = next(k for k, r in enumerate(rs) if r[6] == 5)
    o.set_reloc(rs[j + 1][0], rtype=1, pcrel=1, length=2)
    return rs[j][0]


@case(XR, "is followed by a relocation at a different r_address")
def reloc_subtractor_other_address(o):
    rs = o.relocs("__data")
    j = next(k for k, r in enumerate(rs) if r[6] == 5)
    o.set_reloc(rs[j + 1][0], addr=rs[j][1] - 8)
    return rs[j][0]


@case(XR, "X86_64_RELOC_SUBTRACTOR is the last relocation")
def reloc_subtractor_last(o):
    s = o.sect("__data")
    rs = o.relocs("__data")
    j = next(k for k, r in enumerate(rs) if r[6] == 5)
    o.w32(s["hdr"] + 60, j + 1)
    return rs[j][0]


@case(AR, "ARM64_RELOC_ADDEND must be followed by a BRANCH26, PAGE21 or PAGEOFF12")
def reloc_addend_unpaired(o):
    rs = o.relocs("__text")
    j = next(k for k, r in enumerate(rs) if r[6] == 10)
    o.set_reloc(rs[j + 1][0], rtype=5)  # GOT_LOAD_PAGE21, also legal alone
    return rs[j][0]


@case(AR, "ARM64_RELOC_ADDEND is the last relocation")
def reloc_addend_last(o):
    s = o.sect("__text")
    rs = o.relocs("__text")
    j = next(k for k, r in enumerate(rs) if r[6] == 10)
    o.w32(s["hdr"] + 60, j + 1)
    return rs[j][0]


# --- arm64 relocations -------------------------------------------------------
# Each case breaks one rule of linker/core/arch_arm64.c's table (or a pair
# rule) on an entry of an arm64 seed; arm64-allrelocs has every legal form.
def typed(t):
    return lambda r: r[6] == t


def lone_case(o, sect, t, **kw):
    """Mutates the first `t`-typed entry that is not the second half of an
    ADDEND pair (so the error is its own, not the pair's)."""
    rs = o.relocs(sect)
    j = next(k for k, r in enumerate(rs)
             if r[6] == t and (k == 0 or rs[k - 1][6] != A_ADDEND))
    o.set_reloc(rs[j][0], **kw)
    return rs[j][0]


def pair_case(o, sect, first, **kw):
    """Mutates the entry after the first `first`-typed one; reports the
    first (the pair rule is checked there)."""
    rs = o.relocs(sect)
    j = next(k for k, r in enumerate(rs) if r[6] == first)
    o.set_reloc(rs[j + 1][0], **kw)
    return rs[j][0]


@case(AA, "ARM64_RELOC_ADDEND must be followed by a BRANCH26, PAGE21 or "
      "PAGEOFF12 relocation, not ARM64_RELOC_UNSIGNED (type 0)")
def reloc_arm64_addend_then_unsigned(o):
    return pair_case(o, "__text", A_ADDEND, rtype=A_UNSIGNED, pcrel=0,
                     length=3)


@case(AA, "ARM64_RELOC_ADDEND must be followed by a BRANCH26, PAGE21 or "
      "PAGEOFF12 relocation, not ARM64_RELOC_ADDEND (type 10)")
def reloc_arm64_addend_then_addend(o):
    return pair_case(o, "__text", A_ADDEND, rtype=A_ADDEND, pcrel=0, ext=0)


@case(AA, "not ARM64_RELOC_TLVP_LOAD_PAGE21 (type 8)")
def reloc_arm64_addend_then_tlvp(o):
    return pair_case(o, "__text", A_ADDEND, rtype=A_TLVP_PAGE21)


@case(AA, "ARM64_RELOC_ADDEND must be followed by a BRANCH26, PAGE21 or "
      "PAGEOFF12 relocation, not unknown type 13")
def reloc_arm64_addend_then_unknown(o):
    return pair_case(o, "__text", A_ADDEND, rtype=13)


@case(AA, "ARM64_RELOC_ADDEND at r_address 0x1c is followed by a relocation "
      "at a different r_address 0x20")
def reloc_arm64_addend_other_address(o):
    return pair_case(o, "__text", A_ADDEND, addr=0x20)


@case(AA, "ARM64_RELOC_ADDEND must not be extern (its r_symbolnum is the "
      "addend")
def reloc_arm64_addend_extern(o):
    return reloc_case(o, "__text", typed(A_ADDEND), ext=1)[0]


@case(AA, "ARM64_RELOC_ADDEND with pcrel 1 and length 2 (4 bytes) is not "
      "legal (it takes pcrel 0 and length 2)")
def reloc_arm64_addend_pcrel(o):
    return reloc_case(o, "__text", typed(A_ADDEND), pcrel=1)[0]


@case(AA, "ARM64_RELOC_ADDEND with pcrel 0 and length 3 (8 bytes) is not "
      "legal")
def reloc_arm64_addend_length3(o):
    return reloc_case(o, "__text", typed(A_ADDEND), length=3)[0]


@case(AR, "ok")
def reloc_arm64_addend_big_ok(o):
    # r_symbolnum is the addend, not an index: past nsyms and nsects is fine
    reloc_case(o, "__text", typed(A_ADDEND), sym=0x7fffff)
    return None


@case(AR, "ok")
def reloc_arm64_addend_negative_ok(o):
    reloc_case(o, "__text", typed(A_ADDEND), sym=0xfffffc)  # -4, 24 bits
    return None


@case(AR, "unknown arm64 relocation type 15 (the second word 0xfffffffc "
      "looks like an ARM64_RELOC_ADDEND of -4 that was not masked to 24 bits")
def reloc_arm64_addend_negative_unmasked(o):
    # what llvm-mc 19 writes for `bl _f-4`
    e = o.relocs("__text")[next(k for k, r in enumerate(o.relocs("__text"))
                                if r[6] == A_ADDEND)][0]
    o.w32(e + 4, 0xfffffffc)
    return e


@case(AA, "ARM64_RELOC_SUBTRACTOR is the last relocation; it must be "
      "followed by an UNSIGNED relocation")
def reloc_arm64_subtractor_last(o):
    s = o.sect("__data")
    rs = o.relocs("__data")
    j = next(k for k, r in enumerate(rs) if r[6] == A_SUBTRACTOR)
    o.w32(s["hdr"] + 60, j + 1)
    return rs[j][0]


@case(AA, "ARM64_RELOC_SUBTRACTOR must be followed by an UNSIGNED "
      "relocation, not ARM64_RELOC_BRANCH26 (type 2)")
def reloc_arm64_subtractor_then_branch26(o):
    return pair_case(o, "__data", A_SUBTRACTOR, rtype=A_BRANCH26, pcrel=1,
                     length=2)


@case(AA, "not ARM64_RELOC_SUBTRACTOR (type 1)")
def reloc_arm64_subtractor_then_subtractor(o):
    return pair_case(o, "__data", A_SUBTRACTOR, rtype=A_SUBTRACTOR)


@case(AA, "not ARM64_RELOC_POINTER_TO_GOT (type 7)")
def reloc_arm64_subtractor_then_pointer_to_got(o):
    return pair_case(o, "__data", A_SUBTRACTOR, rtype=A_POINTER_TO_GOT)


@case(AA, "ARM64_RELOC_SUBTRACTOR at r_address 0x10 is followed by a "
      "relocation at a different r_address 0x8")
def reloc_arm64_subtractor_other_address(o):
    return pair_case(o, "__data", A_SUBTRACTOR, addr=0x8)


@case(AA, "ARM64_RELOC_SUBTRACTOR of length 2 (4 bytes) is followed by "
      "ARM64_RELOC_UNSIGNED of length 3 (8 bytes); the two entries of a "
      "pair must have the same length")
def reloc_arm64_subtractor_length_mismatch(o):
    return pair_case(o, "__data", A_SUBTRACTOR, length=3)


@case(AA, "ARM64_RELOC_SUBTRACTOR with pcrel 1 and length 2 (4 bytes) is "
      "not legal (it takes pcrel 0 and length 2 or 3)")
def reloc_arm64_subtractor_pcrel(o):
    return reloc_case(o, "__data", typed(A_SUBTRACTOR), pcrel=1)[0]


@case(AA, "ARM64_RELOC_BRANCH26 with pcrel 0 and length 2 (4 bytes) is not "
      "legal (it takes pcrel 1 and length 2)")
def reloc_arm64_branch26_not_pcrel(o):
    return reloc_case(o, "__text", typed(A_BRANCH26), pcrel=0)[0]


@case(A, "ARM64_RELOC_BRANCH26 with pcrel 1 and length 3 (8 bytes)")
def reloc_arm64_branch26_length3(o):
    return reloc_case(o, "__text", typed(A_BRANCH26), length=3)[0]


@case(AA, "ARM64_RELOC_PAGE21 with pcrel 1 and length 3 (8 bytes) is not "
      "legal (it takes pcrel 1 and length 2)")
def reloc_arm64_page21_length3(o):
    return reloc_case(o, "__text", typed(A_PAGE21), length=3)[0]


@case(A, "ARM64_RELOC_PAGE21 with pcrel 0 and length 2 (4 bytes)")
def reloc_arm64_page21_not_pcrel(o):
    return reloc_case(o, "__text", typed(A_PAGE21), pcrel=0)[0]


@case(AA, "ARM64_RELOC_PAGEOFF12 with pcrel 0 and length 3 (8 bytes) is "
      "not legal (it takes pcrel 0 and length 2)")
def reloc_arm64_pageoff12_length3(o):
    return reloc_case(o, "__text", typed(A_PAGEOFF12), length=3)[0]


@case(A, "ARM64_RELOC_GOT_LOAD_PAGE21 with pcrel 0 and length 2 (4 bytes)")
def reloc_arm64_got_load_page21_not_pcrel(o):
    return reloc_case(o, "__text", typed(A_GOT_PAGE21), pcrel=0)[0]


@case(A, "ARM64_RELOC_GOT_LOAD_PAGEOFF12 must be extern (it refers to a "
      "symbol's GOT or TLV slot)")
def reloc_arm64_got_load_pageoff12_not_extern(o):
    return reloc_case(o, "__text", typed(A_GOT_PAGEOFF12), ext=0, sym=1)[0]


@case(AA, "ARM64_RELOC_GOT_LOAD_PAGE21 must be extern")
def reloc_arm64_got_load_page21_not_extern(o):
    return reloc_case(o, "__text", typed(A_GOT_PAGE21), ext=0, sym=1)[0]


@case(AT, "ARM64_RELOC_TLVP_LOAD_PAGE21 must be extern")
def reloc_arm64_tlvp_page21_not_extern(o):
    return reloc_case(o, "__text", typed(A_TLVP_PAGE21), ext=0, sym=1)[0]


@case(AT, "ARM64_RELOC_TLVP_LOAD_PAGEOFF12 must be extern")
def reloc_arm64_tlvp_pageoff12_not_extern(o):
    return reloc_case(o, "__text", typed(A_TLVP_PAGEOFF12), ext=0, sym=1)[0]


@case(AT, "ARM64_RELOC_TLVP_LOAD_PAGEOFF12 with pcrel 1 and length 2 (4 "
      "bytes) is not legal (it takes pcrel 0 and length 2)")
def reloc_arm64_tlvp_pageoff12_pcrel(o):
    return reloc_case(o, "__text", typed(A_TLVP_PAGEOFF12), pcrel=1)[0]


@case(AA, "ARM64_RELOC_POINTER_TO_GOT must be extern")
def reloc_arm64_pointer_to_got_not_extern(o):
    return reloc_case(o, "__data", typed(A_POINTER_TO_GOT), ext=0, sym=2)[0]


@case(AA, "ARM64_RELOC_POINTER_TO_GOT with pcrel 1 and length 3 (8 bytes) "
      "is not legal (it takes pcrel 0 and length 3, or pcrel 1 and length 2)")
def reloc_arm64_pointer_to_got_pcrel_len3(o):
    return reloc_case(o, "__data", lambda r: r[6] == A_POINTER_TO_GOT and
                      r[4] == 3, pcrel=1)[0]


@case(AA, "ARM64_RELOC_UNSIGNED with pcrel 0 and length 1 (2 bytes) is not "
      "legal (it takes pcrel 0 and length 2 or 3)")
def reloc_arm64_unsigned_len1(o):
    return reloc_case(o, "__data", typed(A_UNSIGNED), length=1)[0]


@case(AT, "ARM64_RELOC_UNSIGNED with pcrel 1 and length 3 (8 bytes)")
def reloc_arm64_unsigned_pcrel(o):
    return reloc_case(o, "__thread_vars", typed(A_UNSIGNED), pcrel=1)[0]


@case(AR, "unknown arm64 relocation type 13")
def reloc_arm64_type_13(o):
    return lone_case(o, "__text", A_BRANCH26, rtype=13)


@case(AA, "unknown arm64 relocation type 14")
def reloc_arm64_type_14(o):
    return reloc_case(o, "__data", typed(A_UNSIGNED), rtype=14)[0]


@case(AA, "unknown arm64 relocation type 15")
def reloc_arm64_type_15(o):
    return lone_case(o, "__text", A_PAGE21, rtype=15)


@case(AA, "ARM64_RELOC_AUTHENTICATED_POINTER is only used by arm64e")
def reloc_arm64e_auth_data(o):
    return reloc_case(o, "__data", lambda r: r[6] == A_UNSIGNED and
                      r[4] == 3, rtype=A_AUTH)[0]


@case(AA, "symbol index 13 is past the end of the symbol table (nsyms 13)")
def reloc_arm64_extern_index(o):
    assert o.nsyms == 13
    return reloc_case(o, "__text", typed(A_BRANCH26), sym=13)[0]


@case(AT, "symbol index 16777215 is past the end of the symbol table")
def reloc_arm64_tlvp_index(o):
    return reloc_case(o, "__text", typed(A_TLVP_PAGE21), sym=0xffffff)[0]


@case(AA, "section ordinal 0 is out of range (1..5)")
def reloc_arm64_section_ordinal_zero(o):
    return reloc_case(o, "__compact_unwind", lambda r: r[5] == 0, sym=0)[0]


@case(AJ, "section ordinal 12 is out of range (1..11)")
def reloc_arm64_section_ordinal_big(o):
    return reloc_case(o, "__debug_info", lambda r: r[5] == 0, sym=12)[0]


@case(AA, "section ordinal 6 is out of range (1..5)")
def reloc_arm64_page21_local_ordinal_big(o):
    return reloc_case(o, "__text", typed(A_PAGE21), ext=0, sym=6)[0]


@case(AA, "ok")
def reloc_arm64_local_ok(o):
    # section-relative BRANCH26, PAGE21 and PAGEOFF12 (with ADDENDs) parse
    for r in o.relocs("__text"):
        if r[6] in (A_BRANCH26, A_PAGE21, A_PAGEOFF12):
            o.set_reloc(r[0], ext=0, sym=2 if r[6] != A_BRANCH26 else 1)
    return None


@case(AA, "r_address 0x1000 is past the end of the section (size 0x34)")
def reloc_arm64_address_past_end(o):
    return lone_case(o, "__text", A_BRANCH26, addr=0x1000)


@case(AA, "r_address 0x3c + 8 bytes extends past the end of the section "
      "(size 0x40)")
def reloc_arm64_address_straddle(o):
    return reloc_case(o, "__data", lambda r: r[6] == A_UNSIGNED and
                      r[4] == 3, addr=0x3c)[0]


@case(AA, "r_address 0x34 is past the end of the section (size 0x34)")
def reloc_arm64_addend_address_past_end(o):
    # the ADDEND's own r_address is checked before its pair
    rs = o.relocs("__text")
    j = next(k for k, r in enumerate(rs) if r[6] == A_ADDEND)
    o.set_reloc(rs[j][0], addr=0x34)
    o.set_reloc(rs[j + 1][0], addr=0x34)
    return rs[j][0]


@case(AA, "r_scattered bit is set (scattered relocations are not used on "
      "64-bit arches)")
def reloc_arm64_scattered(o):
    e = reloc_case(o, "__text", typed(A_ADDEND))[0]
    o.w32(e, o.u32(e) | 0x80000000)
    return e


# x86_64 entries read as arm64 (and the reverse): the type numbers overlap,
# so the entry is checked against the other architecture's row
@case(AR, "ARM64_RELOC_GOT_LOAD_PAGEOFF12 with pcrel 1 and length 2 (4 "
      "bytes) is not legal (it takes pcrel 0 and length 2)")
def reloc_arm64_x86_signed_1(o):
    # X86_64_RELOC_SIGNED_1 (6, pcrel 1, length 2) in an arm64 object
    return lone_case(o, "__text", A_BRANCH26, rtype=6, pcrel=1,
                     length=2)


@case(AR, "ARM64_RELOC_SUBTRACTOR with pcrel 1 and length 2 (4 bytes)")
def reloc_arm64_x86_signed(o):
    # X86_64_RELOC_SIGNED (1, pcrel 1, length 2) in an arm64 object
    return lone_case(o, "__text", A_BRANCH26, rtype=1, pcrel=1,
                     length=2)


@case(XR, "ARM64_RELOC_PAGEOFF12 with pcrel 1 and length 2 (4 bytes) is not "
      "legal (it takes pcrel 0 and length 2)")
def cputype_x86_64_object_as_arm64(o):
    # its first entry, an X86_64_RELOC_GOT (4, pcrel 1), is read as arm64
    o.w32(4, 0x0100000c)
    o.w32(8, 0)
    return o.relocs("__text")[0][0]


@case(AR, "X86_64_RELOC_TLV with pcrel 0 and length 2 (4 bytes) is not legal "
      "(it takes pcrel 1 and length 2)")
def cputype_arm64_object_as_x86_64(o):
    o.w32(4, 0x01000007)
    o.w32(8, 3)
    return o.relocs("__text")[0][0]


# --- arm64 header ------------------------------------------------------------
@case(AA, "arm64 cpusubtype 0x3 is not supported")
def cpusubtype_arm64_unknown(o):
    o.w32(8, 3)
    return 8


@case(AA, "cpusubtype arm64e is not supported")
def cpusubtype_arm64e_ptrauth_abi(o):
    o.w32(8, 0x80000002)  # arm64e with the versioned ptrauth ABI bit
    return 8


@case(AA, "ok")
def cpusubtype_arm64_v8(o):
    o.w32(8, 1)
    return None


@case(AA, "unsupported cputype 0x200000c (only x86_64 and arm64)")
def cputype_arm64_32(o):
    o.w32(4, 0x0200000c)
    return 4


# --- symbols ------------------------------------------------------------------
@case(X, "symbol table (offset 0x")
def symtab_past_eof(o):
    st = o.cmd(LC_SYMTAB)
    o.w32(st + 8, len(o.b) - 8)
    return st


@case(X, "symbol table (offset 0x")
def symtab_nsyms_overflow(o):
    st = o.cmd(LC_SYMTAB)
    o.w32(st + 12, 0x10000001)  # * 16 wraps 32 bits
    return st


@case(X, "string table (offset 0x")
def strtab_past_eof(o):
    st = o.cmd(LC_SYMTAB)
    o.w32(st + 20, o.strsize + 0x1000)
    return st


@case(X, "is past the end of the string table")
def symbol_strx_past_end(o):
    o.w32(o.sym(0), o.strsize)
    return o.sym(0)


@case(X, "is not NUL-terminated inside the string table")
def symbol_name_unterminated(o):
    o.b[o.stroff + o.strsize - 1] = ord("x")
    o.w32(o.sym(0), o.strsize - 1)
    return o.sym(0)


@case(X, "n_sect 0 is not a valid section index")
def symbol_sect_zero(o):
    i = o.first_sym(defined)
    o.w8(o.sym(i) + 5, 0)
    return o.sym(i)


@case(X, "n_sect 8 is not a valid section index (1..7)")
def symbol_sect_big(o):
    i = o.first_sym(defined)
    o.w8(o.sym(i) + 5, 8)
    return o.sym(i)


@case(X, "is outside its section")
def symbol_value_outside(o):
    i = o.first_sym(defined)
    s = o.sects[o.b[o.sym(i) + 5] - 1]
    o.w64(o.sym(i) + 8, s["addr"] + s["size"] + 1)
    return o.sym(i)


@case(X, "is N_INDR (an indirect alias), which is not supported")
def symbol_indr(o):
    i = o.first_sym(defined)
    o.w8(o.sym(i) + 4, 0x0a | 1)
    return o.sym(i)


@case(X, "is N_PBUD (prebound undefined), which is not supported")
def symbol_pbud(o):
    i = o.first_sym(defined)
    o.w8(o.sym(i) + 4, 0x0c | 1)
    return o.sym(i)


@case(X, "has unknown n_type 0x06")
def symbol_type_unknown(o):
    i = o.first_sym(defined)
    o.w8(o.sym(i) + 4, 0x06)
    return o.sym(i)


@case(X, "is undefined but not external")
def symbol_undef_not_ext(o):
    i = o.first_sym(lambda t, s: t == 0x01)
    o.w8(o.sym(i) + 4, 0x00)
    return o.sym(i)


@case(X, "ok")
def symbol_stab_kept(o):
    i = o.first_sym(defined)
    o.w8(o.sym(i) + 4, 0x24)  # N_FUN: a debug entry, never a definition
    o.w64(o.sym(i) + 8, 0xdead0000)
    return None


@case(X, "debug symbol")
def symbol_stab_bad_sect(o):
    i = o.first_sym(defined)
    o.w8(o.sym(i) + 4, 0x24)
    o.w8(o.sym(i) + 5, 200)
    return o.sym(i)


# --- dysymtab, data in code -----------------------------------------------------
@case(X, "LC_DYSYMTAB external defined symbols")
def dysymtab_extdef_range(o):
    dy = o.cmd(LC_DYSYMTAB)
    o.w32(dy + 20, o.nsyms + 1)
    return dy


@case(X, "indirect symbol table (offset 0x")
def dysymtab_indirect_past_eof(o):
    dy = o.cmd(LC_DYSYMTAB)
    o.w32(dy + 56, len(o.b) - 2)
    o.w32(dy + 60, 1)
    return dy


@case(XR, "datasize 12 is not a multiple of 8")
def dice_size_not_multiple(o):
    dc = o.cmd(LC_DATA_IN_CODE)
    o.w32(dc + 12, 12)
    return dc


@case(XR, "(LC_DATA_IN_CODE) data (offset 0x")
def dice_past_eof(o):
    dc = o.cmd(LC_DATA_IN_CODE)
    o.w32(dc + 8, len(o.b) - 4)
    return dc


@case(X, "ok")
def version_min_macosx(o):
    bv = o.cmd(LC_BUILD_VERSION)
    o.w32(bv, LC_VERSION_MIN_MACOSX)
    o.w32(bv + 4, 16)
    o.w32(bv + 8, 0x000a0f00)
    o.w32(bv + 12, 0x000b0000)
    o.w32(bv + 16, 0x7ffffff0)  # an 8-byte unknown command fills the rest
    o.w32(bv + 20, 8)
    o.w32(16, o.u32(16) + 1)
    return None


@case(X, "ok")
def unknown_command_ignored(o):
    bv = o.cmd(LC_BUILD_VERSION)
    o.w32(bv, 0x7fffffee)
    return None


def main(argv):
    if argv[1:] == ["--list"]:
        for name, *_ in CASES:
            print(name)
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    seeddir, outdir = argv[1], argv[2]
    os.makedirs(outdir, exist_ok=True)
    lines = []
    for name, seed, expect, fn in CASES:
        with open(os.path.join(seeddir, seed + ".o.in"), "rb") as f:
            o = Obj(f.read())
        off = fn(o)
        path = os.path.join(outdir, name + ".o")
        with open(path, "wb") as f:
            f.write(o.b)
        lines.append(json.dumps(dict(name=name, file=os.path.abspath(path),
                                     offset=off,
                                     expect=expect)))
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
