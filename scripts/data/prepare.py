"""prepare.py - turn the fetched speech and noise into the dump tool's input.

  /usr/bin/python3 -m scripts.data.prepare [--data-dir DIR]
      [--speech-dir DIR ...] [--noise-dir DIR ...] [--no-default-sources]
      [--jobs 2] [--seed 1] [--val-fraction 0.07]

Reads the packages unpacked by fetch.sh (DATA_DIR/debian), the shared speech
folder, and any --speech-dir / --noise-dir (speaker = first-level sub-folder).
Writes DATA_DIR/prepared/:
  speech_train.f32 speech_val.f32 noise_train.f32 noise_val.f32
      raw little-endian float32, 48 kHz mono, pieces concatenated
  <same>.tsv   one line per piece: offset, length (samples), speaker, source,
               bandwidth_hz, licence (header line first)
  summary.txt  hours per source and split, speakers, dropped clips
Steps: decode every clip to 48 kHz mono (cached per clip in
DATA_DIR/prepared/cache, so a restart only decodes what is missing); measure
bandwidth, clipping and dynamic range; drop clipped (> 0.1 % of samples) or
noisy (dynamic range < 15 dB) speech (the shared folder's clips passed their
curator's clipping check and skip ours); hold out whole speakers (and some noise
files) as the validation split; join 5-15 clips of one speaker with 50-400 ms
gaps into pseudo-utterances (seeded).
"""

import argparse
import collections
import hashlib
import json
import multiprocessing
import os
import sys
import time

import numpy as np

from scripts.data import audio_stats as st
from scripts.data import sources

RATE = st.RATE
MAX_CLIPPED = 0.001      # fraction of samples
MIN_DYN_RANGE_DB = 15.0
MIN_SPEECH_S = 0.25
MIN_NOISE_S = 0.3
MAX_UTT_S = 30.0         # pseudo-utterances stop growing past this
# Music is one noise type among many: cap each music source (minutes).
NOISE_SOURCE_CAP_MIN = {"colobot-music": 6.0, "hedgewars-music": 6.0}
FADE = 240               # 5 ms raised-cosine fade at every clip edge


def analyse(args):
    """Worker: decode one clip, trim silence (speech), measure, cache."""
    e, cache_dir = args
    out = st.cache_path(cache_dir, e["path"])
    try:
        x = st.decode(e["path"])
    except Exception as ex:  # unreadable file: reported, never fatal
        return {"path": e["path"], "error": str(ex)[:200]}
    res = {"path": e["path"], "n_raw": int(len(x))}
    if len(x) == 0:
        res["error"] = "empty"
        return res
    res["md5"] = hashlib.md5(x[: 10 * RATE].tobytes()).hexdigest()
    res["clipped"] = st.clipped_fraction(x)
    res["rms_db"] = float(10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-20))
    if e["kind"] == "speech":
        a, b = st.trim_bounds(x)
        x = x[a:b]
        res["dyn_range_db"] = st.dynamic_range_db(x)
    res["bandwidth_hz"] = e["cutoff_hz"] if e["cutoff_hz"] > 0 else st.bandwidth_hz(x)
    res["n"] = int(len(x))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = out + ".tmp"
    x.astype("<f4").tofile(tmp)
    os.replace(tmp, out)
    return res


def load_stats(path):
    stats = {}
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue  # a line cut by an interrupted run
                stats[r["path"]] = r
    return stats


