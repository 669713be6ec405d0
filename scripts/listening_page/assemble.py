"""One input file of the listening page: its runs, the page's audio copies
(with their loudness), the metrics against a clean reference and the figure,
all written into the page's staging folder."""
import os

import numpy as np

from scripts.eval import metrics
from scripts.listening_page import audio, figures, runs


class Page:
    """The staging folder: audio/ and img/ fill as the files proceed."""

    def __init__(self, stage, audio_kind):
        self.stage = stage
        self.kind = audio_kind
        os.makedirs(os.path.join(stage, "audio"))
        os.makedirs(os.path.join(stage, "img"))

    def add_audio(self, entry, label, run, x, rate, match=True, gain_of=None):
        """Writes the page's copy audio/KEY.RUN.EXT and adds its player."""
        src = f"audio/{entry.key}.{run}.{self.kind}"
        audio.write_page_copy(os.path.join(self.stage, src), x, rate, self.kind)
        entry.players.append((label, run, src, audio.loudness(x, rate), match, gain_of))


def _metrics_row(label, est, rate, clean, clean_rate):
    y = audio.to_rate(audio.mono(est), rate, clean_rate)
    n = min(len(y), len(clean))
    y, c = y[:n], clean[:n]
    return (label, metrics.si_sdr(y, c), metrics.stoi(c, y, clean_rate),
            metrics.estoi(c, y, clean_rate))


def process_file(pg, entry, path, cfg_a, cfg_b, ref_dir, oracle_on, work):
    """Runs A, B and the oracle on one input (work: an empty folder for
    their files) and fills `entry`; raises audio.AudioError or runs.RunError
    when the file fails."""
    x, rate = audio.read(path)
    entry.duration = len(x) / rate
    entry.info = (f"{rate} Hz, {x.shape[1]} channel{'s' if x.shape[1] > 1 else ''}, "
                  f"{entry.duration:.2f} s")
    if x.shape[1] > 1:
        entry.info += "; plots and metrics of the channel mean, gains and pitch of the first one"
    ra = cfg_a.run(path, work, "a")
    rb = cfg_b.run(path, work, "b") if cfg_b else None

    clean = ro = None
    if ref_dir:
        cpath = os.path.join(ref_dir, os.path.basename(path))
        if os.path.isfile(cpath):
            clean = audio.read(cpath)
            if oracle_on:
                ro = runs.run_oracle(cfg_a.binary, cpath, path, work)
        else:
            entry.notes.append("no clean reference of this name in --ref: no metrics, no oracle")

    _players(pg, entry, (x, rate), ra, rb, ro, clean)
    if clean:
        _metrics(entry, (x, rate), ra, rb, ro, clean)
    _figure(pg, entry, (x, rate), ra, rb, ro)


def _players(pg, entry, inp, ra, rb, ro, clean):
    """Input, outputs, oracle and clean reference set the loudness target;
    residuals follow their output's gain."""
    pg.add_audio(entry, "input", "input", *inp)
    pg.add_audio(entry, "output A", "a", *ra.out)
    if rb:
        pg.add_audio(entry, "output B", "b", *rb.out)
    if ro:
        pg.add_audio(entry, "oracle", "oracle", *ro.out)
    if clean:
        pg.add_audio(entry, "clean reference", "clean", *clean)
    pg.add_audio(entry, "residual A (removed)", "residual-a", *ra.residual, match=False,
                 gain_of="a")
    if rb:
        pg.add_audio(entry, "residual B (removed)", "residual-b", *rb.residual, match=False,
                     gain_of="b")


def _metrics(entry, inp, ra, rb, ro, clean):
    """SI-SDR, STOI and ESTOI of each signal against the clean reference
    (channel means, at the reference's rate, over the shorter length)."""
    c, crate = audio.mono(clean[0]), clean[1]
    entry.metrics.append(_metrics_row("input", *inp, c, crate))
    entry.metrics.append(_metrics_row("A", *ra.out, c, crate))
    if rb:
        entry.metrics.append(_metrics_row("B", *rb.out, c, crate))
    if ro:
        entry.metrics.append(_metrics_row("oracle", *ro.out, c, crate))


def _figure(pg, entry, inp, ra, rb, ro):
    """The figure of the file and its A/B gain distance (RMS over frames of
    the per-frame distances)."""
    specs = [("input, with run A's pitch track", audio.mono(inp[0]), inp[1]),
             ("output A", audio.mono(ra.out[0]), ra.out[1])]
    gains = [("band gains A", ra.gains.time, ra.gains.gains())]
    vads = [("A", ra.gains.time, ra.gains.cols["vad"])]
    dist = None
    if rb:
        specs.append(("output B", audio.mono(rb.out[0]), rb.out[1]))
        gains.append(("band gains B", rb.gains.time, rb.gains.gains()))
        vads.append(("B", rb.gains.time, rb.gains.cols["vad"]))
        dist = runs.gain_distance(ra.gains, rb.gains)
        entry.distance = float(np.sqrt(np.mean(dist[1] ** 2))) if len(dist[1]) else 0.0
    if ro:
        specs.append(("oracle output", audio.mono(ro.out[0]), ro.out[1]))
        gains.append(("band gains of the oracle (ideal, from the clean reference)",
                      ro.gains.time, ro.gains.gains()))
        vads.append(("oracle", ro.gains.time, ro.gains.cols["vad"]))
    f0 = ra.pitch.cols["f0_hz"]
    pitch = (ra.pitch.time, np.where(ra.pitch.cols["voiced"] > 0, f0, np.nan))
    src = f"img/{entry.key}.png"
    tmp = os.path.join(pg.stage, src + ".part")
    w, h = figures.draw(tmp, entry.duration, specs, pitch, gains, vads, dist)
    os.replace(tmp, os.path.join(pg.stage, src))
    entry.figure = (src, w, h)
