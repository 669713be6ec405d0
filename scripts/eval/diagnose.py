"""Where the model loses against the oracle: band gains, comb strengths and
VAD of both on the evaluation set, per band and per input SNR.

  /usr/bin/python3 -m scripts.eval.diagnose --valset DATA/eval/valset
      [--percepnet ./percepnet] [--model FILE.pnm] [--out build/diagnose]
      [--jobs 2] [--limit N] [--markdown FILE]

Runs `percepnet --dump-gains` (the model) and `percepnet --oracle CLEAN NOISY
--dump-gains` on every noisy file of the set (build_valset.py) and compares
the dumps frame by frame (10 ms frames, delay-compensated times).

Frame classes, from the clean reference: the 10 ms frame's energy within
40 dB of the file's loudest frame is speech; more than 50 dB below it (or
digital silence) is noise-only; frames in between are left out.

Printed per band (34 ERB bands, peak frequency in Hz) and per input SNR, means
over frames of:
  gain error, speech frames   20 log10(g_model / g_oracle), dB, with both
                              gains floored at -40 dB (negative: the model
                              attenuates more than the oracle)
  gain error, noise frames    the same in noise-only frames
  strength error, speech      r_model - r_oracle (comb strengths, 0..1)
and per input SNR: the mean model gain and oracle gain over bands in speech
frames, and the VAD's accuracy against the frame classes (threshold 0.5):
mean VAD in speech and in noise-only frames, share of speech frames read
as speech, of noise frames read as noise. Clean input is a condition of
its own (its noise-only frames are digital silence).

Then, per input SNR, the speech the oracle keeps (band cells of speech frames
whose oracle gain is above 0.7) split by the frame's level below the loudest
clean frame (0-20, 20-30, 30-40 dB): the mean gain error there and the share
of those cells the model attenuates by more than 3 dB beyond the oracle.
Quiet speech (onsets, tails, weak consonants) lost here costs ESTOI on
near-clean input even when the mean gain error is small.
"""
import argparse
import concurrent.futures as cf
import os
import subprocess
import sys
import warnings

import numpy as np
from scipy.io import wavfile

from scripts.eval import dump_tsv
from scripts.eval import run_eval as R
from scripts.export import bands

# percepnet writes a LIST chunk (software tag) that scipy does not read
warnings.filterwarnings("ignore", category=wavfile.WavFileWarning)

RATE = 48000
FRAME = 480
BANDS = 34
FLOOR_DB = -40.0
KEEP_GAIN = 0.7
# frame level below the loudest clean frame, dB: (label, upper, lower)
LEVELS = (("0-20", 0.0, -20.0), ("20-30", -20.0, -30.0), ("30-40", -30.0, -40.0))


def run(cmd):
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[-400:]}")


def load_dump(path):
    """(time_s, vad, gains (frames x 34), strengths (frames x 34))."""
    _, header, x = dump_tsv.read(path)
    return (dump_tsv.column(header, x, "time_s"), dump_tsv.column(header, x, "vad"),
            dump_tsv.bands(header, x, "g_", BANDS), dump_tsv.bands(header, x, "r_", BANDS))


def frame_classes(clean, times):
    """(class, level) per dumped frame: class 1 speech, 0 noise-only, -1
    neither; level in dB below the loudest frame (-inf for silence)."""
    starts = np.round(times * RATE).astype(int)
    e = np.zeros(len(starts))
    for i, s in enumerate(starts):
        seg = clean[max(s, 0):max(s, 0) + FRAME]
        e[i] = np.sum(seg.astype(np.float64) ** 2) if len(seg) else 0.0
    top = e.max() if len(e) else 0.0
    cls = np.full(len(e), -1)
    level = np.full(len(e), -np.inf)
    if top <= 0:
        return cls, level
    cls[e > top * 1e-4] = 1
    cls[e < top * 1e-5] = 0
    with np.errstate(divide="ignore"):
        level = 10 * np.log10(e / top)
    return cls, level


