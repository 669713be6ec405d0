"""Batches: output naming, overwrite/skip rules, never writing onto an input,
a failing file not stopping the others, exit codes, determinism (runs, -j),
tags, messages on stderr only, and clean-up on SIGINT."""
import glob
import hashlib
import os
import signal
import subprocess
import time

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check


def digest(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def leftovers(d):
    return [p for p in glob.glob(os.path.join(d, ".*")) if os.path.isfile(p)]


def make(d, name, fmt, rate=16000, ch=1, seconds=1.0, seed=1, tags=None):
    p = os.path.join(d, name)
    ct.write(p, ct.speech(rate, seconds, ch, seed), rate, fmt, tags)
    return p


def naming(d):
    a = make(d, "a.wav", F["wav"] | S["pcm_16"])
    b = make(d, "b.flac", F["flac"] | S["pcm_24"], 44100, 2, seed=2)
    rc, out, err = ct.run([a, b])
    check(rc == 0 and os.path.exists(os.path.join(d, "a.denoised.wav"))
          and os.path.exists(os.path.join(d, "b.denoised.flac")),
          "default naming NAME.denoised.EXT beside the input", f"rc={rc} {err.strip()}")
    check(out == b"" and err == "", "nothing on stdout, nothing on stderr by default",
          f"stdout={out[:80]!r} stderr={err[:80]!r}")
    o = os.path.join(d, "outdir")
    os.mkdir(o)
    rc, _, err = ct.run(["-O", o, a, b])
    check(rc == 0 and sorted(os.listdir(o)) == ["a.wav", "b.flac"], "-O DIR keeps base names",
          f"rc={rc} {sorted(os.listdir(o))} {err.strip()}")
    i = ct.info(os.path.join(o, "b.flac"))
    check(i.format == F["flac"] | S["pcm_24"] and i.channels == 2 and i.samplerate == 44100,
          "output keeps container, sample format, rate, channels", f"{i.format:#x}")
    o2 = os.path.join(d, "outdir2")
    os.mkdir(o2)
    rc, _, err = ct.run(["-O", o2, "-t", "flac", a, b])
    check(rc == 0 and sorted(os.listdir(o2)) == ["a.flac", "b.flac"]
          and ct.info(os.path.join(o2, "a.flac")).format == F["flac"] | S["pcm_16"],
          "-t changes container and extension", f"rc={rc} {sorted(os.listdir(o2))} {err.strip()}")
    rc, _, err = ct.run(["-o", os.path.join(d, "x.wav"), "-b", "24", a])
    check(rc == 0 and ct.info(os.path.join(d, "x.wav")).format == F["wav"] | S["pcm_24"], "-b 24",
          err.strip())
    rc, _, err = ct.run(["-o", os.path.join(d, "y.wav"), "-e", "float", a])
    check(rc == 0 and ct.info(os.path.join(d, "y.wav")).format == F["wav"] | S["float"],
          "-e float", err.strip())
    rc, _, err = ct.run(["-o", os.path.join(d, "z.ogg"), a])
    check(rc == 0 and ct.info(os.path.join(d, "z.ogg")).format == F["ogg"] | S["vorbis"],
          "container inferred from the -o name", err.strip())
    check(not leftovers(d) and not leftovers(o), "no temporary files left", str(leftovers(d)))


def overwrite(d):
    a = make(d, "ow.wav", F["wav"] | S["pcm_16"])
    out = os.path.join(d, "ow.denoised.wav")
    with open(out, "wb") as f:
        f.write(b"precious")
    rc, _, err = ct.run([a])
    check(rc == 2 and open(out, "rb").read() == b"precious" and "exists" in err
          and "ow.denoised.wav" in err and len(err.strip().splitlines()) == 1,
          "existing output refused without -f (one line naming the file)", f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-n", a])
    check(rc == 0 and open(out, "rb").read() == b"precious", "-n skips an existing output",
          f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-f", a])
    check(rc == 0 and ct.info(out).frames == 16000, "-f overwrites", f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-f", "-o", a, a])
    check(rc == 2 and ct.info(a).frames == 16000 and "input" in err,
          "never writes onto an input, even with -f", f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-f", "-O", d, a])
    check(rc == 2 and ct.info(a).frames == 16000, "-O into the input's own directory refused",
          f"rc={rc} {err.strip()}")
    link = os.path.join(d, "ow_link.wav")
    os.symlink(a, link)
    rc, _, err = ct.run(["-f", "-o", link, a])
    check(rc == 2 and os.path.islink(link) and ct.info(a).frames == 16000,
          "a symlink to an input is an input", f"rc={rc} {err.strip()}")
    check(not leftovers(d), "no temporary files after refusals", str(leftovers(d)))


def failures(d):
    a = make(d, "f1.wav", F["wav"] | S["pcm_16"])
    b = make(d, "f3.wav", F["wav"] | S["pcm_16"], seed=3)
    o = os.path.join(d, "fout")
    os.mkdir(o)
    rc, _, err = ct.run(["-O", o, a, os.path.join(d, "missing.wav"), b])
    check(rc == 2 and sorted(os.listdir(o)) == ["f1.wav", "f3.wav"] and "missing.wav" in err,
          "one file failing does not stop the others; exit 2", f"rc={rc} {os.listdir(o)} {err.strip()}")
    rc, _, err = ct.run(["--no-such-option", a])
    check(rc == 1 and len(err.strip().splitlines()) == 1, "unknown option: exit 1, one line", err.strip())
    rc, _, err = ct.run(["-o", os.path.join(d, "q.wav"), a, b])
    check(rc == 1, "-o with several inputs is a usage error", err.strip())
    rc, _, err = ct.run([])
    check(rc == 1, "no input is a usage error", err.strip())
    rc, _, err = ct.run(["-t", "xyz", a])
    check(rc == 1 and "xyz" in err, "unknown -t type is a usage error", err.strip())
    rc, _, err = ct.run(["-r", "500", a])
    check(rc == 1 and "--rate" in err, "output rate out of range is a usage error", err.strip())
    rc, out, err = ct.run(["--help"])
    check(rc == 0 and b"--atten-lim" in out and b"--residual" in out, "--help documents the options",
          err.strip())


def determinism(d):
    files = [make(d, f"det{i}.wav", F["wav"] | S["pcm_24"], 44100, 2, 1.5, seed=10 + i)
             for i in range(4)]
    outs = {}
    for tag, jobs in (("j1", "1"), ("j1b", "1"), ("j2", "2"), ("j0", "0")):
        o = os.path.join(d, "det_" + tag)
        os.mkdir(o)
        rc, _, err = ct.run(["-j", jobs, "-O", o] + files)
        if not check(rc == 0, f"batch -j {jobs} runs", err.strip()):
            return
        outs[tag] = [digest(os.path.join(o, os.path.basename(f))) for f in files]
    check(outs["j1"] == outs["j1b"], "bit-identical output on a second run", str(outs))
    check(outs["j1"] == outs["j2"] == outs["j0"], "bit-identical output with -j 2 and -j 0",
          str(outs))
    rc1, o1, _ = ct.run(["--md5", "-o", "-", "-t", "au", "--channels", "linked", files[0]])
    rc2, o2, _ = ct.run(["--md5", "-o", "-", "-t", "au", "--channels", "linked", files[0]])
    check(rc1 == 0 and o1 == o2, "linked channels deterministic", "")


def tags(d):
    a = make(d, "tag.flac", F["flac"] | S["pcm_16"],
             tags={ct.SF_STR_TITLE: "A title", ct.SF_STR_ARTIST: "An artist",
                   ct.SF_STR_COMMENT: "A comment"})
    rc, _, err = ct.run([a])
    _, i = ct.read(os.path.join(d, "tag.denoised.flac"))
    rcv, ver, _ = ct.run(["--version"])
    model = ver.decode().split("model ")[1].split(",")[0].split(")")[0] if rcv == 0 else "?"
    meta = subprocess.run(["metaflac", "--export-tags-to=-", os.path.join(d, "tag.denoised.flac")],
                          capture_output=True).stdout.decode()
    sw = [l for l in meta.splitlines() if l.lower().startswith("software=")]
    sw = sw[0] if sw else ""
    check(rc == 0 and i.strings.get(ct.SF_STR_TITLE) == "A title"
          and i.strings.get(ct.SF_STR_ARTIST) == "An artist"
          and i.strings.get(ct.SF_STR_COMMENT) == "A comment", "string tags copied", str(i.strings))
    check("percepnet" in sw and model in sw and "0." in sw, "software tag has version and model id",
          f"{sw!r} model {model}")
    w = make(d, "tag.wav", F["wav"] | S["pcm_16"], tags={ct.SF_STR_TITLE: "T"})
    rc, _, err = ct.run([w])
    _, i = ct.read(os.path.join(d, "tag.denoised.wav"))
    check(rc == 0 and model in i.strings.get(ct.SF_STR_SOFTWARE, "") and i.strings.get(1) == "T",
          "WAV: title copied, software tag set", str(i.strings))
    rc, _, err = ct.run(["-f", "--no-tag", w])
    _, i = ct.read(os.path.join(d, "tag.denoised.wav"))
    check(rc == 0 and "percepnet" not in i.strings.get(ct.SF_STR_SOFTWARE, ""), "--no-tag",
          str(i.strings))
    check(rcv == 0 and ver.decode().startswith("percepnet ") and len(model) == 16,
          "--version prints version and model id", ver.decode())
    # progress line only on a terminal: run under script(1) for a pseudo-terminal
    long = make(d, "prog.wav", F["wav"] | S["pcm_16"], 48000, 2, 20.0)
    tty = subprocess.run(["script", "-qec", f"{ct.BIN} -f {long}", "/dev/null"], capture_output=True,
                         timeout=60).stdout.decode("utf-8", "replace")
    # (the speed appears only after half a second of measurement, which a
    # fast machine may not need for this file)
    check("%" in tty and "\r" in tty, "progress line on a terminal",
          repr(tty[:120]))
    rc, _, err = ct.run(["-f", long])
    check(rc == 0 and err == "", "no progress line when stderr is not a terminal", repr(err[:120]))
    rc, _, err = ct.run(["-v", "-f", a])
    check(rc == 0 and "16000 Hz" in err and "delay" in err and "real time" in err,
          "-v reports rates, delay and speed", err.strip())


def interrupt(d):
    # slow on purpose (best converter, both ways) so the signal lands mid-file
    a = make(d, "long.wav", F["wav"] | S["pcm_16"], 44100, 2, 60.0)
    o = os.path.join(d, "intr")
    os.mkdir(o)
    env = dict(os.environ)
    p = subprocess.Popen([ct.BIN, "-q", "--resample-quality", "best", "-O", o, a],
                         stderr=subprocess.PIPE, env=env)
    time.sleep(0.3)
    finished_early = p.poll() is not None
    p.send_signal(signal.SIGINT)
    p.wait(timeout=60)
    check(not finished_early and p.returncode == -signal.SIGINT and os.listdir(o) == [],
          "SIGINT: no output, temporary file removed, killed by the signal",
          f"early={finished_early} rc={p.returncode} files={os.listdir(o)}")


ct.run_groups(naming, overwrite, failures, determinism, tags, interrupt)
