#!/usr/bin/python3
"""scripts/listening-page end to end: a page over two short files (one with a
clean reference, one stereo without), built twice to the same bytes, loaded
from file:// in Debian's chromium (every player has its duration, every
image loads, the ABX export is CSV and answers survive a reload); a page of
A alone with the defaults; the refusals (bad run options, a foreign folder,
an unreadable input)."""
import csv
import io
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

import clitest as T

TOOL = os.path.join(T.ROOT, "scripts", "listening-page")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NODE_MODULES = os.environ.get("LISTENING_NODE_MODULES",
                              os.path.join(T.ROOT, "build", "listening-npm", "node_modules"))


def tool(args):
    env = dict(os.environ, PERCEPNET_CPU="")
    env.pop("PERCEPNET_CPU")
    own = ["--bin", T.BIN] if "PERCEPNET_TEST_BIN" in os.environ else []
    p = subprocess.run([TOOL] + own + args, capture_output=True, text=True, env=env,
                       timeout=1800)
    return p.returncode, p.stderr


def tree_bytes(d):
    out = {}
    for root, _, names in os.walk(d):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, d)] = f.read()
    return out


def make_inputs(d):
    """demo_noisy.flac with its clean reference under ref/, and 1.5 s of
    stereo speech with noise (no reference)."""
    inp, ref = os.path.join(d, "in"), os.path.join(d, "ref")
    os.makedirs(inp)
    os.makedirs(ref)
    shutil.copy(os.path.join(T.DATA, "demo_noisy.flac"), inp)
    shutil.copy(os.path.join(T.DATA, "demo_clean.flac"), os.path.join(ref, "demo_noisy.flac"))
    sp = np.fromfile(os.path.join(T.DATA, "speech_48k.s16"), dtype="<i2")[:72000] / 32768.0
    rng = np.random.default_rng(7)
    st = np.stack([sp, 0.7 * sp], axis=1) + 0.02 * rng.standard_normal((len(sp), 2))
    T.write(os.path.join(inp, "stereo talk.wav"), st, 44100,
            T.SF_FORMAT["wav"] | T.SF_SUB["pcm_16"])
    return inp, ref


def check_page(d, name):
    idx = os.path.join(d, "index.html")
    if not T.check(os.path.isfile(idx), f"{name}: index.html written", idx):
        return ""
    with open(idx, encoding="utf-8") as f:
        html = f.read()
    T.check("http://" not in html and "https://" not in html, f"{name}: nothing fetched from a URL")
    T.check(T.ROOT not in html, f"{name}: no absolute path of this checkout in the page",
            "found " + T.ROOT)
    return html


def browser(d, work):
    """The JSON that browser_check.js prints, or None (with a failure)."""
    user = tempfile.mkdtemp(prefix="chromium-profile-", dir=work)
    env = dict(os.environ, NODE_PATH=NODE_MODULES)
    p = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "browser_check.js"), d,
                        CHROMIUM, user], capture_output=True, text=True, env=env, timeout=600)
    if not T.check(p.returncode == 0, "browser check ran", p.stderr.strip()[-600:]):
        return None
    return json.loads(p.stdout)


