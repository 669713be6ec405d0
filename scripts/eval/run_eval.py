"""Runs the denoisers over the evaluation set and prints the quality report.

  /usr/bin/python3 -m scripts.eval.run_eval [--valset DATA/eval/valset]
      [--percepnet ./percepnet] [--model FILE.pnm] [--peer-model SHARED/peers/sh.rnnn]
      [--systems percepnet,oracle,arnndn] [--percepnet-args OPTS] [--oracle-args OPTS]
      [--out build/eval] [--jobs 2]
      [--limit N] [--markdown FILE] [--json FILE]
(--limit N: N utterances spread evenly over the set; DATA: $PERCEPNET_DATA, else
data/ under the repository; SHARED: $PERCEPNET_SHARED, else ../shared)

Systems (the noisy input itself is always scored too):
  percepnet  ./percepnet NOISY -o OUT (built-in model, or -m FILE with --model)
  oracle     ./percepnet --oracle CLEAN NOISY -o OUT (ideal gains and strengths
             from the clean file: the ceiling of the signal chain)
  arnndn     ffmpeg -i NOISY -af arnndn=m=PEER_MODEL OUT (the RNNoise peer)
Outputs are float WAV under OUT/<system>/. Each output is aligned to the clean
file by the integer delay (within +-50 ms) that maximises their
cross-correlation; the delays found are printed (percepnet promises 0, ffmpeg's
arnndn delays by 480 samples).

Per file and system:
  SI-SDR      of the output against the clean file, dB (dSI-SDR: minus the
              noisy input's)
  segSNR      segmental SNR (20 ms frames, clamped to -10..35 dB, speech
              frames), dB (dsegSNR: minus the noisy input's)
  STOI, ESTOI intelligibility indices (dESTOI: minus the noisy input's)
  pause       residual level in speech pauses, dBFS, and relative to the
              noisy input in the same frames, dB
  speech      output power over clean power in the clean file's speech
              frames, dB (strongly negative: speech erased)
The report opens with the evaluation set's content hash (build_valset.py)
and the binary's version and model id, then gives the means per input SNR,
per speech level, noise type, steady / non-stationary noise, speaker group,
bandwidth, continuous speech / words and speaker; the damage done to clean
and near-clean input; the ten worst files; and the targets of issue 15 that
need no PESQ. Exit status 0 when every system ran (the targets are reported,
not enforced), 1 when one failed, 2 without an evaluation set.
"""
import argparse
import concurrent.futures as cf
import csv
import json
import os
import shlex
import subprocess
import sys
import warnings
import time

import numpy as np
from scipy.io import wavfile

from scripts.eval import metrics as M

# percepnet writes a LIST chunk (software tag) that scipy does not read
warnings.filterwarnings("ignore", category=wavfile.WavFileWarning)

# the data folder: $PERCEPNET_DATA, else data/ under the repository
DATA_DIR = os.environ.get("PERCEPNET_DATA") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data"))
# the shared folder: $PERCEPNET_SHARED, else "shared" beside the repository
SHARED_DIR = os.environ.get("PERCEPNET_SHARED") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared"))
RATE = 48000
MAX_LAG = 2400  # samples, 50 ms
KEYS = ("sisdr", "dsisdr", "segsnr", "dsegsnr", "stoi", "estoi", "destoi", "pause_dbfs",
        "pause_rel", "speech_db")


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
             *shlex.split(a.percepnet_args), "-O", out_dir, *[it["noisy"] for it in items]])
        return outs
    if system == "oracle":
        cmds = [[a.percepnet, "-q", "-f", "-e", "float", "-b", "32", "--oracle",
                 *shlex.split(a.oracle_args), it["clean"], it["noisy"], "-o", outs[it["noisy"]]]
                for it in items]
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
    """Metrics of one output against the clean file. out None: the noisy
    input itself (no alignment)."""
    if out is None:
        al, lag = noisy[:len(clean)], 0
    else:
        al, lag = M.align(out, clean, MAX_LAG)
    pd, pr = M.pause_levels(al, noisy, clean, RATE)
    st, es = M.stoi_estoi(clean, al, RATE)
    return {"sisdr": M.si_sdr(al, clean), "segsnr": M.seg_snr(al, clean, RATE),
            "stoi": st, "estoi": es, "pause_dbfs": pd, "pause_rel": pr,
            "speech_db": M.speech_change_db(al, clean, RATE), "lag": lag}


