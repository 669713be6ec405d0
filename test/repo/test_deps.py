"""The Debian package lists of the make targets hold what the code needs.

For each target (build, make test, make bench, make eval, make data, make
train, make fuzz, make check-mem) this takes the files the target runs,
follows what they reach (project imports: the package `scripts` by module
path, `from scripts.eval import metrics` -> scripts/eval/metrics.py, and
helpers beside the tests by name; any project script whose name a file
mentions, e.g. scripts/export/export_model.py; any project module a file
names, e.g. `python3 -m scripts.train.train`), and collects from them:
  * Python imports (ast): standard library and project modules need nothing,
    the others are mapped to packages by MODULES;
  * commands: the first word of each subprocess call in Python (a list
    literal, a name bound to one, or a sum starting with one) and of each
    command in a shell script (after $(...) is opened, quotes, comments and
    here-documents removed; a Python here-document is read as Python);
    shell builtins, the Essential packages' tools and the project's own
    programs need nothing, the others are mapped by COMMANDS;
  * shared libraries loaded with ctypes, mapped by LIBRARIES;
  * C headers in #include <...>: the C library's and the compiler's need
    gcc/libc6-dev, the others are mapped by HEADERS;
  * a Python file needs python3 itself.
Every package found must be in the target's lists (make print-deb-pkgs,
unions as in TARGETS, which follow the <area>-deps prerequisites of the
fragments), and every import, command, library or header that is in no table
fails the test: a new dependency cannot come in unseen. Each extractor is
first shown to find what it should in a sample.
"""
import ast
import os
import re
import subprocess
import sys

from repo_files import project_files

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# Python modules outside the standard library -> Debian package
MODULES = {"numpy": "python3-numpy", "scipy": "python3-scipy", "torch": "python3-torch",
           "matplotlib": "python3-matplotlib", "soundfile": "python3-soundfile"}
# commands -> Debian package
COMMANDS = {
    "python3": "python3", "sox": "sox", "soxi": "sox", "flac": "flac", "metaflac": "flac",
    "ffmpeg": "ffmpeg", "valgrind": "valgrind", "callgrind_annotate": "valgrind",
    "clang": "clang", "pkg-config": "pkg-config", "git": "git", "gcc": "gcc", "cc": "gcc",
    "ar": "binutils", "nm": "binutils", "readelf": "binutils", "unzip": "unzip", "qemu-aarch64": "qemu-user",
    "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu", "aarch64-linux-gnu-ar": "binutils-aarch64-linux-gnu",
    "node": "nodejs", "npm": "npm", "chromium": "chromium", "bc": "bc", "parallel": "parallel",
    "ssh": "openssh-client", "ssh-keygen": "openssh-client", "sshd": "openssh-server",
    "sbatch": "slurm-client", "sinfo": "slurm-client", "squeue": "slurm-client",
    "scancel": "slurm-client", "slurmctld": "slurmctld", "slurmd": "slurmd", "munged": "munge",
    "mungekey": "munge", "debootstrap": "debootstrap", "chroot": "coreutils",
}
# shared libraries loaded at run time -> Debian package
LIBRARIES = {"sndfile": "libsndfile1", "samplerate": "libsamplerate0"}
# C headers outside the C library and the compiler -> Debian package
HEADERS = {"sndfile.h": "libsndfile1-dev", "samplerate.h": "libsamplerate0-dev",
           "kiss_fft.h": "libkissfft-dev", "kiss_fftr.h": "libkissfft-dev"}
# what a listed package brings (Debian dependencies the tables rely on)
DEPENDS = {"libsndfile1-dev": ["libsndfile1"], "libsamplerate0-dev": ["libsamplerate0"],
           "gcc": ["binutils", "libc6-dev"], "clang": ["binutils", "libc6-dev"]}
# commands a file can do without (it has a fallback when they are missing)
OPTIONAL = {"test/repo/test_deps.py": {"git"}, "test/repo/test_machine_paths.py": {"git"},
            "test/repo/test_no_path_hacks.py": {"git"}}
