"""Bad input: each case gets one line on stderr naming the file and the
reason, a non-zero exit status, and no output file (nor a temporary one)."""
import os
import struct

import numpy as np

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check


def wav_header(rate, channels, bits, frames):
    data = frames * channels * bits // 8
    return (b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * bits // 8,
                        channels * bits // 8, bits) + b"data" + struct.pack("<I", data))


def expect_fail(d, name, args, words, rc_want=2, stdin=None):
    before = set(os.listdir(d))
    rc, out, err = ct.run(args, input_bytes=stdin)
    after = set(os.listdir(d))
    lines = err.strip().splitlines()
    ok = rc == rc_want and len(lines) == 1 and all(w.lower() in err.lower() for w in words)
    check(ok, f"bad input: {name}: exit {rc_want}, one line naming file and reason",
          f"rc={rc} stderr={err.strip()!r}")
    check(after == before and out == b"", f"bad input: {name}: no output file",
          f"new files {sorted(after - before)}")


def main():
    d = ct.tmpdir()
    try:
        good = os.path.join(d, "good.wav")
        ct.write(good, ct.speech(16000, 1.0), 16000, F["wav"] | S["pcm_16"])
        expect_fail(d, "missing file", [os.path.join(d, "nope.wav")], ["nope.wav", "no such file"])
        sub = os.path.join(d, "adir")
        os.mkdir(sub)
        expect_fail(d, "directory", [sub], ["adir", "directory"])
        p = os.path.join(d, "empty.wav")
        open(p, "wb").close()
        expect_fail(d, "empty file", [p], ["empty.wav", "empty"])
        with open(good, "rb") as f:
            head = f.read(64)
        p = os.path.join(d, "trunc.wav")
        with open(p, "wb") as f:
            f.write(head[:20])
        expect_fail(d, "truncated header", [p], ["trunc.wav", "not an audio file"])
        p = os.path.join(d, "corrupt.wav")
        with open(p, "wb") as f:
            f.write(b"RIFF\xff\xff\xff\x7fWAVEfmt \x02\x00\x00\x00\x01\x00" + bytes(range(256)) * 8)
        expect_fail(d, "corrupt header", [p], ["corrupt.wav"])
        p = os.path.join(d, "random.flac")
        with open(p, "wb") as f:
            f.write(np.random.Generator(np.random.PCG64(3)).integers(0, 256, 20000, np.uint8).tobytes())
        expect_fail(d, "random bytes", [p], ["random.flac", "not an audio file"])
        for rate in (4000, 384000):
            p = os.path.join(d, f"rate{rate}.wav")
            with open(p, "wb") as f:
                f.write(wav_header(rate, 1, 16, rate // 10) + bytes(rate // 10 * 2))
            expect_fail(d, f"unsupported rate {rate} Hz", [p], [f"rate{rate}.wav", "sample rate"])
        p = os.path.join(d, "nine.wav")
        ct.write(p, np.zeros((1600, 9), np.float32), 16000, F["wav"] | S["pcm_16"])
        expect_fail(d, "9 channels", [p], ["nine.wav", "channels"])
        expect_fail(d, "output path equal to an input", ["-f", good, "-o", good], ["good.wav", "input"])
        expect_fail(d, "report path equal to an input", ["--report", good, good, "-o",
                    os.path.join(d, "rep_out.wav")], ["good.wav", "report"], rc_want=1)
        expect_fail(d, "unwritable output directory", ["-O", "/proc", good], ["/proc", "cannot create"])
        expect_fail(d, "output directory under a regular file", ["-O", os.path.join(good, "nodir"),
                    good], ["good.wav/nodir", "cannot create"], rc_want=1)
        expect_fail(d, "output under a regular file", [good, "-o", os.path.join(good, "x.wav")],
                    ["good.wav/x.wav", "not a directory"])
        expect_fail(d, "empty stdin", ["-", "-o", os.path.join(d, "s.wav")], ["-", "empty"], stdin=b"")
        expect_fail(d, "stdin without -o", ["-"], ["-o"], stdin=open(good, "rb").read())
        short = os.path.join(d, "short.wav")
        ct.write(short, ct.speech(16000, 0.5), 16000, F["wav"] | S["pcm_16"])
        expect_fail(d, "oracle inputs of different length", ["--oracle", good, short, "-o",
                    os.path.join(d, "or.wav")], ["length"])
        expect_fail(d, "model file missing", ["--model", os.path.join(d, "none.pnm"), good],
                    ["none.pnm", "model"], rc_want=1)
        rc, _, err = ct.run([good], env={"PERCEPNET_CPU": "pentium"})
        check(rc == 1 and "PERCEPNET_CPU=pentium" in err and len(err.strip().splitlines()) == 1,
              "unknown PERCEPNET_CPU refused", err.strip())
        rc, _, err = ct.run([good], env={"PERCEPNET_CPU": "neon"})
        check(rc == 1 and "PERCEPNET_CPU=neon" in err and "support" in err,
              "unavailable PERCEPNET_CPU refused with a clear message", err.strip())
        rc, _, err = ct.run(["-f", good], env={"PERCEPNET_CPU": "c"})
        check(rc == 0, "PERCEPNET_CPU=c accepted", err.strip())
        # NaN / Inf samples: replaced by 0, a warning, and the file is processed
        x = ct.speech(16000, 1.0)
        x[100, 0] = np.nan
        x[200, 0] = np.inf
        x[300, 0] = -np.inf
        p = os.path.join(d, "nan.wav")
        ct.write(p, x, 16000, F["wav"] | S["float"])
        out = os.path.join(d, "nan_out.wav")
        rc, _, err = ct.run([p, "-o", out])
        ok = rc == 0 and os.path.exists(out) and "3 NaN/Inf" in err and "nan.wav" in err
        if ok:
            y, _ = ct.read(out)
            ok = bool(np.all(np.isfinite(y))) and len(y) == len(x)
        check(ok, "NaN/Inf samples replaced by 0 with a warning", f"rc={rc} {err.strip()}")
    finally:
        ct.cleanup(d)
    ct.done()


main()
