"""The core's 34 ERB bands as the Python side needs them, read from the C
table itself (pn_band_edges in lib/dsp/erb_bands.c), so that no copy can
drift from it: band b peaks at edge bin e_b (50 Hz per bin of the 960-point
FFT) and falls to zero at e_{b-1} and e_{b+1}; band 0 is a half triangle
from bin 0, band 33 rises to bin 400 and stays at 1 up to bin 480."""
import os
import re

NB_BANDS = 34
FFT_BINS = 481
REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def edges(repo=REPO):
    """The 34 edge (peak) bins; OSError when the file is missing, ValueError
    when its table cannot be read."""
    with open(os.path.join(repo, "lib", "dsp", "erb_bands.c")) as f:
        table = re.search(r"pn_band_edges\[PN_BANDS\]\s*=\s*\{([^}]*)\}", f.read())
    if not table:
        raise ValueError("erb_bands.c: pn_band_edges not found")
    e = [int(x) for x in table.group(1).split(",") if x.strip()]
    if len(e) != NB_BANDS:
        raise ValueError(f"erb_bands.c: {len(e)} edges, not {NB_BANDS}")
    return e


def widths(e):
    """Width of each band in bins, the sum of its weights: (e_{b+1} - e_{b-1})
    / 2 for a triangle, (e_1 + 1) / 2 for band 0 (weights 1, 1/2, ...), and
    for band 33 its rising half plus the flat bins 400..480. They add up to
    the FFT_BINS bins (the weights sum to 1 at every bin)."""
    w = [(e[1] - e[0] + 1) / 2.0]
    w += [(e[b + 1] - e[b - 1]) / 2.0 for b in range(1, NB_BANDS - 1)]
    w.append((e[-1] - e[-2] - 1) / 2.0 + (FFT_BINS - e[-1]))
    return w
