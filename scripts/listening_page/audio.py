"""Audio for the listening page: reading any file libsndfile reads, writing
the page's copies, mono mixdowns and loudness.

Samples are float64 arrays shaped (frames, channels) in [-1, 1]; rates in Hz.
"""
import os

import numpy as np
import soundfile
from scipy.signal import lfilter, resample_poly

# Containers the page can hold: libsndfile writes both, and browsers play both.
PAGE_FORMATS = {"flac": ("FLAC", "PCM_16"), "wav": ("WAV", "PCM_16")}


class AudioError(Exception):
    """A file that cannot be read; the message names the file."""


def read(path):
    """(samples (frames, channels) float64, rate Hz) of an audio file."""
    try:
        x, rate = soundfile.read(path, dtype="float64", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as e:
        raise AudioError(f"{path}: cannot read audio ({e})") from None
    return x, int(rate)


def write_page_copy(path, x, rate, kind):
    """Writes x as 16-bit PCM in the container `kind` (a PAGE_FORMATS key),
    clipped to [-1, 1] first, through a temporary file renamed on success.
    libsndfile rounds to the nearest integer, so the same samples give the
    same bytes."""
    fmt, subtype = PAGE_FORMATS[kind]
    tmp = path + ".part"
    try:
        soundfile.write(tmp, np.clip(x, -1.0, 1.0), rate, subtype=subtype, format=fmt)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def mono(x):
    """Mean over channels: 1-D array."""
    return x.mean(axis=1) if x.ndim == 2 else x


def to_rate(x, rate, target):
    """1-D x resampled from rate to target Hz (polyphase, scipy's default
    Kaiser window); x itself when the rates agree."""
    if rate == target:
        return x
    g = np.gcd(int(rate), int(target))
    return resample_poly(x, target // g, rate // g)


# ITU-R BS.1770-4 K-weighting at 48 kHz: a high shelf (+4 dB above ~1.5 kHz)
# then an RLB high-pass (~38 Hz), coefficients as the standard tabulates them.
_SHELF_B = [1.53512485958697, -2.69169618940638, 1.19839281085285]
_SHELF_A = [1.0, -1.69065929318241, 0.73248077421585]
_RLB_B = [1.0, -2.0, 1.0]
_RLB_A = [1.0, -1.99004745483398, 0.99007225036621]
LOUDNESS_FLOOR = -70.0  # LUFS: the absolute gate; silence reports this


def loudness(x, rate):
    """Integrated loudness in LUFS (BS.1770-4): K-weighting at 48 kHz (x is
    resampled first), mean square per channel over 400 ms blocks with 75 %
    overlap, channel sum with unit weights, absolute gate -70 LUFS, relative
    gate 10 LU below the mean of the blocks above it. Signals shorter than
    one block are measured as one block. LOUDNESS_FLOOR when every block is
    gated out."""
    y = np.stack([to_rate(x[:, c], rate, 48000) for c in range(x.shape[1])], axis=1)
    y = lfilter(_RLB_B, _RLB_A, lfilter(_SHELF_B, _SHELF_A, y, axis=0), axis=0)
    block, hop = 19200, 4800  # 400 ms, 100 ms at 48 kHz
    n = max(1, 1 + (len(y) - block) // hop) if len(y) >= block else 1
    z = np.array([np.mean(y[i * hop:i * hop + block] ** 2, axis=0).sum() for i in range(n)])
    lk = -0.691 + 10.0 * np.log10(np.maximum(z, 1e-20))
    keep = lk > LOUDNESS_FLOOR
    if not keep.any():
        return LOUDNESS_FLOOR
    rel = -0.691 + 10.0 * np.log10(z[keep].mean()) - 10.0
    keep &= lk > rel
    if not keep.any():
        return LOUDNESS_FLOOR
    return float(-0.691 + 10.0 * np.log10(z[keep].mean()))
