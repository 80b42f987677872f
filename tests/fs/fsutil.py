"""fsutil.py - helpers shared by the python parts of the mount tests
(lib.sh puts tests/fs on PYTHONPATH)."""
import errno
import os
import sys
import time


def expect_err(code, fn, *a):
    """Calls fn(*a) and asserts it fails with errno code."""
    try:
        fn(*a)
    except OSError as e:
        assert e.errno == code, "%s%r: errno %s, want %s" % (
            fn.__name__, a, errno.errorcode.get(e.errno), errno.errorcode[code])
        return
    raise AssertionError("%s%r succeeded, want %s" % (fn.__name__, a, errno.errorcode[code]))


def flag(d, n):
    """Raises flag n: creates the empty file d/n."""
    open(os.path.join(d, n), "w").close()


def wait_flag(d, n, who):
    """Waits (at most 30 s) until flag n is raised; exits naming who."""
    for _ in range(3000):
        if os.path.exists(os.path.join(d, n)):
            return
        time.sleep(0.01)
    sys.exit("%s: no %s flag" % (who, n))
