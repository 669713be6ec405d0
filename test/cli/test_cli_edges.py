"""The odd file and the odd command line: -a 0 passes the input through,
named pipes and /dev/stdin read like '-', the container follows each
output's name, truncated and empty inputs, float above full scale, and
getopt-style short options."""
import json
import os
import subprocess

import numpy as np

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check


def source(d, name="n.wav", seconds=0.5, rate=16000, fmt=F["wav"] | S["pcm_16"], channels=1):
    p = os.path.join(d, name)
    ct.write(p, ct.speech(rate, seconds, channels), rate, fmt)
    return p


def atten_zero(d):
    for sub, name in ((S["pcm_16"], "16-bit"), (S["pcm_24"], "24-bit"), (S["float"], "float")):
        src = source(d, f"in{sub}.wav", fmt=F["wav"] | sub, channels=2)
        out = os.path.join(d, f"out{sub}.wav")
        rc, _, err = ct.run(["-a", "0", src, "-o", out])
        ok = rc == 0
        if ok:
            x, _ = ct.read(src, as_int=sub != S["float"])
            y, _ = ct.read(out, as_int=sub != S["float"])
            ok = x.shape == y.shape and np.array_equal(x, y)
        check(ok, f"edges: -a 0 passes {name} input through unchanged", f"rc={rc} {err.strip()}")
    src = os.path.join(d, "in2.wav")
    out = os.path.join(d, "r.wav")
    rc, _, err = ct.run(["-a", "0", "-r", "8000", src, "-o", out])
    ok = rc == 0
    if ok:
        x, _ = ct.read(src)
        y, yi = ct.read(out)
        ok = yi.samplerate == 8000 and len(y) == len(x) // 2
    check(ok, "edges: -a 0 -r 8000 resamples only", f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-a", "0", "--dump-gains", os.path.join(d, "g.tsv"), src])
    check(rc == 1 and len(err.strip().splitlines()) == 1, "edges: -a 0 with a dump is a usage error",
          f"rc={rc} {err.strip()!r}")


def pipes(d):
    src = source(d)
    ref = os.path.join(d, "ref.wav")
    rc0, _, _ = ct.run([src, "-o", ref])
    want = ct.read(ref)[0] if rc0 == 0 else None
    env = dict(os.environ, PN=ct.BIN, SRC=src, OUT=os.path.join(d, "ps.wav"))
    p = subprocess.run(["bash", "-c", '"$PN" <(cat "$SRC") -o "$OUT"'], env=env, capture_output=True,
                       timeout=120)
    out = os.path.join(d, "ps.wav")
    check(p.returncode == 0 and os.path.exists(out) and np.array_equal(ct.read(out)[0], want),
          "edges: process substitution <(cat x.wav) is read like '-'",
          f"rc={p.returncode} {p.stderr.decode().strip()!r}")
    out = os.path.join(d, "stdin.wav")
    with open(src, "rb") as f:
        data = f.read()
    rc, _, err = ct.run(["/dev/stdin", "-o", out], input_bytes=data)
    check(rc == 0 and np.array_equal(ct.read(out)[0], want), "edges: /dev/stdin on a pipe is read like '-'",
          f"rc={rc} {err.strip()!r}")
    fifo = os.path.join(d, "fifo.wav")
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", 'cat "$0" > "$1"', src, fifo])
    rc, _, err = ct.run(["-O", os.path.join(d, "o"), fifo])
    try:
        writer.wait(timeout=5)
    except subprocess.TimeoutExpired:  # the pipe was never opened for reading
        writer.kill()
        writer.wait()
    out = os.path.join(d, "o", "fifo.wav")
    check(rc == 0 and os.path.exists(out) and np.array_equal(ct.read(out)[0], want),
          "edges: a named pipe x.wav is read like '-' and named like a file", f"rc={rc} {err.strip()!r}")
    p = subprocess.run(["bash", "-c", '"$PN" <(cat "$SRC")'], env=env, capture_output=True, timeout=120)
    err = p.stderr.decode()
    check(p.returncode == 2 and "-o" in err and len(err.strip().splitlines()) == 1,
          "edges: a pipe without an extension and without -o: one line asking for -o",
          f"rc={p.returncode} {err.strip()!r}")


def containers(d):
    src = source(d)
    for ext in ("m4a", "wv", "txt"):
        out = os.path.join(d, f"out.{ext}")
        rc, _, err = ct.run([src, "-o", out])
        check(rc == 1 and not os.path.exists(out) and f"out.{ext}" in err
              and len(err.strip().splitlines()) == 1,
              f"edges: -o out.{ext} (no writer) refused without -t", f"rc={rc} {err.strip()!r}")
    out = os.path.join(d, "out.txt")
    rc, _, err = ct.run(["-t", "wav", src, "-o", out])
    check(rc == 0 and ct.info(out).format & 0xFF0000 == F["wav"], "edges: -t wav -o out.txt writes WAV",
          f"rc={rc} {err.strip()!r}")
    mp3 = os.path.join(d, "x.mp3")
    ct.write(mp3, ct.speech(16000, 1.0), 16000, F["mpeg"] | S["mp3"])
    res = os.path.join(d, "r.wav")
    rc, _, err = ct.run([mp3, "-o", os.path.join(d, "y.mp3"), "--residual", res])
    fmt = ct.info(res).format if rc == 0 else 0
    check(rc == 0 and fmt & 0xFF0000 == F["wav"], "edges: --residual r.wav of an MP3 input is WAV",
          f"rc={rc} format={fmt:#x} {err.strip()!r}")
    res = os.path.join(d, "r.flac")
    rc, _, err = ct.run([src, "-o", os.path.join(d, "y.wav"), "--residual", res])
    fmt = ct.info(res).format if rc == 0 else 0
    check(rc == 0 and fmt == F["flac"] | S["pcm_16"], "edges: --residual r.flac of a WAV input is FLAC",
          f"rc={rc} format={fmt:#x} {err.strip()!r}")
    rc, _, err = ct.run([src, "-o", os.path.join(d, "z.wav"), "--residual", os.path.join(d, "r.xyz")])
    check(rc == 1 and "r.xyz" in err, "edges: --residual r.xyz refused", f"rc={rc} {err.strip()!r}")


def truncated(d):
    for name, fmt in (("wav", F["wav"] | S["pcm_16"]), ("ogg", F["ogg"] | S["vorbis"]),
                      ("mp3", F["mpeg"] | S["mp3"])):
        whole = os.path.join(d, f"whole.{name}")
        ct.write(whole, ct.speech(16000, 5.0), 16000, fmt)
        cut = os.path.join(d, f"cut.{name}")
        with open(whole, "rb") as f:
            data = f.read()
        with open(cut, "wb") as f:
            f.write(data[: len(data) * 6 // 10])
        rep = os.path.join(d, f"{name}.jsonl")
        rc, _, err = ct.run([cut, "-o", os.path.join(d, f"o.{name}"), "--report", rep])
        lines = err.strip().splitlines()
        r = json.loads(open(rep).read()) if os.path.exists(rep) else {}
        check(rc == 0 and len(lines) == 1 and "truncated" in err and f"cut.{name}" in err
              and r.get("truncated") is True,
              f"edges: truncated {name}: exit 0, one warning line, report says truncated",
              f"rc={rc} {err.strip()!r} report truncated={r.get('truncated')}")
        rc, _, err = ct.run([whole, "-o", os.path.join(d, f"w.{name}"), "--report", rep, "-f"])
        r = json.loads(open(rep).read()) if os.path.exists(rep) else {}
        check(rc == 0 and err.strip() == "" and r.get("truncated") is False,
              f"edges: whole {name}: no truncation warning", f"rc={rc} {err.strip()!r}")
    whole = os.path.join(d, "whole.mp3")
    with open(whole, "rb") as f:
        data = f.read()
    bad = os.path.join(d, "damaged.mp3")
    with open(bad, "wb") as f:
        rng = np.random.Generator(np.random.PCG64(5))
        f.write(data[:9000] + rng.integers(0, 256, 3000, np.uint8).tobytes() + data[9000:])
    rc, _, err = ct.run(["-q", bad, "-o", os.path.join(d, "damaged.wav")])
    foreign = [x for x in err.splitlines() if x and not x.startswith("percepnet: ")]
    check(not foreign, "edges: a damaged MP3 with -q: no decoder notes on stderr", f"rc={rc} {err!r}")


def zero_samples(d):
    import struct
    p = os.path.join(d, "zero.wav")
    with open(p, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " +
                struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", 0))
    for ext, want in (("wav", F["wav"] | S["pcm_16"]), ("flac", F["flac"] | S["pcm_16"])):
        out = os.path.join(d, f"zero_out.{ext}")
        rc, _, err = ct.run([p, "-o", out])
        ok = rc == 0 and os.path.exists(out)
        if ok:
            y, yi = ct.read(out)
            ok = len(y) == 0 and yi.format == want and yi.samplerate == 16000
        check(ok, f"edges: a WAV with 0 samples gives an empty {ext} output", f"rc={rc} {err.strip()!r}")
        if ext == "flac" and ok:
            t = subprocess.run(["flac", "-t", "-s", out], capture_output=True)
            check(t.returncode == 0, "edges: the empty FLAC output passes flac -t", t.stderr.decode())


def hot_float(d):
    x = ct.speech(16000, 3.0)
    normal = os.path.join(d, "normal.wav")
    hot = os.path.join(d, "hot.wav")
    ct.write(normal, x, 16000, F["wav"] | S["float"])
    ct.write(hot, x * 4.0, 16000, F["wav"] | S["float"])
    outs = {}
    for name, src in (("normal", normal), ("hot", hot)):
        out = os.path.join(d, f"{name}_out.wav")
        rep = os.path.join(d, f"{name}.json")
        rc, _, err = ct.run([src, "-o", out, "--report", rep])
        outs[name] = (rc, ct.read(out)[0] if rc == 0 else None, err,
                      json.loads(open(rep).read()) if rc == 0 else {})
    (rc1, y1, _, _), (rc2, y2, err, r2) = outs["normal"], outs["hot"]
    ok = rc1 == 0 and rc2 == 0
    if ok:
        ratio_db = 20 * np.log10(np.sqrt(np.mean(y2 ** 2)) / np.sqrt(np.mean(y1 ** 2)))
        ok = np.max(np.abs(y2)) > 1.5 and abs(ratio_db - 12.04) < 0.5 and r2.get("clipped_samples") == 0
    check(ok, "edges: float input at +12 dBFS to float output keeps its level, nothing clipped",
          f"rc={rc1},{rc2} peak={np.max(np.abs(y2)) if ok or y2 is not None else None} "
          f"ratio={ratio_db if rc1 == 0 and rc2 == 0 else None} {err.strip()!r}")
    out = os.path.join(d, "hot16.wav")
    rc, _, err = ct.run([hot, "-b", "16", "-o", out])
    check(rc == 0 and "clipped" in err, "edges: the same input to 16-bit is clipped with a warning",
          f"rc={rc} {err.strip()!r}")


def command_line(d):
    src = source(d)
    out = os.path.join(d, "c.wav")
    rc, _, err = ct.run(["-fqj2", src, "-o", out])
    check(rc == 0 and err == "" and os.path.exists(out), "edges: -fqj2 is -f -q -j 2 (getopt clusters)",
          f"rc={rc} {err.strip()!r}")
    rc, _, err = ct.run(["-fvv", src, "-o" + out])
    check(rc == 0 and "plan: output" in err and "real time" in err,
          "edges: -vv lists the planned files on top of -v's detail, -oFILE attached",
          f"rc={rc} {err.strip()!r}")
    rc, _, err1 = ct.run(["-v", src, "-o", out, "-f"])
    check(rc == 0 and "plan:" not in err1, "edges: a single -v does not list the plan", err1.strip())
    rc, _, err = ct.run(["-fx", src])
    check(rc == 1 and "'-x'" in err and len(err.strip().splitlines()) == 1,
          "edges: an unknown letter in a cluster is named", f"rc={rc} {err.strip()!r}")
    for args in (["-n", "-f"], ["-fn"], ["-f", "-n"]):
        rc, _, err = ct.run(args + [src, "-o", os.path.join(d, "nf.wav")])
        check(rc == 1 and "exclude" in err and not os.path.exists(os.path.join(d, "nf.wav")),
              f"edges: {' '.join(args)} is a usage error", f"rc={rc} {err.strip()!r}")
    nested = os.path.join(d, "made", "deeper")
    rc, _, err = ct.run(["-O", nested, src])
    check(rc == 0 and os.path.exists(os.path.join(nested, "n.wav")), "edges: -O makes a missing directory "
          "with its parents", f"rc={rc} {err.strip()!r}")
    raw = os.path.join(d, "odd.s16")
    with open(raw, "wb") as f:
        f.write((np.arange(1601, dtype="<i2") * 7).tobytes()[:-1])
    rc, _, err = ct.run(["--raw-rate", "16000", "--raw-channels", "1", "--raw-encoding", "signed", raw,
                         "-o", os.path.join(d, "odd.wav")])
    check(rc == 0 and "1 trailing byte" in err and "odd.s16" in err and len(err.strip().splitlines()) == 1,
          "edges: an odd trailing byte of raw 16-bit input is warned about", f"rc={rc} {err.strip()!r}")
    # at 48 kHz the first block (85 ms) only fills the pre-roll head: no
    # work done yet, so a speed measured over it would be absurd
    long_in = source(d, "long.wav", seconds=20.0, rate=48000)
    lines = progress_lines(long_in, os.path.join(d, "p.wav"))
    speeds = [float(x.split()[-3][:-1]) for x in lines if x.endswith("real time")]
    check(lines and "real time" not in lines[0] and all(v < 1000 for v in speeds),
          "edges: the first progress line shows no speed, no line an absurd one", f"lines {lines[:3]}")


def progress_lines(src, out):
    """The progress lines percepnet draws on a terminal (stderr on a pty)."""
    import pty
    import re
    import select
    master, slave = pty.openpty()
    p = subprocess.Popen([ct.BIN, "-f", src, "-o", out], stderr=slave, stdout=subprocess.DEVNULL)
    os.close(slave)
    buf = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
        elif p.poll() is not None:
            break
    p.wait()
    os.close(master)
    return [x.decode(errors="replace") for x in re.findall(rb"\r\x1b\[K([^\r\n]+)", buf)]


if __name__ == "__main__":
    ct.run_groups(atten_zero, pipes, containers, truncated, zero_samples, hot_float, command_line)
