"""The controls of issue 7 and the analysis outputs, checked with numbers:
attenuation limit in every band (from the gains dump), residual + output ==
input, VAD labels against the dumped VAD, report fields against the files
and the dumps, --md5 against hashlib and metaflac, dump formats (TSV, .npy +
JSON sidecar, C locale, delay-compensated times), linked channels, oracle."""
import hashlib
import json
import os
import subprocess

import numpy as np

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check

NOISY = os.path.join(ct.DATA, "demo_noisy.flac")
CLEAN = os.path.join(ct.DATA, "demo_clean.flac")


def atten_limit(d):
    for lim in (6.0, 12.0):
        g = os.path.join(d, f"g{lim}.tsv")
        rc, _, err = ct.run(["-a", str(lim), "--dump-gains", g, NOISY, "-o", os.path.join(d, f"a{lim}.wav")])
        if not check(rc == 0, f"-a {lim:g} runs", err.strip()):
            continue
        _, h, rows = ct.dump_tsv.read(g)
        gains = ct.dump_tsv.bands(h, rows, "g_")
        floor = 10 ** (-lim / 20)
        worst = gains.min(axis=0)
        check(np.all(worst >= floor * (1 - 1e-5)), f"-a {lim:g}: every band's gain >= {floor:.4f}",
              f"bands below: {np.nonzero(worst < floor * (1 - 1e-5))[0].tolist()} min {worst.min():.5f}")
    g = os.path.join(d, "gnone.tsv")
    rc, _, err = ct.run(["--dump-gains", g, NOISY, "-o", os.path.join(d, "anone.wav")])
    _, h, rows = ct.dump_tsv.read(g)
    gains = ct.dump_tsv.bands(h, rows, "g_")
    check(rc == 0 and gains.min() < 10 ** (-6 / 20), "without -a some gain goes below -6 dB "
          "(so the limit above was tested)", f"min gain {gains.min():.4f}")


def residual(d):
    for name, fmt in (("int16", F["wav"] | S["pcm_16"]), ("float", F["wav"] | S["float"]),
                      ("flac24", F["flac"] | S["pcm_24"])):
        src = os.path.join(d, f"res_{name}.{'flac' if 'flac' in name else 'wav'}")
        ct.write(src, ct.speech(44100, 1.5, 2, seed=4) * 0.9, 44100, fmt)
        out = os.path.join(d, f"res_{name}_out" + os.path.splitext(src)[1])
        res = os.path.join(d, f"res_{name}_res" + os.path.splitext(src)[1])
        rc, _, err = ct.run([src, "-o", out, "--residual", res])
        if not check(rc == 0 and os.path.exists(res), f"--residual {name} runs", err.strip()):
            continue
        as_int = name != "float"
        x, _ = ct.read(src, as_int)
        y, _ = ct.read(out, as_int)
        r, ri = ct.read(res, as_int)
        if as_int:
            err_max = np.max(np.abs(x.astype(np.int64) - y.astype(np.int64) - r.astype(np.int64)))
            ok = err_max == 0
        else:
            err_max = np.max(np.abs(x - y - r))
            ok = err_max <= 1e-6
        check(ok and len(r) == len(x) and ri.channels == 2,
              f"--residual {name}: residual + output == input", f"max error {err_max}")
        check(np.sqrt(np.mean(r.astype(np.float64) ** 2)) > 0, f"--residual {name}: not silent", "")


