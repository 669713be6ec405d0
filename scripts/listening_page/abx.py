"""ABX assignment: for each file, whether X plays A or B.

Drawn from Python's Mersenne Twister seeded with the ABX seed, one draw per
file in page order, so a seed and a file list give the same assignment on
every run and every machine (random.Random(int) is stable across Python
versions)."""
import hashlib
import random


def assign(keys, seed):
    """{key: 'A' or 'B'} for the file keys in page order."""
    rng = random.Random(seed)
    return {k: ("A" if rng.random() < 0.5 else "B") for k in keys}


def page_id(seed, keys, configs):
    """16 hex digits naming one page (seed, files in order, run
    descriptions): the browser stores the answers under it, so two pages
    keep separate answers."""
    h = hashlib.sha256()
    for part in [str(seed)] + list(keys) + list(configs):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]