def score_item(args):
    sysname, it, out_path = args
    clean = read_wav(it["clean"])
    noisy = read_wav(it["noisy"])
    r = score(clean, noisy, None if out_path is None else read_wav(out_path))
    r.update({"system": sysname, "id": it["id"], "condition": it["condition"]})
    return r


def add_deltas(results):
    """dsisdr, dsegsnr, destoi: each output's figure minus the noisy input's
    on the same file."""
    base = {(r["id"], r["condition"]): r for r in results if r["system"] == "noisy"}
    for r in results:
        b = base[(r["id"], r["condition"])]
        for k, d in (("sisdr", "dsisdr"), ("segsnr", "dsegsnr"), ("estoi", "destoi")):
            r[d] = r[k] - b[k]


def load_valset(valset, prog):
    """The rows of valset/valset.tsv (build_valset.py) as dicts, their clean
    and noisy paths joined to the folder; None, after one line on stderr
    naming prog and the file, when it cannot be read."""
    try:
        with open(os.path.join(valset, "valset.tsv"), newline="") as f:
            items = list(csv.DictReader(f, delimiter="\t"))
    except OSError as e:
        print(f"{prog}: {e.filename}: {e.strerror} (run build_valset.py)", file=sys.stderr)
        return None
    for it in items:
        it["clean"] = os.path.join(valset, it["clean"])
        it["noisy"] = os.path.join(valset, it["noisy"])
    return items


