"""Large batches: --manifest (TSV rows appended per file, the header once,
refusal of a file that is not a manifest, escaped paths, a cut-off row kept
apart, concurrent appends from several processes), --files-from (lists from
a file and stdin, CRLF and empty lines, errors naming the list), resuming
a killed batch with -n, and scripts/scaleout/pending.sh."""
import hashlib
import os
import signal
import subprocess
import time

import clitest as ct
from clitest import SF_FORMAT as F, SF_SUB as S, check

HEADER = "input\toutput\tstatus\tseconds\tmodel\tpcm_md5"


def digest(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def make(d, name, fmt=F["wav"] | S["pcm_16"], rate=16000, ch=1, seconds=1.0, seed=1):
    p = os.path.join(d, name)
    ct.write(p, ct.speech(rate, seconds, ch, seed), rate, fmt)
    return p


def rows(path):
    """The manifest's lines split at tabs, header first."""
    with open(path, "rb") as f:
        text = f.read().decode()
    return [line.split("\t") for line in text.split("\n")[:-1]], text


def model_id():
    _, out, _ = ct.run(["--version"])
    return out.decode().split("model ")[1].split(",")[0]


def manifest_rows(d):
    a = make(d, "a.wav")
    b = make(d, "b.flac", F["flac"] | S["pcm_24"], 44100, 2, seed=2)
    bad = os.path.join(d, "bad.wav")
    with open(bad, "wb") as f:
        f.write(b"RIFF, but not audio")
    o = os.path.join(d, "out")
    os.mkdir(o)
    m = os.path.join(d, "m.tsv")
    rc, out, err = ct.run(["-O", o, "--md5", "--manifest", m, a, bad, b])
    lines, text = rows(m)
    check(rc == 2 and lines[0] == HEADER.split("\t") and len(lines) == 4
          and all(len(r) == 6 for r in lines), "header row and one 6-field row per file",
          f"rc={rc} {text!r} {err.strip()}")
    by_input = {r[0]: r for r in lines[1:]}
    md5s = dict(reversed(line.split("  ")) for line in out.decode().splitlines())
    ok = (by_input[a][1:3] == [os.path.join(o, "a.wav"), "done"]
          and by_input[b][1:3] == [os.path.join(o, "b.flac"), "done"]
          and by_input[bad][2] == "failed" and by_input[bad][5] == "-")
    check(ok, "output and status columns (done, failed)", text)
    check(by_input[a][5] == md5s[os.path.join(o, "a.wav")]
          and by_input[b][5] == md5s[os.path.join(o, "b.flac")],
          "pcm_md5 column equals what --md5 prints", f"{text!r} {md5s}")
    mid = model_id()
    check(all(r[4] == mid for r in lines[1:]) and all(float(r[3]) >= 0.0 for r in lines[1:]),
          "model id and seconds columns", f"{mid} {text!r}")
    rc, _, err = ct.run(["-n", "-O", o, "--manifest", m, a, b])
    lines2, text2 = rows(m)
    check(rc == 0 and text2.startswith(text) and text2.count(HEADER) == 1 and len(lines2) == 6
          and [r[2] for r in lines2[4:]] == ["skipped", "skipped"],
          "a rerun with -n appends skipped rows, no second header", f"rc={rc} {text2!r}")
    rc, _, err = ct.run(["-O", o, "--manifest", m, a])
    check(rc == 2 and rows(m)[0][-1][2] == "failed" and "exists" in err,
          "an existing output without -n or -f is a failed row", f"rc={rc} {err.strip()}")
    # without --md5 the column is still filled (the manifest asks for it)
    m2 = os.path.join(d, "m2.tsv")
    rc, _, err = ct.run(["-f", "-O", o, "--manifest", m2, a])
    check(rc == 0 and rows(m2)[0][1][5] == by_input[a][5], "pcm_md5 without --md5",
          f"rc={rc} {err.strip()}")


def manifest_refusals(d):
    a = make(d, "a.wav")
    other = os.path.join(d, "notes.txt")
    with open(other, "w") as f:
        f.write("shopping list\n")
    rc, _, err = ct.run(["-f", "--manifest", other, a])
    check(rc == 1 and open(other).read() == "shopping list\n" and "notes.txt" in err
          and len(err.strip().splitlines()) == 1 and not os.path.exists(a[:-4] + ".denoised.wav"),
          "a file that is not a manifest is refused before any work, untouched",
          f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-f", "--manifest", a, a])
    check(rc == 1 and "a.wav" in err and ct.info(a).frames == 16000,
          "the manifest cannot be an input", f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-f", "--manifest", os.path.join(d, "no", "such", "m.tsv"), a])
    check(rc == 1 and "m.tsv" in err, "an unwritable manifest path is a usage error",
          f"rc={rc} {err.strip()}")


def manifest_escapes(d):
    odd = make(d, "tab\there\\back.wav")
    m = os.path.join(d, "m.tsv")
    # a row cut off by a killed writer (no newline)
    with open(m, "w") as f:
        f.write(HEADER + "\n/x/cut.wav\t/x/cut.denoised.w")
    rc, _, err = ct.run(["-f", "--manifest", m, odd])
    lines, text = rows(m)
    check(rc == 0 and len(lines) == 3 and lines[1] == ["/x/cut.wav", "/x/cut.denoised.w"]
          and len(lines[2]) == 6, "a cut-off row is closed before the next row",
          f"rc={rc} {text!r} {err.strip()}")
    check(lines[2][0] == odd.replace("\\", "\\\\").replace("\t", "\\t"),
          "tab and backslash in a path are escaped", repr(lines[2][0]))


def manifest_concurrent(d):
    """Many processes, each with two threads, append to one manifest at once:
    missing inputs fail fast, so rows follow each other as closely as the
    tool can write them; a few real files are mixed in."""
    m = os.path.join(d, "m.tsv")
    real = [make(d, f"r{k}.wav", seconds=0.5, seed=k) for k in range(4)]
    procs, expected = [], set()
    n_proc, n_missing = 8, 400
    for p in range(n_proc):
        names = [os.path.join(d, f"missing-{p}-{k}.wav") for k in range(n_missing)]
        if p < len(real):
            names.insert(n_missing // 2, real[p])
        expected.update(names)
        lst = os.path.join(d, f"list{p}.txt")
        with open(lst, "w") as f:
            f.write("\n".join(names) + "\n")
        procs.append(subprocess.Popen([ct.BIN, "-q", "-f", "-j", "2", "--manifest", m,
                                       "--files-from", lst], stderr=subprocess.DEVNULL))
    codes = [p.wait(timeout=300) for p in procs]
    lines, text = rows(m)
    body = lines[1:]
    check(all(c == 2 for c in codes) and lines[0] == HEADER.split("\t")
          and text.count(HEADER) == 1, f"{n_proc} writers at once: one header, at the top",
          f"codes={codes} first={text[:80]!r}")
    check(text.endswith("\n") and all(len(r) == 6 for r in body)
          and len(body) == len(expected) and {r[0] for r in body} == expected,
          f"{len(expected)} rows, each whole (6 fields) and each input once",
          f"rows={len(body)} expected={len(expected)} "
          f"bad={[r for r in body if len(r) != 6][:3]}")
    done = {r[0] for r in body if len(r) == 6 and r[2] == "done"}
    check(done == set(real), "the real files done, the missing ones failed", str(sorted(done)))


def files_from(d):
    a = make(d, "a.wav")
    b = make(d, "with space.wav", seed=2)
    c = make(d, "c.wav", seed=3)
    o = os.path.join(d, "out")
    os.mkdir(o)
    lst = os.path.join(d, "list.txt")
    with open(lst, "wb") as f:
        f.write(f"{b}\r\n\n{c}".encode())
    rc, _, err = ct.run(["-O", o, a, "--files-from", lst])
    check(rc == 0 and sorted(os.listdir(o)) == ["a.wav", "c.wav", "with space.wav"],
          "--files-from adds to the inputs (blanks kept, CRLF and empty lines, no final newline)",
          f"rc={rc} {sorted(os.listdir(o))} {err.strip()}")
    o2 = os.path.join(d, "out2")
    os.mkdir(o2)
    rc, _, err = ct.run(["-O", o2, "--files-from", "-"], input_bytes=f"{a}\n{c}\n".encode())
    check(rc == 0 and sorted(os.listdir(o2)) == ["a.wav", "c.wav"], "--files-from - reads stdin",
          f"rc={rc} {err.strip()}")
    check(digest(os.path.join(o, "a.wav")) == digest(os.path.join(o2, "a.wav")),
          "a listed input gives the same output as one on the command line", "")
    empty = os.path.join(d, "empty.txt")
    open(empty, "w").close()
    rc, out, err = ct.run(["-O", o, "--manifest", os.path.join(d, "e.tsv"), "--files-from", empty])
    check(rc == 0 and out == b"" and err == "", "an empty list is an empty batch (exit 0)",
          f"rc={rc} {err.strip()}")
    missing = os.path.join(d, "nolist.txt")
    rc, _, err = ct.run(["-O", o, "--files-from", missing])
    check(rc == 1 and "nolist.txt" in err and len(err.strip().splitlines()) == 1,
          "a missing list: one line naming it, exit 1", f"rc={rc} {err.strip()}")
    nul = os.path.join(d, "nul.txt")
    with open(nul, "wb") as f:
        f.write(f"{a}\nbad\0name\n".encode())
    rc, _, err = ct.run(["-O", o, "--files-from", nul])
    check(rc == 1 and "nul.txt" in err and "line 2" in err, "a NUL byte: the list and line named",
          f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["-o", os.path.join(d, "x.wav"), "--files-from", "-", "-"],
                        input_bytes=b"")
    check(rc == 1 and "stdin" in err, "stdin cannot be both the list and an input",
          f"rc={rc} {err.strip()}")
    rc, _, err = ct.run(["--oracle", a, c, "-o", os.path.join(d, "y.wav"), "--files-from", lst])
    check(rc == 1 and "--files-from" in err, "--files-from with --oracle is refused",
          f"rc={rc} {err.strip()}")


def resume(d):
    """A batch killed with SIGKILL (no clean-up possible) and rerun with -n
    ends with the outputs of an uninterrupted run: no output is ever partial
    under its final name."""
    names = [make(d, f"f{k}.wav", rate=(16000, 44100, 48000)[k % 3], seconds=2.0, seed=k)
             for k in range(8)]
    lst = os.path.join(d, "list.txt")
    with open(lst, "w") as f:
        f.write("\n".join(names) + "\n")
    o = os.path.join(d, "out")
    os.mkdir(o)
    m = os.path.join(d, "m.tsv")
    p = subprocess.Popen([ct.BIN, "-q", "-O", o, "--manifest", m,
                          "--files-from", lst])
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(m) and len(rows(m)[0]) >= 2:  # header + a first row
            break
        time.sleep(0.01)
    killed = p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.wait()
    finished = [r[1] for r in rows(m)[0][1:] if r[2] == "done"]
    visible = sorted(x for x in os.listdir(o) if not x.startswith("."))
    check(killed and 0 < len(finished) < len(names)
          and visible == sorted(os.path.basename(x) for x in finished),
          "killed mid-batch: the outputs present are exactly the rows marked done",
          f"killed={killed} done={finished} present={visible}")
    for t in os.listdir(o):
        if t.startswith("."):
            os.unlink(os.path.join(o, t))  # a killed writer's temporary file
    rc, _, err = ct.run(["-n", "-O", o, "--manifest", m,
                         "--files-from", lst])
    statuses = [r[2] for r in rows(m)[0][1:]]
    check(rc == 0 and statuses.count("done") == len(names)
          and statuses.count("skipped") == len(finished),
          "rerun with -n: the rest done, the finished skipped", f"rc={rc} {statuses}")
    ref = os.path.join(d, "ref")
    os.mkdir(ref)
    rc, _, err = ct.run(["-O", ref, "--files-from", lst])
    check(rc == 0, "uninterrupted reference run", err.strip())
    same = all(digest(os.path.join(o, os.path.basename(x))) ==
               digest(os.path.join(ref, os.path.basename(x))) for x in names)
    check(same, "resumed outputs identical to an uninterrupted run", "")


def pending_list(d):
    """scripts/scaleout/pending.sh: the paths of a list without a done row in
    the manifests given, matched in the manifest's escaped form."""
    script = os.path.join(ct.ROOT, "scripts", "scaleout", "pending.sh")
    names = [make(d, n, seconds=0.2, seed=k) for k, n in
             enumerate(["a.wav", "tab\there.wav", "back\\slash.wav", "c.wav", "d.wav"])]
    lst = os.path.join(d, "list.txt")
    with open(lst, "wb") as f:
        f.write(("\r\n".join(names[:4]) + "\r\n\n" + names[4] + "\n").encode())
    m1, m2 = os.path.join(d, "m1.tsv"), os.path.join(d, "m2.tsv")
    o = os.path.join(d, "out")
    os.mkdir(o)
    ct.run(["-O", o, "--manifest", m1, names[1], names[2]])
    ct.run(["-O", o, "--manifest", m2, names[0], os.path.join(d, "missing.wav")])
    p = subprocess.run([script, lst, m1, m2, os.path.join(d, "none.tsv")], capture_output=True)
    left = p.stdout.decode().split("\n")[:-1]
    check(p.returncode == 0 and left == [names[3], names[4]],
          "pending.sh: what no manifest marks done (tab, backslash, CRLF, several manifests)",
          f"rc={p.returncode} {left} {p.stderr.decode().strip()}")


ct.run_groups(manifest_rows, manifest_refusals, manifest_escapes, manifest_concurrent, files_from,
              resume, pending_list)
