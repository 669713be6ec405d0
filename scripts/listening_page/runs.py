"""Running percepnet for the listening page: one configuration (binary,
model, options) per run A or B, and the oracle on A's binary.

Each run writes float32 WAV output and residual plus NumPy gain and pitch
dumps into a work folder; the dumps hold one row per 10 ms frame and
channel (columns as `percepnet --help` and cli/dumps.h describe them).
"""
import json
import os
import subprocess

import numpy as np

from scripts.listening_page import audio

# Options a run may not set: the page chooses outputs, dumps and the mode
# (every --oracle* variant), and reads its inputs itself (no --raw-*).
_RESERVED_LONG = ("--output", "--output-dir", "--type", "--bits", "--encoding", "--dump-gains",
                  "--dump-pitch", "--residual", "--vad-labels", "--report", "--md5",
                  "--skip-existing", "--force", "--version", "--help")
_RESERVED_PREFIXES = ("--oracle", "--raw-")
_RESERVED_SHORT = "oOtbenfh"

N_BANDS = 34  # percepnet's ERB bands: the dump's g_0..g_33
GAIN_FLOOR_DB = -40.0  # gains below this count as this in distances and plots


class RunError(Exception):
    """A run that failed on one file; the message is percepnet's last line."""


def check_options(options):
    """The first reserved option in `options` (a list of words), or None."""
    for w in options:
        name = w.split("=", 1)[0]
        if name.startswith("--") and (name in _RESERVED_LONG
                                      or name.startswith(_RESERVED_PREFIXES)):
            return w
        if not name.startswith("--") and len(name) >= 2 and name[0] == "-" \
                and name[1] in _RESERVED_SHORT:
            return w
    return None


class Config:
    """One percepnet configuration. `binary` is run as given (a path or a
    name on PATH); `options` are words placed before the page's own."""

    def __init__(self, name, binary, options, shown_binary):
        self.name = name
        self.binary = binary
        self.options = list(options)
        self.shown_binary = shown_binary

    def describe(self):
        """The command line as shown on the page (no file names)."""
        words = [self.shown_binary] + self.options
        return " ".join(w if w and " " not in w else f"'{w}'" for w in words)

    def version(self):
        """`percepnet --version` with this configuration's options: version,
        model id and kernel path; raises RunError when it fails."""
        p = subprocess.run([self.binary] + self.options + ["--version"], capture_output=True,
                           text=True)
        if p.returncode != 0:
            raise RunError(_last_line(p.stderr) or f"{self.binary}: exit status {p.returncode}")
        return p.stdout.strip()

    def run(self, inp, work, tag):
        """Denoises `inp` into work/tag.*; returns a RunResult."""
        return _run([self.binary] + self.options, [inp], work, tag, residual=True)


def run_oracle(binary, clean, noisy, work, tag="oracle"):
    """`percepnet --oracle CLEAN NOISY`: the chain with ideal gains."""
    return _run([binary, "--oracle"], [clean, noisy], work, tag, residual=False)


class RunResult:
    """Output and residual as ((frames, channels) float64, rate); gains and
    pitch dumps of channel 0 as Frames."""

    def __init__(self, out, residual, gains, pitch):
        self.out = out
        self.residual = residual
        self.gains = gains
        self.pitch = pitch


class Frames:
    """A dump restricted to channel 0: times (s), and named columns."""

    def __init__(self, path):
        with open(path[:-4] + ".json") as f:
            cols = json.load(f)["columns"]
        a = np.load(path).astype(np.float64)
        a = a[a[:, cols.index("channel")] == 0]
        self.cols = {c: a[:, i] for i, c in enumerate(cols)}
        self.time = self.cols["time_s"]

    def gains(self):
        """(frames, N_BANDS) band gains."""
        return np.stack([self.cols[f"g_{b}"] for b in range(N_BANDS)], axis=1)


def _last_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _run(prefix, inputs, work, tag, residual):
    out = os.path.join(work, f"{tag}.wav")
    res = os.path.join(work, f"{tag}.residual.wav")
    gains = os.path.join(work, f"{tag}.gains.npy")
    pitch = os.path.join(work, f"{tag}.pitch.npy")
    cmd = prefix + ["-q", "-f", "--no-tag", "-t", "wav", "-e", "float", "-b", "32",
                    "--dump-gains", gains, "--dump-pitch", pitch, "-o", out]
    if residual:
        cmd += ["--residual", res]
    p = subprocess.run(cmd + ["--"] + inputs, capture_output=True, text=True)
    if p.returncode != 0:
        raise RunError(_last_line(p.stderr) or f"{prefix[0]}: exit status {p.returncode}")
    return RunResult(audio.read(out), audio.read(res) if residual else None,
                     Frames(gains), Frames(pitch))


def gain_distance(ga, gb):
    """Per-frame A/B distance of two gain dumps (Frames): RMS over bands of
    the difference in dB, gains floored at GAIN_FLOOR_DB. Returns (times,
    distances) over the frames both dumps have."""
    n = min(len(ga.time), len(gb.time))
    da = np.maximum(20.0 * np.log10(np.maximum(ga.gains()[:n], 1e-12)), GAIN_FLOOR_DB)
    db = np.maximum(20.0 * np.log10(np.maximum(gb.gains()[:n], 1e-12)), GAIN_FLOOR_DB)
    return ga.time[:n], np.sqrt(np.mean((da - db) ** 2, axis=1))
