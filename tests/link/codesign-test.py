#!/usr/bin/env python3
"""codesign-test.py - ld64.lld's arm64 code signatures, read by check-codesign and rebuilt by codesign.c.

usage: codesign-test.py lld  [--tbd TBD]
       codesign-test.py unit [--tbd TBD] TEST_CODESIGN

Compiles small arm64 programs with clang for arm64-apple-macos11 and links
them with ld64.lld (-lSystem from the TBD, which must list an arm64
target; else a minimal arm64 libSystem stub is written to the temp dir):
a one-page-ish "hello" linked under identifiers of several lengths (1, 5,
15 and 16 bytes, around lld's 16-byte padding), a several-page program
(a large constant table) and a dylib, whose identifier lld 19 takes from
its install name.

  lld   check-codesign must pass on every output; then, per output, one
        byte flipped in __text, each byte of the SuperBlob and CodeDirectory
        headers in turn, the identifier's NUL and padding and one page hash
        must each make it fail (exit 1).
  unit  runs TEST_CODESIGN on the outputs (it rebuilds each signature with
        codesign_write and compares with lld's bytes) and checks that the
        cdhash it prints is the one check-codesign computes.

Exit 0 pass, 1 fail, 77 skip (clang or ld64.lld missing).
"""
import argparse
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LLVM_BIN = os.environ.get("LLVM_BIN", "/usr/lib/llvm-19/bin")
CLANG = os.path.join(LLVM_BIN, "clang")
LLD = os.path.join(LLVM_BIN, "ld64.lld")
CHECK = os.path.join(HERE, "check-codesign")
DEFAULT_TBD = os.path.join(HERE, "..", "..", "data", "libSystem.tbd")
PLATFORM = ["-arch", "arm64", "-platform_version", "macos", "11.0", "11.0"]
DYLIB_INSTALL_NAME = "/usr/lib/libcodesign-test.dylib"

MINIMAL_TBD = """--- !tapi-tbd
tbd-version:     4
targets:         [ arm64-macos ]
install-name:    '/usr/lib/libSystem.B.dylib'
current-version: 1311
exports:
  - targets:         [ arm64-macos ]
    symbols:         [ dyld_stub_binder ]
...
"""

HELLO_C = r"""
int puts(const char *);
int main(void) { puts("hello"); return 0; }
"""

LIB_C = r"""
int lib_add(int a, int b) { return a + b; }
"""


def big_c():
    """A program of many pages: a 100,000-byte table that is not all
    zeros, and functions that read it."""
    vals = ",".join(str((i * 7 + 3) % 251) for i in range(100000))
    return ("const unsigned char table[100000] = {" + vals + "};\n"
            "int sum(int n) { int s = 0; for (int i = 0; i < n; i++) "
            "s += table[i * 37 % 100000]; return s; }\n"
            "int main(int argc, char **argv) { (void)argv; "
            "return sum(argc * 1000) & 0xff; }\n")


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"codesign-test: command failed ({p.returncode}): "
              f"{' '.join(cmd)}\n{p.stdout}{p.stderr}")
        sys.exit(1)
    return p


def sdk_dir(tbd, tmp):
    """A directory holding libSystem.tbd for -L: the given TBD if it lists an
    arm64 target, else a minimal one."""
    d = os.path.join(tmp, "sdk")
    os.makedirs(d)
    text = ""
    if os.path.exists(tbd):
        with open(tbd, encoding="utf-8", errors="replace") as f:
            text = f.read()
    if "arm64-macos" in text:
        shutil.copyfile(tbd, os.path.join(d, "libSystem.tbd"))
    else:
        print(f"codesign-test: '{tbd}' has no arm64 target, using a minimal stub")
        with open(os.path.join(d, "libSystem.tbd"), "w") as f:
            f.write(MINIMAL_TBD)
    return d


def build(tbd, tmp):
    """Returns [(path, identifier, pages_at_least)] of lld-signed outputs."""
    sdk = sdk_dir(tbd, tmp)
    objs = {}
    for name, src in (("hello", HELLO_C), ("big", big_c()), ("lib", LIB_C)):
        c = os.path.join(tmp, name + ".c")
        with open(c, "w") as f:
            f.write(src)
        objs[name] = os.path.join(tmp, name + ".o")
        run([CLANG, "-target", "arm64-apple-macos11", "-O1", "-c", c,
             "-o", objs[name]])
    out = os.path.join(tmp, "out")
    os.makedirs(out)
    lld = [LLD, *PLATFORM, "-L", sdk, "-lSystem"]
    outputs = []
    for ident in ("a", "hello", "fifteen-chars-x", "sixteen-chars-xy"):
        path = os.path.join(out, ident)
        run([*lld, "-o", path, objs["hello"]])
        outputs.append((path, ident, 1))
    path = os.path.join(out, "big-program")
    run([*lld, "-o", path, objs["big"]])
    outputs.append((path, "big-program", 25))
    path = os.path.join(out, "libsigned.dylib")
    run([*lld, "-dylib", "-install_name", DYLIB_INSTALL_NAME, "-o", path,
         objs["lib"]])
    outputs.append((path, os.path.basename(DYLIB_INSTALL_NAME), 1))
    return outputs