# packages wanted beside another: python3-torch runs its matrix products on
# OpenBLAS, fast only with the threaded build
WITH = {"python3-torch": ["libopenblas0-pthread"]}
LIBC_HEADERS = set("""assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h limits.h
locale.h math.h setjmp.h signal.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h
stdlib.h string.h strings.h tgmath.h threads.h time.h wchar.h unistd.h fcntl.h pthread.h
dirent.h getopt.h poll.h sched.h termios.h sys/types.h sys/stat.h sys/mman.h sys/time.h
sys/wait.h sys/resource.h sys/ioctl.h sys/select.h""".split())
COMPILER_HEADERS = {"immintrin.h", "cpuid.h", "arm_neon.h", "x86intrin.h", "emmintrin.h"}
# always there on Debian: shell builtins and keywords, the Essential and
# required packages' tools (coreutils, findutils, grep, sed, tar, gzip,
# diffutils, bsdutils, util-linux, mawk, dpkg, apt), and make, which runs all
ALWAYS = set("""if then else elif fi for while until do done case esac in function select
time ! { } [ [[ ]] test true false echo printf read set unset export local return exit shift
trap cd pwd wait kill eval exec source . command type hash ulimit umask break continue
getopts let declare readonly alias builtin jobs disown
cat ls mkdir rm rmdir cp mv ln head tail wc cut sort uniq tr date sleep touch du df nice
nohup tee mktemp basename dirname readlink realpath seq stat md5sum sha256sum cmp diff find
xargs grep egrep sed awk mawk gzip gunzip zcat tar bash sh dash env timeout id uname nproc
chmod chown install sync yes expr od comm paste split tac script hostname dd truncate
dpkg dpkg-deb dpkg-query apt-get apt-cache apt make mount umount""".split())
WRAPPERS = {"nice": {"-n"}, "nohup": set(), "env": set(), "timeout": set(), "exec": set()}
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}

# target -> (package lists installed for it, files it runs: globs)
TARGETS = {
    "build (make)": (["DEB_PKGS"], ["lib/*.c", "lib/*/*.c", "lib/*/*/*.c", "lib/*.h", "lib/*/*.h",
                                    "cli/*.c", "cli/*.h", "weights/*.c", "Makefile", "cli/cli.mk"]),
    "make test": (["DEB_PKGS", "TEST_DEB_PKGS", "FUZZ_DEB_PKGS", "LISTENING_DEB_PKGS",
                   "LISTENING_TEST_DEB_PKGS"],
                  ["test/*/test_*.py", "test/*/test_*.sh", "test/*/test_*.c", "test/test.mk",
                   "test/dump/dump.mk", "test/nnet/nnet.mk", "test/fuzz/fuzz.mk", "test/run_tests.sh",
                   "test/listening/listening.mk"]),
    "make listening-deps": (["DEB_PKGS", "LISTENING_DEB_PKGS"],
                            ["scripts/listening-page", "scripts/listening_page/*"]),
    "make test-fresh-machine": (["FRESH_DEB_PKGS"], ["test/repo/repo.mk", "test/repo/fresh_machine.sh"]),
    "make test-scaleout": (["DEB_PKGS", "TEST_DEB_PKGS", "SCALEOUT_DEB_PKGS"],
                           ["test/scaleout/*", "scripts/scaleout/*"]),
    "make bench": (["DEB_PKGS", "BENCH_DEB_PKGS"], ["scripts/bench_cli/*", "scripts/bench_dsp/*",
                                                     "scripts/bench_nnet/*", "scripts/bench_robust/*",
                                                     "scripts/scripts.mk"]),
    "make bench-train": (["DEB_PKGS", "BENCH_TRAIN_DEB_PKGS"], ["scripts/bench_train/*"]),
    "make eval": (["DEB_PKGS", "DATA_DEB_PKGS", "EVAL_DEB_PKGS"], ["scripts/eval/eval.mk"]),
    "make data": (["DEB_PKGS", "DATA_DEB_PKGS"], ["scripts/data/*", "scripts/dump/*"]),
    "make train": (["TRAIN_DEB_PKGS"], ["scripts/train/*"]),
    "make check-mem": (["DEB_PKGS", "TEST_DEB_PKGS", "FUZZ_DEB_PKGS", "CHECK_MEM_DEB_PKGS"],
                       ["test/fuzz/check_mem.mk", "test/fuzz/check_mem.sh"]),
    "make fuzz": (["DEB_PKGS", "FUZZ_DEB_PKGS"], ["test/fuzz/fuzz.mk", "test/fuzz/run_fuzz.sh",
                                                   "test/fuzz/fuzz_*.c"]),
}

