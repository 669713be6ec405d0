"""Makes the bundled test/demo audio (test/data/demo_clean.flac, demo_noisy.flac).

Source: 3.0 s of gcompris-voices gd/intro/sudoku.ogg (Scottish Gaelic, Public
Domain per the upstream attribution list), decoded and resampled to 48 kHz
mono by sox as float (so without sox's random dither), peak-normalised to
-3 dBFS. Noise: generated here with a seeded generator (numpy PCG64, seed 20261122): pink noise (1/f power, Voss-free
spectral shaping) plus a 100 Hz hum with harmonics, mixed at 5 dB SNR
(speech-active RMS vs noise RMS). Both files are 16-bit FLAC, same length,
sample-aligned. Run, from the repository root:
  /usr/bin/python3 -m scripts.demo.make_demo_data [SPEECH_ROOT] [OUT_DIR]
"""
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np

SEED = 20261122
RATE = 48000
START_S, LEN_S = 0.5, 3.0
SNR_DB = 5.0
CLIP = "gcompris-voices/gd/intro/sudoku.ogg"


def write_flac16(path, x):
    q = np.clip(np.round(x * 32768.0), -32768, 32767).astype("<i2")
    with tempfile.TemporaryDirectory() as d:
        tmp = os.path.join(d, "x.wav")
        with wave.open(tmp, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(q.tobytes())
        subprocess.run(["flac", "-s", "-f", "-8", "--no-seektable", tmp, "-o", path], check=True)


def pink(n, rng):
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / RATE)
    f[0] = f[1]
    x = np.fft.irfft(spec / np.sqrt(f), n)
    return x / np.sqrt(np.mean(x ** 2))


def main():
    shared = os.environ.get("PERCEPNET_SHARED") or os.path.join(os.path.dirname(__file__), "../../../shared")
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(shared, "data", "speech")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../../test/data")
    rng = np.random.Generator(np.random.PCG64(SEED))
    # float output: sox adds random dither only when it reduces the bit depth
    raw = subprocess.run(["sox", os.path.join(root, CLIP), "-t", "f32", "-r", str(RATE), "-c", "1", "-",
                          "trim", str(START_S), str(LEN_S)], check=True, capture_output=True).stdout
    clean = np.frombuffer(raw, "<f4").astype(np.float64)
    clean *= 10 ** (-3 / 20) / np.max(np.abs(clean))
    n = len(clean)
    t = np.arange(n) / RATE
    hum = sum(np.sin(2 * np.pi * 100 * k * t + k) / k for k in range(1, 6))
    noise = pink(n, rng) + 0.5 * hum / np.sqrt(np.mean(hum ** 2))
    # speech-active RMS: frames of 10 ms within 30 dB of the loudest
    fr = clean[: n // 480 * 480].reshape(-1, 480)
    e = np.mean(fr ** 2, axis=1)
    active = np.mean(e[e > e.max() * 1e-3])
    noise *= np.sqrt(active / np.mean(noise ** 2)) * 10 ** (-SNR_DB / 20)
    noisy = clean + noise
    peak = np.max(np.abs(noisy))
    if peak > 0.98:
        clean *= 0.98 / peak
        noisy *= 0.98 / peak
    write_flac16(os.path.join(out, "demo_clean.flac"), clean)
    write_flac16(os.path.join(out, "demo_noisy.flac"), noisy)


if __name__ == "__main__":
    main()
