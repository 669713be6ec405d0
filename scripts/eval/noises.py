"""Generated noises of the evaluation set and of its tests, written so that
the same seed gives the same samples on any machine: only a seeded PCG64
stream, additions, multiplications, divisions, square roots, sequential
recursive filters and sums in fixed point (fixed_sum); no FFT, no libm
transcendental function on the samples and no floating-point sum of many
terms (their last bits can differ between numpy builds and CPUs).

  steady(rng, n)     stationary coloured noise (white / pink-ish / brown-ish
                     tilt) plus, half the time, a 50 or 60 Hz buzz
  river(rng, n)      broadband noise (300 Hz .. 8 kHz emphasis) with a fast,
                     deep random amplitude modulation (4-25 Hz, about 20 dB
                     between quiet and loud 10 ms frames): a stream or
                     river close to the microphone, non-stationary
  babble(rng, n, voices)  the sum of the given speech pieces, each looped
                     from a random start and set to the same mean power

Every function returns float64 samples at 48 kHz with zero mean and unit
mean square (babble: the sum has unit mean square), n >= 1.
"""
import math

import numpy as np
from scipy.signal import lfilter


_FIX = float(1 << 40)
_MAX_N = 1 << 22  # samples: n * 2^40 stays below 2^63


def fixed_sum(x):
    """Sum of x, the same on every machine: the samples are divided by their
    largest magnitude and rounded to 40 fractional bits, the integers added
    (exact, in any order), and the result scaled back. Relative error about
    n 2^-41 of the largest magnitude; len(x) <= 2^22 (87 s at 48 kHz)."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) > _MAX_N:
        raise ValueError("fixed_sum: more than 2^22 samples")
    m = float(np.max(np.abs(x))) if len(x) else 0.0
    if m == 0.0:
        return 0.0
    return int(np.sum(np.rint(x / m * _FIX).astype(np.int64))) / _FIX * m


def mean_square(x):
    """Mean of x^2 (fixed_sum)."""
    x = np.asarray(x, dtype=np.float64)
    return fixed_sum(x * x) / len(x) if len(x) else 0.0


def _unit(x):
    """x made zero-mean with mean square 1."""
    x = x - fixed_sum(x) / len(x)
    ms = mean_square(x)
    return x / math.sqrt(ms) if ms > 0 else x


def _one_pole(x, a):
    """y[n] = a y[n-1] + (1 - a) x[n]: a low-pass, 0 < a < 1."""
    return lfilter([1.0 - a], [1.0, -a], x)


def _tilt(rng, n):
    """White noise, or its leaky integral (about -6 dB/octave above a corner)
    mixed with white for pink-like or brown-like slopes."""
    w = rng.standard_normal(n)
    kind = int(rng.integers(3))
    if kind == 0:
        return w, "white"
    lo = _one_pole(w, 0.995)     # corner near 40 Hz
    mid = _one_pole(w, 0.9)      # corner near 800 Hz
    if kind == 1:
        return _unit(lo) + 1.5 * _unit(mid) + 0.5 * _unit(w), "pink"
    return _unit(lo) + 0.3 * _unit(mid), "brown"


def _buzz(n, hz, rate=48000):
    """Triangle wave of hz Hz (odd harmonics falling 12 dB/octave: mains hum
    through a transformer), exact arithmetic only."""
    period = rate // hz
    ph = (np.arange(n) % period) / period  # 0 .. 1
    return 1.0 - 4.0 * np.abs(ph - 0.5)


def steady(rng, n):
    """Stationary noise; returns (samples, label)."""
    x, label = _tilt(rng, n)
    x = _unit(x)
    if int(rng.integers(2)):
        hz = 50 if int(rng.integers(2)) else 60
        x = x + 0.7 * _unit(_buzz(n, hz))
        label += f"+hum{hz}"
    return _unit(x), label


def river(rng, n):
    """Non-stationary broadband noise with fast amplitude modulation;
    returns (samples, label)."""
    w = rng.standard_normal(n)
    # broadband with more energy from a few hundred Hz to several kHz:
    # white minus its low part, plus a slightly smoothed copy
    hp = w - _one_pole(w, 0.96)
    x = _unit(hp) + 0.6 * _unit(_one_pole(w, 0.5))
    # modulation: two low-passed noises (about 4 Hz and 25 Hz corners)
    slow = _unit(_one_pole(_one_pole(rng.standard_normal(n), 0.9995), 0.9995))
    fast = _unit(_one_pole(_one_pole(rng.standard_normal(n), 0.9967), 0.9967))
    m = 1.0 + 0.45 * slow + 0.55 * fast
    env = np.maximum(m, 0.1) ** 2
    return _unit(x * env), "river"


def _looped(rng, piece, n):
    """n samples of piece from a random start, looped (a looped speech piece
    has its own pauses, so the joint is not audible as a click after the
    5 ms fades prepare.py gives every clip)."""
    piece = np.asarray(piece, dtype=np.float64)
    reps = -(-(n + len(piece)) // len(piece))
    start = int(rng.integers(len(piece)))
    return np.tile(piece, reps)[start:start + n]


def babble(rng, n, voices):
    """Sum of the voices (list of 1-D arrays, each looped to n samples from
    a random start), each set to unit mean square over its active part
    first so that no voice dominates; returns (samples, label)."""
    acc = np.zeros(n)
    for v in voices:
        y = _looped(rng, v, n)
        ms = mean_square(y)
        if ms > 0:
            acc += y / math.sqrt(ms)
    return _unit(acc), f"babble{len(voices)}"
