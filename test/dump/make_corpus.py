"""make_corpus.py OUT_DIR - a tiny prepared corpus for the dump tool's test:
speech_*.f32/.tsv of synthetic voiced 'syllables' (harmonics of a 100-250 Hz
glide under a formant-like envelope, with pauses) from 3 'speakers', one of
them band-limited to 4 kHz in its manifest; noise_*.f32/.tsv of two
Gaussian noises. Deterministic (numpy seed 5)."""
import os
import sys

import numpy as np

RATE = 48000
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(5)


def syllable(f0, dur):
    n = int(dur * RATE)
    t = np.arange(n) / RATE
    f = f0 * (1 + 0.1 * np.sin(2 * np.pi * 3 * t))
    ph = 2 * np.pi * np.cumsum(f) / RATE
    x = np.zeros(n)
    for k in range(1, int(8000 / f0)):
        fk = k * f0
        amp = np.exp(-((fk - 700) / 400) ** 2) + 0.5 * np.exp(-((fk - 1800) / 600) ** 2) + 0.02
        x += amp * np.sin(k * ph)
    env = np.sin(np.pi * np.arange(n) / n) ** 0.5
    return 0.1 * x * env


def write(name, pieces):
    with open(os.path.join(out, name + ".f32"), "wb") as f, \
            open(os.path.join(out, name + ".tsv"), "w") as t:
        t.write("offset\tlength\tspeaker\tsource\tbandwidth_hz\tlicence\n")
        off = 0
        for x, spk, bw in pieces:
            x = np.asarray(x, dtype="<f4")
            f.write(x.tobytes())
            t.write("%d\t%d\t%s\ttest\t%d\ttest\n" % (off, len(x), spk, bw))
            off += len(x)


for split, nspk in (("train", 3), ("val", 1)):
    pieces = []
    for s in range(nspk):
        bw = 4000 if s == 1 else 20000
        for u in range(4):
            parts = []
            for _ in range(6):
                parts.append(syllable(rng.uniform(100, 250), rng.uniform(0.15, 0.4)))
                parts.append(np.zeros(int(rng.uniform(0.05, 0.3) * RATE)))
            pieces.append((np.concatenate(parts), "spk%d" % s, bw))
    write("speech_" + split, pieces)
    write("noise_" + split, [(0.05 * rng.standard_normal(3 * RATE), "", 24000),
                             (0.05 * np.cumsum(rng.standard_normal(2 * RATE)) / 100, "", 24000)])