failed = 0


def check(ok, name, why=""):
    global failed
    print(("ok - " if ok else "not ok - ") + name + ("" if ok or not why else ": " + why))
    failed += not ok


# ---- Python

def _first_words(node, assigned, depth=0):
    """The command words a subprocess argument can start with (literals only:
    a list, a name bound to one, a sum starting with one, a string)."""
    if depth > 4 or node is None:
        return set()
    if isinstance(node, (ast.List, ast.Tuple)):
        words = []
        for e in node.elts:
            if not (isinstance(e, ast.Constant) and isinstance(e.value, str)):
                break
            words.append(e.value)
            if _unwrap(words) is not None:
                break
        w = _unwrap(words)
        return {w} if w else set()
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _first_words(node.left, assigned, depth + 1)
    if isinstance(node, ast.Name):
        return set().union(*[_first_words(v, assigned, depth + 1) for v in assigned.get(node.id, [])])
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        w = _unwrap(node.value.split())
        return {w} if w else set()
    return set()


def _unwrap(words):
    """First word after wrappers (nice -n 19, nohup, env ...), or None if all
    words so far are wrappers or their options."""
    i = 0
    while i < len(words):
        w = words[i]
        if w in WRAPPERS:
            i += 1
            while i < len(words) and (words[i].startswith("-") or words[i].isdigit()
                                      or "=" in words[i]):
                i += 1
            continue
        return w
    return None


def python_needs(text, name):
    """(modules, commands, libraries) of Python source text."""
    tree = ast.parse(text, name)
    mods, cmds, libs = set(), set(), set()
    assigned = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            mods.update(a.name.split(".")[0] for a in n.names)
        elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module:
            mods.add(n.module.split(".")[0])
        elif isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Name):
                    assigned.setdefault(t.id, []).append(n.value)
        elif isinstance(n, ast.For) and isinstance(n.target, ast.Tuple):
            # for name, cmd in ((..., [...]), ...): bind the tuple parts
            if isinstance(n.iter, (ast.Tuple, ast.List)):
                for item in n.iter.elts:
                    if isinstance(item, ast.Tuple) and len(item.elts) == len(n.target.elts):
                        for t, v in zip(n.target.elts, item.elts):
                            if isinstance(t, ast.Name):
                                assigned.setdefault(t.id, []).append(v)
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call):
            continue
        f = n.func
        fname = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
        arg = n.args[0] if n.args else next((k.value for k in n.keywords if k.arg == "args"), None)
        if (owner == "subprocess" and fname in SUBPROCESS_CALLS) or (owner == "os" and fname == "system"):
            cmds |= _first_words(arg, assigned)
        elif fname in ("CDLL", "find_library", "LoadLibrary") and arg is not None:
            for c in ast.walk(arg):
                if isinstance(c, ast.Constant) and isinstance(c.value, str):
                    m = re.match(r"^(?:lib)?([A-Za-z0-9_+-]+?)(?:\.so(?:\.\d+)*)?$", c.value)
                    if m:
                        libs.add(m.group(1))
    return mods, cmds, libs


# ---- shell

