#!/usr/bin/python3
"""Runs the denoisers over the evaluation set and prints the quality table.

  /usr/bin/python3 scripts/eval/run_eval.py [--valset DATA/eval/valset]
      [--percepnet ./percepnet] [--model FILE.pnm] [--peer-model SHARED/peers/sh.rnnn]
      [--systems percepnet,oracle,arnndn] [--out build/eval] [--jobs 2]
      [--markdown FILE] [--json FILE]

Systems (the noisy input itself is always scored too):
  percepnet  ./percepnet NOISY -o OUT (built-in model, or -m FILE with --model)
  oracle     ./percepnet --oracle CLEAN NOISY -o OUT (ideal gains and strengths
             from the clean file: the ceiling of the signal chain)
  arnndn     ffmpeg -i NOISY -af arnndn=m=PEER_MODEL OUT (the RNNoise peer)
Outputs are float WAV under OUT/<system>/. Each output is aligned to the clean
file by the integer delay (within +-50 ms) that maximises their
cross-correlation; the delays found are printed (percepnet promises 0, ffmpeg's
arnndn delays by 480 samples).

Per condition (input SNR, and "clean" = clean input) and system, the mean over
files of:
  SI-SDR      of the output against the clean file, dB
  dSI-SDR     improvement over the noisy input's SI-SDR, dB
  segSNR      segmental SNR (20 ms frames, clamped to -10..35 dB, speech frames)
  STOI, ESTOI intelligibility indices (scripts/eval/metrics.py)
  pause       residual level in speech pauses, dBFS, and (pause-rel) relative
              to the noisy input in the same frames, dB
then the targets of the model card are checked. Exit status 0 when every
system ran (the targets are reported, not enforced), 1 otherwise.
"""
import argparse
import concurrent.futures as cf
import csv
import json
import os
import subprocess
import sys
import time

import numpy as np
from scipy.io import wavfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics as M  # noqa: E402

# the data folder: $PERCEPNET_DATA, else data/ under the repository
DATA_DIR = os.environ.get("PERCEPNET_DATA") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data"))
# the shared folder: $PERCEPNET_SHARED, else "shared" beside the repository
SHARED_DIR = os.environ.get("PERCEPNET_SHARED") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared"))
RATE = 48000
MAX_LAG = 2400  # samples, 50 ms
KEYS = ("sisdr", "dsisdr", "segsnr", "stoi", "estoi", "pause_dbfs", "pause_rel")


def read_wav(path):
    rate, x = wavfile.read(path)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if x.dtype.kind == "i":
        x = x.astype(np.float64) / float(np.iinfo(x.dtype).max + 1)
    if rate != RATE:
        raise ValueError(f"{path}: {rate} Hz, expected {RATE}")
    return np.asarray(x, dtype=np.float64)


def run(cmd):
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[-400:]}")


def produce(system, items, a, out_dir):
    """Runs one system over every item; returns {noisy path: output path}."""
    os.makedirs(out_dir, exist_ok=True)
    outs = {it["noisy"]: os.path.join(out_dir, os.path.basename(it["noisy"])) for it in items}
    model = ["-m", a.model] if a.model else []
    if system == "percepnet":
        # one call in batch mode: -O keeps each input's name
        run([a.percepnet, "-q", "-f", "-j", str(a.jobs), "-e", "float", "-b", "32", *model,
             "-O", out_dir, *[it["noisy"] for it in items]])
        return outs
    if system == "oracle":
        cmds = [[a.percepnet, "-q", "-f", "-e", "float", "-b", "32", "--oracle",
                 it["clean"], it["noisy"], "-o", outs[it["noisy"]]] for it in items]
    elif system == "arnndn":
        cmds = [["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", it["noisy"],
                 "-af", f"arnndn=m={a.peer_model}", "-c:a", "pcm_f32le",
                 outs[it["noisy"]]] for it in items]
    else:
        raise ValueError(f"unknown system {system}")
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        list(ex.map(run, cmds))
    return outs


