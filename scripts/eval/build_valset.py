#!/usr/bin/python3
"""Builds the evaluation set: held-out speakers mixed with held-out noises.

  /usr/bin/python3 scripts/eval/build_valset.py [--prepared DATA/prepared]
      [--out DATA/eval/valset] [--utterances 16] [--seconds 8] [--seed 7]

Reads the validation split written by scripts/data/prepare.py
(speech_val.f32/.tsv, noise_val.f32/.tsv: raw float32 48 kHz, one piece per
manifest line with offset and length in samples), whose speakers and noise
files never enter training. Picks --utterances pieces round-robin over the
speakers (at most --seconds of each, from its start), sets each to a speech
level drawn from -32..-20 dBFS RMS, pads 0.5 s of silence before and after
(so every file has speech pauses), and mixes each with an independently drawn
noise window at SNR -5, 0, 5, 10 and 20 dB (SNR = clean energy over noise
energy on the whole file), plus the clean file alone as a sixth condition.
A file whose peak would pass 0.99 is scaled down, clean and noise together.

Writes (32-bit float WAV, 48 kHz mono) OUT/clean/uNN.wav,
OUT/noisy/uNN_snrSS.wav (SS = m05 000 p05 p10 p20, or "clean"), and
OUT/valset.tsv: id, condition (SNR in dB or "clean"), clean, noisy, speaker, speech source, noise
source, level_dbfs, scale. Seeded: the same inputs and seed give the same
files. Skips the work when OUT/valset.tsv exists and is newer than the
inputs (use --force to rebuild).
"""
import argparse
import csv
import os
import sys

import numpy as np
from scipy.io import wavfile

# the data folder: $PERCEPNET_DATA, else data/ under the repository
DATA_DIR = os.environ.get("PERCEPNET_DATA") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data"))
RATE = 48000
SNRS = (-5, 0, 5, 10, 20)
PAD_S = 0.5


def file_tag(snr):
    """File name part of a condition: m05 000 p05 p10 p20, or clean."""
    if snr is None:
        return "clean"
    if snr == 0:
        return "000"
    return ("m" if snr < 0 else "p") + f"{abs(snr):02d}"


