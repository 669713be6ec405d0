"""audio_stats.py - decoding to 48 kHz mono float32 and the per-clip measures
prepare.py filters and labels clips with (bandwidth, clipping, dynamic range,
silence trimming)."""

import os
import shutil
import subprocess

import numpy as np

RATE = 48000
SOX_EXT = (".ogg", ".oga", ".wav", ".flac", ".aiff", ".aif")


# The programs decode runs, each needed for some of the packaged formats.
DECODERS = ("sox", "ffmpeg")


def missing_decoders():
    """The DECODERS not on PATH. Without one, decode fails on every clip of
    the formats it reads, as it does on a damaged file."""
    return [t for t in DECODERS if shutil.which(t) is None]


def decode(path):
    """Whole file as float32 mono at 48 kHz (channels averaged). sox for the
    common containers (lighter start-up), ffmpeg for the rest (G.722, Opus,
    MP3). Raises RuntimeError when neither decodes it."""
    if path.lower().endswith(SOX_EXT):
        cmd = ["sox", "-q", "-V1", path, "-t", "f32", "-e", "floating-point", "-b", "32",
               "-L", "-c", "1", "-r", str(RATE), "-"]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode == 0 and r.stdout:
            return np.frombuffer(r.stdout, dtype="<f4").copy()
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1",
           "-ar", str(RATE), "-f", "f32le", "pipe:"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0 or not r.stdout:
        raise RuntimeError("cannot decode %s: %s" % (path, r.stderr.decode(errors="replace")[-200:]))
    return np.frombuffer(r.stdout, dtype="<f4").copy()


def frame_energy_db(x, n=960):
    """Energy per 20 ms frame in dB (power of the mean square; -200 for an
    all-zero frame)."""
    m = len(x) // n
    if m == 0:
        return np.array([10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-20)])
    e = np.mean(x[:m * n].astype(np.float64).reshape(m, n) ** 2, axis=1)
    return 10 * np.log10(e + 1e-20)


def dynamic_range_db(x):
    """Frame-level dynamic range: 95th minus 5th percentile of 20 ms frame
    energies, dB. Under ~15 dB the recording's noise floor is too high to be
    a clean target."""
    e = frame_energy_db(x)
    return float(np.percentile(e, 95) - np.percentile(e, 5))


def clipped_fraction(x):
    """Fraction of samples on a clipping plateau: |x| within 1 % of a peak
    that is itself >= 0.9 of full scale. A clean clip normalised to its peak
    has a handful of such samples; a clipped one has runs of them."""
    a = np.abs(x)
    peak = float(a.max()) if len(a) else 0.0
    if peak < 0.9:
        return 0.0
    return float(np.count_nonzero(a >= 0.99 * peak)) / len(a)


def bandwidth_hz(x, drop_db=50.0):
    """Highest frequency (Hz) where the long-term spectrum of the louder
    frames (top half by energy, 2048-point Hann frames) is still within
    drop_db of its peak. Resolution 23 Hz; the spectrum is smoothed over
    ~200 Hz first, so a lone tone does not count as bandwidth."""
    n, hop = 2048, 1024
    if len(x) < n:
        x = np.pad(x, (0, n - len(x)))
    m = 1 + (len(x) - n) // hop
    idx = np.arange(n)[None, :] + hop * np.arange(m)[:, None]
    fr = x[idx].astype(np.float64) * np.hanning(n)[None, :]
    e = np.sum(fr ** 2, axis=1)
    keep = e >= np.median(e)
    if not np.any(keep):
        keep[:] = True
    p = np.mean(np.abs(np.fft.rfft(fr[keep], axis=1)) ** 2, axis=0)
    k = 9
    p = np.convolve(p, np.ones(k) / k, mode="same")
    p[:5] = 0  # ignore DC / < 100 Hz rumble when taking the peak
    pdb = 10 * np.log10(p + 1e-30)
    above = np.nonzero(pdb >= pdb.max() - drop_db)[0]
    if len(above) == 0:
        return 0.0
    return float(above[-1]) * RATE / n


def trim_bounds(x, floor_db=40.0, margin=0.05):
    """Start and end sample of the part of x louder than (loudest 20 ms
    frame - floor_db), widened by margin seconds on each side."""
    e = frame_energy_db(x)
    act = np.nonzero(e >= e.max() - floor_db)[0]
    if len(act) == 0:
        return 0, len(x)
    a = max(0, act[0] * 960 - int(margin * RATE))
    b = min(len(x), (act[-1] + 1) * 960 + int(margin * RATE))
    return a, b


def cache_path(cache_dir, path):
    import hashlib
    h = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()
    return os.path.join(cache_dir, h[:2], h + ".f32")
