#!/usr/bin/python3
"""scripts/eval/build_valset.py builds the same set (same content hash) from
the same validation split whatever the order of its manifest lines and of
the audio in its .f32 files, the number of worker processes and the hash
seed of the Python process; a changed input sample changes the hash; the
levels and SNRs written are the ones asked for."""
import csv
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.io import wavfile

BUILD = [sys.executable, "-m", "scripts.eval.build_valset"]
RATE = 48000
failures = 0


def check(name, cond, why=""):
    global failures
    if cond:
        print(f"ok - {name}")
    else:
        failures += 1
        print(f"not ok - {name}: {why}")


def voice(rng, seconds):
    """A harmonic clip with a syllable-rate envelope and 5 ms fades."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    f0 = rng.uniform(100, 250)
    x = sum(0.6 ** k * np.sin(2 * np.pi * k * f0 * t + rng.uniform(0, 6)) for k in range(1, 12))
    x *= 0.3 + np.abs(np.sin(2 * np.pi * rng.uniform(2, 5) * t))
    ramp = np.arange(240) / 240
    x[:240] *= ramp
    x[-240:] *= ramp[::-1]
    return (0.1 * x / np.max(np.abs(x))).astype(np.float32)


def make_split(seed):
    """Speech pieces (4 speakers x 2 pieces of 3 clips joined with zero gaps)
    and noise pieces of two sources: lists of (fields, samples)."""
    rng = np.random.default_rng(seed)
    speech, noise = [], []
    for s in range(4):
        for _ in range(2):
            parts = []
            for c in range(3):
                if c:
                    parts.append(np.zeros(int(rng.integers(2500, 12000)), dtype=np.float32))
                parts.append(voice(rng, rng.uniform(0.6, 1.4)))
            spk = f"tuxpaint:l{s}" if s < 2 else f"gcompris:P{s}"
            speech.append(({"speaker": spk, "source": spk.split(":")[0],
                            "bandwidth_hz": "16000" if s % 2 else "9000", "licence": "x"},
                           np.concatenate(parts)))
    for src in ("0ad-data", "colobot-music", "0ad-data"):
        x = rng.standard_normal(int(rng.uniform(1.5, 4.0) * RATE)).astype(np.float32) * 0.05
        noise.append(({"speaker": "", "source": src, "bandwidth_hz": "16000",
                       "licence": "x"}, x))
    return speech, noise


def write_split(folder, name, pieces, order):
    cols = ["offset", "length", "speaker", "source", "bandwidth_hz", "licence"]
    off = 0
    with open(os.path.join(folder, name + ".f32"), "wb") as f, \
            open(os.path.join(folder, name + ".tsv"), "w", newline="") as t:
        w = csv.writer(t, delimiter="\t", lineterminator="\n")
        w.writerow(cols)
        rows = []
        for i in order:
            fields, x = pieces[i]
            f.write(x.astype("<f4").tobytes())
            rows.append([off, len(x)] + [fields[c] for c in cols[2:]])
            off += len(x)
        # manifest lines in yet another order than the audio
        for r in sorted(rows, key=lambda r: -r[1]):
            w.writerow(r)


def prepared(folder, speech, noise, reverse):
    os.makedirs(folder)
    so = list(range(len(speech)))[::-1] if reverse else list(range(len(speech)))
    no = list(range(len(noise)))[::-1] if reverse else list(range(len(noise)))
    write_split(folder, "speech_val", speech, so)
    write_split(folder, "noise_val", noise, no)


def build(prep, out, jobs, hashseed, extra=()):
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
    r = subprocess.run(BUILD + ["--prepared", prep, "--out", out,
                                "--utterances", "4", "--jobs", str(jobs), *extra],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if r.returncode != 0:
        return None, r.stderr.strip()[-300:]
    with open(os.path.join(out, "valset.sha256")) as f:
        return f.read().split()[0], r.stdout


def main():
    speech, noise = make_split(3)
    with tempfile.TemporaryDirectory() as d:
        pa, pb, pc = (os.path.join(d, n) for n in ("prep_a", "prep_b", "prep_c"))
        prepared(pa, speech, noise, False)
        prepared(pb, speech, noise, True)
        ha, outa = build(pa, os.path.join(d, "set_a"), 1, 1)
        hb, outb = build(pb, os.path.join(d, "set_b"), 2, 2)
        check("valset builds", ha is not None and hb is not None, f"{outa} {outb}")
        if ha is None or hb is None:
            return 1
        check("same set hash from reordered manifests and audio, 1 vs 2 jobs, other hash seed",
              ha == hb, f"{ha} vs {hb}")
        same = all(open(os.path.join(d, "set_a", "valset.tsv")).read() ==
                   open(os.path.join(d, "set_b", "valset.tsv")).read() for _ in (0,))
        check("identical manifests", same)

        h2, out2 = build(pa, os.path.join(d, "set_a"), 2, 5)
        check("a second build of an up-to-date set keeps it", h2 == ha and "up to date" in out2,
              out2)
        victim = os.path.join(d, "set_a", "noisy", "u00_snr000.wav")
        rate, x = wavfile.read(victim)
        x[1000] += 0.01
        wavfile.write(victim, rate, x)
        h3, out3 = build(pa, os.path.join(d, "set_a"), 1, 1)
        check("a set whose files no longer match their hash is rebuilt",
              h3 == ha and "up to date" not in out3, out3)

        sp2 = [(f, x.copy()) for f, x in speech]
        sp2[5][1][3000] += 1e-4
        prepared(pc, sp2, noise, False)
        hc, _ = build(pc, os.path.join(d, "set_c"), 1, 1)
        check("one changed input sample changes the set hash", hc is not None and hc != ha,
              f"{hc} == {ha}")

        # the levels and SNRs of the files are the ones the manifest gives
        sa = os.path.join(d, "set_a")
        with open(os.path.join(sa, "valset.tsv"), newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        conds = sorted({r["condition"] for r in rows}, key=lambda c: (c == "clean", c))
        check("eight conditions per utterance", len(rows) == 4 * 8 and len(conds) == 8,
              f"{len(rows)} rows, conditions {conds}")
        worst_snr = worst_lvl = 0.0
        for r in rows:
            _, c = wavfile.read(os.path.join(sa, r["clean"]))
            _, y = wavfile.read(os.path.join(sa, r["noisy"]))
            c = c.astype(np.float64)
            y = y.astype(np.float64)
            size = RATE // 50
            m = len(c) // size
            fr = c[:m * size].reshape(m, size)
            e = np.sum(fr * fr, axis=1)
            act = fr[e > e.max() * 1e-4].ravel()
            p = np.mean(act ** 2)
            worst_lvl = max(worst_lvl, abs(10 * math.log10(p) - float(r["level_dbov"])))
            if r["condition"] != "clean":
                nz = y - c
                snr = 10 * math.log10(p / np.mean(nz ** 2))
                worst_snr = max(worst_snr, abs(snr - float(r["condition"])))
            check_peak = np.max(np.abs(y)) <= 0.99 + 1e-6
            if not check_peak:
                worst_lvl = float("inf")
        check("active speech level within 0.05 dB of the manifest's", worst_lvl < 0.05,
              f"worst {worst_lvl:.3f} dB")
        check("SNR within 0.05 dB of the condition", worst_snr < 0.05, f"worst {worst_snr:.3f} dB")
        groups = {r["noise_type"] for r in rows}
        check("generated and recorded noise types present",
              {"steady", "river", "babble", "ambience", "music"} <= groups, str(groups))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