def analyse(args):
    """Per-file sums, keyed by what they measure."""
    it, model_dump, oracle_dump = args
    _, clean = wavfile.read(it["clean"])
    t, vad, gm, rm = load_dump(model_dump)
    t2, _, go, ro = load_dump(oracle_dump)
    n = min(len(t), len(t2))
    t, vad, gm, rm, go, ro = t[:n], vad[:n], gm[:n], rm[:n], go[:n], ro[:n]
    cls, level = frame_classes(np.asarray(clean, dtype=np.float64), t)
    lo = 10 ** (FLOOR_DB / 20)
    err = 20 * np.log10(np.maximum(gm, lo) / np.maximum(go, lo))
    sp, nz = cls == 1, cls == 0
    kept = {}
    for name, hi, low in LEVELS:
        cells = ((level <= hi) & (level > low))[:, None] & (go > KEEP_GAIN)
        kept[f"kept_n_{name}"] = int(cells.sum())
        kept[f"kept_err_{name}"] = float(err[cells].sum())
        kept[f"kept_low_{name}"] = int((err[cells] < -3).sum())
    return {**kept,
        "n_sp": int(sp.sum()), "n_nz": int(nz.sum()),
        "gerr_sp": err[sp].sum(axis=0), "gerr_nz": err[nz].sum(axis=0),
        "rerr_sp": (rm - ro)[sp].sum(axis=0),
        "gm_sp": gm[sp].sum(), "go_sp": go[sp].sum(),
        "rm_sp": rm[sp].sum(), "ro_sp": ro[sp].sum(),
        "vad_sp": vad[sp].sum(), "vad_nz": vad[nz].sum(),
        "hit_sp": int((vad[sp] >= 0.5).sum()), "hit_nz": int((vad[nz] < 0.5).sum()),
    }


def cond_key(c):
    return (1, 0.0) if c == "clean" else (0, float(c))


def band_centres(repo):
    """Peak frequency of each band in Hz (50 Hz per bin), read from the
    core's own table (scripts/export/bands.py); None when it cannot be read."""
    try:
        return [50 * b for b in bands.edges(repo)]
    except (OSError, ValueError):
        return None