def group_page(d):
    inp, ref = make_inputs(d)
    p1, p2 = os.path.join(d, "page1"), os.path.join(d, "page2")
    args = ["--ref", ref, "--b", "-a 12", "--b-label", "12 dB limit", "--abx-seed", "5", inp]
    rc, err = tool(["-o", p1] + args)
    T.check(rc == 0, "page of two files, A and B, with a reference", err.strip())
    html = check_page(p1, "page")
    audio = sorted(os.listdir(os.path.join(p1, "audio")))
    want = sorted(["demo_noisy.%s.flac" % r for r in
                   ("input", "a", "b", "oracle", "clean", "residual-a", "residual-b")]
                  + ["stereo_talk.%s.flac" % r for r in
                     ("input", "a", "b", "residual-a", "residual-b")])
    T.check(audio == want, "audio copies: input, A, B, residuals; oracle and clean with a "
            "reference", str(audio))
    T.check(sorted(os.listdir(os.path.join(p1, "img"))) == ["demo_noisy.png", "stereo_talk.png"],
            "one figure per file")
    T.check(html.count('class="abx"') == 2 and "SI-SDR" in html and "ESTOI" in html,
            "ABX blocks and metrics on the page")
    # The summary is sorted by the A/B distance, largest first.
    rows = [r.split('<td class="num">') for r in html.split('<table class="summary">')[1]
            .split("</table>")[0].split("<tr>")[2:]]
    dist = [float(r[2].split("<")[0]) for r in rows]
    T.check(len(dist) == 2 and dist == sorted(dist, reverse=True) and dist[0] > 0,
            "summary sorted by A/B gain distance, largest first", str(dist))

    rc, err = tool(["-o", p2] + args)
    a, b = tree_bytes(p1), tree_bytes(p2)
    diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    T.check(rc == 0 and not diff and len(a) == 15, "two runs give the same bytes",
            f"rc {rc}, differing: {diff[:5]}, {len(a)} files")
    rc, err = tool(["-o", p2] + args[:-3] + ["--abx-seed", "6", inp])
    T.check(rc == 1 and "-f replaces it" in err, "an existing page is kept without -f", err)
    rc, err = tool(["-f", "-o", p2] + args[:-3] + ["--abx-seed", "6", inp])
    with open(os.path.join(p2, "index.html"), encoding="utf-8") as f:
        other = f.read()
    T.check(rc == 0 and other != html and tree_bytes(os.path.join(p2, "img")) ==
            tree_bytes(os.path.join(p1, "img")), "-f replaces the page; the ABX seed changes "
            "only the page", err)

    res = browser(p1, d)
    if res is None:
        return
    T.check(not res["errors"], "no page or console error in chromium", str(res["errors"]))
    T.check(not res["requests"], "the page requests nothing but local files", str(res["requests"]))
    durs = {x["src"]: x["duration"] for x in res["audio"]}
    bad = [s for s, v in durs.items() if not (isinstance(v, (int, float)) and 0 < v < 1e9)]
    T.check(len(res["audio"]) == 18 and not bad, "every audio element reports a finite duration",
            f"{len(res['audio'])} players, bad: {bad}")
    near = all(abs(v - (3.0 if s.startswith("audio/demo_noisy") else 72000 / 44100)) < 0.01
               for s, v in durs.items())
    T.check(near, "durations are the inputs' lengths", str(durs))
    imgs = res["images"]
    T.check(len(imgs) == 2 and all(i["naturalWidth"] > 0 for i in imgs), "every image loads",
            str(imgs))
    vols = res["volumesMatched"]
    T.check(all(0 <= v <= 1 for v in vols) and min(vols) < 0.999,
            "loudness matching turns players down", str(vols))
    rows = list(csv.reader(io.StringIO(res.get("csv", ""))))
    ok = len(rows) == 3 and rows[0][:6] == ["page_id", "abx_seed", "file", "x_is", "answer",
                                            "correct"]
    if ok:
        for r, t in zip(rows[1:], res["abxTruth"]):
            ok &= r[1] == "5" and r[2] == t["name"] and r[3] == t["x"] and r[4] == t["answer"] \
                and r[5] == str(int(t["x"] == t["answer"]))
    T.check(ok and res["csvName"].endswith(".csv"), "ABX export is CSV of the answers",
            res.get("csv", ""))
    T.check(res.get("progressAfterReload", "").startswith("2 of 2 answered"),
            "ABX answers survive a reload (local storage)", res.get("progressAfterReload"))


def group_defaults_and_refusals(d):
    inp, _ = make_inputs(d)
    rc, err = tool(["-o", os.path.join(d, "p"), "--b", "-o x.wav", inp])
    T.check(rc == 1 and "--b: -o" in err and not os.path.exists(os.path.join(d, "p")),
            "a run option that the page sets is refused", err.strip())
    foreign = os.path.join(d, "foreign")
    os.mkdir(foreign)
    with open(os.path.join(foreign, "notes.txt"), "w") as f:
        f.write("keep me\n")
    rc, err = tool(["-f", "-o", foreign, inp])
    T.check(rc == 1 and "not a listening page" in err and os.listdir(foreign) == ["notes.txt"],
            "a folder that is not a page is left alone, even with -f", err.strip())
    bad = os.path.join(inp, "broken.wav")
    with open(bad, "wb") as f:
        f.write(b"RIFF\x00\x00\x00\x00WAVEjunk")
    p = os.path.join(d, "p2")
    rc, err = tool(["-o", p, "--audio", "wav", bad, os.path.join(inp, "demo_noisy.flac")])
    with open(os.path.join(p, "index.html"), encoding="utf-8") as f:
        html = f.read()
    T.check(rc == 2 and "broken.wav" in err and len(err.strip().splitlines()) == 2
            and 'class="failed"' in html
            and os.path.isfile(os.path.join(p, "img", "demo_noisy.png"))
            and os.path.isfile(os.path.join(p, "audio", "demo_noisy.a.wav")),
            "an unreadable input is named, shown as failed, and the others go on (WAV copies)",
            err.strip())
    T.check('class="abx"' not in html and 'id="abx-export"' not in html,
            "A alone: no ABX block")
    res = browser(p, d)
    if res is not None:
        durs = [x["duration"] for x in res["audio"]]
        T.check(not res["errors"] and len(durs) == 3 and all(0 < v < 1e9 for v in durs)
                and [i["naturalWidth"] > 0 for i in res["images"]] == [True],
                "A alone: the page loads in chromium without an error", json.dumps(res)[:600])


T.run_groups(group_page, group_defaults_and_refusals)
