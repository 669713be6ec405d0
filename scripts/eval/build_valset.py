"""Builds the evaluation set from the validation split of scripts/data/prepare.py.

  /usr/bin/python3 -m scripts.eval.build_valset [--prepared DATA/prepared]
      [--out DATA/eval/valset] [--utterances 30] [--seed 7] [--jobs 2] [--force]
  (DATA: $PERCEPNET_DATA, else data/ under the repository)

Reads only DATA/prepared/speech_val.f32/.tsv and noise_val.f32/.tsv (raw
float32 48 kHz, one piece per manifest line: offset, length, speaker, source,
bandwidth_hz): speakers and noise files that never enter training.

Utterances. Each validation piece is split into its clips at the silent gaps
prepare.py put between them (runs of >= 50 ms of exact zeros). An utterance
joins clips of one speaker (speakers taken in turn, clips without
replacement) until it holds 4-8 s of speech, either as continuous speech
(gaps of 20-100 ms) or as separate words (gaps of 300-700 ms), alternately,
with 0.5 s of silence before and after; it is full-band when every clip
comes from a piece whose bandwidth reaches 14 kHz. Its active speech level (mean power
of the 20 ms frames within 40 dB of the loudest) is set to one of -40, -34,
-28, -22, -16, -10 dBov (0 dBov: a full-scale square wave), in turn.

Conditions. Every utterance is mixed at SNR -5, 0, 5, 10, 20, 30 and 40 dB
(active speech power over the noise's mean power on the whole file) and also
given clean. The noise type rotates over the conditions and utterances, so
that each type meets each SNR equally often:
  steady   generated stationary coloured noise, half of it with mains buzz
  river    generated broadband noise with fast, deep amplitude modulation
  babble   3-6 other validation speakers summed (never the target speaker)
  music / ambience / effects   held-out recordings of noise_val, by source
(a type without material in noise_val is left out). A file whose peak would
pass 0.99 is scaled down, speech and noise together (the level written is
the one reached); its clean reference then gets its own file.

Outputs (32-bit float WAV, 48 kHz mono): OUT/clean/uNN.wav (and
uNN_snrSS.wav for a scaled-down condition), OUT/noisy/uNN_snrSS.wav (SS =
m05 000 p05 p10 p20 p30 p40 or clean), OUT/valset.tsv (one line per noisy
file; columns in MANIFEST_COLUMNS), OUT/build.json (inputs, options, tool
versions, hashes), OUT/valset.sha256.

Reproducible: the result depends only on the content of the validation
split, the options and this script (not on the order of the manifest lines
or of the audio in the .f32 files, not on --jobs, not on the hash seed of the
Python process): pieces are ordered by the SHA-256 of their samples, every
random draw comes from a PCG64 stream seeded by (seed, utterance), energies
are sums in fixed point (noises.fixed_sum), scale factors are rounded to 9 significant
digits, and generated noises use no FFT or libm function (noises.py). The
content hash printed (and kept in OUT/valset.sha256) is SHA-256 over the
manifest and the samples of every file it names; two tables with the same
hash were computed on the same set. The input hash covers the validation
split's pieces. The set is rebuilt when the input hash, the options or this
script's sources changed, or the files no longer match their hash.
"""
import argparse
import hashlib
import json
import math
import multiprocessing
import os
import shutil
import sys

import numpy as np
from scipy.io import wavfile

from scripts.eval import noises

# the data folder: $PERCEPNET_DATA, else data/ under the repository
DATA_DIR = os.environ.get("PERCEPNET_DATA") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data"))
RATE = 48000
SNRS = (-5, 0, 5, 10, 20, 30, 40)
LEVELS = (-40, -34, -28, -22, -16, -10)   # dBov, active speech level
SPEECH_S = (4.0, 8.0)                      # speech per utterance, seconds
GAPS_S = {"continuous": (0.02, 0.10), "words": (0.30, 0.70)}
PAD_S = 0.5
CLIP_GAP = 2400                            # samples of zeros between clips
PEAK_MAX = 0.99
NOISE_CATEGORY = {"colobot-music": "music", "hedgewars-music": "music",
                  "0ad-data": "ambience", "megaglest-data": "ambience",
                  "supertuxkart-data": "effects", "torcs-data": "effects",
                  "sonic-pi-samples": "effects"}
GENERATED = ("steady", "river", "babble")
MANIFEST_COLUMNS = ("id", "condition", "clean", "noisy", "speaker", "speaker_group",
                    "bandwidth", "content", "speech_s", "level_target_dbov", "level_dbov",
                    "noise_type", "noise_source", "noise_fluct_db", "scale")


def file_tag(snr):
    """File name part of a condition: m05 000 p05 p10 p20 p30 p40, or clean."""
    if snr is None:
        return "clean"
    if snr == 0:
        return "000"
    return ("m" if snr < 0 else "p") + f"{abs(snr):02d}"