def load_checker():
    """check-codesign as a module, so the hundreds of corrupted copies are
    checked in this process (its main() is what the command runs)."""
    loader = importlib.machinery.SourceFileLoader("check_codesign", CHECK)
    spec = importlib.util.spec_from_loader("check_codesign", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


CHECKER = load_checker()


def check(path, ident):
    """check-codesign --ident IDENT PATH: (exit status, its output)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        rc = CHECKER.main(["check-codesign", "--ident", ident, path])
    return rc, out.getvalue().strip()


def layout(data):
    """(__text file offset and size, LC_CODE_SIGNATURE dataoff), read
    plainly: check-codesign has already vouched for the file."""
    ncmds = struct.unpack_from("<I", data, 16)[0]
    off, text, dataoff = 32, None, None
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<II", data, off)
        if cmd == 0x19:
            nsects = struct.unpack_from("<I", data, off + 64)[0]
            for s in range(nsects):
                sec = off + 72 + 80 * s
                name = data[sec:sec + 16].rstrip(b"\0")
                size = struct.unpack_from("<Q", data, sec + 40)[0]
                offset = struct.unpack_from("<I", data, sec + 48)[0]
                if name == b"__text":
                    text = (offset, size)
        elif cmd == 0x1D:
            dataoff = struct.unpack_from("<I", data, off + 8)[0]
        off += cmdsize
    return text, dataoff


def corruptions(data, ident):
    """(what, offset) pairs: each single flipped byte must be caught."""
    (text_off, text_size), sig = layout(data)
    cd = sig + 24
    yield "__text", text_off + text_size // 2
    for i in range(24):
        yield f"SuperBlob header byte {i}", sig + i
    for i in range(88):
        yield f"CodeDirectory header byte {i}", cd + i
    name_end = cd + 88 + len(ident)
    all_headers = (24 + 88 + len(ident) + 1 + 15) // 16 * 16
    for off in range(name_end, sig + all_headers):
        yield f"identifier NUL/padding at +{off - sig}", off
    yield "page 0's hash", sig + all_headers + 5
    yield "last page's hash", len(data) - 1


def test_lld(outputs, tmp):
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)
    failures = 0
    for path, ident, min_pages in outputs:
        rc, msg = check(path, ident)
        print(f"{os.path.basename(path)}: {msg}")
        if rc != 0:
            failures += 1
            continue
        pages = int(msg.split()[1])
        if pages < min_pages:
            print(f"FAIL {path}: {pages} pages, the test wants {min_pages}+")
            failures += 1
        with open(path, "rb") as f:
            data = f.read()
        if path == outputs[0][0]:
            # once through the command itself, as the other tests run it
            p = subprocess.run([sys.executable, CHECK, path],
                               capture_output=True, text=True)
            if p.returncode != 0 or p.stdout.strip() != msg:
                print(f"FAIL check-codesign {path} as a command: exit "
                      f"{p.returncode}: {p.stdout}{p.stderr}")
                failures += 1
        caught = 0
        for what, off in corruptions(data, ident):
            broken = bytearray(data)
            broken[off] ^= 0x01
            copy = os.path.join(bad, os.path.basename(path))
            with open(copy, "wb") as f:
                f.write(broken)
            rc, msg = check(copy, ident)
            if rc != 1:
                print(f"FAIL {os.path.basename(path)}: {what} (file offset "
                      f"0x{off:x}) flipped, check-codesign exit {rc}: {msg}")
                failures += 1
            else:
                caught += 1
        print(f"  {caught} single-byte corruptions caught")
    return failures


def test_unit(outputs, test_exe):
    args = []
    for path, ident, _ in outputs:
        if ident != os.path.basename(path):
            args += ["--ident", DYLIB_INSTALL_NAME]
        args.append(path)
    p = subprocess.run([test_exe, *args], capture_output=True, text=True)
    print(p.stdout + p.stderr, end="")
    if p.returncode != 0:
        return 1
    # the C side's cdhash of each output must be check-codesign's
    failures = 0
    got = dict(line.split()[1:3] for line in p.stdout.splitlines()
               if line.startswith("cdhash "))
    for path, ident, _ in outputs:
        rc, msg = check(path, ident)
        want = msg.split("cdhash ")[-1] if rc == 0 else None
        if rc != 0 or got.get(path) != want:
            print(f"FAIL cdhash of {path}: codesign_cdhash {got.get(path)}, "
                  f"check-codesign: {msg}")
            failures += 1
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["lld", "unit"])
    ap.add_argument("test_exe", nargs="?")
    ap.add_argument("--tbd", default=DEFAULT_TBD)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_intermixed_args()
    for tool in (CLANG, LLD):
        if not os.path.exists(tool):
            print(f"codesign-test: skip: '{tool}' is not installed")
            return 77
    if a.mode == "unit" and not a.test_exe:
        ap.error("unit needs TEST_CODESIGN")
    tmp = tempfile.mkdtemp(prefix="codesign-test-")
    try:
        outputs = build(os.path.abspath(a.tbd), tmp)
        if a.mode == "lld":
            failures = test_lld(outputs, tmp)
        else:
            failures = test_unit(outputs, os.path.abspath(a.test_exe))
    finally:
        if a.keep:
            print(f"codesign-test: kept {tmp}")
        else:
            shutil.rmtree(tmp)
    print("PASS" if failures == 0 else f"FAIL: {failures} problem(s)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
