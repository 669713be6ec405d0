"""No Python of scripts/ or test/ changes the import path: the project's
Python is the package `scripts`, run as modules from the repository root
(`python3 -m scripts.train.train`), and the tests get the root and test/cli
on PYTHONPATH from test/run_tests.sh alone. The one file allowed to change
the path is the executable scripts/listening-page, which runs from any
folder and puts the repository root first.

Searched: every file under scripts/ and test/ that git knows (tracked, or
new and not ignored; outside a git checkout, every file): Python files
(*.py, or a python shebang) parsed, where a call of sys.path.insert, append
or extend, an assignment to sys.path, site.addsitedir or
importlib.util.spec_from_file_location (an import by file path) counts;
shell scripts and make files searched as text for sys.path changes (their
Python here-documents). Each hit is reported as FILE:LINE. The scanner is
first shown to find what it should in samples."""
import ast
import os
import re
import sys

from repo_files import project_files

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ALLOWED = {"scripts/listening-page"}
PATH_CALLS = {"insert", "append", "extend"}
IMPORT_BY_PATH = {"addsitedir", "spec_from_file_location"}
TEXT_PATTERN = re.compile(r"\bsys\.path\s*(?:\.\s*(?:insert|append|extend)\b|\+?=[^=]|\[)")

failed = 0


def check(ok, name, why=""):
    global failed
    print(("ok - " if ok else "not ok - ") + name + ("" if ok or not why else ": " + why))
    failed += not ok


def is_sys_path(node):
    """node is the expression sys.path"""
    return (isinstance(node, ast.Attribute) and node.attr == "path"
            and isinstance(node.value, ast.Name) and node.value.id == "sys")


def python_hits(text, name):
    """Line numbers of the path changes in Python source text."""
    lines = []
    for n in ast.walk(ast.parse(text, name)):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
            if n.func.attr in PATH_CALLS and is_sys_path(n.func.value):
                lines.append(n.lineno)
            elif n.func.attr in IMPORT_BY_PATH:
                lines.append(n.lineno)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in IMPORT_BY_PATH:
            lines.append(n.lineno)
        elif isinstance(n, (ast.Assign, ast.AugAssign)):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            for t in targets:
                if is_sys_path(t) or (isinstance(t, ast.Subscript) and is_sys_path(t.value)):
                    lines.append(n.lineno)
    return sorted(lines)


def text_hits(text):
    """Line numbers of the sys.path changes in other text (shell, make)."""
    return [text.count("\n", 0, m.start()) + 1 for m in TEXT_PATTERN.finditer(text)]


def is_python(rel, text):
    return rel.endswith(".py") or re.match(r"#![^\n]*python", text) is not None


# the scanner on samples: each kind of change found, comments, strings and
# other lists not
sample = '''import sys, importlib.util
# sys.path.insert(0, "in a comment")
doc = "sys.path.append('in a string')"
paths = []
paths.append("x")
sys.path.insert(0, "a")
sys.path.append("b")
sys.path[:0] = ["c"]
sys.path += ["d"]
sys.path = ["e"]
spec = importlib.util.spec_from_file_location("m", "m.py")
'''
check(python_hits(sample, "sample") == [6, 7, 8, 9, 10, 11],
      "the scanner finds each kind of path change in a Python sample, none in comments or strings",
      str(python_hits(sample, "sample")))
check(text_hits('x=1\n"$PY" - <<EOF\nimport sys\nsys.path.insert(0, ".")\nEOF\n'
                'echo sys.path == x\n') == [4],
      "the scanner finds a path change in a shell here-document", "")

found, allowed_hits, searched = [], [], 0
for rel in project_files(ROOT, ("scripts", "test"), others=True):
    path = os.path.join(ROOT, rel)
    if not os.path.isfile(path):
        continue
    with open(path, "rb") as f:
        raw = f.read()
    if b"\0" in raw:
        continue
    text = raw.decode("utf-8", errors="replace")
    if is_python(rel, text):
        try:
            lines = python_hits(text, rel)
        except SyntaxError as e:
            check(False, f"{rel} parses as Python", str(e))
            continue
    elif rel.endswith((".sh", ".mk")):
        lines = text_hits(text)
    else:
        continue
    searched += 1
    hits = [f"{rel}:{n}" for n in lines]
    (allowed_hits if rel in ALLOWED else found).extend(hits)

check(searched > 50, f"{searched} Python, shell and make files of scripts/ and test/ searched")
check(not found, "no change of the import path outside " + ", ".join(sorted(ALLOWED)),
      f"{len(found)} found: " + " ".join(found[:20]) +
      " (import through the package `scripts`; tests get the path from test/run_tests.sh)")
check(len(allowed_hits) <= len(ALLOWED),
      "the allowed entry points change the path once each", " ".join(allowed_hits))
sys.exit(1 if failed else 0)
