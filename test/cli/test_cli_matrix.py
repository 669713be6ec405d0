"""Format x rate x channel matrix, stdin/stdout pipes and raw PCM input.

Every case checks: exit 0, same container and sample format as the input,
same rate and channels, exactly the input's length, and output that still
resembles the input (correlation > 0.5 with -a 6: at most 6 dB attenuation)."""
import os
import subprocess

import numpy as np

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check

LOSSY = ("vorbis", "opus", "mp3")
FORMATS = {  # name: (format code, extension)
    "wav16": (F["wav"] | S["pcm_16"], "wav"),
    "wav24": (F["wav"] | S["pcm_24"], "wav"),
    "wav32": (F["wav"] | S["pcm_32"], "wav"),
    "wavfloat": (F["wav"] | S["float"], "wav"),
    "wav8": (F["wav"] | S["pcm_u8"], "wav"),
    "wavex24": (F["wavex"] | S["pcm_24"], "wav"),
    "flac16": (F["flac"] | S["pcm_16"], "flac"),
    "flac24": (F["flac"] | S["pcm_24"], "flac"),
    "vorbis": (F["ogg"] | S["vorbis"], "ogg"),
    "opus": (F["ogg"] | S["opus"], "opus"),
    "mp3": (F["mpeg"] | S["mp3"], "mp3"),
    "aiff16": (F["aiff"] | S["pcm_16"], "aiff"),
    "au16": (F["au"] | S["pcm_16"], "au"),
    "caf24": (F["caf"] | S["pcm_24"], "caf"),
    "w64float": (F["w64"] | S["float"], "w64"),
    "rf64_16": (F["rf64"] | S["pcm_16"], "rf64"),
}


def case(d, name, rate, channels, seconds=1.0):
    fmt, ext = FORMATS[name]
    src = os.path.join(d, f"in_{name}_{rate}_{channels}.{ext}")
    ct.write(src, ct.speech(rate, seconds, channels), rate, fmt)
    ref, ri = ct.read(src)
    rc, _, err = ct.run(["-q", "-a", "6", src])
    out = src[: -len(ext) - 1] + f".denoised.{ext}"
    tag = f"matrix {name} {rate} Hz {channels} ch"
    if not check(rc == 0 and os.path.exists(out), tag, f"rc={rc} {err.strip()}"):
        return
    y, yi = ct.read(out)
    problems = []
    if yi.format != ri.format:
        problems.append(f"format {yi.format:#x} != {ri.format:#x}")
    if (yi.samplerate, yi.channels) != (ri.samplerate, ri.channels):
        problems.append(f"{yi.samplerate} Hz {yi.channels} ch")
    if len(y) != len(ref):
        problems.append(f"length {len(y)} != {len(ref)}")
    else:
        for c in range(channels):
            r = np.corrcoef(ref[:, c], y[:, c])[0, 1]
            if not r > 0.5:
                problems.append(f"channel {c} correlation {r:.2f}")
    check(not problems, tag + " shape and content", "; ".join(problems))


def denoise_pipe(src, out):
    """percepnet -q - -o out, reading src through a real pipe (cat writes
    into it): (exit status, stderr text)."""
    cat = subprocess.Popen(["cat", src], stdout=subprocess.PIPE)
    rc, _, err = ct.run(["-q", "-", "-o", out], stdin=cat.stdout)
    cat.wait()
    return rc, err


