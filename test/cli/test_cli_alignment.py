"""Output length and sample alignment: an impulse train (one click every
0.25 s, slightly jittered) through the whole chain at several rates. The
output must have exactly the input's length, and the cross-correlation of
output with input must peak at lag 0 (checked to within 0.25 sample by
parabolic interpolation of the peak), for 8, 16, 44.1, 48 and 96 kHz, for
each resampling quality at 44.1 kHz, and with -r to another output rate
(where the peak must sit at the rescaled position). -a 1 limits the core's
attenuation so the clicks survive."""
import os

import numpy as np

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check


def impulses(rate, seconds, channels):
    n = int(rate * seconds)
    x = np.zeros((n, channels), np.float32)
    rng = np.random.Generator(np.random.PCG64(7))
    for k, t in enumerate(np.arange(0.1, seconds - 0.1, 0.25)):
        i = int(t * rate) + int(rng.integers(0, rate // 100))
        x[i, :] = 0.5 if k % 2 == 0 else -0.5
    # a quiet noise floor so the core sees a signal between the clicks
    x += (0.001 * rng.standard_normal((n, channels))).astype(np.float32)
    return x


def lag_of(ref, y, max_lag):
    """Lag (samples, fractional) of the cross-correlation peak of y against ref."""
    n = len(ref)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    xc = np.fft.irfft(np.fft.rfft(y, size) * np.conj(np.fft.rfft(ref, size)), size)
    lags = np.concatenate([np.arange(0, max_lag + 1), np.arange(-max_lag, 0)])
    vals = np.concatenate([xc[: max_lag + 1], xc[-max_lag:]])
    k = int(np.argmax(vals))
    l = lags[k]
    a, b, c = xc[(l - 1) % size], xc[l % size], xc[(l + 1) % size]
    den = a - 2 * b + c
    return l + (0.5 * (a - c) / den if den != 0 else 0.0)


def one(d, rate, quality=None, out_rate=None, channels=1):
    src = os.path.join(d, f"imp_{rate}_{channels}.wav")
    x = impulses(rate, 2.0, channels)
    ct.write(src, x, rate, F["wav"] | S["float"])
    out = os.path.join(d, f"imp_{rate}_{quality}_{out_rate}.wav")
    args = ["-q", "-f", "-a", "1", src, "-o", out]
    if quality:
        args += ["--resample-quality", quality]
    if out_rate:
        args += ["-r", str(out_rate)]
    rc, _, err = ct.run(args)
    name = f"alignment {rate} Hz" + (f" {quality}" if quality else "") + \
        (f" -> {out_rate} Hz" if out_rate else "") + (f" {channels} ch" if channels > 1 else "")
    if not check(rc == 0, name + " runs", err.strip()):
        return
    y, yi = ct.read(out)
    fs_out = out_rate or rate
    want = len(x) if fs_out == rate else int(round(len(x) * fs_out / rate))
    check(len(y) == want, name + " length", f"{len(y)} frames, expected {want}")
    if fs_out != rate:
        # compare with the input resampled by an ideal (FFT) interpolator
        n = len(x)
        spec = np.fft.rfft(x[:, 0].astype(np.float64))
        m = want
        spec2 = np.zeros(m // 2 + 1, complex)
        k = min(len(spec), len(spec2))
        spec2[:k] = spec[:k]
        ref = np.fft.irfft(spec2, m) * m / n
    else:
        ref = x[:, 0].astype(np.float64)
    lag = lag_of(ref, y[: len(ref), 0].astype(np.float64), int(0.05 * fs_out))
    check(abs(lag) <= 0.25, name + " lag 0", f"cross-correlation peak at {lag:+.3f} samples")
    for c in range(1, channels):
        lc = lag_of(x[:, c].astype(np.float64), y[:, c].astype(np.float64), int(0.05 * fs_out))
        check(abs(lc) <= 0.25, name + f" channel {c} lag 0", f"peak at {lc:+.3f}")


def lossy(d, name, fmt, rate):
    """Lossy containers: the decoded output against the decoded input
    (libsndfile removes the codecs' own encoder delays on reading)."""
    src = os.path.join(d, f"lossy.{name}")
    ct.write(src, impulses(rate, 2.0, 1), rate, fmt)
    out = os.path.join(d, f"lossy_out.{name}")
    rc, _, err = ct.run(["-q", "-a", "1", src, "-o", out])
    if not check(rc == 0, f"alignment {name} runs", err.strip()):
        return
    x, _ = ct.read(src)
    y, _ = ct.read(out)
    lag = lag_of(x[:, 0].astype(np.float64), y[: len(x), 0].astype(np.float64), int(0.05 * rate))
    check(len(y) == len(x) and abs(lag) <= 0.25, f"alignment {name} (decoded) length and lag 0",
          f"{len(y)} vs {len(x)} frames, peak at {lag:+.3f}")


def main():
    d = ct.tmpdir()
    try:
        for rate in (44100, 16000, 8000, 96000, 48000):
            one(d, rate)
        for q in ("best", "medium", "fast"):
            one(d, 44100, quality=q)
        one(d, 44100, out_rate=48000)
        one(d, 48000, out_rate=16000)
        one(d, 22050, channels=2)
        lossy(d, "mp3", F["mpeg"] | S["mp3"], 44100)
        lossy(d, "opus", F["ogg"] | S["opus"], 48000)
        lossy(d, "ogg", F["ogg"] | S["vorbis"], 44100)
    finally:
        ct.cleanup(d)
    ct.done()


main()
