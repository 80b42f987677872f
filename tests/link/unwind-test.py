#!/usr/bin/env python3
"""unwind-test.py - linkfs-ld's __TEXT,__unwind_info must say what ld64.lld's says.

usage: unwind-test.py --linkfs-ld LD [--tbd TBD] [--arch x86_64|arm64]

Compiles a few C files (a frame-pointer function with a large frame, leaves,
static and extern functions, frameless functions with small and huge stacks
(STACK_IMMD and STACK_IND), one object at -O0), links them with ld64.lld and
with linkfs-ld, decodes both sections with `llvm-objdump --macho
--unwind-info` and compares, per function symbol (names from `llvm-nm`,
since addresses differ between the linkers), the encoding the unwinder
would find: the one of the last entry at or before the function, or none
past the index's sentinel. Comparing per function rather than entry by entry
makes the check independent of how adjacent entries were folded.

Known difference, normalized away: lld keeps __eh_frame and writes
DWARF-mode encodings (x86_64 0x04000000, arm64 0x03000000); linkfs drops
__eh_frame and writes 0 for those functions (docs/architecture.md, "Unwind
info"). On arm64 the same sources give the arm64 modes (frame, frameless,
DWARF).

Exit 0 pass, 1 fail, 77 skip (a tool or linkfs-ld missing).
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LLVM_BIN = os.environ.get("LLVM_BIN", "/usr/lib/llvm-19/bin")
CLANG = os.path.join(LLVM_BIN, "clang")
LLD = os.path.join(LLVM_BIN, "ld64.lld")
OBJDUMP = os.path.join(LLVM_BIN, "llvm-objdump")
NM = os.path.join(LLVM_BIN, "llvm-nm")
DEFAULT_TBD = os.path.join(HERE, "..", "..", "data", "libSystem.tbd")
PLATFORM = ["-arch", "x86_64", "-platform_version", "macos", "11.0", "11.0"]
MODE_MASK = 0x0F000000
MODE_DWARF = {"x86_64": 0x04000000, "arm64": 0x03000000}
ARCH = "x86_64"      # --arch

SOURCES = {
    # main program: a frame, calls across files, a static helper
    "main.c": ("-O2", r"""
int ext_leaf(int);
long frameless_big(long);
int frameless_small(int, int);
long recurse(long);
static int leaf(int x) { return x * 3 + 1; }
__attribute__((noinline)) int with_frame(int n) {
    int a[64];
    for (int i = 0; i < 64; i++) a[i] = ext_leaf(i + n);
    int s = 0;
    for (int i = 0; i < 64; i++) s += a[i] * a[63 - i];
    return s;
}
__attribute__((noinline)) static int helper(int a, int b, int c, int d) {
    return ext_leaf(a) + ext_leaf(b) * ext_leaf(c) - ext_leaf(d) + leaf(a);
}
int main(int argc, char **argv) {
    (void)argv;
    return with_frame(argc) + helper(argc, 2, 3, 4) + leaf(argc) +
           (int)frameless_big(argc) + frameless_small(argc, 5) +
           (int)recurse(argc);
}
"""),
    # leaves and a function needing a frame, same encodings side by side
    "leaves.c": ("-O2", r"""
int ext_leaf(int x) { return x ^ 0x55; }
int leaf2(int x) { return x + 2; }
int leaf3(int x) { return x + 3; }
__attribute__((noinline)) long big_frame(long n) {
    volatile char buf[100000];
    buf[n] = 1;
    return buf[n / 2];
}
long uses_big(long n) { return big_frame(n) + leaf2((int)n) + leaf3((int)n); }
/* referenced by nothing: -dead_strip drops it and its unwind entry, which
 * leaves a gap among this object's entries that the later objects' close */
__attribute__((noinline)) long dead_frame(long n) {
    volatile char buf[5000];
    buf[n] = 2;
    return buf[n / 2] + ext_leaf((int)n);
}
"""),
    # without frame pointers: STACK_IMMD and STACK_IND encodings
    "frameless.c": ("-O2 -fomit-frame-pointer", r"""
int ext_leaf(int);
__attribute__((noinline)) long frameless_big(long n) {
    volatile char buf[70000];
    buf[n] = (char)ext_leaf((int)n);
    return buf[n / 3] + ext_leaf((int)buf[n / 2]);
}
__attribute__((noinline)) int frameless_small(int a, int b) {
    volatile int v[4] = { a, b, a + b, a - b };
    return ext_leaf(v[0]) + ext_leaf(v[1] * v[2]) + v[3];
}
__attribute__((noinline)) long frameless_big2(long n) {
    volatile char buf[90000];
    buf[n] = (char)ext_leaf((int)n);
    return buf[n / 5];
}
long call_big2(long n) { return frameless_big2(n) + 1; }
"""),
    # -O0: every function has a frame
    "o0.c": ("-O0", r"""