def score(clean, noisy, out):
    """Metrics of one output (aligned to clean) plus the delay found."""
    al, lag = M.align(out, clean, MAX_LAG)
    pd, pr = M.pause_levels(al, noisy, clean, RATE)
    s = M.si_sdr(al, clean)
    return {"sisdr": s, "dsisdr": s - M.si_sdr(noisy, clean),
            "segsnr": M.seg_snr(al, clean, RATE), "stoi": M.stoi(clean, al, RATE),
            "estoi": M.estoi(clean, al, RATE), "pause_dbfs": pd, "pause_rel": pr,
            "lag": lag}


def score_item(args):
    sysname, it, out_path = args
    clean = read_wav(it["clean"])
    noisy = read_wav(it["noisy"])
    out = noisy if out_path is None else read_wav(out_path)
    if out_path is None:
        al = noisy[:len(clean)]
        pd, pr = M.pause_levels(al, noisy, clean, RATE)
        s = M.si_sdr(al, clean)
        r = {"sisdr": s, "dsisdr": 0.0, "segsnr": M.seg_snr(al, clean, RATE),
             "stoi": M.stoi(clean, al, RATE), "estoi": M.estoi(clean, al, RATE),
             "pause_dbfs": pd, "pause_rel": pr, "lag": 0}
    else:
        r = score(clean, noisy, out)
    r.update({"system": sysname, "id": it["id"], "condition": it["condition"]})
    return r


def cond_key(c):
    return (1, 0.0) if c == "clean" else (0, float(c))


def fmt(v, digits=2):
    return "n/a" if v is None or not np.isfinite(v) else f"{v:.{digits}f}"


def table(results, systems):
    """Markdown table of the means per condition and system."""
    conds = sorted({r["condition"] for r in results}, key=cond_key)
    head = ("| input SNR | system | SI-SDR dB | ΔSI-SDR dB | segSNR dB | STOI | ESTOI "
            "| pause dBFS | pause vs input dB |")
    lines = [head, "|" + "---|" * 9]
    means = {}
    for c in conds:
        for s in ["noisy"] + systems:
            rs = [r for r in results if r["condition"] == c and r["system"] == s]
            if not rs:
                continue
            m = {k: float(np.nanmean([r[k] for r in rs])) for k in KEYS}
            m["n"] = len(rs)
            means[(c, s)] = m
            label = "clean input" if c == "clean" else f"{c} dB"
            if c == "clean":  # no noise: SI-SDR is the damage, no improvement to take
                m["dsisdr"] = float("nan")
                if s == "noisy":
                    m["sisdr"] = m["segsnr"] = float("nan")
            lines.append(f"| {label} | {s} | {fmt(m['sisdr'])} | {fmt(m['dsisdr'])} | "
                         f"{fmt(m['segsnr'])} | {fmt(m['stoi'], 3)} | {fmt(m['estoi'], 3)} | "
                         f"{fmt(m['pause_dbfs'], 1)} | {fmt(m['pause_rel'], 1)} |")
    return "\n".join(lines), means


