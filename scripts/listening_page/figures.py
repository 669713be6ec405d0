"""The per-file figure of the listening page, drawn with matplotlib: panels
stacked on one time axis (seconds on the input's timeline), each axes at the
same horizontal position so a cursor maps to every panel alike.

Panels, top to bottom, each present when its data is:
  spectrograms (dB, one shared colour scale, log frequency) of the input
  with the pitch track over it, then of output A, B and the oracle;
  band gains (dB) of A, B and the oracle; VAD of each run; the per-frame
  A/B gain distance.
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import NullLocator  # noqa: E402

from scripts.listening_page import runs  # noqa: E402

WIDTH_IN = 10.0
DPI = 100
# Axes span [AX_LEFT, AX_RIGHT] of the figure's width; the page's cursor
# uses the same two fractions.
AX_LEFT = 0.08
AX_RIGHT = 0.89
_CBAR_LEFT = 0.905
_CBAR_WIDTH = 0.012
_HEIGHTS_IN = {"spec": 1.35, "gains": 0.95, "vad": 0.75, "dist": 0.75}
_GAP_IN = 0.28  # room for each panel's title
_MARGIN_IN = (0.2, 0.5)  # top, bottom (x-axis label)
SPEC_RANGE_DB = 80.0
SPEC_FMIN_HZ = 50.0
_MAX_COLUMNS = 800  # spectrogram columns kept (mean power over groups)
_ROWS = 160  # spectrogram rows (log-spaced frequency bands)


def spectrogram(x, rate):
    """(time edges s, frequency edges Hz, power (rows, columns)) of 1-D x.

    Hann window of the power of two nearest 21 ms, 75 % overlap; columns
    averaged in groups so that at most _MAX_COLUMNS remain (about the
    panel's width in pixels); _ROWS rows with log-spaced edges from
    SPEC_FMIN_HZ to rate/2, each the mean power of the FFT bins centred in
    it, or of the nearest bin where a row is narrower than a bin."""
    n = 1 << int(round(np.log2(0.021 * rate)))
    hop = n // 4
    x = np.concatenate([x, np.zeros(n)])  # the last columns reach the end of x
    cols = 1 + (len(x) - n) // hop
    idx = np.arange(n)[None, :] + hop * np.arange(cols)[:, None]
    spec = np.abs(np.fft.rfft(x[idx] * np.hanning(n)[None, :], axis=1)) ** 2
    group = max(1, -(-cols // _MAX_COLUMNS))
    if group > 1 and cols >= group:
        keep = cols // group * group
        spec = spec[:keep].reshape(keep // group, group, -1).mean(axis=1)
    else:
        group = 1
    t_edges = (np.arange(spec.shape[0] + 1) * group * hop + (n - hop) / 2.0) / rate
    f_edges = np.geomspace(SPEC_FMIN_HZ, rate / 2.0, _ROWS + 1)
    bins = np.arange(spec.shape[1]) * rate / n
    w = np.zeros((_ROWS, spec.shape[1]))
    for i in range(_ROWS):
        inside = (bins >= f_edges[i]) & (bins < f_edges[i + 1])
        if inside.any():
            w[i, inside] = 1.0 / inside.sum()
        else:
            w[i, np.argmin(np.abs(bins - np.sqrt(f_edges[i] * f_edges[i + 1])))] = 1.0
    return t_edges, f_edges, w @ spec.T


def _layout(kinds):
    """Figure height (in) and, per panel, its [left, bottom, width, height]."""
    total = _MARGIN_IN[0] + _MARGIN_IN[1] + sum(_HEIGHTS_IN[k] + _GAP_IN for k in kinds)
    rects, top = [], total - _MARGIN_IN[0]
    for k in kinds:
        top -= _GAP_IN
        h = _HEIGHTS_IN[k]
        rects.append([AX_LEFT, (top - h) / total, AX_RIGHT - AX_LEFT, h / total])
        top -= h
    return total, rects


def draw(path, duration_s, specs, pitch, gains, vads, distance):
    """Writes the figure as PNG to `path` (no metadata beyond size and DPI,
    so the same data give the same bytes).

    specs: [(title, 1-D samples, rate)], the input first;
    pitch: (times, f0_hz with nan where unvoiced) for the input, or None;
    gains: [(title, times, (frames, bands) gains)];
    vads: [(label, times, vad)]; distance: (times, dB) or None."""
    kinds = ["spec"] * len(specs) + ["gains"] * len(gains) + ["vad"] * bool(vads) \
        + ["dist"] * (distance is not None)
    height, rects = _layout(kinds)
    # A fixed title height: matplotlib otherwise places every title by
    # measuring the tick labels, which dominates the drawing time.
    with plt.rc_context({"axes.titley": 1.0, "axes.titlepad": 3.0}):
        fig = _draw(kinds, height, rects, duration_s, specs, pitch, gains, vads, distance)
    fig.savefig(path, dpi=DPI, format="png", metadata={"Software": None})
    plt.close(fig)
    return int(round(WIDTH_IN * DPI)), int(round(height * DPI))


def _draw(kinds, height, rects, duration_s, specs, pitch, gains, vads, distance):
    fig = plt.figure(figsize=(WIDTH_IN, height), dpi=DPI)
    axes = [fig.add_axes(r) for r in rects]
    panels = iter(axes)

    computed = [(t, spectrogram(x, rate)) for t, x, rate in specs]
    top = max(10.0 * np.log10(s.max() + 1e-20) for _, (_, _, s) in computed)
    for i, (title, (tt, ff, s)) in enumerate(computed):
        ax = next(panels)
        im = ax.pcolormesh(tt, ff, 10.0 * np.log10(s + 1e-20), shading="flat", cmap="magma",
                           vmin=top - SPEC_RANGE_DB, vmax=top)
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(ff[0], ff[-1])
        ax.set_ylabel("Hz")
        ax.set_title(title, loc="left", fontsize=9)
        if i == 0 and pitch is not None:
            ax.plot(pitch[0], pitch[1], color="#4fd1ff", linewidth=1.2, label="f0 (pitch track)")
            ax.legend(loc="upper right", fontsize=7, framealpha=0.6)
        if i == 0:
            _colorbar(fig, ax, im, "dB")

    for i, (title, tt, g) in enumerate(gains):
        ax = next(panels)
        db = np.maximum(20.0 * np.log10(np.maximum(g, 1e-12)), runs.GAIN_FLOOR_DB)
        t1 = tt[-1] + 0.01 if len(tt) else 0.01
        im = ax.imshow(db.T, origin="lower", aspect="auto", interpolation="nearest",
                       extent=[tt[0] if len(tt) else 0.0, t1, 0, g.shape[1]],
                       cmap="viridis", vmin=runs.GAIN_FLOOR_DB, vmax=0.0)
        ax.set_ylabel("band")
        ax.set_title(title, loc="left", fontsize=9)
        if i == 0:
            _colorbar(fig, ax, im, "gain dB")

    if vads:
        ax = next(panels)
        for (label, tt, v), style in zip(vads, ("-", "--", ":")):
            ax.plot(tt, v, linewidth=1.0, linestyle=style, label=label)
        ax.set_ylim(-0.05, 1.05)
        ax.set_ylabel("VAD")
        ax.set_title("voice activity (network output; the oracle's from the clean reference)",
                     loc="left", fontsize=9)
        ax.legend(loc="upper right", fontsize=7, ncol=len(vads), framealpha=0.6)

    if distance is not None:
        ax = next(panels)
        ax.fill_between(distance[0], distance[1], step="post", color="#d0553f", linewidth=0)
        ax.set_ylim(0, max(1.0, float(np.max(distance[1])) * 1.1 if len(distance[1]) else 1.0))
        ax.set_ylabel("dB")
        ax.set_title("A/B gain distance per frame (RMS over bands of the dB difference)",
                     loc="left", fontsize=9)

    for ax in axes:
        ax.set_xlim(0.0, duration_s)
        ax.tick_params(labelsize=7)
        if ax is not axes[-1]:
            ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel("time (s)")
    return fig


def _colorbar(fig, ax, im, label):
    pos = ax.get_position()
    cax = fig.add_axes([_CBAR_LEFT, pos.y0, _CBAR_WIDTH, pos.height])
    cb = fig.colorbar(im, cax=cax)
    cb.set_label(label, fontsize=7)
    cb.ax.tick_params(labelsize=6)
