"""Hostile audio through the CLI: each signal is written as a 32-bit float
WAV (16-bit for the silence case too), denoised by ./percepnet with
--report, and the output is read back.

Every case: exit 0, as many frames out as in, every sample finite and
bounded (a 16-bit output within full scale; a float output, which the CLI
does not clamp, within twice the input's peak or full scale: the core
clamps to +-2, i.e. +6 dBFS of headroom, see lib/percepnet.c), the report's
clipped_samples 0 for a float output (float files hold any level), and
for the same input (within full scale) written as 16-bit PCM equal to the
number of the float output's samples beyond the 16-bit range (and a
warning on stderr exactly when it is not 0), and the output level not
above the input level + 1 dB (a denoiser never adds energy). Then:
  * 10 s of digital silence comes out as exact digital silence;
  * NaN/Inf samples in a float file are counted (nonfinite_samples) and
    replaced, the output stays finite;
  * speech-free input (white noise at -30 dBFS and at full scale, 50 Hz
    mains hum with harmonics) comes out attenuated by at least 10 dB: a
    denoiser that takes less than that off stationary noise with no speech
    in it is not doing its job (an untrained network, whose gains sit near
    sigmoid(0) = 0.5, takes about 6 dB off everything and fails here).
Signals are 10 s at 48 kHz, seeded.
"""
import json
import os

import numpy as np

import clitest as ct

RATE = 48000
SECONDS = 10
N = RATE * SECONDS
WAV_FLOAT = ct.SF_FORMAT["wav"] | ct.SF_SUB["float"]
WAV_16 = ct.SF_FORMAT["wav"] | ct.SF_SUB["pcm_16"]
MIN_ATTEN_DB = 10.0  # speech-free input: required level drop
rng = np.random.Generator(np.random.PCG64(6))


def rms_db(x):
    x = np.asarray(x, np.float64)
    return 10 * np.log10(np.mean(x * x) + 1e-30)