def labels_and_dumps(d):
    g = os.path.join(d, "lg.tsv")
    p = os.path.join(d, "lp.tsv")
    lab = os.path.join(d, "labels.txt")
    rc, _, err = ct.run([NOISY, "-o", os.path.join(d, "l.wav"), "--dump-gains", g, "--dump-pitch", p,
                         "--vad-labels", lab], env={"LC_ALL": "de_DE.UTF-8", "LC_NUMERIC": "de_DE.UTF-8"})
    if not check(rc == 0, "dumps + labels run", err.strip()):
        return
    pre, h, rows = ct.dump_tsv.read(g)
    text = "\n".join(pre)
    rcv, ver, _ = ct.run(["--version"])
    model = ver.decode().split("model ")[1][:16]
    check("percepnet 0." in text and model in text and "demo_noisy.flac" in text and "--dump-gains" in text,
          "gains dump preamble: version, model id, input, options", text[:200])
    want = ["frame", "time_s", "channel", "vad"] + [f"g_{i}" for i in range(34)] + [f"r_{i}" for i in range(34)]
    check(h == want, "gains dump header row", str(h[:6]))
    n = ct.info(NOISY).frames
    frames = -(-n // 480)
    check(len(rows) == frames and np.array_equal(rows[:, 0], np.arange(frames))
          and np.allclose(rows[:, 1], np.arange(frames) * 0.01, atol=1e-6),
          "one row per 10 ms frame, time_s = frame * 0.01 on the input timeline",
          f"{len(rows)} rows, expected {frames}")
    with open(g) as f:
        body = f.read().split("\n", len(pre) + 1)[-1]
    check("," not in body, "C locale: no decimal commas", body[:80])
    ppre, ph, prow = ct.dump_tsv.read(p)
    check(ph == ["frame", "time_s", "channel", "period", "f0_hz", "correlation", "voiced"],
          "pitch dump header row", str(ph))
    voiced = prow[:, 6] == 1
    f0_ok = np.allclose(prow[voiced, 4], 48000.0 / prow[voiced, 3], rtol=1e-5) and \
        np.all(np.isnan(prow[~voiced, 4]))
    check(len(prow) == frames and f0_ok and np.all((prow[voiced, 3] >= 60) & (prow[voiced, 3] <= 768)),
          "pitch dump: f0 = 48000 / period when voiced, nan when not", f"{voiced.sum()} voiced of {len(prow)}")
    # labels: well-formed, inside the file, covering every frame with VAD >= 0.5
    spans = []
    with open(lab) as f:
        for line in f:
            a, b, word = line.rstrip("\n").split("\t")
            spans.append((float(a), float(b), word))
    dur = n / 48000
    ok = all(w == "speech" and 0 <= a < b <= dur + 1e-6 for a, b, w in spans) and \
        all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    check(ok, "VAD labels: start<TAB>end<TAB>speech, ordered, inside the file", str(spans[:3]))
    # every run of 3+ frames at VAD >= 0.8 (the opening threshold) is
    # covered, and every region starts on a frame at VAD >= 0.8
    vad = rows[:, 3]
    t = rows[:, 1]
    hi = vad >= 0.8
    edges = np.diff(np.concatenate([[0], hi.astype(int), [0]]))
    runs = [(r0, r1) for r0, r1 in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0])
            if r1 - r0 >= 3]
    covered = all(any(a - 1e-6 <= t[i] and t[i] + 0.01 <= b + 1e-6 for a, b, _ in spans)
                  for r0, r1 in runs for i in range(r0, r1))
    starts_ok = all(np.any(hi & (np.abs(t - a) < 1e-6)) for a, _, _ in spans)
    check(covered and starts_ok and (len(spans) > 0) == bool(runs),
          "VAD labels cover every run of 3+ frames at VAD >= 0.8 and start on one",
          f"{len(spans)} regions, {len(runs)} runs, starts ok {starts_ok}")
    # .npy: same numbers as the TSV, JSON sidecar names the columns
    npy = os.path.join(d, "lg.npy")
    rc, _, err = ct.run([NOISY, "-o", os.path.join(d, "l2.wav"), "--dump-gains", npy])
    ok = rc == 0 and os.path.exists(npy) and os.path.exists(os.path.join(d, "lg.json"))
    if ok:
        arr = np.load(npy)
        side = json.load(open(os.path.join(d, "lg.json")))
        ok = arr.dtype == np.float32 and arr.shape == rows.shape and side["columns"] == want and \
            np.allclose(arr, rows, rtol=1e-6, atol=1e-6)
    check(ok, ".npy dump: float32, same values as TSV, JSON sidecar with columns", err.strip())