def _shell_scan(code, drop_comments, blank_quotes, blank_single=False):
    """code with comments dropped and/or quoted text replaced by $Q (only
    single-quoted text with blank_single), quote-aware"""
    out, i, n = [], 0, len(code)
    while i < n:
        ch = code[i]
        if ch == "\\":
            out.append(code[i:i + 2])
            i += 2
        elif ch in "'\"":
            j = i + 1
            while j < n and code[j] != ch:
                j += 2 if ch == '"' and code[j] == "\\" else 1
            out.append("$Q" if blank_quotes or (blank_single and ch == "'") else code[i:j + 1])
            i = j + 1
        elif ch == "#" and drop_comments and (i == 0 or code[i - 1] in " \t\n;"):
            while i < n and code[i] != "\n":
                i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


HEREDOC = re.compile(r"<<-?\s*(['\"]?)(\w+)\1")


SOURCED = re.compile(r"""(?m)^\s*(?:\.|source)\s+"?\$\(dirname "?\$0"?\)/([\w.-]+)"?""")


def sourced_functions(f, text):
    """names of the functions that f's sibling scripts sourced with
    `. "$(dirname "$0")/NAME"` define (called in f, they are no commands)"""
    names = set()
    for base in SOURCED.findall(text):
        path = os.path.join(os.path.dirname(f), base)
        if os.path.exists(os.path.join(ROOT, path)):
            names |= set(re.findall(r"(?m)^\s*([A-Za-z_][\w-]*)\s*\(\)", read(path)))
    return names


def shell_needs(text):
    """(commands, python here-documents) of shell source text."""
    lines = text.split("\n")
    body, pys = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = HEREDOC.search(line)
        body.append(line)
        i += 1
        if m:
            end = m.group(2)
            doc = []
            while i < len(lines) and lines[i].strip() != end:
                doc.append(lines[i])
                i += 1
            i += 1
            if re.search(r"python|\$\{?PY", line, re.I):
                pys.append("\n".join(doc))
    code = _shell_scan("\n".join(body), True, False, True).replace("\\\n", " ")
    funcs = set(re.findall(r"(?m)^\s*([A-Za-z_][\w-]*)\s*\(\)", code))
    code = re.sub(r"\$\(\([^()]*(?:\([^()]*\)[^()]*)*\)\)", "$A", code)  # $(( arithmetic ))
    code = re.sub(r"(?m)^(\s*)\(\(.*?\)\)", r"\1", code)  # (( arithmetic ))
    code = re.sub(r"\bfor\s*\(\(.*?\)\)", "for", code)
    code = re.sub(r"\$\{[^{}]*\}", "$V", code)  # ${...} expansions
    pieces = [code]
    # open $( ... ) (innermost first, repeatedly), then drop quoted text
    while True:
        m = re.search(r"\$\(([^()]*)\)", code)
        if not m:
            break
        pieces.append(m.group(1))
        code = code[:m.start()] + "$X" + code[m.end():]
    pieces[0] = code
    cmds = set()
    for p in pieces:
        p = _shell_scan(p, False, True)
        for seg in re.split(r"\|\||&&|[;|&(){}\n`]|\bthen\b|\bdo\b|\belse\b|\belif\b|\bif\b|"
                            r"\bwhile\b|\buntil\b|!|\btime\b", p):
            words = seg.split()
            while words and re.match(r"^[A-Za-z_]\w*=", words[0]):
                words.pop(0)
            if not words or words[0] in ("for", "case", "in", "esac", "done", "fi", "return", "exit"):
                continue
            w = _unwrap(words)
            if w is None:
                continue
            if w.startswith("/usr/bin/") or w.startswith("/bin/"):
                w = os.path.basename(w)
            if re.match(r"^[A-Za-z][\w.+-]*$", w) and w not in funcs:
                cmds.add(w)
    return cmds, pys


# ---- make

def make_recipes(text, variables):
    """The recipe lines of a make file as shell text: $(VAR) replaced by the
    first word of its value in variables (a tool such as $(PYTHON)), other
    references by a variable placeholder, $$ by $."""
    lines = [l[1:].lstrip("@-+") for l in text.replace("\\\n", " ").split("\n") if l.startswith("\t")]
    out = []
    for l in lines:
        l = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), "$V"), l)
        while True:  # make functions, innermost first
            l, k = re.subn(r"\$\([^()]*\)", "$V", l)
            if not k:
                break
        l = l.replace("$$", "$")
        out.append(l)
    return "\n".join(out)


