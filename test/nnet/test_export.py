"""scripts/export/export_model.py end to end: a PercepNet checkpoint of odd
sizes (conv1 13, hidden 21: no size a multiple of any block) saved as the
trainer saves it, exported to a model file and to generated C; the generated
C compiles warning-free and is identical, array for array, to what the C
loader builds from the model file; the printed id is the file's SHA-256
prefix; regenerating the C from the file gives the same text."""
import hashlib
import os
import shlex
import subprocess
import sys
import tempfile

import torch

from scripts.train.model import PercepNet

ROOT = os.getcwd()

EXPORT = [sys.executable, "-m", "scripts.export.export_model"]
CC = os.environ.get("CC", "cc")
# EXTRA_CFLAGS: the flags the library was built with beyond these (make
# check-mem links it with -fsanitize=address,undefined)
CFLAGS = ("-std=c11 -Wall -Wextra -Werror -ffp-contract=off -D_POSIX_C_SOURCE=200809L "
          "-O1 -Ilib/nnet " + os.environ.get("EXTRA_CFLAGS", ""))
fails = 0


def report(ok, name, why=""):
    global fails
    print(f"ok - {name}" if ok else f"not ok - {name}: {why}")
    fails += 0 if ok else 1


def main():
    lib = os.path.join(ROOT, os.environ.get("PERCEPNET_TEST_BUILD", os.path.join("build", "native")),
                       "libpercepnet.a")
    if not os.path.exists(lib):
        report(False, "library built", f"{lib} missing")
        return 1
    torch.manual_seed(9)
    net = PercepNet(conv1=13, hidden=21)
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = os.path.join(tmp, "ckpt.pt")
        torch.save({"model": net.state_dict(), "step": 5}, ckpt)
        pnm, cfile, cfile2 = (os.path.join(tmp, n) for n in ("m.pnm", "m.c", "m2.c"))
        r = subprocess.run(EXPORT + ["--checkpoint", ckpt, "-o", pnm, "--c", cfile],
                           capture_output=True, text=True)
        report(r.returncode == 0, "export from a checkpoint", r.stderr.strip()[-200:])
        if r.returncode:
            return 1
        with open(pnm, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()[:16]
        report(f"model id {sha}" in r.stdout, "printed id is the SHA-256 prefix", r.stdout.strip())
        r = subprocess.run(EXPORT + ["--from-pnm", pnm, "--c", cfile2],
                           capture_output=True, text=True)
        with open(cfile) as a, open(cfile2) as b:
            report(r.returncode == 0 and a.read() == b.read(), "C regenerated from the file is identical",
                   r.stderr.strip()[-200:])
        exe = os.path.join(tmp, "cmp")
        cmd = ([CC] + shlex.split(CFLAGS) + ["-Dpn_default_model=pn_generated_model", cfile,
               "test/nnet/pn_compare_model.c", lib, "-lkissfft-float", "-lm", "-o", exe])
        r = subprocess.run(cmd, capture_output=True, text=True)
        report(r.returncode == 0, "generated C compiles with -Wall -Wextra -Werror", r.stderr.strip()[-300:])
        if r.returncode == 0:
            r = subprocess.run([exe, pnm], capture_output=True, text=True)
            report(r.returncode == 0, "generated C equals the loaded model file (odd sizes)",
                   r.stdout.strip())
        bad = os.path.join(tmp, "bad.pt")
        torch.save({"something": 1}, bad)
        r = subprocess.run(EXPORT + ["--checkpoint", bad, "-o", pnm],
                           capture_output=True, text=True)
        report(r.returncode != 0 and "no PercepNet state_dict" in (r.stderr + r.stdout),
               "a checkpoint without the model is refused", (r.stderr + r.stdout).strip()[-200:])
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
