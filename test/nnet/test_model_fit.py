"""A model file whose network does not fit the signal chain is refused when
it is loaded: the engine (lib/nnet) takes every size from the file, and the
public loader (lib/percepnet_model.c) checks the inputs and bands against
the chain's. Through the CLI's --model: the shipped model rewritten as is
loads; with 69 inputs, or with 33 bands in both band heads, it is refused
with a one-line error that names the file and says why.
"""
import os
import subprocess
import sys
import tempfile

from scripts.export import pnm  # numpy: a test dependency

ROOT = os.getcwd()
BIN = os.environ.get("PERCEPNET_TEST_BIN", os.path.join(ROOT, "percepnet"))
fails = 0


def report(ok, name, why=""):
    global fails
    print(f"ok - {name}" if ok else f"not ok - {name}: {why}")
    fails += 0 if ok else 1


def main():
    with open(os.path.join(ROOT, "weights", "default_model.pnm"), "rb") as f:
        shipped = pnm.read_pnm(f.read())

    def fewer_bands(name, a):
        head = name.split(".")[0]
        return a[:a.shape[0] - 1] if head in ("dense_g", "dense_r") else a

    cases = [
        ("as shipped", lambda name, a: a, True),
        ("69 inputs", lambda name, a: a[:, :-1, :] if name == "conv1.weight" else a, False),
        ("33 bands", fewer_bands, False),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for label, change, loads in cases:
            path = os.path.join(tmp, label.replace(" ", "_") + ".pnm")
            with open(path, "wb") as f:
                f.write(pnm.write_pnm([(n, change(n, a)) for n, a in shipped.items()]))
            r = subprocess.run([BIN, "-q", "-f", "-m", path, "test/data/demo_noisy.flac",
                                "-o", os.path.join(tmp, "out.flac")],
                               capture_output=True, text=True)
            err = r.stderr.strip()
            if loads:
                report(r.returncode == 0, f"model {label}: loads", err[-200:])
            else:
                one_line = len(err.splitlines()) == 1
                report(r.returncode != 0 and one_line and path in err and "signal chain" in err,
                       f"model with {label}: refused, naming the file and the reason",
                       f"exit {r.returncode}, stderr {err[-300:]!r}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
