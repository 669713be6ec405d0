"""Speech quality metrics of the evaluation, written from the published
definitions (numpy/scipy only).

  si_sdr(est, ref)              scale-invariant SDR in dB (Le Roux et al. 2019)
  seg_snr(est, ref, rate)       segmental SNR in dB over speech-active frames
  stoi(clean, degraded, rate)   STOI (Taal, Hendriks, Heusdens, Jensen 2011)
  estoi(clean, degraded, rate)  extended STOI (Jensen, Taal 2016)
  stoi_estoi(clean, degraded, rate)  both, sharing their analysis
  pause_levels(est, noisy, clean, rate)
                                residual level in speech pauses (dBFS, and dB
                                relative to the noisy input in the same frames)
  align(est, ref, max_lag)      integer delay compensation by cross-correlation

Every function takes 1-D float arrays of samples in [-1, 1] at `rate` Hz,
the estimate first where it compares an estimate with a reference.
"""
import numpy as np
from scipy.signal import resample_poly

EPS = 1e-12

# ---------------------------------------------------------------- SI-SDR


def si_sdr(est, ref):
    """SI-SDR in dB: both signals made zero-mean; the reference scaled by
    alpha = <est, ref> / |ref|^2 is the target, est - target the distortion.
    +inf-like (capped at 200 dB) for an exact scaled copy."""
    est = np.asarray(est, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    n = min(len(est), len(ref))
    est = est[:n] - est[:n].mean()
    ref = ref[:n] - ref[:n].mean()
    alpha = np.dot(est, ref) / max(np.dot(ref, ref), EPS)
    target = alpha * ref
    dist = est - target
    num = np.dot(target, target)
    den = np.dot(dist, dist)
    if den <= num * 1e-20:
        return 200.0
    return float(10.0 * np.log10(max(num, EPS) / den))


# ---------------------------------------------------------------- framing helpers


def _frames(x, size, hop):
    n = 1 + max(0, (len(x) - size) // hop)
    idx = np.arange(size)[None, :] + hop * np.arange(n)[:, None]
    return x[idx]


def _frame_energy_db(x, size):
    f = _frames(np.asarray(x, dtype=np.float64), size, size)
    return 10.0 * np.log10(np.sum(f * f, axis=1) / size + EPS)


def active_frames(clean, rate, frame_s=0.02, range_db=40.0):
    """Boolean per non-overlapping frame of frame_s seconds: clean energy
    within range_db of the loudest clean frame (speech active)."""
    e = _frame_energy_db(clean, int(round(frame_s * rate)))
    return e > e.max() - range_db


# ---------------------------------------------------------------- segmental SNR


def seg_snr(est, ref, rate, frame_s=0.02, lo=-10.0, hi=35.0, range_db=40.0):
    """Mean over speech-active frames (active_frames) of the per-frame SNR
    10 log10(|ref|^2 / |ref - est|^2), each clamped to [lo, hi] dB (the
    usual bounds, so silent or perfect frames do not dominate). 20 ms
    non-overlapping frames."""
    n = min(len(est), len(ref))
    size = int(round(frame_s * rate))
    r = _frames(np.asarray(ref[:n], dtype=np.float64), size, size)
    e = _frames(np.asarray(est[:n], dtype=np.float64), size, size)
    act = active_frames(ref[:n], rate, frame_s, range_db)
    num = np.sum(r * r, axis=1)
    den = np.sum((r - e) ** 2, axis=1)
    snr = 10.0 * np.log10((num + EPS) / (den + EPS))
    snr = np.clip(snr, lo, hi)
    return float(np.mean(snr[act])) if act.any() else float("nan")


# ---------------------------------------------------------------- pauses


def pause_levels(est, noisy, clean, rate, frame_s=0.02, range_db=50.0):
    """Residual noise in speech pauses: frames (20 ms) whose clean energy is
    more than range_db below the loudest clean frame. Returns
    (level_dbfs, rel_db): the output's mean power there in dB re full scale
    (a full-scale sine is -3 dBFS), and its ratio to the noisy input's power
    in the same frames (negative = noise removed). (nan, nan) without pauses."""
    n = min(len(est), len(noisy), len(clean))
    size = int(round(frame_s * rate))
    ec = _frame_energy_db(clean[:n], size)
    pause = ec < ec.max() - range_db
    if not pause.any():
        return float("nan"), float("nan")
    fe = _frames(np.asarray(est[:n], dtype=np.float64), size, size)[pause]
    fn = _frames(np.asarray(noisy[:n], dtype=np.float64), size, size)[pause]
    pe = np.mean(fe * fe)
    pn = np.mean(fn * fn)
    return float(10.0 * np.log10(pe + EPS)), float(10.0 * np.log10((pe + EPS) / (pn + EPS)))


# ---------------------------------------------------------------- alignment


def align(est, ref, max_lag):
    """Delay d in [-max_lag, max_lag] samples maximising the cross-correlation
    sum_n est[n + d] ref[n]; returns (est shifted by -d, zero-filled, same
    length as ref; d)."""
    est = np.asarray(est, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    n = len(ref)
    m = 1
    while m < len(est) + n:
        m *= 2
    c = np.fft.irfft(np.fft.rfft(est, m) * np.conj(np.fft.rfft(ref, m)), m)
    lags = np.arange(-max_lag, max_lag + 1)
    d = int(lags[np.argmax(c[lags % m])])
    out = np.zeros(n)
    if d >= 0:
        seg = est[d:d + n]
        out[:len(seg)] = seg
    else:
        seg = est[:n + d]
        out[-d:-d + len(seg)] = seg
    return out, d


# ---------------------------------------------------------------- STOI / ESTOI
# Parameters from Taal et al. 2011, kept by Jensen & Taal 2016.
FS = 10000          # Hz, the metrics' internal rate
FRAME = 256         # samples (25.6 ms), Hann window, 50 % overlap
NFFT = 512
NUM_BANDS = 15      # one-third octave bands
MIN_CF = 150.0      # Hz, centre of the lowest band
SEG = 30            # frames per analysis segment (384 ms)
BETA = -15.0        # dB, lower SDR bound of the clipping (STOI only)
DYN_RANGE = 40.0    # dB, frames this far below the loudest clean frame are dropped


def _hann(n):
    # periodic-free symmetric Hann without the zero end points
    return np.hanning(n + 2)[1:-1]


def third_octave_matrix():
    """(NUM_BANDS, NFFT/2 + 1) 0/1 matrix: bins of each band. Band j spans
    centre 150 * 2^(j/3) Hz times 2^(-1/6) .. 2^(1/6); the edges go to the
    nearest FFT bin, the upper edge bin excluded."""
    f = np.linspace(0, FS, NFFT + 1)[:NFFT // 2 + 1]
    k = np.arange(NUM_BANDS)
    cf = MIN_CF * 2.0 ** (k / 3.0)
    lo = cf * 2.0 ** (-1.0 / 6.0)
    hi = cf * 2.0 ** (1.0 / 6.0)
    m = np.zeros((NUM_BANDS, len(f)))
    for j in range(NUM_BANDS):
        a = int(np.argmin(np.abs(f - lo[j])))
        b = int(np.argmin(np.abs(f - hi[j])))
        m[j, a:b] = 1.0
    return m


_OBM = third_octave_matrix()


def _resample(x, rate):
    if rate == FS:
        return np.asarray(x, dtype=np.float64)
    g = np.gcd(int(rate), FS)
    return resample_poly(np.asarray(x, dtype=np.float64), FS // g, int(rate) // g)


def remove_silent_frames(x, y):
    """Drops the frames (256, hop 128, Hann) whose clean energy is more than
    DYN_RANGE dB below the loudest clean frame, from both signals, and
    rebuilds each by overlap-add of the kept windowed frames."""
    w = _hann(FRAME)
    hop = FRAME // 2
    fx = _frames(x, FRAME, hop) * w
    fy = _frames(y, FRAME, hop) * w
    e = 20.0 * np.log10(np.linalg.norm(fx, axis=1) + EPS)
    keep = e > e.max() - DYN_RANGE
    fx, fy = fx[keep], fy[keep]
    n = (len(fx) - 1) * hop + FRAME if len(fx) else 0
    xs = np.zeros(n)
    ys = np.zeros(n)
    for i in range(len(fx)):
        xs[i * hop:i * hop + FRAME] += fx[i]
        ys[i * hop:i * hop + FRAME] += fy[i]
    return xs, ys


def _band_envelopes(x):
    """(NUM_BANDS, frames) one-third octave magnitudes sqrt(sum |X(k)|^2)."""
    w = _hann(FRAME)
    f = _frames(x, FRAME, FRAME // 2) * w
    spec = np.fft.rfft(f, NFFT, axis=1)
    p = np.abs(spec) ** 2
    return np.sqrt(_OBM @ p.T)


def _prepare(clean, degraded, rate):
    x = _resample(clean, rate)
    y = _resample(degraded, rate)
    n = min(len(x), len(y))
    x, y = remove_silent_frames(x[:n], y[:n])
    X = _band_envelopes(x)
    Y = _band_envelopes(y)
    if X.shape[1] < SEG:
        raise ValueError("signal too short for STOI: fewer than 30 frames of speech")
    # segments of SEG consecutive frames ending at every frame from SEG-1 on
    Xs = np.lib.stride_tricks.sliding_window_view(X, SEG, axis=1)  # (J, M, N)
    Ys = np.lib.stride_tricks.sliding_window_view(Y, SEG, axis=1)
    return Xs, Ys


def _stoi_of(Xs, Ys):
    """Short-time objective intelligibility, 0..1 (1: identical envelopes).
    Per band and 384 ms segment: the degraded envelope is scaled to the clean
    one's norm, clipped to at most (1 + 10^(-BETA/20)) times the clean
    envelope, and correlated with it; STOI is the mean correlation."""
    alpha = np.linalg.norm(Xs, axis=2, keepdims=True) / (np.linalg.norm(Ys, axis=2, keepdims=True) + EPS)
    Yc = np.minimum(alpha * Ys, Xs * (1.0 + 10.0 ** (-BETA / 20.0)))
    xm = Xs - Xs.mean(axis=2, keepdims=True)
    ym = Yc - Yc.mean(axis=2, keepdims=True)
    d = np.sum(xm * ym, axis=2) / (np.linalg.norm(xm, axis=2) * np.linalg.norm(ym, axis=2) + EPS)
    return float(np.mean(d))


def _row_col_normalise(s):
    """s (J, M, N): per segment, each band row made zero-mean unit-norm over
    time, then each frame column zero-mean unit-norm over bands."""
    s = s - s.mean(axis=2, keepdims=True)
    s = s / (np.linalg.norm(s, axis=2, keepdims=True) + EPS)
    s = s - s.mean(axis=0, keepdims=True)
    s = s / (np.linalg.norm(s, axis=0, keepdims=True) + EPS)
    return s


def _estoi_of(Xs, Ys):
    """Extended STOI: per 384 ms segment, the spectral correlation
    (1/N) sum_n x_n . y_n of row- then column-normalised envelope matrices
    (no clipping); ESTOI is the mean over segments. 1 for identical signals,
    it also falls when the degraded signal is modulated in time across bands."""
    xn = _row_col_normalise(Xs)
    yn = _row_col_normalise(Ys)
    d = np.sum(xn * yn, axis=(0, 2)) / SEG
    return float(np.mean(d))


def stoi(clean, degraded, rate):
    """STOI of degraded against clean, 0..1 (_stoi_of)."""
    return _stoi_of(*_prepare(clean, degraded, rate))


def estoi(clean, degraded, rate):
    """ESTOI of degraded against clean, 0..1 (_estoi_of)."""
    return _estoi_of(*_prepare(clean, degraded, rate))


def stoi_estoi(clean, degraded, rate):
    """(STOI, ESTOI) from one analysis of the pair."""
    Xs, Ys = _prepare(clean, degraded, rate)
    return _stoi_of(Xs, Ys), _estoi_of(Xs, Ys)


def speech_change_db(est, clean, rate, frame_s=0.02, range_db=40.0):
    """Output power over input speech power in the speech-active frames of
    the clean signal (active_frames), dB: about 0 when speech is kept,
    strongly negative when it is erased. nan without active frames."""
    n = min(len(est), len(clean))
    size = int(round(frame_s * rate))
    act = active_frames(clean[:n], rate, frame_s, range_db)
    fe = _frames(np.asarray(est[:n], dtype=np.float64), size, size)[act]
    fc = _frames(np.asarray(clean[:n], dtype=np.float64), size, size)[act]
    if not len(fc):
        return float("nan")
    return float(10.0 * np.log10((np.sum(fe * fe) + EPS) / (np.sum(fc * fc) + EPS)))
