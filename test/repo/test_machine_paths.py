"""No path of a particular machine in the project: every tracked file (or,
outside a git checkout, every file of the tree but build/ and data/) is
searched for absolute paths under the usual homes and work folders; each hit
is reported as FILE:LINE. Defaults must be relative to the repository or come
from an environment variable (PERCEPNET_DATA, PERCEPNET_SHARED).

The scanner itself is first shown to find such a path in a sample text."""
import os
import re
import sys

from repo_files import project_files

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# built from pieces so that this file does not hold what it looks for
PREFIXES = ["/" + d + "/" for d in ("work", "root", "home")]
PATTERN = re.compile(rb"(?<![\w.~-])(" + b"|".join(re.escape(p.encode()) for p in PREFIXES) + rb")")

failed = 0


def check(ok, name, why=""):
    global failed
    print(("ok - " if ok else "not ok - ") + name + ("" if ok or not why else ": " + why))
    failed += not ok


def hits(name, text):
    """FILE:LINE of every machine path in text (bytes)."""
    return ["%s:%d" % (name, text.count(b"\n", 0, m.start()) + 1) for m in PATTERN.finditer(text)]


sample = b"ok line\nDATA = '" + PREFIXES[0].encode() + b"data'\nrel = '../shared'\n"
check(hits("sample", sample) == ["sample:2"], "the scanner finds a machine path in a sample",
      str(hits("sample", sample)))
check(hits("sample", b"a/work/b x.work/y ~/home/z usr/share") == [],
      "the scanner ignores relative paths that contain the same words")

found = []
names = project_files(ROOT)
for n in names:
    p = os.path.join(ROOT, n)
    if os.path.isfile(p):
        with open(p, "rb") as f:
            found += hits(n, f.read())
check(len(names) > 50, f"{len(names)} project files searched")
check(not found, "no absolute path of a machine in the project files",
      f"{len(found)} found: " + " ".join(found[:20]))
sys.exit(1 if failed else 0)
