"""Nothing erased, nothing damaged: TAP checks of ./percepnet (built-in
model, or --model FILE; --oracle checks the oracle instead) on real speech
from test/data (speech_48k.s16 and demo_clean.flac, joined with 0.5 s of
silence around each) mixed with generated noise (scripts/eval/noises.py,
seed 1):

  river -5 dB   fast, loud broadband noise with deep amplitude modulation at
                -5 dB SNR (active speech power over noise power)
  clean         the speech alone
  30 dB         river noise and steady noise (separately) at 30 dB SNR
  held vowel    1 s of a vowel /a/ held at a steady 110 Hz (a glottal pulse
                train with 0.3 % vibrato through four formant resonators)
                inserted 2.5 s into the clean speech: a talker holding a
                note or an "aaa", which looks like hum frame by frame

Measures, over the clean file's speech frames (20 ms, within 40 dB of the
loudest; scripts/eval/metrics.py):
  speech gain   20 log10(<out, clean> / <clean, clean>): the share of the
                speech that is still in the output, dB (residual noise does
                not count); per whole file and per 500 ms window holding at
                least 200 ms of speech frames
  SI-SDR        of the output against the clean speech, dB

Thresholds (one check each):
  river -5 dB   speech gain >= -6 dB over the file and >= -15 dB in every
                window (speech kept, not erased)
  clean, 30 dB, output SI-SDR >= 25 dB and speech gain within +-1 dB
  held vowel    (nearly untouched); for the held vowel, the vowel's own
                gain within +-1 dB

  /usr/bin/python3 -m scripts.eval.check_erased [--percepnet ./percepnet]
      [--model FILE.pnm] [--oracle] [--keep DIR]
Prints "ok - ..." / "not ok - ...: figures" lines; exit status 1 when a
check fails.
"""
import argparse
import os
import subprocess
import sys
import warnings
import tempfile

import numpy as np
from scipy.io import wavfile
from scipy.signal import lfilter

from scripts.eval import metrics as M
from scripts.eval import noises

# percepnet writes a LIST chunk (software tag) that scipy does not read
warnings.filterwarnings("ignore", category=wavfile.WavFileWarning)

RATE = 48000
FRAME = 960          # 20 ms
WINDOW = 24000       # 500 ms
failures = 0


def check(cond, name, why):
    global failures
    if cond:
        print(f"ok - {name} ({why})")
    else:
        failures += 1
        print(f"not ok - {name}: {why}")
    sys.stdout.flush()


def speech(repo):
    """The two bundled speech recordings, 0.5 s of silence around each."""
    raw = np.fromfile(os.path.join(repo, "test", "data", "speech_48k.s16"), dtype="<i2")
    a = raw.astype(np.float64) / 32768.0
    r = subprocess.run(["sox", os.path.join(repo, "test", "data", "demo_clean.flac"), "-t", "f32",
                        "-e", "floating-point", "-b", "32", "-L", "-c", "1", "-"],
                       stdout=subprocess.PIPE, check=True)
    b = np.frombuffer(r.stdout, dtype="<f4").astype(np.float64)
    pad = np.zeros(RATE // 2)
    return np.concatenate([pad, a, pad, b, pad])


def held_vowel(seconds=1.0, f0=110.0):
    """A vowel /a/ held at a steady pitch: a glottal pulse train (0.3 %
    vibrato at 0.7 Hz; source -12 dB/octave, lip radiation +6 dB/octave)
    through formant resonators at 700, 1220, 2600 and 3300 Hz, 30 ms fades,
    unit RMS. Deterministic."""
    n = int(seconds * RATE)
    t = np.arange(n)
    f = f0 * (1 + 0.003 * np.sin(2 * np.pi * 0.7 * t / RATE))
    pulses = np.diff(np.floor(np.cumsum(f / RATE)), prepend=0.0)
    y = lfilter([1.0], [1, -0.97], lfilter([1.0], [1, -0.97], pulses))
    y = np.diff(y, prepend=0.0)
    for fc, bw in ((700, 80), (1220, 90), (2600, 120), (3300, 150)):
        r = np.exp(-np.pi * bw / RATE)
        y = lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * fc / RATE), r * r], y)
    y *= np.minimum(1.0, np.minimum(t, n - t) / (0.03 * RATE))
    return y / np.sqrt(np.mean(y * y))


def active_power(x):
    m = len(x) // FRAME
    f = x[:m * FRAME].reshape(m, FRAME)
    e = np.sum(f * f, axis=1)
    return float(np.mean(f[e > e.max() * 1e-4] ** 2))


