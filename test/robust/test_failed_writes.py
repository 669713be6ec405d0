"""Failed writes and interruptions: nothing partial or corrupt is ever left
under a final name, inputs are untouched, the exit status says it failed,
and a batch says which files were done.

  * stdout on /dev/full (a pipe-writable container and one spooled first);
  * outputs that are device nodes (made with mknod in a temporary directory,
    root only, else skipped): a full device fails, a null device works, and
    neither is replaced by a regular file;
  * a 64 KiB tmpfs (mount as root, else skipped): one file too large, a
    batch whose middle file does not fit (the files around it must still
    be written, so the failed one's temporary file must be gone), a
    residual that does not fit;
  * SIGINT and SIGTERM in the middle of the third file of a batch.
"""
import hashlib
import os
import signal
import stat
import subprocess
import time

import numpy as np

import clitest as ct

WAV_16 = ct.SF_FORMAT["wav"] | ct.SF_SUB["pcm_16"]
rng = np.random.Generator(np.random.PCG64(66))


def md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def noise_wav(path, seconds, rate=48000):
    x = rng.standard_normal((int(seconds * rate), 1)) * 0.05
    ct.write(path, x, rate, WAV_16)
    return path


def leftovers(d):
    """Hidden temporary files of the tool (.NAME.XXXXXX) left in d."""
    return [f for f in os.listdir(d) if f.startswith(".")]


def stdout_full(d, src):
    before = md5(src)
    for t in ("au", "wav"):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([ct.BIN, "-t", t, src, "-o", "-"], stdout=full,
                               stderr=subprocess.PIPE, timeout=120)
        err = p.stderr.decode(errors="replace")
        ct.check(p.returncode == 2 and "No space left" in err,
                 f"stdout on /dev/full ({t}): exit 2 with the reason",
                 f"exit {p.returncode}, stderr {err.strip()[:200]!r}")
    ct.check(md5(src) == before, "stdout on /dev/full: input untouched", "input changed")


def device_outputs(d, src):
    full, null = os.path.join(d, "full"), os.path.join(d, "null")
    try:
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError as e:
        print(f"ok - device outputs # SKIP mknod not permitted ({e.strerror})")
        return
    rc, _, err = ct.run(["-f", src, "-o", full])
    ct.check(rc == 2 and stat.S_ISCHR(os.stat(full).st_mode),
             "-f -o FULL_DEVICE: fails, device node kept",
             f"exit {rc}, still a device: {stat.S_ISCHR(os.stat(full).st_mode)}; {err.strip()[:200]}")
    rc, _, err = ct.run(["-f", src, "-o", null, "--report", null])
    ct.check(rc == 0 and stat.S_ISCHR(os.stat(null).st_mode),
             "-f -o NULL_DEVICE --report NULL_DEVICE: works, device node kept",
             f"exit {rc}, still a device: {stat.S_ISCHR(os.stat(null).st_mode)}; {err.strip()[:200]}")
    ct.check(not leftovers(d), "device outputs: no temporary file left", f"{leftovers(d)}")