def make_variables(texts):
    """VAR -> first word of its last assigned value (basename if a path)"""
    v = {}
    for text in texts:
        for m in re.finditer(r"(?m)^(\w+)\s*[:?]?=[ \t]*(\S+)", text):
            w = m.group(2)
            if re.match(r"^[\w./+-]+$", w):
                v[m.group(1)] = os.path.basename(w) if w.startswith("/usr/bin/") else w
    return v


# ---- C

def c_needs(text):
    return set(re.findall(r"(?m)^\s*#\s*include\s*<([^>]+)>", text))


# ---- files a target reaches

def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
        return f.read()


FILES = [f for f in project_files(ROOT) if os.path.isfile(os.path.join(ROOT, f))]
MAKE_VARS = make_variables(read(f) for f in FILES if f.endswith(".mk") or f == "Makefile")
SCRIPTS = [f for f in FILES if f.endswith((".py", ".sh"))]
BY_BASE = {}
for f in SCRIPTS:
    BY_BASE.setdefault(os.path.basename(f), []).append(f)
FILE_SET = set(FILES)
# top-level project packages (scripts): their modules are imported and run
# by module path
PACKAGES = {f.split("/")[0] for f in FILES if f.count("/") == 1 and f.endswith("/__init__.py")}
# modules outside the packages (test helpers such as test/cli/clitest.py),
# imported by name from their folder or the tests' Python path
MODULE_FILES = {}
for f in SCRIPTS:
    if f.endswith(".py") and os.path.join(os.path.dirname(f), "__init__.py") not in FILE_SET:
        MODULE_FILES.setdefault(os.path.basename(f)[:-3], []).append(f)
DOTTED = re.compile(r"(?<![\w.])(?:" + ("|".join(map(re.escape, sorted(PACKAGES))) or "(?!)")
                    + r")(?:\.\w+)+")


def module_files(dotted):
    """Files Python runs for a project module path: the __init__.py of each
    package on the way and the module itself (a .py file or a package);
    [] when it names no project module."""
    parts = dotted.split(".")
    if parts[0] not in PACKAGES:
        return []
    files = []
    for k in range(1, len(parts) + 1):
        base = "/".join(parts[:k])
        if base + "/__init__.py" in FILE_SET:
            files.append(base + "/__init__.py")
        elif k == len(parts) and base + ".py" in FILE_SET:
            files.append(base + ".py")
        else:
            return []
    return files


def project_imports(text, name):
    """Project files that Python source text imports through the packages:
    `import scripts.a.b`, `from scripts.a import b`, `from scripts.a.b import
    name`."""
    files = []
    for n in ast.walk(ast.parse(text, name)):
        if isinstance(n, ast.Import):
            for a in n.names:
                files += module_files(a.name)
        elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module:
            for a in n.names:
                files += module_files(n.module + "." + a.name) or module_files(n.module)
    return files


def module_mentions(code):
    """Project files of the module paths code names (python3 -m scripts.a.b)."""
    return [f for m in DOTTED.findall(code) for f in module_files(m)]


def code_text(f, text):
    """What in file f can name a script it runs: Python string constants
    other than docstrings, shell and make text without comments."""
    if f.endswith(".py"):
        tree = ast.parse(text, f)
        docs = set()
        for n in ast.walk(tree):
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body and \
                    isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant):
                docs.add(id(n.body[0].value))
        return "\n".join(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                         and isinstance(n.value, str) and id(n) not in docs)
    if f.endswith(".sh"):
        return _shell_scan(text, True, False)
    if f.endswith(".mk") or os.path.basename(f) == "Makefile":
        return "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("#"))
    return ""