def subset(items, limit):
    """The items of `limit` utterances spread evenly over the set's sorted
    ids (all items when limit is 0 or None), so that a subset still covers
    the levels, contents and noise types that rotate over the utterances."""
    ids = sorted({it["id"] for it in items})
    if not limit or limit >= len(ids):
        return items
    keep = {ids[i * len(ids) // limit] for i in range(limit)}
    return [it for it in items if it["id"] in keep]


def cond_key(c):
    return (1, 0.0) if c == "clean" else (0, float(c))


def fmt(v, digits=2, sign=False):
    if v is None or not np.isfinite(v):
        return "n/a"
    return f"{v:+.{digits}f}" if sign else f"{v:.{digits}f}"


def mean(rs, k):
    v = [r[k] for r in rs if r[k] is not None and np.isfinite(r[k])]
    return float(np.mean(v)) if v else float("nan")


def snr_table(results, systems):
    """Markdown table of the means per condition and system."""
    conds = sorted({r["condition"] for r in results}, key=cond_key)
    lines = ["| input SNR | system | SI-SDR dB | ΔSI-SDR dB | segSNR dB | ΔsegSNR dB | STOI "
             "| ESTOI | ΔESTOI | pause dBFS | pause vs input dB | speech level dB |",
             "|" + "---|" * 12]
    means = {}
    for c in conds:
        for s in ["noisy"] + systems:
            rs = [r for r in results if r["condition"] == c and r["system"] == s]
            if not rs:
                continue
            m = {k: mean(rs, k) for k in KEYS}
            means[(c, s)] = m
            label = "clean input" if c == "clean" else f"{c} dB"
            if c == "clean":  # no noise: no improvement to take
                m = dict(m, dsisdr=float("nan"), dsegsnr=float("nan"), destoi=float("nan"))
                if s == "noisy":
                    m["sisdr"] = m["segsnr"] = float("nan")
            lines.append(f"| {label} | {s} | {fmt(m['sisdr'])} | {fmt(m['dsisdr'], 2, True)} | "
                         f"{fmt(m['segsnr'])} | {fmt(m['dsegsnr'], 2, True)} | "
                         f"{fmt(m['stoi'], 3)} | {fmt(m['estoi'], 3)} | "
                         f"{fmt(m['destoi'], 3, True)} | {fmt(m['pause_dbfs'], 1)} | "
                         f"{fmt(m['pause_rel'], 1)} | {fmt(m['speech_db'], 2, True)} |")
    return "\n".join(lines), means


def is_main(c):
    return c != "clean" and float(c) <= 20


def is_high(c):
    return c != "clean" and float(c) > 20


def group_table(results, items, systems, key, title):
    """Means per value of a manifest column (key: function of an item) and
    system: over the noisy files at -5..20 dB, at 30-40 dB, and on clean
    input."""
    by_file = {(it["id"], it["condition"]): it for it in items}
    values = sorted({key(it) for it in items if key(it) is not None},
                    key=lambda v: (not isinstance(v, (int, float)), v))
    lines = [f"| {title} | system | files −5…20 dB | ΔSI-SDR dB | ΔsegSNR dB | ΔESTOI "
             "| pause vs input dB | ΔSI-SDR at 30–40 dB | clean input: SI-SDR dB |",
             "|" + "---|" * 9]
    for v in values:
        for s in systems:
            rs = [r for r in results if r["system"] == s
                  and key(by_file[(r["id"], r["condition"])]) == v]
            main_rs = [r for r in rs if is_main(r["condition"])]
            high = [r for r in rs if is_high(r["condition"])]
            cl = [r for r in rs if r["condition"] == "clean"]
            lines.append(f"| {v} | {s} | {len(main_rs)} | {fmt(mean(main_rs, 'dsisdr'), 2, True)} "
                         f"| {fmt(mean(main_rs, 'dsegsnr'), 2, True)} "
                         f"| {fmt(mean(main_rs, 'destoi'), 3, True)} "
                         f"| {fmt(mean(main_rs, 'pause_rel'), 1)} "
                         f"| {fmt(mean(high, 'dsisdr'), 2, True)} "
                         f"| {fmt(mean(cl, 'sisdr')) if s != 'noisy' else 'n/a'} |")
    return "\n".join(lines)


def worst_table(results, items, system, n=10):
    """The n noisy files with the lowest ΔSI-SDR of one system."""
    by_file = {(it["id"], it["condition"]): it for it in items}
    base = {(r["id"], r["condition"]): r for r in results if r["system"] == "noisy"}
    rs = sorted([r for r in results if r["system"] == system and r["condition"] != "clean"],
                key=lambda r: (r["dsisdr"], r["id"], cond_key(r["condition"])))[:n]
    lines = ["| file | speaker | level dBov | noise | SI-SDR in → out dB | ΔSI-SDR dB "
             "| segSNR out dB | ΔESTOI | speech level dB |", "|" + "---|" * 9]
    for r in rs:
        it = by_file[(r["id"], r["condition"])]
        b = base[(r["id"], r["condition"])]
        lines.append(f"| {os.path.basename(it['noisy'])} | {it['speaker']} "
                     f"| {float(it['level_dbov']):.1f} | {it['noise_type']} ({it['noise_source']}) "
                     f"| {b['sisdr']:.2f} → {r['sisdr']:.2f} | {r['dsisdr']:+.2f} "
                     f"| {r['segsnr']:.2f} | {r['destoi']:+.3f} | {r['speech_db']:+.2f} |")
    return "\n".join(lines)


def damage_table(results, systems):
    """What each system does to clean and near-clean (40, 30 dB) input."""
    lines = ["| input | system | mean SI-SDR dB | median | worst | files < 25 dB "
             "| segSNR dB | ESTOI | speech level dB (mean / worst) |", "|" + "---|" * 9]
    for c in ("clean", "40", "30"):
        for s in systems:
            rs = [r for r in results if r["system"] == s and r["condition"] == c]
            if not rs:
                continue
            v = np.array([r["sisdr"] for r in rs])
            sp = np.array([r["speech_db"] for r in rs])
            label = "clean" if c == "clean" else f"{c} dB SNR"
            lines.append(f"| {label} | {s} | {v.mean():.2f} | {np.median(v):.2f} | {v.min():.2f} "
                         f"| {int(np.sum(v < 25))} of {len(v)} | {fmt(mean(rs, 'segsnr'))} "
                         f"| {fmt(mean(rs, 'estoi'), 3)} | {sp.mean():+.2f} / "
                         f"{sp[np.argmax(np.abs(sp))]:+.2f} |")
    return "\n".join(lines)


def targets(results, means, conds, items):
    """Lines 'met/MISSED - target: figures': the targets of issue 15 that do
    not need PESQ."""
    out = []

    def get(c, s, k):
        m = means.get((c, s))
        return None if m is None else m[k]

    def line(ok, text):
        out.append(f"{'met   ' if ok else 'MISSED'} - {text}")

    main_c = [c for c in conds if is_main(c)]
    d = [get(c, "percepnet", "dsisdr") for c in main_c]
    if d and None not in d:
        v = float(np.mean(d))
        line(v >= 5.0, f"mean ΔSI-SDR over −5…20 dB (mean of the per-SNR means) >= +5 dB: {v:+.2f}")
    up30 = [c for c in conds if c != "clean" and float(c) <= 30]
    d = [(c, get(c, "percepnet", "dsisdr")) for c in up30 if get(c, "percepnet", "dsisdr") is not None]
    if d:
        c, v = min(d, key=lambda t: t[1])
        line(v > 0, f"ΔSI-SDR positive at every SNR −5…30 dB: lowest {v:+.2f} at {c} dB")
    d = [(c, get(c, "percepnet", "destoi")) for c in main_c if get(c, "percepnet", "destoi") is not None]
    if d:
        v = float(np.mean([t[1] for t in d]))
        line(v >= 0.06, f"ESTOI >= noisy + 0.06 on average over −5…20 dB: {v:+.3f}")
        c, v = min(d, key=lambda t: t[1])
        line(v >= 0, f"ESTOI never below the noisy input's: lowest {v:+.3f} at {c} dB")
    v = get("clean", "percepnet", "sisdr")
    if v is not None:
        line(v >= 25.0, f"clean input: output SI-SDR >= 25 dB: {v:.2f}")
    by_file = {(it["id"], it["condition"]): it for it in items}
    for col, name in (("noise_type", "noise type"), ("speaker_group", "speaker group")):
        worst = None
        for g in sorted({it[col] for it in items if is_main(it["condition"])}):
            rs = [r for r in results if r["system"] == "percepnet" and is_main(r["condition"])
                  and by_file[(r["id"], r["condition"])][col] == g]
            if rs:
                v = mean(rs, "dsisdr")
                if worst is None or v < worst[1]:
                    worst = (g, v)
        if worst:
            line(worst[1] > 0, f"no {name} below the noisy input (ΔSI-SDR over −5…20 dB): "
                               f"lowest {worst[1]:+.2f} ({worst[0]})")
    return out


def set_info(valset):
    """(set hash, input hash, build.json content) of an evaluation set."""
    info = {}
    p = os.path.join(valset, "build.json")
    if os.path.exists(p):
        with open(p) as f:
            info = json.load(f)
    return info.get("set_sha256", "unknown"), info.get("input_sha256", "unknown"), info


def model_line(a):
    """'percepnet 0.1.0 (model ID, cpu X)' of the binary and model used."""
    cmd = [a.percepnet] + (["-m", a.model] if a.model else []) + ["--version"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.stdout.strip().splitlines()[0] if r.stdout.strip() else "percepnet: no version"


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--valset", default=os.path.join(DATA_DIR, "eval", "valset"),
                    help="folder made by build_valset.py")
    ap.add_argument("--percepnet", default=os.path.join(repo, "percepnet"))
    ap.add_argument("--model", help="model file for percepnet (-m); default: built-in")
    ap.add_argument("--peer-model", default=os.path.join(SHARED_DIR, "peers", "sh.rnnn"))
    ap.add_argument("--systems", default="percepnet,oracle,arnndn")
    ap.add_argument("--percepnet-args", default="", help="more options for the percepnet runs "
                    "(e.g. \"--disable postfilter\")")
    ap.add_argument("--oracle-args", default="", help="more options for the oracle runs "
                    "(e.g. --oracle-no-comb)")
    ap.add_argument("--out", default=os.path.join(repo, "build", "eval"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only N utterances, spread over the set")
    ap.add_argument("--markdown", help="also write the report here")
    ap.add_argument("--json", help="per-file results here")
    a = ap.parse_args(argv)

    items = load_valset(a.valset, "run_eval")
    if items is None:
        return 2
    for it in items:
        it["stationarity"] = ("none" if it["noise_type"] == "none" else
                              "non-stationary" if float(it["noise_fluct_db"]) >= 3.0 else "steady")
    items = subset(items, a.limit)
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
    systems = [s for s in systems if any(j[0] == s for j in jobs)]

    t0 = time.time()
    with cf.ProcessPoolExecutor(max_workers=a.jobs) as ex:
        results = list(ex.map(score_item, jobs, chunksize=4))
    add_deltas(results)
    print(f"run_eval: scored {len(results)} outputs in {time.time() - t0:.1f} s", flush=True)
    for s in systems:
        lags = [r["lag"] for r in results if r["system"] == s]
        print(f"run_eval: {s}: delay found {min(lags)}..{max(lags)} samples "
              f"(median {int(np.median(lags))})")

    set_hash, in_hash, info = set_info(a.valset)
    conds = sorted({r["condition"] for r in results}, key=cond_key)
    md_snr, means = snr_table(results, systems)
    all_sys = ["noisy"] + systems
    n_utt = len({it["id"] for it in items})
    tools = info.get("tools", {})
    head = [
        f"Evaluation set sha256 {set_hash}",
        f"(built from validation split sha256 {in_hash}; {n_utt} utterances of "
        f"{len({it['speaker'] for it in items})} speakers x {len(conds)} conditions"
        f"{', a subset (--limit ' + str(a.limit) + ')' if a.limit else ''}; "
        f"python {tools.get('python', '?')}, numpy {tools.get('numpy', '?')}, "
        f"scipy {tools.get('scipy', '?')})",
        f"{model_line(a)}{', model file ' + a.model if a.model else ', built-in model'}"
        f"{'; percepnet options: ' + a.percepnet_args if a.percepnet_args else ''}"
        f"{'; oracle options: ' + a.oracle_args if a.oracle_args else ''}",
    ]
    sections = [
        ("Per input SNR (means over files; speech level: output power over clean power "
         "in the speech frames)", md_snr),
        ("Per speech level (target dBov)", group_table(
            results, items, all_sys, lambda it: int(it["level_target_dbov"]), "level dBov")),
        ("Per noise type", group_table(
            results, items, all_sys,
            lambda it: None if it["noise_type"] == "none" else it["noise_type"], "noise")),
        ("Steady and non-stationary noise (std of the 20 ms noise level >= 3 dB: "
         "non-stationary)", group_table(
             results, items, all_sys,
             lambda it: None if it["stationarity"] == "none" else it["stationarity"], "noise")),
        ("Per speaker group", group_table(
            results, items, all_sys, lambda it: it["speaker_group"], "speakers")),
        ("Per bandwidth of the speech", group_table(
            results, items, all_sys, lambda it: it["bandwidth"], "bandwidth")),
        ("Continuous speech and separate words", group_table(
            results, items, all_sys, lambda it: it["content"], "content")),
        ("Per speaker", group_table(
            results, items, ["noisy", "percepnet"] if "percepnet" in systems else all_sys,
            lambda it: it["speaker"], "speaker")),
        ("Clean-input damage", damage_table(results, systems)),
    ]
    if "percepnet" in systems:
        sections.append(("Worst ten files of percepnet (ΔSI-SDR)",
                         worst_table(results, items, "percepnet")))
    tg = targets(results, means, conds, items)
    text = "\n".join(head) + "\n\n"
    for title, body in sections:
        text += f"### {title}\n\n{body}\n\n"
    text += "### Targets (PESQ not computed)\n\n" + "\n".join("- " + t for t in tg) + "\n"
    print()
    print(text)
    if a.markdown:
        os.makedirs(os.path.dirname(os.path.abspath(a.markdown)), exist_ok=True)
        with open(a.markdown + ".tmp", "w") as f:
            f.write(text)
        os.replace(a.markdown + ".tmp", a.markdown)
    if a.json:
        with open(a.json + ".tmp", "w") as f:
            json.dump({"set_sha256": set_hash, "results": results}, f, indent=1)
        os.replace(a.json + ".tmp", a.json)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
