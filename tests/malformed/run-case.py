#!/usr/bin/env python3
"""run-case.py - one malformed-input test: runs check-object on the case's
file from manifest.json and asserts the outcome. For an error case: exit
status 1, exactly one "error:" line, naming the file in quotes, the expected
"offset 0x..:" and the expected problem text. For an "ok" case: exit 0 and
a line starting with "ok".

Usage: run-case.py CHECK-OBJECT MANIFEST CASE
       run-case.py CHECK-OBJECT --valid FILE     (a valid object must parse)
"""
import json
import subprocess
import sys


def run(exe, path):
    p = subprocess.run([exe, path], capture_output=True, text=True,
                       errors="replace")
    return p.returncode, p.stdout + p.stderr


def fail(msg, out):
    print("FAIL: " + msg)
    print("--- output:\n" + out)
    return 1


def main(argv):
    exe = argv[1]
    if argv[2] == "--valid":
        rc, out = run(exe, argv[3])
        print(out, end="")
        if rc != 0 or not out.startswith("ok "):
            return fail("valid object %r was rejected (rc %d)" % (argv[3], rc),
                        out)
        return 0
    case = None
    with open(argv[2]) as f:
        for line in f:
            c = json.loads(line)
            if c["name"] == argv[3]:
                case = c
    if case is None:
        print("no case %r in %s" % (argv[3], argv[2]))
        return 1
    rc, out = run(exe, case["file"])
    print(out, end="")
    if case["expect"] == "ok":
        if rc != 0 or not out.startswith("ok "):
            return fail("expected the object to parse (rc %d)" % rc, out)
        return 0
    if rc != 1:
        return fail("expected rc 1 (one error), got %d" % rc, out)
    errs = [l for l in out.splitlines() if l.startswith("error: ")]
    if len(errs) != 1:
        return fail("expected exactly one error line", out)
    msg = errs[0]
    want_name = "'%s'" % case["file"]
    want_off = "offset 0x%x:" % case["offset"]
    for what, s in (("file name", want_name), ("offset", want_off),
                    ("problem", case["expect"])):
        if s not in msg:
            return fail("the %s %r is not in the message" % (what, s), out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
