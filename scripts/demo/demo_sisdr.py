"""SI-SDR (dB) against test/data/demo_clean.flac of: the noisy demo input,
./percepnet --oracle, --oracle-no-comb and the built-in model. Figures quoted
in README.md. Run from the repository root after `make`:
`/usr/bin/python3 -m scripts.demo.demo_sisdr`."""
import os
import subprocess
import tempfile

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLEAN = os.path.join(ROOT, "test", "data", "demo_clean.flac")
NOISY = os.path.join(ROOT, "test", "data", "demo_noisy.flac")
BIN = os.path.join(ROOT, "percepnet")


def read(path):
    raw = subprocess.run(["sox", path, "-t", "f32", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, "<f4").astype(np.float64)


def si_sdr(ref, x):
    a = np.dot(x, ref) / np.dot(ref, ref)
    return 10 * np.log10(np.sum((a * ref) ** 2) / np.sum((x - a * ref) ** 2))


def main():
    c = read(CLEAN)
    rows = [("noisy input", read(NOISY))]
    with tempfile.TemporaryDirectory() as d:
        for name, args in (("oracle", ["--oracle", CLEAN, NOISY]),
                           ("oracle, comb strengths 0", ["--oracle-no-comb", CLEAN, NOISY]),
                           ("built-in model", [NOISY])):
            out = os.path.join(d, "o.flac")
            subprocess.run([BIN, "-q", "-f"] + args + ["-o", out], check=True)
            rows.append((name, read(out)))
    for name, x in rows:
        print(f"{name:26s} SI-SDR {si_sdr(c, x):6.2f} dB")


if __name__ == "__main__":
    main()