def report_and_md5(d):
    src = os.path.join(d, "rep.wav")
    ct.write(src, ct.speech(44100, 1.0, 2, seed=5), 44100, F["wav"] | S["pcm_16"])
    src48 = os.path.join(d, "rep48.flac")
    ct.write(src48, ct.speech(48000, 1.0, 1, seed=6), 48000, F["flac"] | S["pcm_24"])
    rep = os.path.join(d, "rep.json")
    g = os.path.join(d, "{}.gains.tsv")
    o = os.path.join(d, "rout")
    os.mkdir(o)
    rc, out, err = ct.run(["--md5", "--report", rep, "-a", "20", "--dump-gains", g, "-O", o, src, src48,
                           os.path.join(d, "missing.wav")])
    lines = open(rep).read().splitlines() if os.path.exists(rep) else []
    objs = [json.loads(l) for l in lines]
    check(rc == 2 and len(objs) == 3 and [x["status"] for x in objs] == ["ok", "ok", "failed"],
          "--report: one JSON object per file, in input order", f"rc={rc} {err.strip()} {lines[:1]}")
    if len(objs) != 3:
        return
    md5_lines = dict(reversed(l.split("  ", 1)) for l in out.decode().splitlines())
    rcv, ver, _ = ct.run(["--version"])
    model = ver.decode().split("model ")[1][:16]
    for r, path, rate, ch in ((objs[0], src, 44100, 2), (objs[1], src48, 48000, 1)):
        base = os.path.basename(path)
        outp = os.path.join(o, base)
        x, xi = ct.read(path)
        y, yi = ct.read(outp)
        _, h, rows = ct.dump_tsv.read(os.path.join(d, os.path.splitext(base)[0] + ".gains.tsv"))
        gains = ct.dump_tsv.bands(h, rows, "g_")
        gdb = 20 * np.log10(np.maximum(gains, 1e-5))
        probs = []
        def near(key, want, tol):
            if not (abs(r[key] - want) <= tol):
                probs.append(f"{key}={r[key]} want {want}")
        near("duration_s", len(x) / rate, 1e-9)
        near("input_rate", rate, 0)
        near("output_rate", rate, 0)
        near("channels", ch, 0)
        near("frames_in", len(x), 0)
        near("frames_out", len(y), 0)
        near("gain_mean_db", gdb.mean(), 0.01)
        near("gain_p10_db", np.percentile(gdb, 10, method="inverted_cdf"), 0.051)
        near("speech_share", np.mean(rows[:, 3] >= 0.5), 1e-9)
        near("input_peak_dbfs", 20 * np.log10(np.abs(x).max()), 0.01)
        near("input_rms_dbfs", 10 * np.log10(np.mean(x.astype(np.float64) ** 2)), 0.01)
        near("output_peak_dbfs", 20 * np.log10(np.abs(y).max()), 0.01)
        near("output_rms_dbfs", 10 * np.log10(np.mean(y.astype(np.float64) ** 2)), 0.01)
        near("clipped_samples", 0, 0)
        near("frames_analysed", len(rows), 0)
        if r["resampling"]["to_48k"] != (rate != 48000) or r["resampling"]["from_48k"] != (rate != 48000):
            probs.append(f"resampling {r['resampling']}")
        if r["model_id"] != model or not ver.decode().startswith("percepnet " + r["version"]):
            probs.append("model/version")
        if r["options"]["atten_lim_db"] != 20 or r["delay_samples_48k"] <= 0 or r["speed_x_realtime"] <= 0:
            probs.append("options/delay/speed")
        if r["output"] != outp or r["md5"] != md5_lines.get(outp):
            probs.append(f"output/md5 {r['output']} {r['md5']} {md5_lines}")
        check(not probs, f"--report fields match what was processed ({base})", "; ".join(probs))
        # --md5: little-endian PCM bytes of the output, as flac hashes them
        xi_int, _ = ct.read(outp, as_int=True)
        bits = 16 if base.endswith(".wav") else 24
        v = (xi_int.astype(np.int64) >> (32 - bits)).reshape(-1)
        by = np.zeros((len(v), bits // 8), np.uint8)
        for b in range(bits // 8):
            by[:, b] = (v >> (8 * b)) & 0xFF
        want = hashlib.md5(by.tobytes()).hexdigest()
        check(md5_lines.get(outp) == want, f"--md5 = MD5 of the output PCM ({base})",
              f"{md5_lines.get(outp)} vs {want}")
        if base.endswith(".flac"):
            meta = subprocess.run(["metaflac", "--show-md5sum", outp], capture_output=True).stdout.decode().strip()
            check(meta == want, "--md5 equals the MD5 flac stores (metaflac --show-md5sum)", f"{meta} vs {want}")
    check(objs[2]["error"] and "missing.wav" in objs[2]["input"], "--report: failed file with its error",
          str(objs[2]))
    rc, out, err = ct.run(["--report", "-", "-f", src, "-o", os.path.join(d, "x.wav")])
    check(rc == 0 and out == b"" and json.loads(err.strip().splitlines()[-1])["status"] == "ok",
          "--report - writes to stderr", err[:100])
    rc, out, err = ct.run(["--md5", "-e", "float", "-f", src, "-o", os.path.join(d, "xf.wav")])
    y, _ = ct.read(os.path.join(d, "xf.wav"))
    check(rc == 0 and out.decode().split()[0] == hashlib.md5(y.astype("<f4").tobytes()).hexdigest(),
          "--md5 of float output = MD5 of float32 little-endian samples", out.decode())


def linked_and_oracle(d):
    src = os.path.join(d, "st.wav")
    ct.write(src, ct.speech(48000, 1.0, 2, seed=8), 48000, F["wav"] | S["pcm_16"])
    g = os.path.join(d, "st.tsv")
    rc, _, err = ct.run(["--channels", "linked", src, "-o", os.path.join(d, "stl.wav"), "--dump-gains", g])
    _, h, rows = ct.dump_tsv.read(g)
    c0, c1 = (ct.dump_tsv.bands(h, rows[rows[:, 2] == c], "g_") for c in (0, 1))
    check(rc == 0 and np.array_equal(c0, c1),
          "--channels linked: one gain per band for both channels", err.strip())
    rc, _, err = ct.run([src, "-o", os.path.join(d, "sti.wav"), "--dump-gains", g, "-f"])
    _, h, rows = ct.dump_tsv.read(g)
    c0, c1 = (ct.dump_tsv.bands(h, rows[rows[:, 2] == c], "g_") for c in (0, 1))
    check(rc == 0 and not np.array_equal(c0, c1),
          "independent channels get their own gains", err.strip())

    def sisdr(ref, x):
        a = np.dot(x, ref) / np.dot(ref, ref)
        return 10 * np.log10(np.sum((a * ref) ** 2) / np.sum((x - a * ref) ** 2))
    out, out0 = os.path.join(d, "or.wav"), os.path.join(d, "or0.wav")
    rc, _, err = ct.run(["--oracle", CLEAN, NOISY, "-o", out])
    rc0, _, err0 = ct.run(["--oracle-no-comb", CLEAN, NOISY, "-o", out0])
    if check(rc == 0 and rc0 == 0, "oracle mode runs", err.strip() + err0.strip()):
        c = ct.read(CLEAN)[0][:, 0].astype(np.float64)
        nz = ct.read(NOISY)[0][:, 0].astype(np.float64)
        o = ct.read(out)[0][:, 0].astype(np.float64)
        o0 = ct.read(out0)[0][:, 0].astype(np.float64)
        gain = sisdr(c, o) - sisdr(c, nz)
        check(len(o) == len(c) and gain > 6, "oracle output is much closer to the clean reference",
              f"SI-SDR {sisdr(c, nz):.1f} -> {sisdr(c, o):.1f} dB")
        check(not np.array_equal(o, o0), "--oracle-no-comb changes the output", "")


def model_file(d):
    """--model loads a model file: the shipped file of the built-in model
    gives the same id and bit-identical output; a corrupt copy is refused."""
    pnm = os.path.join(ct.ROOT, "weights", "default_model.pnm")
    if not os.path.exists(pnm):
        check(False, "--model: weights/default_model.pnm exists", "missing")
        return
    _, v1, _ = ct.run(["--version"])
    rc, v2, err = ct.run(["--model", pnm, "--version"])
    check(rc == 0 and v1 == v2, "--model FILE: model id of the file", f"{v1} vs {v2} {err.strip()}")
    rc1, m1, _ = ct.run(["--md5", NOISY, "-o", os.path.join(d, "m1.flac")])
    rc2, m2, err = ct.run(["--md5", "--model", pnm, NOISY, "-o", os.path.join(d, "m2.flac")])
    check(rc1 == 0 and rc2 == 0 and m1.split()[0] == m2.split()[0],
          "--model with the built-in model's file: identical output", err.strip())
    bad = os.path.join(d, "bad.pnm")
    data = bytearray(open(pnm, "rb").read())
    data[len(data) // 2] ^= 0xFF
    open(bad, "wb").write(bytes(data))
    rc, _, err = ct.run(["--model", bad, NOISY, "-o", os.path.join(d, "m3.flac")])
    check(rc == 1 and "bad.pnm" in err and not os.path.exists(os.path.join(d, "m3.flac")),
          "--model with a corrupted file is refused", f"rc={rc} {err.strip()}")


ct.run_groups(atten_limit, residual, labels_and_dumps, report_and_md5, linked_and_oracle, model_file)