int ext_leaf(int);
long recurse(long n) { return n <= 0 ? 0 : n + recurse(n - 1) + ext_leaf((int)n); }
static long unused_static(long n) { return n * 7; }
long use_static(long n) { return unused_static(n); }
"""),
}


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"unwind-test: command failed ({p.returncode}): "
              f"{shlex.join(cmd)}\n{p.stdout}{p.stderr}")
        sys.exit(1)
    return p.stdout


ENTRY = re.compile(r"\[\s*\d+\]: function offset=(0x[0-9a-fA-F]+), "
                   r"encoding(?:\[\d+\])?=(0x[0-9a-fA-F]+)")
TOP = re.compile(r"\[\s*\d+\]: function offset=(0x[0-9a-fA-F]+), "
                 r"2nd level page offset=(0x[0-9a-fA-F]+)")


def unwind_entries(exe):
    """[(function offset, encoding)] of the second-level pages, and the
    sentinel's function offset (the end of the covered range)."""
    text = run([OBJDUMP, "--macho", "--unwind-info", exe])
    if "Contents of __unwind_info section" not in text:
        print(f"unwind-test: {exe}: no __unwind_info section\n{text}")
        sys.exit(1)
    entries = [(int(o, 16), int(e, 16)) for o, e in ENTRY.findall(text)]
    tops = [int(o, 16) for o, _ in TOP.findall(text)]
    if not entries or not tops:
        print(f"unwind-test: {exe}: could not decode the section\n{text}")
        sys.exit(1)
    offs = [o for o, _ in entries]
    if offs != sorted(offs) or len(set(offs)) != len(offs):
        print(f"unwind-test: {exe}: entries not sorted by address\n{text}")
        sys.exit(1)
    return entries, tops[-1]


def functions(exe):
    """{name: address} of the defined symbols in __TEXT,__text, and the base."""
    out = run([NM, "-n", "--defined-only", exe])
    syms, base = {}, None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name == "__mh_execute_header":
            base = addr
        elif kind in "Tt" and not name.startswith(("ltmp", "L", "l_")):
            syms[name] = addr
    if base is None:
        print(f"unwind-test: {exe}: no __mh_execute_header")
        sys.exit(1)
    return syms, base


def normalize(enc):
    return 0 if enc & MODE_MASK == MODE_DWARF[ARCH] else enc


def effective(exe):
    """{function name: encoding the unwinder finds for it (None: none)}."""
    entries, end = unwind_entries(exe)
    syms, base = functions(exe)
    res = {}
    for name, addr in syms.items():
        off = addr - base
        enc = None
        if off < end:
            for o, e in entries:
                if o > off:
                    break
                enc = normalize(e)
        res[name] = enc
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--linkfs-ld", required=True)
    ap.add_argument("--tbd", default=DEFAULT_TBD)
    ap.add_argument("--arch", default="x86_64", choices=["x86_64", "arm64"])
    args = ap.parse_args()
    global ARCH
    ARCH = PLATFORM[1] = args.arch
    for tool in (CLANG, LLD, OBJDUMP, NM, args.linkfs_ld):
        if not os.path.exists(tool):
            print(f"unwind-test: skip: {tool} not found")
            return 77
    res = run([CLANG, "-print-resource-dir"]).strip()
    with tempfile.TemporaryDirectory(prefix="unwind-test.") as tmp:
        objs = []
        for name, (flags, src) in SOURCES.items():
            c = os.path.join(tmp, name)
            with open(c, "w") as f:
                f.write(src)
            o = c[:-2] + ".o"
            run([CLANG, "-target", f"{ARCH}-apple-macos11", "-nostdinc",
                 "-isystem", os.path.join(res, "include"),
                 "-isystem", "/usr/include/x86_64-linux-musl",
                 *flags.split(), "-c", c, "-o", o])
            objs.append(o)
        errs = []
        for extra in ([], ["-dead_strip"]):
            errs += compare(tmp, objs, args, extra)
        if errs:
            print("unwind-test: FAIL\n  " + "\n  ".join(errs))
            return 1
        print("unwind-test: ok: with and without -dead_strip")
        return 0


def compare(tmp, objs, args, extra):
    """The differences between lld's and linkfs-ld's unwind info for one
    set of options, as messages."""
    lld_out = os.path.join(tmp, "lld.out")
    ours = os.path.join(tmp, "ours.out")
    run([LLD, *PLATFORM, *extra, "-no_fixup_chains", "-o", lld_out, *objs, args.tbd])
    run([args.linkfs_ld, *PLATFORM, *extra, "-o", ours, *objs])
    want, got = effective(lld_out), effective(ours)
    modes = {(e or 0) & MODE_MASK for e in want.values()}
    errs = []
    what = " ".join(extra) or "default options"
    dead = "_dead_frame" in want or "_dead_frame" in got
    if extra and dead:
        errs.append("_dead_frame was kept")
    if not extra and not dead:
        errs.append("_dead_frame is missing")
    if set(want) != set(got):
        errs.append(f"function symbols differ: lld only {sorted(set(want) - set(got))}, "
                    f"linkfs only {sorted(set(got) - set(want))}")
    for name in sorted(set(want) & set(got)):
        if want[name] != got[name]:
            w = "none" if want[name] is None else f"0x{want[name]:08x}"
            g = "none" if got[name] is None else f"0x{got[name]:08x}"
            errs.append(f"{name}: lld 0x{w}, linkfs {g}".replace("0x0x", "0x"))
    if len(modes) < (3 if ARCH == "x86_64" else 2):
        errs.append(f"test objects cover too few unwind modes: {sorted(hex(m) for m in modes)}")
    print(f"unwind-test: {what}: {len(want)} functions, modes "
          f"{', '.join(sorted(hex(m) for m in modes))}")
    return [f"{what}: {e}" for e in errs]


if __name__ == "__main__":
    sys.exit(main())