def run_analysis(entries, cache_dir, stats_path, jobs):
    stats = load_stats(stats_path)
    # clips that failed before are tried again: a decoder installed since
    # then reads them
    todo = [e for e in entries if e["path"] not in stats or "error" in stats[e["path"]]
            or not os.path.exists(st.cache_path(cache_dir, e["path"]))]
    print("analyse: %d clips, %d cached, %d to decode" % (len(entries), len(entries) - len(todo),
                                                          len(todo)), file=sys.stderr)
    t0 = time.time()
    with open(stats_path, "a") as fh, multiprocessing.Pool(jobs) as pool:
        for i, r in enumerate(pool.imap_unordered(analyse, [(e, cache_dir) for e in todo],
                                                  chunksize=8)):
            stats[r["path"]] = r
            fh.write(json.dumps(r) + "\n")
            if (i + 1) % 500 == 0 or i + 1 == len(todo):
                fh.flush()
                el = time.time() - t0
                print("  decoded %d/%d  %.0f s  eta %.0f s" % (
                    i + 1, len(todo), el, el / (i + 1) * (len(todo) - i - 1)), file=sys.stderr)
    return stats


def choose_val(keys_durations, fraction, seed, max_share=0.03):
    """Validation keys: in a seeded hash order, take keys (speakers / noise
    files) until their duration reaches `fraction` of the total, skipping
    any single key larger than max_share of the total (so one big speaker
    never leaves training)."""
    total = sum(keys_durations.values())
    order = sorted(keys_durations, key=lambda k: hashlib.sha1(("%d:%s" % (seed, k)).encode())
                   .hexdigest())
    val, acc = set(), 0.0
    for k in order:
        if acc >= fraction * total:
            break
        if keys_durations[k] > max_share * total:
            continue
        val.add(k)
        acc += keys_durations[k]
    if not val and len(order) >= 2 and fraction > 0:
        val.add(order[0])  # small corpora: every key is "big"; still hold one out
    return val


def read_clip(cache_dir, path):
    return np.fromfile(st.cache_path(cache_dir, path), dtype="<f4")


def faded(x):
    x = x.copy()
    n = min(FADE, len(x) // 2)
    if n > 0:
        w = 0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / n)
        x[:n] *= w
        x[-n:] *= w[::-1]
    return x


class Writer:
    """Appends pieces to NAME.f32 and their manifest lines to NAME.tsv
    (written to .tmp and renamed at close, so a cut run leaves no half
    file behind)."""

    def __init__(self, out_dir, name):
        self.base = os.path.join(out_dir, name)
        self.f = open(self.base + ".f32.tmp", "wb")
        self.t = open(self.base + ".tsv.tmp", "w")
        self.t.write("offset\tlength\tspeaker\tsource\tbandwidth_hz\tlicence\n")
        self.offset = 0
        self.per_source = collections.Counter()
        self.speakers = set()

    def add(self, x, speaker, source, bw, licence):
        x = np.asarray(x, dtype="<f4")
        self.f.write(x.tobytes())
        self.t.write("%d\t%d\t%s\t%s\t%.0f\t%s\n" % (self.offset, len(x), speaker, source, bw,
                                                   licence))
        self.offset += len(x)
        self.per_source[source] += len(x)
        if speaker:
            self.speakers.add(speaker)

    def close(self):
        self.f.close()
        self.t.close()
        os.replace(self.base + ".f32.tmp", self.base + ".f32")
        os.replace(self.base + ".tsv.tmp", self.base + ".tsv")


def write_speech(w, clips, cache_dir, rng):
    """clips: list of (entry, stat) of one split. Groups by speaker and
    source (one person may appear in a full-band and a band-limited
    collection: joined, the piece would get the lower bandwidth), shuffles
    (seeded) and joins 5-15 clips (at most MAX_UTT_S) with 50-400 ms gaps."""
    by_spk = collections.defaultdict(list)
    for e, s in clips:
        by_spk[(e["speaker"], e["source"])].append((e, s))
    for key in sorted(by_spk):
        spk = key[0]
        lst = by_spk[key]
        lst.sort(key=lambda es: es[0]["path"])
        order = rng.permutation(len(lst))
        i = 0
        while i < len(order):
            k = int(rng.integers(5, 16))
            parts, bw, lic, dur, src = [], 1e9, set(), 0, None
            while i < len(order) and len(parts) < k and dur < MAX_UTT_S * RATE:
                e, s = lst[order[i]]
                i += 1
                x = faded(read_clip(cache_dir, e["path"]))
                if parts:
                    gap = int(rng.integers(int(0.05 * RATE), int(0.4 * RATE) + 1))
                    parts.append(np.zeros(gap, dtype=np.float32))
                    dur += gap
                parts.append(x)
                dur += len(x)
                bw = min(bw, s["bandwidth_hz"])
                lic.add(e["licence"])
                src = e["source"] if src is None or src == e["source"] else src
            w.add(np.concatenate(parts), spk, src, bw, "+".join(sorted(lic)))


