#!/usr/bin/python3
"""scripts/data/prepare.py refuses to run, with one line naming the missing
programs and exit status 1, when a decoder it needs (sox, ffmpeg) is not on
PATH: without it every clip of the formats it decodes would be dropped as
unreadable and another data set made without a word."""
import os
import shutil
import subprocess
import sys
import tempfile

failures = 0


def check(name, cond, why=""):
    global failures
    print(f"ok - {name}" if cond else f"not ok - {name}: {why}")
    failures += 0 if cond else 1


def run_prepare(tmp, tools):
    """prepare.py with a PATH holding only python3 and the given tools."""
    bin_dir = os.path.join(tmp, "bin-" + "-".join(tools))
    os.makedirs(bin_dir, exist_ok=True)
    for t, path in [("python3", sys.executable)] + [(t, shutil.which(t)) for t in tools]:
        os.symlink(path, os.path.join(bin_dir, t))
    speech = os.path.join(tmp, "speech")
    os.makedirs(speech, exist_ok=True)
    env = dict(os.environ, PATH=bin_dir)
    return subprocess.run(["python3", "-m", "scripts.data.prepare", "--no-default-sources",
                           "--data-dir", os.path.join(tmp, "data"), "--speech-dir", speech],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


with tempfile.TemporaryDirectory() as tmp:
    r = run_prepare(tmp, [])
    lines = r.stderr.strip().splitlines()
    check("no decoder: exit status 1", r.returncode == 1, f"{r.returncode}")
    check("no decoder: one line naming sox and ffmpeg and how to install them",
          len(lines) == 1 and "sox" in lines[0] and "ffmpeg" in lines[0]
          and "make data-deps" in lines[0], r.stderr)
    check("no decoder: nothing prepared", not os.path.exists(os.path.join(tmp, "data", "prepared")),
          str(os.listdir(tmp)))
    if shutil.which("sox"):
        r = run_prepare(tmp, ["sox"])
        check("sox alone: the line names ffmpeg only",
              r.returncode == 1 and "ffmpeg" in r.stderr and "sox " not in r.stderr, r.stderr)

sys.exit(1 if failures else 0)