def fmt(v, d=1):
    return "n/a" if not np.isfinite(v) else f"{v:+.{d}f}"


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--valset", required=True)
    ap.add_argument("--percepnet", default=os.path.join(repo, "percepnet"))
    ap.add_argument("--model")
    ap.add_argument("--out", default=os.path.join(repo, "build", "diagnose"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only N utterances, spread over the set")
    ap.add_argument("--markdown")
    a = ap.parse_args(argv)

    items = R.load_valset(a.valset, "diagnose")
    if items is None:
        return 2
    items = R.subset(items, a.limit)
    dm, do, audio = (os.path.join(a.out, d) for d in ("model", "oracle", "audio"))
    for d in (dm, do, audio):
        os.makedirs(d, exist_ok=True)
    model = ["-m", a.model] if a.model else []

    def stem(it):
        return os.path.splitext(os.path.basename(it["noisy"]))[0]

    cmds = [[a.percepnet, "-q", "-f", *model, "--dump-gains", os.path.join(dm, stem(it) + ".tsv"),
             it["noisy"], "-o", os.path.join(audio, stem(it) + ".model.wav")] for it in items]
    cmds += [[a.percepnet, "-q", "-f", "--oracle", "--dump-gains",
              os.path.join(do, stem(it) + ".tsv"), it["clean"], it["noisy"],
              "-o", os.path.join(audio, stem(it) + ".oracle.wav")] for it in items]
    try:
        with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            list(ex.map(run, cmds))
        with cf.ProcessPoolExecutor(max_workers=a.jobs) as ex:
            per_file = list(ex.map(analyse, [(it, os.path.join(dm, stem(it) + ".tsv"),
                                              os.path.join(do, stem(it) + ".tsv"))
                                             for it in items], chunksize=4))
    except (RuntimeError, OSError) as e:
        print(f"diagnose: {e}", file=sys.stderr)
        return 1

    conds = sorted({it["condition"] for it in items}, key=cond_key)
    tot = {}
    for it, r in zip(items, per_file):
        acc = tot.setdefault(it["condition"], {})
        for k, v in r.items():
            acc[k] = acc.get(k, 0) + v
    labels = ["clean" if c == "clean" else f"{c} dB" for c in conds]
    edges = band_centres(repo) or ["?"] * BANDS
    out = []
    n_utt = len({it["id"] for it in items})
    out.append(f"{n_utt} utterances, {len(items)} files; model "
               f"{a.model or 'built-in'} against `percepnet --oracle`; frames: speech within "
               f"40 dB of the loudest clean frame, noise-only 50 dB or more below it")
    for key, nkey, title, d in (("gerr_sp", "n_sp", "Gain error in speech frames, dB "
                                 "(model - oracle; gains floored at -40 dB)", 1),
                                ("gerr_nz", "n_nz", "Gain error in noise-only frames, dB "
                                 "(model - oracle; gains floored at -40 dB)", 1),
                                ("rerr_sp", "n_sp", "Comb-strength error in speech frames "
                                 "(model - oracle)", 2)):
        out.append(f"\n### {title}\n")
        out.append("| band | centre Hz | " + " | ".join(labels) + " |")
        out.append("|" + "---|" * (len(labels) + 2))
        for b in range(BANDS):
            vals = [tot[c][key][b] / tot[c][nkey] if tot[c][nkey] else float("nan")
                    for c in conds]
            out.append(f"| {b} | {edges[b]} | " + " | ".join(fmt(v, d) for v in vals) + " |")
        vals = [float(np.sum(tot[c][key]) / (BANDS * tot[c][nkey])) if tot[c][nkey]
                else float("nan") for c in conds]
        out.append("| all | | " + " | ".join(fmt(v, d) for v in vals) + " |")
    out.append("\n### Per input SNR: speech-frame means and the VAD\n")
    out.append("| input | speech frames | noise frames | model gain | oracle gain | model strength "
               "| oracle strength | VAD in speech | VAD in noise | speech read as speech "
               "| noise read as noise |")
    out.append("|" + "---|" * 11)
    for c, lab in zip(conds, labels):
        t = tot[c]
        ns, nn = t["n_sp"], t["n_nz"]

        def per(k, n):
            return t[k] / n if n else float("nan")
        out.append(f"| {lab} | {ns} | {nn} | {per('gm_sp', ns * BANDS):.3f} "
                   f"| {per('go_sp', ns * BANDS):.3f} | {per('rm_sp', ns * BANDS):.3f} "
                   f"| {per('ro_sp', ns * BANDS):.3f} | {per('vad_sp', ns):.3f} "
                   f"| {per('vad_nz', nn):.3f} | {100 * per('hit_sp', ns):.1f} % "
                   f"| {100 * per('hit_nz', nn):.1f} % |")
    out.append(f"\n### Speech the oracle keeps (oracle gain > {KEEP_GAIN}), by frame level\n")
    out.append("Band cells of frames 0-20, 20-30 and 30-40 dB below the loudest clean frame: "
               "mean gain error, dB (model - oracle), and the share more than 3 dB low.\n")
    out.append("| input | " + " | ".join(f"{n} dB: cells | error | > 3 dB low"
                                          for n, _, _ in LEVELS) + " |")
    out.append("|" + "---|" * (1 + 3 * len(LEVELS)))
    for c, lab in zip(conds, labels):
        t = tot[c]
        cols = []
        for n, _, _ in LEVELS:
            k = t[f"kept_n_{n}"]
            cols.append(f"{k} | {fmt(t[f'kept_err_{n}'] / k if k else float('nan'), 2)} "
                        f"| {100 * t[f'kept_low_{n}'] / k if k else float('nan'):.1f} %")
        out.append(f"| {lab} | " + " | ".join(cols) + " |")
    text = "\n".join(out) + "\n"
    print(text)
    if a.markdown:
        with open(a.markdown + ".tmp", "w") as f:
            f.write(text)
        os.replace(a.markdown + ".tmp", a.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
