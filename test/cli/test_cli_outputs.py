"""Every file the tool writes (output, residual, dumps, labels, report)
follows one set of rules, checked before any input is read: no file
replaced without -f, never an input, never two outputs on one path; errors
name the file they are about; with -n a rerun skips what is done and adds
to the report."""
import json
import os
import signal
import subprocess
import time

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check


def source(d, name="n.wav", seconds=0.5, rate=16000):
    p = os.path.join(d, name)
    ct.write(p, ct.speech(rate, seconds), rate, F["wav"] | S["pcm_16"])
    return p


def files(d):
    out = []
    for root, _, names in os.walk(d):
        out += [os.path.relpath(os.path.join(root, n), d) for n in names]
    return sorted(out)


def report_rules(d):
    src = source(d)
    q = os.path.join(d, "q.wav")
    rc, _, err = ct.run(["-f", src, "-o", q, "--report", q])
    check(rc == 1 and not os.path.exists(q) and "q.wav" in err and "report" in err
          and len(err.strip().splitlines()) == 1,
          "outputs: --report onto the audio output is refused up front",
          f"rc={rc} exists={os.path.exists(q)} {err.strip()!r}")
    keep = os.path.join(d, "keep.txt")
    with open(keep, "w") as f:
        f.write("keep\n")
    rc, _, err = ct.run([src, "-o", os.path.join(d, "a.wav"), "--report", keep])
    check(rc == 1 and open(keep).read() == "keep\n" and not os.path.exists(os.path.join(d, "a.wav"))
          and "keep.txt" in err and "exists" in err,
          "outputs: an existing report is not replaced without -f, and nothing is done",
          f"rc={rc} {err.strip()!r}")
    rc, _, err = ct.run(["-f", src, "-o", os.path.join(d, "a.wav"), "--report", keep])
    lines = open(keep).read().splitlines()
    check(rc == 0 and len(lines) == 1 and json.loads(lines[0])["status"] == "ok",
          "outputs: -f replaces the report", f"rc={rc} {lines[:1]}")


def resume_report(d):
    a, b = source(d, "a.wav"), source(d, "b.wav")
    out = os.path.join(d, "out")
    rep = os.path.join(d, "run.jsonl")
    rc1, _, err1 = ct.run(["-n", "-O", out, a, "--report", rep])
    rc2, _, err2 = ct.run(["-n", "-O", out, a, b, "--report", rep])
    lines = [json.loads(x) for x in open(rep).read().splitlines()] if os.path.exists(rep) else []
    got = [(os.path.basename(x["input"]), x["status"]) for x in lines]
    check(rc1 == 0 and rc2 == 0 and got == [("a.wav", "ok"), ("b.wav", "ok")],
          "outputs: -n rerun keeps the report's lines and adds the new file's",
          f"rc={rc1},{rc2} lines {got} {err1.strip()} {err2.strip()}")


def glob_rerun(d):
    src = source(d, "x.wav")
    rc1, _, _ = ct.run([src])
    inputs = sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith(".wav"))
    rc2, _, err = ct.run(["-n"] + inputs)
    check(rc1 == 0 and rc2 == 0 and files(d) == ["x.denoised.wav", "x.wav"],
          "outputs: -n rerun on a glob that picks up the outputs skips them",
          f"rc={rc1},{rc2} files {files(d)} {err.strip()!r}")
    rc3, _, err = ct.run(["-n", "-v"] + inputs)
    check(rc3 == 0 and "is the output of" in err, "outputs: -v says why an earlier output is skipped",
          f"rc={rc3} {err.strip()!r}")


def dump_collision(d):
    src = source(d)
    z = os.path.join(d, "z.tsv")
    rc, _, err = ct.run([src, "-o", os.path.join(d, "c.wav"), "--dump-gains", z, "--dump-pitch", z])
    check(rc == 1 and files(d) == ["n.wav"] and "z.tsv" in err and "gain dump" in err
          and "pitch dump" in err, "outputs: two dumps on one path refused before anything is written",
          f"rc={rc} files {files(d)} {err.strip()!r}")
    rc, _, err = ct.run([src, "-o", os.path.join(d, "c.wav"), "--residual", src])
    check(rc == 2 and files(d) == ["n.wav"] and "n.wav" in err and "input" in err,
          "outputs: --residual onto an input refused", f"rc={rc} files {files(d)} {err.strip()!r}")
    side = os.path.join(d, "labels.txt")
    with open(side, "w") as f:
        f.write("old\n")
    rc, _, err = ct.run([src, "-o", os.path.join(d, "c.wav"), "--vad-labels", side])
    check(rc == 2 and not os.path.exists(os.path.join(d, "c.wav")) and open(side).read() == "old\n"
          and "labels.txt" in err and "exists" in err,
          "outputs: an existing side file refuses the input before its output is written",
          f"rc={rc} files {files(d)} {err.strip()!r}")


def same_name(d):
    for sub in ("d1", "d2"):
        os.mkdir(os.path.join(d, sub))
        source(d, os.path.join(sub, "x.wav"))
    ins = [os.path.join(d, "d1", "x.wav"), os.path.join(d, "d2", "x.wav")]
    for extra in ([], ["-f"], ["-f", "-j", "2"]):
        out = os.path.join(d, "oc" + "".join(extra).replace("-", ""))
        rc, _, err = ct.run(extra + ["-O", out] + ins)
        check(rc == 1 and not os.path.exists(out) and "d1/x.wav" in err and "d2/x.wav" in err
              and len(err.strip().splitlines()) == 1,
              f"outputs: two inputs with one name into -O {' '.join(extra)}: refused up front",
              f"rc={rc} made={os.path.exists(out) and os.listdir(out)} {err.strip()!r}")


def error_names(d):
    long_flac = os.path.join(d, "long.flac")
    ct.write(long_flac, ct.speech(16000, 20.0), 16000, F["flac"] | S["pcm_16"])
    trunc = os.path.join(d, "trunc.flac")
    with open(long_flac, "rb") as f:
        data = f.read()
    with open(trunc, "wb") as f:
        f.write(data[: len(data) // 3])
    rc, _, err = ct.run(["-f", trunc, "-o", os.path.join(d, "t.flac"), "--residual",
                         os.path.join(d, "tr.flac")])
    check(rc == 2 and "trunc.flac:" in err and "tr.flac:" not in err,
          "outputs: an input read error names the input, not a side file", f"rc={rc} {err.strip()!r}")
    long_wav = os.path.join(d, "long.wav")
    ct.write(long_wav, ct.speech(16000, 300.0), 16000, F["wav"] | S["pcm_16"])
    labels = os.path.join(d, "v.txt")
    p = subprocess.Popen([ct.BIN, long_wav, "-o", os.path.join(d, "v.wav"), "--vad-labels", labels],
                         stderr=subprocess.PIPE)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 60 and p.poll() is None and \
            not any(n.startswith(".v.txt") for n in os.listdir(d)):
        time.sleep(0.01)
    time.sleep(0.2)
    running = p.poll() is None
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    err = err.decode(errors="replace")
    check(running and "long.wav: interrupted" in err and "v.txt" not in err
          and not any(n.startswith((".v", "v.")) for n in os.listdir(d)),
          "outputs: SIGINT names the input being processed and leaves no side file",
          f"running={running} {err.strip()!r} files {files(d)}")


if __name__ == "__main__":
    ct.run_groups(report_rules, resume_report, glob_rerun, dump_collision, same_name, error_names)