def pipes(d):
    src_wav = os.path.join(d, "p.wav")
    ct.write(src_wav, ct.speech(44100, 1.0, 2), 44100, F["wav"] | S["pcm_16"])
    rc, _, err = ct.run(["-q", src_wav, "-o", os.path.join(d, "ref.wav")])
    ref, _ = ct.read(os.path.join(d, "ref.wav"), as_int=True)
    for kind, fmt in (("flac", F["flac"] | S["pcm_16"]), ("wav", F["wav"] | S["pcm_16"]),
                      ("au", F["au"] | S["pcm_16"])):
        src = os.path.join(d, f"p_src.{kind}")
        ct.write(src, ct.read(src_wav)[0], 44100, fmt)
        out = os.path.join(d, f"p_out_{kind}.wav")
        rc, err = denoise_pipe(src, out)
        ok = rc == 0 and os.path.exists(out)
        if ok:
            y, _ = ct.read(out, as_int=True)
            ok = y.shape == ref.shape and np.array_equal(y, ref)
        check(ok, f"stdin pipe {kind}", f"rc={rc} {err.strip()}")
    for t in ("au", "wav", "flac", "raw"):
        rc, data, err = ct.run(["-q", src_wav, "-o", "-", "-t", t])
        path = os.path.join(d, f"stdout.{t}")
        with open(path, "wb") as f:
            f.write(data)
        ok = rc == 0 and len(data) > 0
        if ok and t == "raw":
            y = np.frombuffer(data, "<i2").reshape(-1, 2).astype(np.int32) << 16
        elif ok:
            y, _ = ct.read(path, as_int=True)
        ok = ok and y.shape == ref.shape and np.array_equal(y, ref)
        check(ok, f"stdout -t {t}", f"rc={rc} {err.strip()}")
    for kind, fmt in (("ogg", F["ogg"] | S["vorbis"]), ("mp3", F["mpeg"] | S["mp3"])):
        src = os.path.join(d, f"p_src.{kind}")
        ct.write(src, ct.read(src_wav)[0], 44100, fmt)
        out = os.path.join(d, f"p_out_{kind}.wav")
        rc, err = denoise_pipe(src, out)
        ok = rc == 0 and os.path.exists(out) and ct.info(out).frames == ct.info(src).frames
        check(ok, f"stdin pipe {kind} (spooled)", f"rc={rc} {err.strip()}")
    # stdin to stdout in one pipeline
    cat = subprocess.Popen(["cat", src_wav], stdout=subprocess.PIPE)
    rc, data, err = ct.run(["-q", "-", "-o", "-", "-t", "au"], stdin=cat.stdout)
    cat.wait()
    check(rc == 0 and len(data) > 24, "stdin to stdout pipeline", f"rc={rc} {err.strip()}")


def raw(d):
    x = ct.speech(16000, 1.0, 1)
    q = np.clip(np.round(x * 32768), -32768, 32767).astype("<i2")
    src = os.path.join(d, "r.raw")
    q.tofile(src)
    out = os.path.join(d, "r.wav")
    rc, _, err = ct.run(["-q", "--raw-rate", "16000", "--raw-channels", "1", "--raw-encoding",
                         "signed", "--raw-bits", "16", src, "-o", out])
    ok = rc == 0 and os.path.exists(out)
    if ok:
        y, yi = ct.read(out)
        ok = len(y) == len(q) and yi.samplerate == 16000
    check(ok, "raw PCM input with explicit flags", f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-q", src, "-o", os.path.join(d, "r2.wav")])
    check(rc == 2 and "--raw-rate" in err and not os.path.exists(os.path.join(d, "r2.wav")),
          "raw PCM without flags is refused, never guessed", f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-q", "--raw-rate", "16000", src, "-o", os.path.join(d, "r3.wav")])
    check(rc == 1 and "--raw-channels" in err, "incomplete raw flags are a usage error",
          f"rc={rc} {err.strip()}")


def main():
    d = ct.tmpdir()
    try:
        for name in FORMATS:
            rates = [16000] if name in ("opus", "mp3") else [44100]
            for ch in (1, 2):
                for r in rates:
                    case(d, name, r, ch)
        for rate in (8000, 11025, 22050, 32000, 48000, 88200, 96000, 192000):
            case(d, "wav16", rate, 1)
        case(d, "flac24", 96000, 2)
        case(d, "wavfloat", 192000, 2, 0.5)
        case(d, "wav16", 16000, 8)
        case(d, "opus", 48000, 2)
        case(d, "mp3", 44100, 1)
        pipes(d)
        raw(d)
    finally:
        ct.cleanup(d)
    ct.done()


main()
