#!/usr/bin/python3
"""Known-value tests of scripts/eval/metrics.py (SI-SDR, segmental SNR,
STOI, ESTOI, pause level, alignment) on generated signals."""
import sys

import numpy as np

from scripts.eval import metrics as M

failures = 0


def check(name, cond, why=""):
    global failures
    if cond:
        print(f"ok - {name}")
    else:
        failures += 1
        print(f"not ok - {name}: {why}")


def speechlike(rate, seconds, seed):
    """Harmonic 'voice' (f0 110-220 Hz gliding, 20 harmonics with a falling
    envelope) amplitude-modulated at syllable rate, with 300 ms pauses."""
    rng = np.random.default_rng(seed)
    n = int(rate * seconds)
    t = np.arange(n) / rate
    f0 = 150 + 50 * np.sin(2 * np.pi * 0.7 * t)
    ph = 2 * np.pi * np.cumsum(f0) / rate
    x = sum((0.7 ** k) * np.sin(k * ph + rng.uniform(0, 6.28)) for k in range(1, 21) if k * 220 < rate / 2)
    env = np.maximum(0, np.sin(2 * np.pi * 3.0 * t)) ** 2
    gate = ((t % 1.2) < 0.9).astype(float)
    x = x * env * gate
    x += 0.01 * rng.standard_normal(n) * env * gate  # a little frication
    return 0.1 * x / np.max(np.abs(x))


def add_noise(x, snr_db, seed):
    rng = np.random.default_rng(seed)
    n = rng.standard_normal(len(x))
    n *= np.sqrt(np.sum(x ** 2) / np.sum(n ** 2) / 10 ** (snr_db / 10))
    return x + n


rate = 16000
x = speechlike(rate, 4.0, 1)

# SI-SDR
check("si_sdr scaled copy is very high", M.si_sdr(0.37 * x, x) > 100, str(M.si_sdr(0.37 * x, x)))
rng = np.random.default_rng(2)
nz = rng.standard_normal(len(x))
xz = x - x.mean()
nz -= nz.mean()
nz -= np.dot(nz, xz) / np.dot(xz, xz) * xz  # orthogonal to the reference
nz *= np.sqrt(np.dot(xz, xz) / np.dot(nz, nz) / 10.0)  # 10 dB below it
v = M.si_sdr(2.0 * x + 2.0 * nz, x)
check("si_sdr of signal + orthogonal noise at 10 dB = 10 dB", abs(v - 10.0) < 1e-6, f"{v}")
v = M.si_sdr(add_noise(x, 0.0, 3), x)
check("si_sdr of signal + white noise at 0 dB ~ 0 dB", abs(v) < 0.3, f"{v}")

# segmental SNR: noise scaled per 20 ms frame to 5 dB below that frame
size = int(0.02 * rate)
n_fr = len(x) // size
y = x.copy()
for i in range(n_fr):
    seg = x[i * size:(i + 1) * size]
    e = np.sum(seg ** 2)
    w = rng.standard_normal(size)
    y[i * size:(i + 1) * size] = seg + w * np.sqrt(e / np.sum(w ** 2) / 10 ** 0.5)
v = M.seg_snr(y, x, rate)
check("seg_snr with 5 dB in every frame = 5 dB", abs(v - 5.0) < 1e-6, f"{v}")
v = M.seg_snr(x, x, rate)
check("seg_snr of identical signals = upper clamp 35 dB", abs(v - 35.0) < 1e-9, f"{v}")

# STOI / ESTOI
for name, fn in (("stoi", M.stoi), ("estoi", M.estoi)):
    v = fn(x, x, rate)
    check(f"{name} identical = 1", abs(v - 1.0) < 1e-6, f"{v}")
    v = fn(x, 0.25 * x, rate)
    check(f"{name} scale invariant", abs(v - 1.0) < 1e-6, f"{v}")
    vals = [fn(x, add_noise(x, s, 4), rate) for s in (20, 10, 0, -10)]
    check(f"{name} decreases with noise {np.round(vals, 3).tolist()}",
          all(a > b for a, b in zip(vals, vals[1:])) and vals[0] > 0.6 and vals[-1] < 0.7,
          f"{vals}")
    v48 = fn(M.resample_poly(x, 3, 1), M.resample_poly(add_noise(x, 0, 4), 3, 1), 48000)
    check(f"{name} at 48 kHz agrees with 16 kHz", abs(v48 - vals[2]) < 0.02, f"{v48} vs {vals[2]}")

# STOI's clipping at -15 dB SDR bounds what noise can take away; ESTOI has
# no clipping and falls lower in heavy noise
check("estoi < stoi for a heavily noisy signal",
      M.estoi(x, add_noise(x, -5, 5), rate) < M.stoi(x, add_noise(x, -5, 5), rate))

# band layout: 15 bands, increasing, lowest band around 150 Hz
obm = M.third_octave_matrix()
lo_bins = [int(np.argmax(r > 0)) for r in obm]
check("third-octave bands: 15, non-empty, increasing",
      obm.shape[0] == 15 and all(r.sum() > 0 for r in obm) and lo_bins == sorted(lo_bins))
f = np.linspace(0, M.FS, M.NFFT + 1)[np.nonzero(obm[0])[0]]
check("first band around 150 Hz", f.min() <= 150 <= f.max() + 20, f"{f}")

# pause level: pauses of the clean signal, output = noisy * 0.1 -> -20 dB
clean = x.copy()
noisy = add_noise(x, 10, 6)
lvl, rel = M.pause_levels(0.1 * noisy, noisy, clean, rate)
check("pause level of noisy/10 is -20 dB re noisy", abs(rel + 20.0) < 1e-3, f"{rel}")

# alignment
d = 37
shifted = np.concatenate([np.zeros(d), noisy])[:len(noisy)]
al, lag = M.align(shifted, noisy, 100)
check("align finds a 37-sample delay", lag == d and np.allclose(al[:-d], noisy[:-d]), f"{lag}")
al, lag = M.align(noisy[d:], noisy, 100)
check("align finds a 37-sample advance", lag == -d, f"{lag}")

sys.exit(1 if failures else 0)
