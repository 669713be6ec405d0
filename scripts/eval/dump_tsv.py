"""Reader of the per-frame TSV dumps that `percepnet --dump-gains FILE` and
`--dump-pitch FILE` write (cli/dumps.c): '#' comment lines first, then
one header line of tab-separated column names, then one row of numbers per
frame and channel.
"""
import numpy as np


def read(path):
    """(comments, header, rows): the '#' lines without their newline, the
    column names, and the rows as a float64 array (frames x columns; shape
    (0,) when there is no row). OSError when the file cannot be read,
    ValueError when a row is not numeric."""
    comments, header, rows = [], None, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                comments.append(line)
            elif header is None:
                header = line.split("\t")
            elif line:
                rows.append([float(v) for v in line.split("\t")])
    return comments, header, np.array(rows)


def column(header, rows, name):
    """The column called name, one value per row."""
    return rows[:, header.index(name)]


def bands(header, rows, prefix, count=34):
    """The columns prefix0 .. prefix{count-1} (e.g. "g_" for the band gains,
    "r_" for the comb strengths): rows x count."""
    first = header.index(f"{prefix}0")
    if header[first:first + count] != [f"{prefix}{i}" for i in range(count)]:
        raise ValueError(f"columns {prefix}0..{prefix}{count - 1} are not in order")
    return rows[:, first:first + count]
