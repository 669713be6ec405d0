#!/usr/bin/python3
"""--vad-labels after the talker stops: speech (test/data/speech_48k.s16, two
voices) over steady noise, then 8 s of the same noise alone: pink noise at 10
and 0 dB SNR, white noise at 5 dB, brown noise (1/f^2 down to near DC: most
of its power lies below the speech bands) at 0 and -5 dB. No label may reach
more than 0.5 s into the noise-only part (the labels' hangover is 0.2 s),
and the speech part must be labelled (at least half of its active frames).
The model before 9f87cd7a2739fbc3 (76d4d9edeae555cf) held its VAD above 0.6 for 3-5 s
after the talker in the brown-noise cases (weights/README.md)."""
import os

import numpy as np

import clitest as ct

RATE = 48000


def coloured_noise(n, alpha, seed):
    """Gaussian noise with a 1/f^alpha power spectrum, unit RMS (seeded)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / RATE)
    f[0] = f[1]
    x = np.fft.irfft(spec / f ** (alpha / 2.0), n)
    return x / np.sqrt(np.mean(x * x))


def active_frames(s):
    """10 ms frames of s within 30 dB of its loudest."""
    fr = s[:len(s) // 480 * 480].reshape(-1, 480)
    p = np.mean(fr * fr, 1)
    return p > p.max() * 1e-3


def labels(path):
    out = []
    with open(path) as f:
        for line in f:
            a, b = line.split("\t")[:2]
            out.append((float(a), float(b)))
    return out


def case(d, name, snr_db, alpha, seed):
    s = np.fromfile(os.path.join(ct.DATA, "speech_48k.s16"), "<i2").astype(np.float64) / 32768.0
    s = s[:len(s) // 480 * 480]
    s *= 10 ** (-26 / 20) / np.sqrt(np.mean(s[np.repeat(active_frames(s), 480)] ** 2))
    tail = 8 * RATE
    n = len(s) + tail
    act = np.repeat(active_frames(s), 480)
    ps = np.mean(s[act] ** 2)
    noise = coloured_noise(n, alpha, seed) * np.sqrt(ps / 10 ** (snr_db / 10))
    x = np.concatenate([s, np.zeros(tail)]) + noise
    inp = os.path.join(d, name + ".wav")
    ct.write(inp, x[:, None], RATE, 0x010006)  # WAV float
    lab = os.path.join(d, name + ".txt")
    rc, _, err = ct.run(["-q", inp, "-o", os.path.join(d, name + ".out.wav"),
                         "--vad-labels", lab])
    if not ct.check(rc == 0, f"{name}: runs", err.strip()):
        return
    regs = labels(lab)
    speech_end = len(s) / RATE
    late = [r for r in regs if r[1] > speech_end + 0.5]
    ct.check(not late, f"{name}: no speech label in the 8 s of noise after the talker",
             f"labels past {speech_end + 0.5:.2f} s: {late}")
    fa = active_frames(s)
    t = (np.arange(len(fa)) + 0.5) * 0.01
    covered = np.zeros(len(fa), bool)
    for a, b in regs:
        covered |= (t >= a) & (t < b)
    share = covered[fa].mean()
    ct.check(share >= 0.5, f"{name}: speech is labelled", f"{share:.2f} of active frames")


def main():
    d = ct.tmpdir()
    try:
        case(d, "pink_10dB", 10.0, 1.0, 11)
        case(d, "pink_0dB", 0.0, 1.0, 14)
        case(d, "white_5dB", 5.0, 0.0, 13)
        case(d, "brown_0dB", 0.0, 2.0, 21)
        case(d, "brown_m5dB", -5.0, 2.0, 22)
    finally:
        ct.cleanup(d)
    ct.done()


if __name__ == "__main__":
    main()