def write_noise(w, clips, cache_dir):
    for e, s in sorted(clips, key=lambda es: es[0]["path"]):
        x = faded(read_clip(cache_dir, e["path"]))
        w.add(x, "", e["source"], s["bandwidth_hz"], e["licence"])


def unpack_0ad(deb):
    """0ad-data keeps its audio in a zip: take audio/ambient/ (minus the
    reserved water folder) into DATA_DIR/debian/0ad-ambient once."""
    import zipfile
    out = os.path.join(deb, "0ad-ambient")
    z = os.path.join(deb, "0ad-data/usr/share/games/0ad/mods/public/public.zip")
    if os.path.exists(os.path.join(out, ".done")) or not os.path.exists(z):
        return
    with zipfile.ZipFile(z) as zf:
        for n in zf.namelist():
            if n.startswith("audio/ambient/") and "/water/" not in n and \
                    n.lower().endswith(sources.AUDIO_EXT):
                zf.extract(n, out)
    open(os.path.join(out, ".done"), "w").close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=sources.DATA_DIR)
    ap.add_argument("--shared-speech", default=os.path.join(sources.SHARED_DIR, "data", "speech"))
    ap.add_argument("--speech-dir", action="append", default=[])
    ap.add_argument("--noise-dir", action="append", default=[])
    ap.add_argument("--no-default-sources", action="store_true",
                    help="use only --speech-dir / --noise-dir")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--val-fraction", type=float, default=0.07)
    a = ap.parse_args()
    # A missing decoder would drop every clip it decodes as "unreadable" and
    # so silently make another data set.
    missing = st.missing_decoders()
    if missing:
        sys.exit("prepare: %s not found: install the data dependencies (make data-deps)"
                 % " and ".join(missing))

    deb = os.path.join(a.data_dir, "debian")
    out = os.path.join(a.data_dir, "prepared")
    cache = os.path.join(out, "cache")
    os.makedirs(cache, exist_ok=True)

    entries = []
    if not a.no_default_sources:
        unpack_0ad(deb)
        entries += sources.shared_speech(a.shared_speech)
        entries += sources.debian_speech(deb)
        entries += sources.debian_noise(deb)
    for i, d in enumerate(a.speech_dir):
        entries += sources.user_dir(d, "speech", "user-speech%d" % i)
    for i, d in enumerate(a.noise_dir):
        entries += sources.user_dir(d, "noise", "user-noise%d" % i)
    assert not any(sources.is_reserved(e["path"]) for e in entries)
    if not entries:
        sys.exit("prepare: no input clips found")

    stats = run_analysis(entries, cache, os.path.join(out, "stats.jsonl"), a.jobs)

    dropped = collections.Counter()
    speech, noise, seen_md5 = [], [], set()
    for e in entries:
        s = stats.get(e["path"])
        tag = e["source"]
        if s is None or "error" in s:
            dropped[(tag, "unreadable")] += 1
            continue
        if s["md5"] in seen_md5:
            dropped[(tag, "duplicate")] += 1
            continue
        seen_md5.add(s["md5"])
        if e["kind"] == "speech":
            if s["n"] < MIN_SPEECH_S * RATE:
                dropped[(tag, "too short")] += 1
            elif s["clipped"] > MAX_CLIPPED and not e.get("vetted"):
                dropped[(tag, "clipped")] += 1
            elif s["dyn_range_db"] < MIN_DYN_RANGE_DB:
                dropped[(tag, "dynamic range < 15 dB")] += 1
            else:
                speech.append((e, s))
        else:
            if s["n"] < MIN_NOISE_S * RATE or s["rms_db"] < -70:
                dropped[(tag, "too short or silent")] += 1
            else:
                noise.append((e, s))

    # Music caps (seeded choice of files).
    rng = np.random.default_rng(a.seed)
    capped = []
    by_src = collections.defaultdict(list)
    for es in noise:
        by_src[es[0]["source"]].append(es)
    for src in sorted(by_src):
        lst = sorted(by_src[src], key=lambda es: es[0]["path"])
        cap = NOISE_SOURCE_CAP_MIN.get(src)
        if cap is not None:
            lst = [lst[i] for i in rng.permutation(len(lst))]
            keep, acc = [], 0
            for es in lst:
                if acc >= cap * 60 * RATE:
                    dropped[(src, "over the music cap")] += 1
                    continue
                keep.append(es)
                acc += es[1]["n"]
            lst = keep
        capped += lst
    noise = capped

    spk_dur = collections.Counter()
    for e, s in speech:
        spk_dur[e["speaker"]] += s["n"]
    # Full-band speakers (median clip bandwidth >= 14 kHz) and the rest are
    # held out separately, each at val_fraction of its own duration, so the
    # validation split measures the bands above 8 kHz too.
    spk_bws = collections.defaultdict(list)
    for e, s in speech:
        spk_bws[e["speaker"]].append(s["bandwidth_hz"])
    full = {k: d for k, d in spk_dur.items() if np.median(spk_bws[k]) >= 14000}
    rest = {k: d for k, d in spk_dur.items() if k not in full}
    val_spk = choose_val(full, a.val_fraction, a.seed) | choose_val(rest, a.val_fraction, a.seed)
    noise_dur = {e["path"]: s["n"] for e, s in noise}
    val_noise = choose_val(noise_dur, 0.1, a.seed, max_share=0.02)

    summary = []
    for name, items, is_val in (("speech_train", [c for c in speech if c[0]["speaker"] not in val_spk], False),
                                ("speech_val", [c for c in speech if c[0]["speaker"] in val_spk], True),
                                ("noise_train", [c for c in noise if c[0]["path"] not in val_noise], False),
                                ("noise_val", [c for c in noise if c[0]["path"] in val_noise], True)):
        w = Writer(out, name)
        print("write %s: %d clips" % (name, len(items)), file=sys.stderr)
        if name.startswith("speech"):
            write_speech(w, items, cache, np.random.default_rng(a.seed + (7 if is_val else 0)))
        else:
            write_noise(w, items, cache)
        w.close()
        summary.append("%s: %.2f h, %d pieces, %d speakers" % (
            name, w.offset / RATE / 3600, len(items), len(w.speakers)))
        for src, n in sorted(w.per_source.items()):
            summary.append("  %-32s %7.2f h" % (src, n / RATE / 3600))
        if name.startswith("speech"):
            summary.append("  speakers: " + ", ".join(sorted(w.speakers)))
    summary.append("dropped clips (source, reason, count):")
    for (src, why), n in sorted(dropped.items()):
        summary.append("  %-32s %-24s %d" % (src, why, n))
    summary.append("seed %d, validation fraction %.3f, inputs: shared=%s speech-dirs=%s "
                   "noise-dirs=%s default-sources=%s" % (
                       a.seed, a.val_fraction, a.shared_speech, a.speech_dir, a.noise_dir,
                       not a.no_default_sources))
    for name in ("speech_val", "noise_val"):
        if os.path.getsize(os.path.join(out, name + ".f32")) == 0:
            summary.append("WARNING: %s is empty (fewer than two speakers / noise files?)" % name)
    text = "\n".join(summary) + "\n"
    with open(os.path.join(out, "summary.txt"), "w") as fh:
        fh.write(text)
    sys.stderr.write(text)


if __name__ == "__main__":
    main()