def speech_gain(out, clean):
    """(gain over all speech frames, lowest gain of a 500 ms window with at
    least 200 ms of speech frames), dB."""
    n = min(len(out), len(clean))
    act = M.active_frames(clean[:n], RATE, FRAME / RATE, 40.0)
    mask = np.repeat(act, FRAME)
    mask = np.concatenate([mask, np.zeros(n - len(mask), dtype=bool)])
    o, c = out[:n] * mask, clean[:n] * mask

    def gain(lo, hi):
        num = float(np.dot(o[lo:hi], c[lo:hi]))
        den = float(np.dot(c[lo:hi], c[lo:hi]))
        return 20 * np.log10(max(num, 1e-12 * den) / den)
    worst = np.inf
    for lo in range(0, n - WINDOW + 1, WINDOW // 2):
        if mask[lo:lo + WINDOW].sum() >= 0.4 * WINDOW:
            worst = min(worst, gain(lo, lo + WINDOW))
    return gain(0, n), worst


def denoise(a, d, name, clean, noisy):
    cin, nin, out = (os.path.join(d, f"{name}.{k}.wav") for k in ("clean", "noisy", "out"))
    wavfile.write(cin, RATE, clean.astype(np.float32))
    wavfile.write(nin, RATE, noisy.astype(np.float32))
    cmd = [a.percepnet, "-q", "-f", "-e", "float", "-b", "32"]
    if a.oracle:
        cmd += ["--oracle", cin, nin]
    else:
        cmd += (["-m", a.model] if a.model else []) + [nin]
    r = subprocess.run(cmd + ["-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
    _, y = wavfile.read(out)
    return np.asarray(y, dtype=np.float64)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--percepnet", default=os.path.join(repo, "percepnet"))
    ap.add_argument("--model")
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--keep", help="write the files here instead of a temporary folder")
    a = ap.parse_args(argv)

    clean = speech(repo) * 10 ** (-6 / 20)  # loud enough that -5 dB noise does not clip
    n = len(clean)
    ps = active_power(clean)
    rng = np.random.default_rng(1)
    river, _ = noises.river(rng, n)
    steady, _ = noises.steady(rng, n)
    who = "oracle" if a.oracle else f"model {a.model or 'built-in'}"
    d = a.keep or tempfile.mkdtemp(prefix="percepnet-erased-")
    os.makedirs(d, exist_ok=True)
    try:
        noisy = clean + river * np.sqrt(ps / 10 ** (-5 / 10))
        scale = min(1.0, 0.99 / np.max(np.abs(noisy)))
        y = denoise(a, d, "river_m05", clean * scale, noisy * scale)
        g, w = speech_gain(y, clean * scale)
        check(g >= -6.0 and w >= -15.0, f"{who}: speech kept under river noise at -5 dB SNR",
              f"speech gain {g:+.1f} dB over the file (>= -6), {w:+.1f} dB in the worst "
              f"500 ms window (>= -15); SI-SDR in {M.si_sdr(noisy, clean):.1f}, out "
              f"{M.si_sdr(y, clean):.1f} dB")
        cases = [("clean", clean, "clean input")]
        for label, nz in (("river", river), ("steady", steady)):
            cases.append((f"{label}_p30", clean + nz * np.sqrt(ps / 1e3),
                          f"{label} noise at 30 dB SNR"))
        for name, x, text in cases:
            y = denoise(a, d, name, clean, x)
            g, w = speech_gain(y, clean)
            s = M.si_sdr(y, clean)
            s_in = min(M.si_sdr(x, clean), 200.0)
            check(s >= 25.0 and abs(g) <= 1.0, f"{who}: {text} comes out nearly untouched",
                  f"output SI-SDR {s:.1f} dB (>= 25; input {s_in:.1f}), speech gain {g:+.2f} dB "
                  f"(within +-1), worst 500 ms window {w:+.1f} dB")
        # the held vowel at the speech's active level, right after 2 s of the
        # first recording (mid-phrase, as a talker holds a vowel)
        at = int(2.5 * RATE)
        v = held_vowel() * np.sqrt(ps)
        x = np.concatenate([clean[:at], v, clean[at:]])
        y = denoise(a, d, "held_vowel", x, x)
        n = min(len(y), len(x))
        s = M.si_sdr(y[:n], x[:n])
        vs = slice(at, at + len(v))
        gv = 20 * np.log10(max(float(np.dot(y[vs], x[vs])), 1e-12) / float(np.dot(x[vs], x[vs])))
        check(s >= 25.0 and abs(gv) <= 1.0, f"{who}: a held vowel comes out nearly untouched",
              f"output SI-SDR {s:.1f} dB (>= 25), the vowel's gain {gv:+.2f} dB (within +-1)")
    finally:
        if not a.keep:
            for f in os.listdir(d):
                os.remove(os.path.join(d, f))
            os.rmdir(d)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
