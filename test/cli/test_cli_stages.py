"""--enable/--disable comb,decay-limit,postfilter: the postfilter is off by
default for the model and on for the oracle; --enable postfilter gives the
model's output with the postfilter, and later options override earlier ones
for a stage named in both; each stage switched off changes the
output (the decay limit: the oracle's, whose gains fall fast; the built-in
model's gains on the demo file never fall that fast) and does what it says in the gains dump
(strengths all 0 without the comb; without the postfilter, band gains fall
by at most the decay limit per frame, and by more once it is off too); an
unknown stage is a one-line usage error."""
import os

import numpy as np

import clitest as ct
from clitest import check

NOISY = os.path.join(ct.DATA, "demo_noisy.flac")
CLEAN = os.path.join(ct.DATA, "demo_clean.flac")
DECAY = 0.5  # lib/dsp/gains.h PN_GAIN_DECAY


def dump(path):
    _, header, rows = ct.dump_tsv.read(path)
    return ct.dump_tsv.bands(header, rows, "g_"), ct.dump_tsv.bands(header, rows, "r_")


def run(d, name, extra, oracle=False):
    out = os.path.join(d, name + ".wav")
    gains = os.path.join(d, name + ".tsv")
    inputs = ["--oracle", CLEAN, NOISY] if oracle else [NOISY]
    rc, _, err = ct.run(["-q", "-e", "float", "-b", "32", *extra, "--dump-gains", gains,
                         *inputs, "-o", out])
    if not check(rc == 0, f"{name} runs", err.strip()):
        return None, None, None
    g, r = dump(gains)
    return ct.read(out)[0], g, r


def stages(d):
    for oracle in (False, True):
        tag = "oracle " if oracle else ""
        base, _, r0 = run(d, tag + "default", [], oracle)
        if base is None:
            continue
        check(r0.max() > 0.1, f"{tag}default uses the comb (largest strength {r0.max():.3f})")
        if not oracle:
            pf, _, _ = run(d, "with postfilter", ["--enable", "postfilter"])
            if pf is not None:
                diff = np.max(np.abs(pf - base))
                check(diff > 1e-4, "--enable postfilter changes the model's output",
                      f"max diff {diff:.2e}")
            same, _, _ = run(d, "postfilter on, then off", ["--enable", "postfilter",
                                                            "--disable", "postfilter"])
            if same is not None:
                check(np.array_equal(same, base), "--enable then --disable postfilter: the "
                      "later option wins (the default output)")
        else:
            pf, _, _ = run(d, "oracle, postfilter named on", ["--enable", "postfilter"], oracle)
            if pf is not None:
                check(np.array_equal(pf, base), "oracle: the postfilter is on by default")
        for stage in ("comb", "decay-limit", "postfilter"):
            extra = ["--enable", "postfilter"] if stage != "postfilter" and not oracle else []
            out, g, r = run(d, f"{tag}no {stage}", extra + ["--disable", stage], oracle)
            if out is None:
                continue
            # the model's runs here have the postfilter on (pf), so that each
            # stage switched off is compared with all three on, as the oracle's
            ref = pf if not oracle else base
            diff = np.max(np.abs(out - ref)) if ref is not None else 0.0
            if stage == "decay-limit" and not oracle:
                continue  # the model's own gains may never fall that fast
            check(diff > 1e-4, f"{tag}--disable {stage} changes the output", f"max diff {diff:.2e}")
            if stage == "comb":
                check(r.max() == 0.0, f"{tag}--disable comb: every strength 0",
                      f"largest {r.max():.3f}")
            if stage == "postfilter":
                drop = np.min(g[1:] / np.maximum(g[:-1], 1e-9))
                check(drop >= DECAY * (1 - 1e-5), f"{tag}--disable postfilter: no gain falls "
                      f"below half its previous frame's", f"smallest ratio {drop:.4f}")
        _, g, _ = run(d, f"{tag}no postfilter, no decay", ["--disable", "postfilter,decay-limit"],
                      oracle)
        if g is not None and oracle:
            drop = np.min(g[1:] / np.maximum(g[:-1], 1e-9))
            check(drop < DECAY, f"{tag}--disable postfilter,decay-limit: some gain falls faster "
                  f"than the decay limit allows", f"smallest ratio {drop:.4f}")
        out, _, _ = run(d, f"{tag}none", ["--disable", "comb,decay-limit,postfilter"], oracle)
        check(out is not None, f"{tag}--disable with all three stages runs")


def bad(d):
    for v in ("", "comb,", "postfilters", "comb,,postfilter"):
        rc, _, err = ct.run(["--disable", v, NOISY, "-o", os.path.join(d, "x.wav")])
        check(rc == 1 and "--disable" in err and err.count("\n") == 1,
              f"--disable '{v}' is a one-line usage error", f"rc {rc}: {err.strip()}")
        check(not os.path.exists(os.path.join(d, "x.wav")), f"--disable '{v}' writes nothing")


ct.run_groups(stages, bad)