def reached(entries):
    """entries plus every project script they import or mention, transitively"""
    todo, seen = list(entries), set()
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        if not f.endswith((".py", ".sh", ".mk")):
            continue
        text = read(f)
        # this file names the targets' scripts without running them
        code = "" if f == "test/repo/test_deps.py" else code_text(f, text)
        for base, paths in BY_BASE.items():
            if re.search(r"(?<![\w.-])" + re.escape(base) + r"\b", code):
                full = [p for p in paths if p in code]
                todo += full or paths
        todo += module_mentions(code)
        if f.endswith(".py"):
            for m in python_needs(text, f)[0]:
                todo += MODULE_FILES.get(m, [])
            todo += project_imports(text, f)
    return seen


def needs(f, unknown):
    """Debian packages file f needs; names in no table go to unknown."""
    text = read(f)
    pk = set()
    if f.endswith(".py"):
        pk.add("python3")
        mods, cmds, libs = python_needs(text, f)
        sources = []
    elif f.endswith((".sh", ".mk")) or os.path.basename(f) == "Makefile":
        if not f.endswith(".sh"):
            text = make_recipes(text, MAKE_VARS)
        cmds, sources = shell_needs(text)
        cmds -= sourced_functions(f, text)
        mods, libs = set(), set()
        if sources:
            pk.add("python3")
    elif f.endswith((".c", ".h")):
        for h in c_needs(text):
            if h in HEADERS:
                pk.add(HEADERS[h])
            elif h in LIBC_HEADERS:
                pk.add("libc6-dev")
            elif h in COMPILER_HEADERS:
                pk.add("gcc")
            elif not os.path.exists(os.path.join(ROOT, os.path.dirname(f), h)):
                unknown.add(f"{f}: header <{h}>")
        return pk
    else:
        return pk
    for s in sources:
        m2, c2, l2 = python_needs(s, f + " (here-document)")
        mods |= m2
        cmds |= c2
        libs |= l2
    std = set(sys.stdlib_module_names)
    for m in mods:
        if m in MODULES:
            pk.add(MODULES[m])
        elif m not in std and m not in MODULE_FILES and m not in PACKAGES:
            unknown.add(f"{f}: Python module {m}")
    for c in cmds - OPTIONAL.get(f, set()):
        if c in COMMANDS:
            pk.add(COMMANDS[c])
        elif c in ALWAYS or c in BY_BASE or c.endswith((".py", ".sh")) or c == "percepnet":
            pass
        else:
            unknown.add(f"{f}: command {c}")
    for lib in libs:
        if lib in LIBRARIES:
            pk.add(LIBRARIES[lib])
        else:
            unknown.add(f"{f}: library {lib}")
    return pk


def make_lists():
    r = subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT, "print-deb-pkgs"],
                       capture_output=True, text=True)
    lists = {}
    for line in r.stdout.splitlines():
        if " = " in line:
            k, v = line.split(" = ", 1)
            lists[k.strip()] = set(v.split())
    return lists


# ---- the extractors on samples
py_sample = '''
import os, numpy as np
from scipy.io import wavfile
import torch.nn
cmd = ["nice", "-n", "5", "valgrind", "--tool=callgrind"]
subprocess.run(cmd + ["x"])
subprocess.Popen(["sox", "-n", "x.wav"])
subprocess.run([sys.executable, "a.py"])
lib = ctypes.CDLL("libsamplerate.so.0")
for name, c in (("a", ["ffmpeg", "-i"]),):
    subprocess.run(c)
'''
m, c, l = python_needs(py_sample, "sample")
check(m == {"os", "numpy", "scipy", "torch"} and c == {"valgrind", "sox", "ffmpeg"} and l == {"samplerate"},
      "Python sample: imports, commands and libraries found", f"{m} {c} {l}")
sh_sample = '''#!/bin/sh
set -eu  # comment with sox in it
ok() { echo "ok - $1"; }
X=1 nice -n 19 valgrind --tool=callgrind "$bin" | grep -c x && ok done
out=$(metaflac --list "$f" | awk '{print $1}')
echo "run ffmpeg here: not a command"
if ! pkg-config --exists percepnet; then exit 1; fi
"$PY" - <<'EOF'
import scipy
EOF
'''
c, pys = shell_needs(sh_sample)
check(c == {"set", "valgrind", "grep", "metaflac", "awk", "echo", "pkg-config"}
      and len(pys) == 1 and python_needs(pys[0], "doc")[0] == {"scipy"},
      "shell sample: commands and the Python here-document found", f"{sorted(c)} {pys}")