def read_manifest(prefix):
    rows = []
    with open(prefix + ".tsv", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            r["offset"] = int(r["offset"])
            r["length"] = int(r["length"])
            rows.append(r)
    data = np.memmap(prefix + ".f32", dtype="<f4", mode="r")
    return rows, data


def noise_window(rng, rows, data, n):
    """n samples of one randomly drawn noise piece (looped if shorter, with a
    20 ms cross-fade at each joint), from a random offset, made zero-mean (a
    DC offset is inaudible but would count in the SNR)."""
    r = rows[int(rng.integers(len(rows)))]
    piece = np.asarray(data[r["offset"]:r["offset"] + r["length"]], dtype=np.float64)
    if len(piece) >= n:
        o = int(rng.integers(len(piece) - n + 1))
        w = piece[o:o + n]
        return w - w.mean(), r
    fade = min(960, len(piece) // 4)
    ramp = np.linspace(0.0, 1.0, fade) if fade else np.zeros(0)
    out = piece.copy()
    while len(out) < n:
        if fade:
            joint = out[-fade:] * (1.0 - ramp) + piece[:fade] * ramp
            out = np.concatenate([out[:-fade], joint, piece[fade:]])
        else:
            out = np.concatenate([out, piece])
    o = int(rng.integers(len(out) - n + 1))
    w = out[o:o + n]
    return w - w.mean(), r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prepared", default=os.path.join(DATA_DIR, "prepared"))
    ap.add_argument("--out", default=os.path.join(DATA_DIR, "eval", "valset"))
    ap.add_argument("--utterances", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=8.0, help="longest speech part per file")
    ap.add_argument("--min-seconds", type=float, default=3.0, help="shortest speech piece used")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args(argv)

    sp_prefix = os.path.join(a.prepared, "speech_val")
    no_prefix = os.path.join(a.prepared, "noise_val")
    inputs = [p + e for p in (sp_prefix, no_prefix) for e in (".f32", ".tsv")]
    missing = [p for p in inputs if not os.path.exists(p)]
    if missing:
        print(f"build_valset: missing {', '.join(missing)} (run scripts/data/prepare.py)",
              file=sys.stderr)
        return 2
    manifest = os.path.join(a.out, "valset.tsv")
    if (not a.force and os.path.exists(manifest)
            and os.path.getmtime(manifest) > max(os.path.getmtime(p) for p in inputs)):
        print(f"build_valset: {manifest} is up to date")
        return 0

    rng = np.random.default_rng(a.seed)
    sp_rows, sp_data = read_manifest(sp_prefix)
    no_rows, no_data = read_manifest(no_prefix)
    min_len = int(a.min_seconds * RATE)
    by_speaker = {}
    for r in sp_rows:
        if r["length"] >= min_len:
            by_speaker.setdefault(r["speaker"], []).append(r)
    speakers = sorted(by_speaker)
    if not speakers:
        print("build_valset: no validation speech piece is long enough", file=sys.stderr)
        return 2
    for s in speakers:
        rng.shuffle(by_speaker[s])
    order = [speakers[i] for i in rng.permutation(len(speakers))]
    picks = []
    k = 0
    while len(picks) < a.utterances and any(by_speaker[s] for s in order):
        s = order[k % len(order)]
        if by_speaker[s]:
            picks.append(by_speaker[s].pop())
        k += 1

    for d in ("clean", "noisy"):
        os.makedirs(os.path.join(a.out, d), exist_ok=True)
    pad = np.zeros(int(PAD_S * RATE))
    lines = []
    max_len = int(a.seconds * RATE)
    for u, r in enumerate(picks):
        uid = f"u{u:02d}"
        n = min(r["length"], max_len)
        sp = np.asarray(sp_data[r["offset"]:r["offset"] + n], dtype=np.float64)
        f = min(480, n // 4)  # 10 ms fade-out where the piece was cut
        sp[n - f:] *= np.linspace(1.0, 0.0, f)
        level = float(rng.uniform(-32.0, -20.0))
        rms = np.sqrt(np.mean(sp ** 2)) + 1e-12
        sp *= 10 ** (level / 20) / rms
        clean = np.concatenate([pad, sp, pad])
        mixes = []
        for snr in SNRS:
            nz, nr = noise_window(rng, no_rows, no_data, len(clean))
            ratio = np.sum(clean ** 2) / (np.sum(nz ** 2) + 1e-20) / 10 ** (snr / 10)
            mixes.append((snr, clean + nz * np.sqrt(ratio), nr["source"]))
        mixes.append((None, clean.copy(), "-"))
        # one scale per utterance keeps the clean file shared by all conditions
        peak = max(np.max(np.abs(m)) for _, m, _ in mixes)
        scale = min(1.0, 0.99 / peak)
        clean_path = os.path.join(a.out, "clean", uid + ".wav")
        wavfile.write(clean_path, RATE, (clean * scale).astype(np.float32))
        for snr, mix, nsrc in mixes:
            c = "clean" if snr is None else str(snr)
            noisy_path = os.path.join(a.out, "noisy", f"{uid}_snr{file_tag(snr)}.wav")
            wavfile.write(noisy_path, RATE, (mix * scale).astype(np.float32))
            lines.append([uid, c, os.path.relpath(clean_path, a.out),
                          os.path.relpath(noisy_path, a.out), r["speaker"], r["source"],
                          nsrc, f"{level + 20 * np.log10(scale):.2f}", f"{scale:.4f}"])
        print(f"build_valset: {uid} {r['speaker']} {n / RATE:.1f} s", flush=True)

    tmp = manifest + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["id", "condition", "clean", "noisy", "speaker", "speech_source",
                    "noise_source", "level_dbfs", "scale"])
        w.writerows(lines)
    os.replace(tmp, manifest)
    print(f"build_valset: {len(picks)} utterances x {len(SNRS) + 1} conditions -> {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
