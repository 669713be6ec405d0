"""Companded and ADPCM inputs keep their subtype (mu-law, A-law, IMA and MS
ADPCM, GSM 6.10 in WAV), a container that cannot hold one gets 16-bit PCM
with a one-line warning, and -e takes the encodings by their sox names."""
import os
import subprocess

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check

SUBTYPES = {"mu-law": 0x10, "a-law": 0x11, "ima-adpcm": 0x12, "ms-adpcm": 0x13,
            "gsm-full-rate": 0x20}


def kept(d):
    src = os.path.join(d, "src.wav")
    ct.write(src, ct.speech(8000, 1.0), 8000, F["wav"] | S["pcm_16"])
    for enc, sub in SUBTYPES.items():
        p = os.path.join(d, f"{enc}.wav")
        subprocess.run(["sox", src, "-e", enc, p], check=True, capture_output=True)
        rc, _, err = ct.run(["-q", p])
        out = os.path.join(d, f"{enc}.denoised.wav")
        got = ct.info(out).format if rc == 0 else None
        check(rc == 0 and got == (F["wav"] | sub), f"encodings: {enc} WAV input keeps {enc}",
              f"rc={rc} format={got and hex(got)} {err.strip()}")


def nearest(d):
    src = os.path.join(d, "src.wav")
    ct.write(src, ct.speech(8000, 1.0), 8000, F["wav"] | S["pcm_16"])
    p = os.path.join(d, "u.wav")
    subprocess.run(["sox", src, "-e", "mu-law", p], check=True, capture_output=True)
    out = os.path.join(d, "u.flac")
    rc, _, err = ct.run([p, "-o", out])
    got = ct.info(out).format if rc == 0 else None
    lines = err.strip().splitlines()
    check(rc == 0 and got == (F["flac"] | S["pcm_16"]) and len(lines) == 1 and "u.flac" in err
          and "16-bit" in err, "encodings: mu-law into FLAC: 16-bit PCM and one warning line",
          f"rc={rc} format={got and hex(got)} {err.strip()!r}")


def option(d):
    src = os.path.join(d, "src.wav")
    ct.write(src, ct.speech(16000, 0.5), 16000, F["wav"] | S["pcm_16"])
    for enc, sub in SUBTYPES.items():
        out = os.path.join(d, f"e-{enc}.wav")
        rc, _, err = ct.run(["-q", "-e", enc, src, "-o", out])
        got = ct.info(out).format if rc == 0 else None
        check(rc == 0 and got == (F["wav"] | sub), f"encodings: -e {enc} writes {enc}",
              f"rc={rc} format={got and hex(got)} {err.strip()}")
    for args, name in ((["-e", "signed-integer", "-b", "16"], "signed-integer"),
                       (["-e", "floating-point"], "floating-point")):
        out = os.path.join(d, f"{name}.wav")
        rc, _, err = ct.run(["-q"] + args + [src, "-o", out])
        want = F["wav"] | (S["pcm_16"] if name == "signed-integer" else S["float"])
        got = ct.info(out).format if rc == 0 else None
        check(rc == 0 and got == want, f"encodings: -e {name} (sox spelling)",
              f"rc={rc} format={got and hex(got)} {err.strip()}")
    rc, _, err = ct.run(["-e", "mu-law", "-b", "16", src, "-o", os.path.join(d, "bad.wav")])
    check(rc == 1 and len(err.strip().splitlines()) == 1 and "mu-law" in err,
          "encodings: -e mu-law -b 16 is a usage error", f"rc={rc} {err.strip()!r}")
    rc, _, err = ct.run(["-e", "mu-law", src, "-o", os.path.join(d, "bad.flac")])
    check(rc == 2 and "bad.flac" in err and not os.path.exists(os.path.join(d, "bad.flac")),
          "encodings: -e mu-law into FLAC is refused naming the output", f"rc={rc} {err.strip()!r}")


if __name__ == "__main__":
    ct.run_groups(kept, nearest, option)
