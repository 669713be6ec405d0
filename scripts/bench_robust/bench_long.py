"""Long-input benchmark: HOURS of audio (default 10) generated on the fly
and piped through ./percepnet's stdin as raw 16-bit PCM at 44.1 kHz (so the
stream goes through the resampler to 48 kHz and back), output read from its
stdout as it comes. Nothing is stored.

The signal is white noise at -40 dBFS with a marker every MARK_EVERY_S
seconds, at a non-integer sample position: a 100 ms Hann-windowed chirp
300 -> 3000 Hz at -10 dBFS. For each marker the output around its place is
cross-correlated with the marker; the lag of the peak (parabolic
interpolation, in samples at 44.1 kHz) must stay within +-1 sample from the
first marker to the last: output sample k is input sample k (no drift).

Memory: the tool's resident set (VmRSS, /proc) is sampled at every marker;
its growth from 10 % of the run to the last marker and the peak (VmHWM,
sampled while it runs) are reported; growth must stay under 1 MiB
(constant memory).

Usage, from the repository root:
  /usr/bin/python3 -m scripts.bench_robust.bench_long [HOURS]
(prints figures, writes build/bench/robust_long.json, exits 1 when a limit
is exceeded).
"""
import json
import os
import subprocess
import sys
import threading
import time

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RATE = 44100
MARK_EVERY_S = 180.0
MARK_OFFSET_S = 1.2345          # first marker; markers sit between samples
MARK_LEN = int(0.1 * RATE)
SEARCH = 2205                   # +-50 ms around the expected place
CHUNK = RATE                    # 1 s per write
MAX_LAG = 1.0                   # samples
MAX_RSS_GROWTH_KB = 1024


def marker():
    t = np.arange(MARK_LEN) / RATE
    f0, f1, dur = 300.0, 3000.0, MARK_LEN / RATE
    phase = 2 * np.pi * (f0 * t + (f1 - f0) / (2 * dur) * t * t)
    return 10 ** (-10 / 20) * np.hanning(MARK_LEN) * np.sin(phase)


def mark_starts(total):
    """Start sample of each marker that fits (integer part) and its fraction."""
    out = []
    k = 0
    while True:
        pos = (MARK_OFFSET_S + k * MARK_EVERY_S) * RATE
        if pos + MARK_LEN + SEARCH >= total:
            return out
        out.append(pos)
        k += 1


def proc_status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])  # kB
    except OSError:
        pass
    return None


def writer(stdin, total, marks, tmpl):
    rng = np.random.Generator(np.random.PCG64(10))
    noise = rng.standard_normal(7 * RATE) * 10 ** (-40 / 20)
    mi = 0
    try:
        for start in range(0, total, CHUNK):
            n = min(CHUNK, total - start)
            idx = (np.arange(start, start + n)) % len(noise)
            x = noise[idx].copy()
            while mi < len(marks) and marks[mi] < start + n:
                # marker at fractional position p: sample the chirp at (i - p)
                p = marks[mi]
                i0 = int(np.floor(p))
                lo, hi = max(i0, start), min(i0 + MARK_LEN + 1, start + n)
                if hi > lo:
                    t = np.arange(lo, hi) - p
                    x[lo - start:hi - start] += np.interp(t, np.arange(MARK_LEN), tmpl, 0.0, 0.0)
                if i0 + MARK_LEN + 1 <= start + n:
                    mi += 1
                else:
                    break
            stdin.write(np.clip(np.round(x * 32768), -32768, 32767).astype("<i2").tobytes())
    except BrokenPipeError:
        pass
    finally:
        try:
            stdin.close()
        except BrokenPipeError:
            pass


def lag_of(window, tmpl, expect_at):
    """Lag (samples, fractional) of tmpl in window, window[0] = sample expect_at - SEARCH."""
    c = np.correlate(window, tmpl, mode="valid")
    k = int(np.argmax(c))
    frac = 0.0
    if 0 < k < len(c) - 1:
        a, b, d = c[k - 1], c[k], c[k + 1]
        den = a - 2 * b + d
        if den != 0:
            frac = 0.5 * (a - d) / den
    return k + frac - SEARCH + (np.floor(expect_at) - expect_at)