check(c_needs("#include <sndfile.h>\n  # include <math.h>\n#include \"x.h\"\n") == {"sndfile.h", "math.h"},
      "C sample: system headers found")
imp = set(project_imports("import scripts.export.pnm\nfrom scripts.eval import metrics as M\n"
                          "from scripts.train.model import PercepNet\nimport numpy\n", "sample"))
men = set(module_mentions("$(PYTHON) -m scripts.train.train --x; make -f scripts/scripts.mk"))
check(PACKAGES == {"scripts"} and imp == {
    "scripts/__init__.py", "scripts/export/__init__.py", "scripts/export/pnm.py",
    "scripts/eval/__init__.py", "scripts/eval/metrics.py", "scripts/train/__init__.py",
    "scripts/train/model.py"} and men == {"scripts/__init__.py", "scripts/train/__init__.py",
                                          "scripts/train/train.py"},
      "package imports and module paths (python3 -m) resolve to the project's files",
      f"packages {sorted(PACKAGES)}, imports {sorted(imp)}, mentions {sorted(men)}")

# ---- the targets
lists = make_lists()
needed = {}
reached_by = {}
check(all(v in lists for t in TARGETS.values() for v in t[0]),
      "make print-deb-pkgs lists every package list", f"got {sorted(lists)}")
for target, (variables, globs) in TARGETS.items():
    import fnmatch
    entries = [f for f in FILES if any(fnmatch.fnmatchcase(f, g) for g in globs)]
    files = reached(entries)
    reached_by[target] = files
    unknown, need = set(), {}
    for f in sorted(files):
        for p in needs(f, unknown):
            need.setdefault(p, f)
    for p in list(need):
        for q in WITH.get(p, []):
            need.setdefault(q, need[p] + f" (beside {p})")
    needed[target] = need
    have = set().union(*(lists.get(v, set()) for v in variables))
    for p in list(have):
        have.update(DEPENDS.get(p, []))
    missing = sorted(p for p in need if p not in have)
    print(f"# {target}: {len(files)} files; needs {' '.join(sorted(need))}")
    if os.environ.get("VERBOSE"):
        print("# files: " + " ".join(sorted(files)))
    check(len(entries) > 0, f"{target}: files to check found")
    check(not unknown, f"{target}: every import, command, library and header is known",
          "; ".join(sorted(unknown)) + " (add them to the tables of test/repo/test_deps.py)")
    check(not missing, f"{target}: its package lists ({' + '.join(variables)}) hold what it needs",
          "; ".join(f"{p} (for {need[p]})" for p in missing))
# the scan sees what is known to be there (so a list cannot pass by the scan
# finding nothing)
check({"python3-torch", "python3-numpy", "sox", "flac"} <= set(needed["make test"]),
      "the scan finds the tests' torch and numpy imports and their sox and flac calls")
check({"valgrind", "python3-torch"} <= set(needed["make bench"]) and
      "libsndfile1-dev" in needed["build (make)"] and "ffmpeg" in needed["make eval"],
      "the scan finds valgrind in the benchmarks, <sndfile.h> in the build, ffmpeg in the evaluation")
# ... and follows the package's module paths and imports
want = {"make bench-train": {"scripts/train/train.py", "scripts/train/trainer.py",
                             "scripts/export/export_model.py"},
        "make eval": {"scripts/eval/run_eval.py", "scripts/eval/metrics.py"},
        "make test": {"scripts/train/trainer.py", "scripts/eval/build_valset.py",
                      "scripts/eval/noises.py", "test/cli/clitest.py"}}
check(all(w <= reached_by[t] for t, w in want.items()),
      "the scan reaches the modules that make targets run with python3 -m and import",
      "; ".join(f"{t} misses {sorted(w - reached_by[t])}" for t, w in want.items()
                if not w <= reached_by[t]))
sys.exit(1 if failed else 0)