def speech_48k():
    pcm = np.fromfile(os.path.join(ct.DATA, "speech_48k.s16"), "<i2").astype(np.float64) / 32768.0
    return np.tile(pcm, N // len(pcm) + 1)[:N]


def signals():
    t = np.arange(N) / RATE
    sp = speech_48k()
    yield "silence 10 s (float)", np.zeros(N), WAV_FLOAT, False
    yield "silence 10 s (16-bit)", np.zeros(N), WAV_16, False
    yield "white noise -30 dBFS", rng.standard_normal(N) * 10 ** (-30 / 20), WAV_FLOAT, True
    yield "white noise full scale", rng.uniform(-1.0, 1.0, N), WAV_FLOAT, True
    yield "DC offset 0.5", np.full(N, 0.5), WAV_FLOAT, False
    yield "speech + DC offset 0.3", 0.3 + 0.6 * sp, WAV_FLOAT, False
    hum = sum(a * np.sin(2 * np.pi * f * t) for f, a in ((50, 0.3), (150, 0.1), (250, 0.05)))
    yield "50 Hz hum", hum, WAV_FLOAT, True
    # logarithmic sweep 20 Hz .. 20 kHz at -6 dBFS
    k = np.log(20000 / 20)
    sweep = 0.5 * np.sin(2 * np.pi * 20 * SECONDS / k * (np.exp(t / SECONDS * k) - 1))
    yield "sweep 20 Hz-20 kHz", sweep, WAV_FLOAT, False
    clicks = rng.standard_normal(N) * 1e-3
    clicks[::4800] = 1.0
    clicks[2400::4800] = -1.0
    yield "clicks every 50 ms", clicks, WAV_FLOAT, False
    yield "clipped speech (+20 dB into +-1)", np.clip(sp * 10, -1, 1), WAV_FLOAT, False
    # float files can hold samples beyond full scale: the CLI scales such a
    # file into the core and back, and a float output keeps the level
    yield "speech peaking at +12 dBFS (float)", sp / np.max(np.abs(sp)) * 4.0, WAV_FLOAT, False
    quiet = sp / np.max(np.abs(sp)) * 10 ** (-60 / 20)
    yield "speech at -60 dBFS", quiet, WAV_FLOAT, False


def read_report(path):
    """The last JSON object of a --report file."""
    with open(path) as f:
        return json.loads(f.read().strip().splitlines()[-1])


def run_case(d, name, x, fmt, speech_free):
    tag = name.split(" (")[0].replace(" ", "_").replace("+", "").replace("/", "")
    src, dst, rep = (os.path.join(d, f"{tag}{s}") for s in (".in.wav", ".out.wav", ".json"))
    ct.write(src, x.reshape(-1, 1), RATE, fmt)
    xin, _ = ct.read(src)
    rc, _, err = ct.run(["-f", src, "-o", dst, "--report", rep])
    if not ct.check(rc == 0, f"hostile {name}: runs", f"exit {rc}: {err.strip()[:300]}"):
        return
    y, _ = ct.read(dst)
    report = read_report(rep)
    finite = np.all(np.isfinite(y))
    peak = float(np.max(np.abs(y))) if y.size else 0.0
    # a float output is not clamped: bounded means within twice the input's
    # peak (or full scale), as a denoiser's output may overshoot a little
    bound = 2.0 * max(1.0, float(np.max(np.abs(xin)))) if fmt == WAV_FLOAT else 1.0
    ct.check(len(y) == len(xin) and finite and peak <= bound, f"hostile {name}: finite, bounded",
             f"{len(y)} frames out for {len(xin)} in, finite {finite}, peak {peak}, bound {bound}")
    clipped = report.get("clipped_samples")
    warned = "clipped" in err
    if fmt == WAV_FLOAT:
        # a float output holds any level: nothing is clamped, and the count
        # of a 16-bit output of the same chain is that of the float samples
        # that round beyond the 16-bit range (an input above full scale is
        # scaled into the core only on its way to a float output: another
        # chain, so no such comparison for it)
        ct.check(clipped == 0 and not warned, f"hostile {name}: float output not clamped",
                 f"report says {clipped}, warning shown {warned}")
        if np.max(np.abs(xin)) <= 1.0:
            clip16_case(d, name, tag, src, y)
    else:
        at_fs = int(np.count_nonzero(np.abs(y) >= 32767 / 32768))
        ct.check(clipped is not None and clipped <= at_fs and warned == (clipped > 0),
                 f"hostile {name}: clipped samples counted",
                 f"report says {clipped}, {at_fs} output samples at full scale, "
                 f"warning shown {warned}")
    lin, lout = rms_db(xin), rms_db(y)
    print(f"# {name}: in {lin:.1f} dBFS, out {lout:.1f} dBFS, peak {peak:.3f}, clipped {clipped}")
    if np.max(np.abs(xin)) == 0:
        ct.check(peak == 0.0, f"hostile {name}: silent output", f"output peak {peak}")
    else:
        ct.check(lout <= lin + 1.0, f"hostile {name}: no gain", f"in {lin:.1f} dB, out {lout:.1f} dB")
    if speech_free:
        ct.check(lout <= lin - MIN_ATTEN_DB, f"hostile {name}: speech-free input attenuated",
                 f"in {lin:.1f} dBFS, out {lout:.1f} dBFS: {lin - lout:.1f} dB less, "
                 f"need >= {MIN_ATTEN_DB:.0f} dB (model {report.get('model_id')})")


def clip16_case(d, name, tag, src, y):
    """The same input written as 16-bit PCM (-b 16 -e signed): the report's
    clipped_samples is the number of the float output's samples y whose
    16-bit code (rounded to nearest even, as the CLI does) is beyond
    [-32768, 32767], and a warning names them when there are any."""
    dst, rep = (os.path.join(d, f"{tag}{s}") for s in (".out16.wav", ".16.json"))
    rc, _, err = ct.run(["-f", src, "-o", dst, "-b", "16", "-e", "signed", "--report", rep])
    if not ct.check(rc == 0, f"hostile {name}: runs to 16-bit", f"exit {rc}: {err.strip()[:300]}"):
        return
    clipped = read_report(rep).get("clipped_samples")
    codes = np.rint(np.asarray(y, np.float64) * 32768.0)
    want = int(np.count_nonzero((codes > 32767) | (codes < -32768)))
    warned = "clipped" in err
    ct.check(clipped == want and warned == (want > 0), f"hostile {name}: clipped samples counted",
             f"16-bit report says {clipped}, {want} float output samples beyond the 16-bit "
             f"range, warning shown {warned}")


def nonfinite_case(d):
    x = rng.standard_normal(N // 10) * 0.1
    bad = rng.choice(len(x), 300, replace=False)
    x[bad[:100]] = np.nan
    x[bad[100:200]] = np.inf
    x[bad[200:]] = -np.inf
    src, dst, rep = (os.path.join(d, f"nonfinite{s}") for s in (".in.wav", ".out.wav", ".json"))
    ct.write(src, x.reshape(-1, 1), RATE, WAV_FLOAT)
    rc, _, err = ct.run(["-f", src, "-o", dst, "--report", rep])
    if not ct.check(rc == 0, "hostile NaN/Inf samples: runs", f"exit {rc}: {err.strip()[:300]}"):
        return
    y, _ = ct.read(dst)
    report = read_report(rep)
    ct.check(np.all(np.isfinite(y)) and report.get("nonfinite_samples") == 300,
             "hostile NaN/Inf samples: counted and replaced",
             f"finite {bool(np.all(np.isfinite(y)))}, report nonfinite_samples "
             f"{report.get('nonfinite_samples')} (300 written)")


def main():
    d = ct.tmpdir()
    try:
        for name, x, fmt, speech_free in signals():
            run_case(d, name, np.asarray(x, np.float32), fmt, speech_free)
        nonfinite_case(d)
    finally:
        ct.cleanup(d)
    ct.done()


if __name__ == "__main__":
    main()