def tiny_disk(d, big, small1, small2):
    mnt = os.path.join(d, "tiny")
    os.mkdir(mnt)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt],
                       capture_output=True)
    if p.returncode != 0:
        print("ok - full disk # SKIP cannot mount a tmpfs: "
              + p.stderr.decode(errors="replace").strip()[:100])
        return
    try:
        sums = {f: md5(f) for f in (big, small1, small2)}
        out = os.path.join(mnt, "out.wav")
        rc, _, err = ct.run([big, "-o", out])
        ct.check(rc == 2 and not os.path.exists(out) and not leftovers(mnt),
                 "full disk, one file: exit 2, no output, no temporary file",
                 f"exit {rc}, files {os.listdir(mnt)}; {err.strip()[:200]}")
        rc, _, err = ct.run(["-O", mnt, small1, big, small2])
        names = sorted(os.listdir(mnt))
        lens_ok = all(os.path.exists(os.path.join(mnt, os.path.basename(s))) and
                      len(ct.read(os.path.join(mnt, os.path.basename(s)))[0]) ==
                      len(ct.read(s)[0]) for s in (small1, small2))
        ct.check(rc == 2 and names == sorted([os.path.basename(small1), os.path.basename(small2)])
                 and lens_ok and os.path.basename(big) in err,
                 "full disk, batch: the files that fit are complete, the one that does not is "
                 "absent and named, exit 2",
                 f"exit {rc}, files {names}, complete {lens_ok}; {err.strip()[:300]}")
        for f in os.listdir(mnt):
            os.unlink(os.path.join(mnt, f))
        res = os.path.join(mnt, "res.wav")
        rc, _, err = ct.run(["-f", big, "-o", os.path.join(d, "res_main.wav"), "--residual", res])
        ct.check(rc == 2 and not os.path.exists(res) and not leftovers(mnt),
                 "full disk, --residual: exit 2, no partial residual",
                 f"exit {rc}, files {os.listdir(mnt)}; {err.strip()[:200]}")
        ct.check(all(md5(f) == s for f, s in sums.items()), "full disk: inputs untouched",
                 "an input changed")
    finally:
        subprocess.run(["umount", mnt], capture_output=True)


def interrupted(d, sig, small1, small2, long_in):
    out = os.path.join(d, f"out_{sig.name}")
    os.mkdir(out)
    sums = {f: md5(f) for f in (small1, small2, long_in)}
    p = subprocess.Popen([ct.BIN, "-O", out, small1, small2, long_in, small1 + ".never"],
                         stderr=subprocess.PIPE)
    names = [os.path.basename(s) for s in (small1, small2)]
    t0 = time.monotonic()
    # wait for the third file to be in progress: its temporary file exists
    while time.monotonic() - t0 < 60 and p.poll() is None:
        present = os.listdir(out)
        if all(n in present for n in names) and any(f.startswith(".") for f in present):
            break
        time.sleep(0.01)
    time.sleep(0.2)
    mid_file = p.poll() is None and any(f.startswith(".") for f in os.listdir(out))
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    err = err.decode(errors="replace")
    present = sorted(os.listdir(out))
    complete = all(n in present and len(ct.read(os.path.join(out, n))[0]) ==
                   len(ct.read(os.path.join(os.path.dirname(small1), n))[0]) for n in names)
    ct.check(mid_file, f"{sig.name}: delivered in the middle of the third file",
             "the batch finished (or never reached it) before the signal: input too short?")
    ct.check(p.returncode in (-sig, 128 + sig), f"{sig.name}: exit status says killed by it",
             f"exit {p.returncode}")
    ct.check(present == sorted(names) and complete,
             f"{sig.name}: finished outputs complete, nothing of the interrupted one",
             f"files {present}, first two complete {complete}")
    ct.check("2 of 4 files done" in err and all(f"done: {os.path.join(out, n)}" in err for n in names),
             f"{sig.name}: stderr says which files were done", f"stderr {err.strip()[-300:]!r}")
    ct.check(all(md5(f) == s for f, s in sums.items()), f"{sig.name}: inputs untouched",
             "an input changed")


def main():
    d = ct.tmpdir()
    try:
        small1 = noise_wav(os.path.join(d, "small1.wav"), 0.2)  # 19 KB: fits the tmpfs
        small2 = noise_wav(os.path.join(d, "small2.wav"), 0.2)
        big = noise_wav(os.path.join(d, "big.wav"), 10)  # 960 KB: does not
        # long enough that the signal lands mid-file: 10 min at 16 kHz
        long_in = noise_wav(os.path.join(d, "long.wav"), 600, 16000)
        stdout_full(d, small1)
        device_outputs(d, small1)
        tiny_disk(d, big, small1, small2)
        interrupted(d, signal.SIGINT, small1, small2, long_in)
        interrupted(d, signal.SIGTERM, small1, small2, long_in)
    finally:
        ct.cleanup(d)
    ct.done()


if __name__ == "__main__":
    main()
