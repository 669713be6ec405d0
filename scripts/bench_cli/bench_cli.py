"""CLI benchmarks (run by `make bench`; figures go to build/bench/). From the
repository root: `/usr/bin/python3 -m scripts.bench_cli.bench_cli [STEP]`, STEP
one of (default split):

  split     callgrind instruction counts of ./percepnet on 10 s of 44.1 kHz
            mono 16-bit speech, split into decode (sf_readf_float), resample
            (src_process, both directions), core (percepnet_process*),
            encode (sf_write*), and the rest (the CLI's own work), per
            second of audio; plus wall time of a plain run.
  resample  per converter (best, medium, fast): round-trip quality 44.1 ->
            48 -> 44.1 kHz through libsamplerate (error in the speech band
            0-8 kHz and in 0-16 kHz, dB relative to the signal), and cost
            in callgrind instructions per second of audio and direction.
  preroll   callgrind instruction counts of ./percepnet on 1 s and 10 s of
            48 kHz mono 16-bit speech, with the default pre-roll and with
            --no-preroll, and the pre-roll's own share (percepnet_preroll).
  rss       peak RSS of ./percepnet on HOURS hours of raw 16 kHz audio
            generated on the fly by sox and streamed through stdin and stdout.
"""
import ctypes
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, "percepnet")
OUT = os.path.join(ROOT, "build", "bench")
SPEECH = os.path.join(ROOT, "test", "data", "demo_noisy.flac")


def speech_file(d, rate, seconds, name):
    path = os.path.join(d, name)
    reps = int(np.ceil(seconds / 3.0))
    subprocess.run(["sox"] + [SPEECH] * reps + ["-r", str(rate), "-c", "1", "-b", "16", path,
                    "trim", "0", str(seconds)], check=True)
    return path


def callgrind(args, d, tag):
    out = os.path.join(d, f"cg.{tag}")
    subprocess.run(["nice", "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", BIN] + args,
                   check=True, capture_output=True)
    ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                         capture_output=True, text=True, check=True).stdout
    cost = {}
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(\S+):(\S+) \[", line)
        if m:
            fn = m.group(3)
            cost[fn] = max(cost.get(fn, 0), int(m.group(1).replace(",", "")))
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", line)
        if m:
            cost["TOTAL"] = int(m.group(1).replace(",", ""))
    return cost


def split():
    seconds = 10.0
    with tempfile.TemporaryDirectory() as d:
        src = speech_file(d, 44100, seconds, "s.wav")
        outp = os.path.join(d, "o.wav")
        lines = ["# ./percepnet on 10 s of 44.1 kHz mono 16-bit speech (test/data/demo_noisy.flac "
                 "looped, resampled by sox), default options; callgrind instructions per second of audio"]
        for q in ("fast", "medium", "best"):
            c = callgrind(["-q", "-f", "--resample-quality", q, src, "-o", outp], d, q)
            dec = c.get("sf_readf_float", 0)
            rs = c.get("src_process", 0)
            core = sum(c.get(f, 0) for f in ("percepnet_process", "percepnet_process_linked",
                                             "percepnet_process_oracle"))
            enc = c.get("sf_writef_int", 0) + c.get("sf_writef_float", 0)
            rest = c["TOTAL"] - dec - rs - core - enc
            lines.append(f"resample-quality {q:6s}: total {c['TOTAL'] / seconds:.3g}  decode {dec / seconds:.3g}"
                         f"  resample {rs / seconds:.3g}  core {core / seconds:.3g}  encode {enc / seconds:.3g}"
                         f"  rest {rest / seconds:.3g}")
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([BIN, "-q", "-f", src, "-o", outp], check=True)
            walls.append(time.perf_counter() - t0)
        lines.append(f"wall time (default options, best of 3): {min(walls):.3f} s = "
                     f"{seconds / min(walls):.1f}x real time")
    report("cli_split.txt", lines)


class SRCData(ctypes.Structure):
    _fields_ = [("data_in", ctypes.POINTER(ctypes.c_float)), ("data_out", ctypes.POINTER(ctypes.c_float)),
                ("input_frames", ctypes.c_long), ("output_frames", ctypes.c_long),
                ("input_frames_used", ctypes.c_long), ("output_frames_gen", ctypes.c_long),
                ("end_of_input", ctypes.c_int), ("src_ratio", ctypes.c_double)]


def preroll():
    lines = ["# ./percepnet on 48 kHz mono 16-bit speech (test/data/demo_noisy.flac looped), "
             "callgrind instructions of the whole run"]
    with tempfile.TemporaryDirectory() as d:
        for seconds in (1, 10):
            src = speech_file(d, 48000, seconds, f"s{seconds}.wav")
            outp = os.path.join(d, "o.wav")
            on = callgrind(["-q", "-f", src, "-o", outp], d, f"pre{seconds}")
            off = callgrind(["-q", "-f", "--no-preroll", src, "-o", outp], d, f"nopre{seconds}")
            share = on.get("percepnet_preroll", 0)
            lines.append(f"{seconds:2d} s file: {on['TOTAL']:.3g} with the pre-roll (pre-roll itself "
                         f"{share:.3g}, {100.0 * share / on['TOTAL']:.0f} %), {off['TOTAL']:.3g} with "
                         f"--no-preroll: x{on['TOTAL'] / off['TOTAL']:.2f}")
    report("preroll.txt", lines)


def src_simple(x, ratio, conv):
    lib = ctypes.CDLL("libsamplerate.so.0")
    x = np.ascontiguousarray(x, np.float32)
    out = np.zeros(int(len(x) * ratio) + 64, np.float32)
    d = SRCData(x.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), len(x), len(out), 0, 0, 1, ratio)
    e = lib.src_simple(ctypes.byref(d), conv, 1)
    assert e == 0, e
    return out[: d.output_frames_gen]


