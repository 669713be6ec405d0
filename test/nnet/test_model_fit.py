"""A model file whose network does not fit the signal chain is refused when
it is loaded: the engine (lib/nnet) takes every size from the file, and the
public loader (lib/percepnet_model.c) checks the inputs and bands against
the chain's, which offers 104 features (lib/dsp/net_features.h) and 70 of
them to the models made before the SNR features. Through the CLI's --model:
the shipped model rewritten as is loads; a 70-input model made from it
(conv1's first 70 input columns, as is when it reads 70) loads; widened to
104 inputs whose extra conv1 columns are zero it loads and denoises to the
very same output bits (the chain feeds it the 104 features, the zero columns add
exact zeros); with non-zero extra columns its output differs (the SNR
features reach the network); with 69 or 105 inputs, or with 33 bands in both
band heads, it is refused with a one-line error that names the file and
says why.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

from scripts.export import pnm

ROOT = os.getcwd()
BIN = os.environ.get("PERCEPNET_TEST_BIN", os.path.join(ROOT, "percepnet"))
fails = 0


def report(ok, name, why=""):
    global fails
    print(f"ok - {name}" if ok else f"not ok - {name}: {why}")
    fails += 0 if ok else 1


def widen(extra):
    """A change giving conv1 extra input columns (rows of a [C1, F, 3]
    weight) from extra(c1, n): the new columns."""
    def change(name, a):
        if name != "conv1.weight":
            return a
        return np.concatenate([a, extra(a.shape[0], 104 - a.shape[1])], axis=1)
    return change


def main():
    with open(os.path.join(ROOT, "weights", "default_model.pnm"), "rb") as f:
        shipped = pnm.read_pnm(f.read())
    # the 70-input base of the cases below
    base = {n: (a[:, :70, :] if n == "conv1.weight" else a) for n, a in shipped.items()}

    def fewer_bands(name, a):
        head = name.split(".")[0]
        return a[:a.shape[0] - 1] if head in ("dense_g", "dense_r") else a

    rng = np.random.default_rng(104)
    cases = [  # label, change, loads
        ("as shipped", None, True),
        ("70 inputs", lambda name, a: a, True),
        ("104 inputs, zero extra columns",
         widen(lambda c1, n: np.zeros((c1, n, 3), np.float32)), True),
        ("104 inputs, random extra columns",
         widen(lambda c1, n: rng.normal(0, 0.3, (c1, n, 3)).astype(np.float32)), True),
        ("69 inputs", lambda name, a: a[:, :-1, :] if name == "conv1.weight" else a, False),
        ("105 inputs", lambda name, a: np.concatenate([a, np.zeros((a.shape[0], 35, 3),
                                                                   np.float32)], axis=1)
         if name == "conv1.weight" else a, False),
        ("33 bands", fewer_bands, False),
    ]
    md5 = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, change, loads in cases:
            path = os.path.join(tmp, label.replace(" ", "_").replace(",", "") + ".pnm")
            with open(path, "wb") as f:
                f.write(pnm.write_pnm(list(shipped.items()) if change is None else
                                      [(n, change(n, a)) for n, a in base.items()]))
            r = subprocess.run([BIN, "-q", "-f", "--md5", "-m", path, "test/data/demo_noisy.flac",
                                "-o", os.path.join(tmp, "out.flac")],
                               capture_output=True, text=True)
            err = r.stderr.strip()
            if loads:
                report(r.returncode == 0, f"model {label}: loads", err[-200:])
                md5[label] = r.stdout.split()[0] if r.stdout.split() else ""
            else:
                one_line = len(err.splitlines()) == 1
                report(r.returncode != 0 and one_line and path in err and "signal chain" in err,
                       f"model with {label}: refused, naming the file and the reason",
                       f"exit {r.returncode}, stderr {err[-300:]!r}")
    zero, rand = md5.get("104 inputs, zero extra columns"), md5.get("104 inputs, random extra columns")
    report(bool(md5.get("70 inputs")) and zero == md5["70 inputs"],
           "104 inputs with zero extra columns: output bits as the 70-input model's",
           f"{zero} vs {md5.get('70 inputs')}")
    report(bool(rand) and rand != md5.get("70 inputs"),
           "104 inputs with non-zero extra columns: the SNR features change the output",
           f"{rand} vs {md5.get('70 inputs')}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