def q9(v):
    """v rounded to 9 significant digits: a last-bit difference of a libm
    function between machines does not reach the samples."""
    return float(f"{v:.9g}")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_split(prefix):
    """Manifest rows of a split (dicts with offset, length, speaker, source,
    bandwidth_hz, digest) in content order, and the samples (memmap)."""
    rows = []
    with open(prefix + ".tsv", newline="") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            r["offset"] = int(r["offset"])
            r["length"] = int(r["length"])
            rows.append(r)
    data = np.memmap(prefix + ".f32", dtype="<f4", mode="r")
    for r in rows:
        if r["offset"] < 0 or r["offset"] + r["length"] > len(data):
            raise ValueError(f"{prefix}.tsv: a piece lies outside {prefix}.f32")
        r["digest"] = hashlib.sha256(
            np.ascontiguousarray(data[r["offset"]:r["offset"] + r["length"]]).tobytes()
        ).hexdigest()
    rows.sort(key=lambda r: (r.get("speaker", ""), r["source"], r["digest"]))
    return rows, data


def input_hash(speech_rows, noise_rows):
    h = hashlib.sha256()
    for name, rows in (("speech", speech_rows), ("noise", noise_rows)):
        for r in rows:
            h.update(f"{name}\t{r.get('speaker', '')}\t{r['source']}\t{r['bandwidth_hz']}\t"
                     f"{r['digest']}\n".encode())
    return h.hexdigest()


def split_clips(x):
    """(start, end) of the clips of a piece: stretches between runs of at
    least CLIP_GAP exact zeros."""
    nz = np.flatnonzero(x != 0.0)
    if len(nz) == 0:
        return []
    cuts = np.flatnonzero(np.diff(nz) > CLIP_GAP)
    starts = np.concatenate([[nz[0]], nz[cuts + 1]])
    ends = np.concatenate([nz[cuts] + 1, [nz[-1] + 1]])
    return [(int(a), int(b)) for a, b in zip(starts, ends) if b - a >= 480]


def stable_int(text):
    return int(hashlib.sha256(text.encode()).hexdigest()[:16], 16)


def speaker_group(speaker):
    return speaker.split(":")[0]


def active_power(x):
    """Mean power of the 20 ms frames whose energy is within 40 dB of the
    loudest frame's (exact sums)."""
    size = RATE // 50
    m = len(x) // size
    e = np.einsum("ij,ij->i", x[:m * size].reshape(m, size), x[:m * size].reshape(m, size))
    act = e > e.max() * 1e-4
    return noises.mean_square(x[:m * size].reshape(m, size)[act].ravel())


