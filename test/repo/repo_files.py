"""The files of the repository for the checks of test/repo: what git knows
(tracked, and with others=True also new files that are not ignored) under
the given folders, or, outside a git checkout, every file there but those of
SKIPPED_DIRS. Paths relative to root, sorted."""
import os
import subprocess

SKIPPED_DIRS = {".git", "build", "data", "runs", "__pycache__", "node_modules"}


def project_files(root, tops=(), others=False):
    cmd = ["git", "-C", root, "ls-files", "-z", "--cached"]
    if others:
        cmd += ["--others", "--exclude-standard"]
    try:
        out = subprocess.run(cmd + ["--", *tops], capture_output=True, check=True).stdout
        names = sorted({n for n in out.decode().split("\0") if n})
        if names:
            return names
    except (OSError, subprocess.CalledProcessError):
        pass
    names = []
    for top in tops or ("",):
        for d, subdirs, files in os.walk(os.path.join(root, top)):
            subdirs[:] = [s for s in subdirs if s not in SKIPPED_DIRS]
            names += [os.path.relpath(os.path.join(d, f), root) for f in files]
    return sorted(names)