def main():
    hours = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    total = int(hours * 3600 * RATE)
    tmpl = marker()
    marks = mark_starts(total)
    cmd = [os.path.join(ROOT, "percepnet"), "-q", "--raw-rate", str(RATE), "--raw-channels", "1",
           "--raw-encoding", "signed", "--raw-bits", "16", "-", "-t", "raw", "-o", "-"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    th = threading.Thread(target=writer, args=(p.stdin, total, marks, tmpl), daemon=True)
    th.start()
    got = 0
    lags, rss = [], []
    hwm = reads = 0
    mi = 0
    win = None
    win_lo = 0
    pending = b""
    while True:
        data = p.stdout.read(1 << 16)
        if not data:
            break
        reads += 1
        if reads % 64 == 0:  # about every 0.7 s of audio
            hwm = max(hwm, proc_status(p.pid, "VmHWM") or 0)
        data = pending + data
        cut = len(data) - len(data) % 2
        pending = data[cut:]
        y = np.frombuffer(data[:cut], "<i2").astype(np.float64) / 32768.0
        start, got = got, got + len(y)
        while mi < len(marks):
            lo = int(np.floor(marks[mi])) - SEARCH
            hi = lo + MARK_LEN + 2 * SEARCH
            if got <= lo:
                break
            if win is None:
                win, win_lo = np.zeros(hi - lo), lo
            a, b = max(lo, start), min(hi, got)
            if b > a:
                win[a - win_lo:b - win_lo] = y[a - start:b - start]
            if got < hi:
                break
            lags.append(lag_of(win, tmpl, marks[mi]))
            rss.append((got / RATE, proc_status(p.pid, "VmRSS")))
            hwm = max(hwm, proc_status(p.pid, "VmHWM") or 0)
            win = None
            mi += 1
    p.wait()
    th.join()
    wall = time.monotonic() - t0
    lags = np.array(lags)
    rss_vals = [r for _, r in rss if r is not None]
    tenth = rss_vals[len(rss_vals) // 10] if rss_vals else None
    growth = rss_vals[-1] - tenth if rss_vals else None
    res = {
        "hours": hours, "rate": RATE, "frames_in": total, "frames_out": got,
        "exit": p.returncode, "wall_s": round(wall, 1),
        "speed_x_realtime": round(hours * 3600 / wall, 1),
        "markers": int(len(lags)),
        "lag_first": round(float(lags[0]), 3) if len(lags) else None,
        "lag_last": round(float(lags[-1]), 3) if len(lags) else None,
        "lag_max_abs": round(float(np.max(np.abs(lags))), 3) if len(lags) else None,
        "drift_samples": round(float(lags[-1] - lags[0]), 3) if len(lags) else None,
        "rss_kb_at_10pct": tenth, "rss_kb_end": rss_vals[-1] if rss_vals else None,
        "rss_growth_kb": growth, "peak_rss_kb": hwm,
    }
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "robust_long.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(f"bench-robust-long: {hours:g} h of 44.1 kHz raw PCM through stdin -> stdout in "
          f"{wall:.0f} s ({res['speed_x_realtime']}x real time), exit {p.returncode}")
    print(f"  frames in {total}, out {got}")
    print(f"  alignment over {len(lags)} markers: first lag {res['lag_first']}, last "
          f"{res['lag_last']}, max |lag| {res['lag_max_abs']} samples, drift "
          f"{res['drift_samples']} samples")
    print(f"  memory: VmRSS {tenth} kB at 10 %, {res['rss_kb_end']} kB at the end (growth "
          f"{growth} kB), peak VmHWM {hwm} kB")
    ok = (p.returncode == 0 and got == total and len(lags) > 0 and res["lag_max_abs"] <= MAX_LAG
          and growth is not None and growth <= MAX_RSS_GROWTH_KB)
    print("  " + ("ok" if ok else "FAILED: limits are exit 0, frames out = in, |lag| <= "
                  f"{MAX_LAG} sample, RSS growth <= {MAX_RSS_GROWTH_KB} kB"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