def targets(means, conds):
    """Lines 'met/missed - target: figures' of the model card's targets."""
    out = []

    def get(c, s, k):
        m = means.get((c, s))
        return None if m is None else m[k]

    def line(ok, text):
        out.append(f"{'met   ' if ok else 'MISSED'} - {text}")

    for c, need in (("0", 8.0), ("10", 3.0)):
        v = get(c, "percepnet", "dsisdr")
        if v is not None:
            line(v >= need, f"ΔSI-SDR at {c} dB input >= {need:.0f} dB: {v:.2f} dB "
                            f"({v - need:+.2f})")
    snr_conds = [c for c in conds if c != "clean"]
    worst = [(c, get(c, "percepnet", "estoi") - get(c, "noisy", "estoi"))
             for c in snr_conds if get(c, "percepnet", "estoi") is not None]
    if worst:
        c, d = min(worst, key=lambda t: t[1])
        line(d >= 0, f"ESTOI never below the noisy input's: worst {d:+.3f} at {c} dB")
    v = get("clean", "percepnet", "sisdr")
    if v is not None:
        line(v > 25.0, f"clean input SI-SDR > 25 dB: {v:.2f} dB ({v - 25.0:+.2f})")
    for k, name in (("dsisdr", "ΔSI-SDR"), ("estoi", "ESTOI")):
        diffs = [(c, get(c, "percepnet", k) - get(c, "arnndn", k)) for c in snr_conds
                 if get(c, "percepnet", k) is not None and get(c, "arnndn", k) is not None]
        if diffs:
            c, d = min(diffs, key=lambda t: t[1])
            line(d > 0, f"better than arnndn on {name} at every SNR: smallest margin "
                        f"{d:+.3f} at {c} dB")
    return out


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--valset", default=os.path.join(DATA_DIR, "eval", "valset"))
    ap.add_argument("--percepnet", default=os.path.join(repo, "percepnet"))
    ap.add_argument("--model", help="model file for percepnet (-m); default: built-in")
    ap.add_argument("--peer-model", default=os.path.join(SHARED_DIR, "peers", "sh.rnnn"))
    ap.add_argument("--systems", default="percepnet,oracle,arnndn")
    ap.add_argument("--out", default=os.path.join(repo, "build", "eval"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only the first N utterances")
    ap.add_argument("--markdown", help="also write the table here")
    ap.add_argument("--json", help="per-file results here")
    a = ap.parse_args(argv)

    with open(os.path.join(a.valset, "valset.tsv"), newline="") as f:
        items = list(csv.DictReader(f, delimiter="\t"))
    for it in items:
        it["clean"] = os.path.join(a.valset, it["clean"])
        it["noisy"] = os.path.join(a.valset, it["noisy"])
    if a.limit:
        keep = sorted({it["id"] for it in items})[:a.limit]
        items = [it for it in items if it["id"] in keep]
    systems = [s for s in a.systems.split(",") if s]
    if "arnndn" in systems and not os.path.exists(a.peer_model):
        print(f"run_eval: peer model {a.peer_model} missing: arnndn skipped", file=sys.stderr)
        systems.remove("arnndn")

    ok = True
    jobs = [("noisy", it, None) for it in items]
    for s in systems:
        t0 = time.time()
        try:
            outs = produce(s, items, a, os.path.join(a.out, s))
        except (RuntimeError, OSError) as e:
            print(f"run_eval: {s} failed: {e}", file=sys.stderr)
            ok = False
            continue
        print(f"run_eval: {s}: {len(items)} files in {time.time() - t0:.1f} s", flush=True)
        jobs += [(s, it, outs[it["noisy"]]) for it in items]

    t0 = time.time()
    with cf.ProcessPoolExecutor(max_workers=a.jobs) as ex:
        results = list(ex.map(score_item, jobs, chunksize=4))
    print(f"run_eval: scored {len(results)} outputs in {time.time() - t0:.1f} s", flush=True)
    for s in systems:
        lags = [r["lag"] for r in results if r["system"] == s]
        if lags:
            print(f"run_eval: {s}: delay found {min(lags)}..{max(lags)} samples "
                  f"(median {int(np.median(lags))})")

    md, means = table(results, [s for s in systems if any(r["system"] == s for r in results)])
    n_utt = len({it["id"] for it in items})
    title = (f"{n_utt} utterances x {len({it['condition'] for it in items})} conditions, "
             f"model {a.model or 'built-in'}")
    tg = targets(means, sorted({r["condition"] for r in results}, key=cond_key))
    print()
    print(title)
    print()
    print(md)
    print()
    print("Targets:")
    for t in tg:
        print("  " + t)
    if a.markdown:
        os.makedirs(os.path.dirname(os.path.abspath(a.markdown)), exist_ok=True)
        with open(a.markdown, "w") as f:
            f.write(title + "\n\n" + md + "\n\nTargets:\n" + "\n".join("- " + t for t in tg) + "\n")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