def noise_window(rng, piece, n):
    """n samples of a noise piece from a random offset, looped with a 20 ms
    linear cross-fade at each joint when the piece is shorter."""
    piece = np.asarray(piece, dtype=np.float64)
    if len(piece) >= n:
        o = int(rng.integers(len(piece) - n + 1))
        return piece[o:o + n].copy()
    fade = min(960, len(piece) // 4)
    ramp = np.arange(fade) / fade
    out = piece.copy()
    while len(out) < n + len(piece):
        if fade:
            joint = out[-fade:] * (1.0 - ramp) + piece[:fade] * ramp
            out = np.concatenate([out[:-fade], joint, piece[fade:]])
        else:
            out = np.concatenate([out, piece])
    o = int(rng.integers(len(out) - n + 1))
    return out[o:o + n].copy()


def fluct_db(x):
    """Standard deviation over 20 ms frames of the frame level in dB (0 for
    a perfectly steady noise): how non-stationary a noise window is."""
    size = RATE // 50
    m = len(x) // size
    f = x[:m * size].reshape(m, size)
    e = np.einsum("ij,ij->i", f, f) / size
    return float(np.std(10 * np.log10(e + 1e-20)))


# Set by main() before the worker pool forks: the splits and the plan.
G = {}


def clip(ref):
    ri, a, b = ref
    r = G["speech_rows"][ri]
    return np.asarray(G["speech"][r["offset"] + a:r["offset"] + b], dtype=np.float64)


def make_noise(rng, kind, n, target):
    """(samples with unit mean square, source label) of one noise type."""
    if kind == "steady":
        return noises.steady(rng, n)
    if kind == "river":
        return noises.river(rng, n)
    if kind == "babble":
        others = [s for s in G["speakers"] if s != target]
        k = min(len(others), int(rng.integers(3, 7)))
        voices = []
        for j in rng.permutation(len(others))[:k]:
            refs = G["clips"][others[int(j)]]
            picks = [refs[int(i)] for i in rng.permutation(len(refs))[:6]]
            voices.append(np.concatenate([clip(p) for p in picks]))
        x, label = noises.babble(rng, n, voices)
        return x, label
    rows = G["noise_by_type"][kind]
    r = rows[int(rng.integers(len(rows)))]
    piece = G["noise"][r["offset"]:r["offset"] + r["length"]]
    x = noise_window(rng, piece, n)
    x = x - noises.fixed_sum(x) / n
    ms = noises.mean_square(x)
    return (x / math.sqrt(ms) if ms > 0 else x), r["source"]


def build_utterance(u):
    """Writes the files of utterance u; returns its manifest lines."""
    plan = G["plan"][u]
    out = G["out"]
    rng = np.random.default_rng([G["seed"], u])
    spk = plan["speaker"]
    parts = []
    for i, ref in enumerate(plan["clips"]):
        if i:
            lo, hi = GAPS_S[plan["content"]]
            parts.append(np.zeros(int(rng.integers(int(lo * RATE), int(hi * RATE) + 1))))
        parts.append(clip(ref))
    speech = np.concatenate(parts)
    gain = q9(math.sqrt(10.0 ** (plan["level"] / 10.0) / active_power(speech)))
    pad = np.zeros(int(PAD_S * RATE))
    clean = np.concatenate([pad, speech * gain, pad])
    n = len(clean)
    p_speech = active_power(clean)
    uid = f"u{u:02d}"
    clean_rel = os.path.join("clean", uid + ".wav")
    wavfile.write(os.path.join(out, clean_rel), RATE, clean.astype(np.float32))
    lines = []
    for k, snr in enumerate(list(SNRS) + [None]):
        if snr is None:
            kind, src, fl = "none", "-", 0.0
            mix, scale = clean, 1.0
            peak = float(np.max(np.abs(clean)))
            if peak > PEAK_MAX:
                scale = q9(PEAK_MAX / peak)
        else:
            kind = plan["noise"][k]
            nz, src = make_noise(rng, kind, n, spk)
            nz = nz * q9(math.sqrt(p_speech / 10.0 ** (snr / 10.0)))
            fl = fluct_db(nz)
            mix = clean + nz
            peak = float(np.max(np.abs(mix)))
            scale = q9(PEAK_MAX / peak) if peak > PEAK_MAX else 1.0
        tag = file_tag(snr)
        c_rel = clean_rel
        if scale != 1.0:
            c_rel = os.path.join("clean", f"{uid}_snr{tag}.wav")
            wavfile.write(os.path.join(out, c_rel), RATE, (clean * scale).astype(np.float32))
        n_rel = os.path.join("noisy", f"{uid}_snr{tag}.wav")
        wavfile.write(os.path.join(out, n_rel), RATE, (mix * scale).astype(np.float32))
        level = plan["level"] + 20.0 * math.log10(scale)
        lines.append([uid, "clean" if snr is None else str(snr), c_rel, n_rel, spk,
                      speaker_group(spk), plan["bandwidth"], plan["content"],
                      f"{len(speech) / RATE:.2f}", str(plan["level"]), f"{level:.2f}",
                      kind, src, f"{fl:.1f}", f"{scale:.9g}"])
    return lines


def make_plan(speakers, clips, rows, n_utt, noise_types, seed):
    """Speaker, clips, content, level and noise types of every utterance."""
    rng = np.random.default_rng([seed, 1 << 30])
    order = [speakers[int(i)] for i in rng.permutation(len(speakers))]
    pools = {}
    for s in speakers:
        r = np.random.default_rng([seed, stable_int(s) & 0x7FFFFFFF])
        pools[s] = [clips[s][int(i)] for i in r.permutation(len(clips[s]))]
    used = {s: 0 for s in speakers}
    plan = []
    for u in range(n_utt):
        s = order[u % len(order)]
        want = int(rng.integers(int(SPEECH_S[0] * RATE), int(SPEECH_S[1] * RATE) + 1))
        refs, have = [], 0
        while have < want and len(refs) < len(pools[s]):
            ref = pools[s][used[s] % len(pools[s])]
            used[s] += 1
            refs.append(ref)
            have += ref[2] - ref[1]
        t = len(noise_types)
        bw = min(float(rows[ref[0]]["bandwidth_hz"]) for ref in refs)
        plan.append({"speaker": s, "clips": refs,
                     "bandwidth": "full-band" if bw >= 14000 else "band-limited",
                     "content": ("continuous", "words")[u % 2],
                     "level": LEVELS[(u // 2) % len(LEVELS)],
                     "noise": [noise_types[(u + k) % t] for k in range(len(SNRS))]})
    return plan


def set_hash(out, lines):
    """SHA-256 over valset.tsv and the float32 samples of every file it
    names (in name order)."""
    h = hashlib.sha256()
    with open(os.path.join(out, "valset.tsv"), "rb") as f:
        h.update(f.read())
    for rel in sorted({ln[2] for ln in lines} | {ln[3] for ln in lines}):
        _, x = wavfile.read(os.path.join(out, rel))
        h.update(rel.encode() + b"\0")
        h.update(np.ascontiguousarray(x, dtype="<f4").tobytes())
    return h.hexdigest()


def read_lines(out):
    with open(os.path.join(out, "valset.tsv")) as f:
        f.readline()
        return [ln.rstrip("\n").split("\t") for ln in f]


def fingerprint(args):
    """Hash of the options and of the sources that make the set."""
    h = hashlib.sha256(json.dumps(args, sort_keys=True).encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("build_valset.py", "noises.py"):
        h.update(bytes.fromhex(sha256_file(os.path.join(here, name))))
    return h.hexdigest()


def tool_versions():
    import platform

    import scipy
    return {"python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prepared", default=os.path.join(DATA_DIR, "prepared"),
                    help="folder of speech_val.* and noise_val.*")
    ap.add_argument("--out", default=os.path.join(DATA_DIR, "eval", "valset"))
    ap.add_argument("--utterances", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--force", action="store_true", help="rebuild even when up to date")
    a = ap.parse_args(argv)

    sp_prefix = os.path.join(a.prepared, "speech_val")
    no_prefix = os.path.join(a.prepared, "noise_val")
    for p in (sp_prefix + ".f32", sp_prefix + ".tsv", no_prefix + ".f32", no_prefix + ".tsv"):
        if not os.path.exists(p):
            print(f"build_valset: {p}: missing (make data prepares the validation split)", file=sys.stderr)
            return 2
    try:
        sp_rows, sp_data = read_split(sp_prefix)
        no_rows, no_data = read_split(no_prefix)
    except (OSError, ValueError, KeyError) as e:
        print(f"build_valset: {e}", file=sys.stderr)
        return 2
    in_hash = input_hash(sp_rows, no_rows)
    options = {"utterances": a.utterances, "seed": a.seed}
    fp = fingerprint(options)
    out = os.path.abspath(a.out)
    info_path = os.path.join(out, "build.json")
    if not a.force and os.path.exists(info_path):
        with open(info_path) as f:
            info = json.load(f)
        if info.get("input_sha256") == in_hash and info.get("builder_sha256") == fp \
                and set_hash(out, read_lines(out)) == info.get("set_sha256"):
            print(f"build_valset: {out} is up to date")
            print(f"build_valset: set sha256 {info['set_sha256']}")
            return 0

    clips = {}
    for i, r in enumerate(sp_rows):
        x = np.asarray(sp_data[r["offset"]:r["offset"] + r["length"]])
        clips.setdefault(r["speaker"], []).extend((i, a0, b0) for a0, b0 in split_clips(x))
    speakers = sorted(s for s in clips if clips[s])
    if len(speakers) < 2:
        print("build_valset: fewer than two validation speakers", file=sys.stderr)
        return 2
    by_type = {}
    for r in no_rows:
        by_type.setdefault(NOISE_CATEGORY.get(r["source"], "other"), []).append(r)
    noise_types = list(GENERATED) + sorted(by_type)

    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for d in ("clean", "noisy"):
        os.makedirs(os.path.join(tmp, d))
    G.update(speech_rows=sp_rows, speech=sp_data, noise=no_data, noise_by_type=by_type,
             speakers=speakers, clips=clips, seed=a.seed, out=tmp,
             plan=make_plan(speakers, clips, sp_rows, a.utterances, noise_types, a.seed))
    if a.jobs > 1:
        with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
            per_utt = pool.map(build_utterance, range(a.utterances), chunksize=1)
    else:
        per_utt = [build_utterance(u) for u in range(a.utterances)]
    lines = [ln for utt in per_utt for ln in utt]
    with open(os.path.join(tmp, "valset.tsv"), "w", newline="") as f:
        f.write("\t".join(MANIFEST_COLUMNS) + "\n")
        for ln in lines:
            f.write("\t".join(ln) + "\n")
    h = set_hash(tmp, lines)
    info = {"input_sha256": in_hash, "builder_sha256": fp, "set_sha256": h,
            "options": options, "speakers": speakers, "noise_types": noise_types,
            "tools": tool_versions()}
    with open(os.path.join(tmp, "build.json"), "w") as f:
        json.dump(info, f, indent=1, sort_keys=True)
    with open(os.path.join(tmp, "valset.sha256"), "w") as f:
        f.write(f"{h}  valset\n")
    old = out + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(out):
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
    print(f"build_valset: {a.utterances} utterances of {len(speakers)} speakers x "
          f"{len(SNRS) + 1} conditions, noise types {', '.join(noise_types)} -> {out}")
    print(f"build_valset: input sha256 {in_hash}")
    print(f"build_valset: set sha256 {h}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
