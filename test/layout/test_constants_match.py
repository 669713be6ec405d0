"""Quantities the Python side repeats from the C side must equal it.

The C definitions are the reference: PN_FEATURES and PN_FEATURES_BASE
(lib/dsp/net_features.h: all the features the chain computes, and the first
ones, what the models before the SNR features read), PN_BANDS
(lib/dsp/dsp_const.h), PERCEPNET_NB_BANDS (lib/percepnet.h) and
PN_FILE_VERSION (lib/nnet/pn_model_file.h). The Python copies are
scripts/train/model.py NB_FEATURES / NB_FEATURES_BASE / NB_BANDS and
scripts/export/pnm.py VERSION; the shipped model file must read one of the
two feature counts and write the band count.
Python sources are read as text (model.py imports torch, not needed here).
"""
import os
import re
import sys

from scripts.export import pnm  # numpy: a test dependency

ROOT = os.getcwd()
fails = 0


def report(ok, name, why=""):
    global fails
    print(f"ok - {name}" if ok else f"not ok - {name}: {why}")
    fails += 0 if ok else 1


def value(path, pattern):
    """First integer captured by pattern in the file, or None."""
    with open(os.path.join(ROOT, path)) as f:
        m = re.search(pattern, f.read(), re.M)
    return int(m.group(1)) if m else None


def main():
    c = {
        "features": value("lib/dsp/net_features.h", r"^#define PN_FEATURES (\d+)\b"),
        "base features": value("lib/dsp/net_features.h", r"^#define PN_FEATURES_BASE (\d+)\b"),
        "bands": value("lib/dsp/dsp_const.h", r"^#define PN_BANDS (\d+)\b"),
        "public bands": value("lib/percepnet.h", r"^#define PERCEPNET_NB_BANDS (\d+)\b"),
        "file version": value("lib/nnet/pn_model_file.h", r"^#define PN_FILE_VERSION (\d+)u?\b"),
    }
    py = {
        "features": value("scripts/train/model.py", r"^NB_FEATURES = (\d+)\b"),
        "base features": value("scripts/train/model.py", r"^NB_FEATURES_BASE = (\d+)\b"),
        "bands": value("scripts/train/model.py", r"^NB_BANDS = (\d+)\b"),
        "file version": value("scripts/export/pnm.py", r"^VERSION = (\d+)\b"),
    }
    missing = [k for k, v in list(c.items()) + list(py.items()) if v is None]
    report(not missing, "every definition found", f"not found: {missing}")
    if missing:
        return 1
    report(c["bands"] == c["public bands"], "PN_BANDS equals PERCEPNET_NB_BANDS",
           f"{c['bands']} vs {c['public bands']}")
    for k in ("features", "base features", "bands", "file version"):
        report(py[k] == c[k], f"Python {k} equals C ({c[k]})", f"Python {py[k]}")
    with open(os.path.join(ROOT, "weights", "default_model.pnm"), "rb") as f:
        t = pnm.read_pnm(f.read())
    nf, nb = t["conv1.weight"].shape[1], t["dense_g.weight"].shape[0]
    report(nf in (c["base features"], c["features"]) and nb == c["bands"],
           "shipped model reads PN_FEATURES_BASE or PN_FEATURES and writes PN_BANDS",
           f"{nf} inputs, {nb} bands")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