def band_error_db(ref, y, rate, lo, hi):
    n = min(len(ref), len(y))
    edge = rate // 10  # skip 100 ms at each end (converter start-up)
    r, e = ref[edge: n - edge].astype(np.float64), (y[edge: n - edge] - ref[edge: n - edge]).astype(np.float64)
    f = np.fft.rfftfreq(len(r), 1.0 / rate)
    sel = (f >= lo) & (f < hi)
    R, E = np.abs(np.fft.rfft(r)) ** 2, np.abs(np.fft.rfft(e)) ** 2
    return 10 * np.log10(E[sel].sum() / R[sel].sum())


def resample():
    seconds = 10.0
    names = {"best": 0, "medium": 1, "fast": 2}
    with tempfile.TemporaryDirectory() as d:
        src = speech_file(d, 44100, seconds, "s.wav")
        raw = subprocess.run(["sox", src, "-t", "f32", "-"], capture_output=True, check=True).stdout
        x = np.frombuffer(raw, "<f4")
        lines = ["# round trip 44.1 -> 48 -> 44.1 kHz through libsamplerate on 10 s of speech: error "
                 "energy relative to the signal's, per band; cost = callgrind instructions in src_process "
                 "of ./percepnet (both directions) / 2 per second of audio"]
        for q, conv in names.items():
            y = src_simple(src_simple(x, 48000 / 44100, conv), 44100 / 48000, conv)
            speech_band = band_error_db(x, y, 44100, 50, 8000)
            wide = band_error_db(x, y, 44100, 50, 16000)
            c = callgrind(["-q", "-f", "--resample-quality", q, src, "-o", os.path.join(d, "o.wav")], d, q)
            per_dir = c.get("src_process", 0) / seconds / 2
            lines.append(f"{q:6s}: error 0-8 kHz {speech_band:7.1f} dB, 0-16 kHz {wide:7.1f} dB; "
                         f"cost {per_dir:.3g} instructions per second of audio and direction")
    report("cli_resample.txt", lines)


def rss(hours):
    seconds = int(hours * 3600)
    gen = subprocess.Popen(["sox", "-R", "-n", "-r", "16000", "-b", "16", "-c", "1", "-t", "s16", "-",
                            "synth", str(seconds), "pinknoise", "vol", "0.1"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
    t0 = time.perf_counter()
    p = subprocess.Popen([BIN, "-q", "--raw-rate", "16000", "--raw-channels", "1", "--raw-encoding",
                          "signed", "-", "-o", "-", "-t", "raw"], stdin=gen.stdout,
                         stdout=subprocess.DEVNULL)
    gen.stdout.close()
    # VmHWM of the process itself, polled: the rusage of a child forked from
    # this Python process would count Python's own pages copied at fork time
    peak_kib = 0
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak_kib = max(peak_kib, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.2)
    gen.wait()
    wall = time.perf_counter() - t0
    report("cli_rss.txt", [f"# {hours:g} h of 16 kHz mono 16-bit pink noise, raw s16 from sox -> "
                           "stdin pipe -> ./percepnet -> stdout (raw) -> /dev/null",
                           f"peak RSS {peak_kib / 1024:.1f} MiB, exit {p.returncode}, wall {wall:.0f} s "
                           f"({seconds / wall:.1f}x real time)"])


def report(name, lines):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "split"
    if what == "split":
        split()
    elif what == "resample":
        resample()
    elif what == "preroll":
        preroll()
    elif what == "rss":
        rss(float(sys.argv[2]) if len(sys.argv) > 2 else 3.0)
