#!/usr/bin/python3
"""Smoke test of the training step (scripts/train/train.py, the run's code
in scripts/train/trainer.py) on a tiny generated dump: the loss falls on a
learnable target, the run stops by itself at --max-steps with exit status 0,
checkpoints load into scripts/export/export_model.py's reader, and --resume
continues the count.
Also checks the loss masks: don't-care (-1) targets contribute nothing."""
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

import torch

from scripts.export import export_model, quant
from scripts.train import trainer

failures = 0
L = trainer.Layout(70)  # the columns of a dump row with 70 features


def check(name, cond, why=""):
    global failures
    print(f"ok - {name}" if cond else f"not ok - {name}: {why}")
    failures += 0 if cond else 1


def make_dump(path, n_seq, frames, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_seq * frames, L.row)).astype("<f4")
    x[:, L.g0:L.r0] = 1 / (1 + np.exp(-2 * x[:, :34]))    # learnable gains
    x[:, L.r0:L.v0] = 1 / (1 + np.exp(-2 * x[:, 34:68]))  # and strengths
    x[:, L.v0] = (x[:, 68] > 0)
    m = rng.random((n_seq * frames, 68)) < 0.1
    t = x[:, L.g0:L.v0]
    t[m] = -1.0
    x[:, L.g0:L.v0] = t
    x.tofile(path)
    with open(os.path.splitext(path)[0] + ".json", "w") as f:
        json.dump({"frames_per_sequence": frames, "sequences": n_seq}, f)


# masks: a don't-care target changes nothing, a valid one does
g = torch.full((1, 4, 34), 0.5)
r = torch.full((1, 4, 34), 0.5)
v = torch.full((1, 4, 1), 0.5)
rows = torch.zeros((1, 4, L.row))
rows[..., L.g0:] = 0.5
a = trainer.loss_terms(g, r, v, rows, 0.5)
rows2 = rows.clone()
rows2[0, 0, L.g0:L.v0 + 1] = -1.0
b = trainer.loss_terms(g, r, v, rows2, 0.5)
check("loss is 0 when prediction = target", float(trainer.total_loss(a, 0.0)) < 1e-9)
check("don't-care rows add no loss", float(trainer.total_loss(b, 0.0)) < 1e-9)
rows3 = rows2.clone()
rows3[0, 1, L.g0] = 1.0
c = trainer.loss_terms(g, r, v, rows3, 0.5)
d = (0.5 ** 0.5 - 1.0)
want = (d * d + 10 * d ** 4) / (3 * 34)
check("gain loss value (d^2 + 10 d^4 over valid entries)", abs(float(c["gain"]) - want) < 1e-6,
      f"{float(c['gain'])} vs {want}")

# over-weights: strengths above their targets cost 1 + W, W = over_comb when given
hi = torch.full((1, 4, 34), 0.8)
e = (1.0 - 0.8) ** 0.5 - (1.0 - 0.5) ** 0.5
s1 = float(trainer.loss_terms(g, hi, v, rows, 0.5, over=3.0)["strength"])
s2 = float(trainer.loss_terms(g, hi, v, rows, 0.5, over=3.0, over_comb=0.5)["strength"])
g2 = float(trainer.loss_terms(hi * 0.25, r, v, rows, 0.5, over=3.0, over_comb=0.5)["gain"])
g3 = float(trainer.loss_terms(hi * 0.25, r, v, rows, 0.5, over=3.0)["gain"])
check("over-combing costs 1 + over, or 1 + over_comb when given",
      abs(s1 - 4.0 * e * e) < 1e-6 and abs(s2 - 1.5 * e * e) < 1e-6, f"{s1} {s2} vs e^2 {e * e}")
check("over_comb leaves the gain term alone", abs(g2 - g3) < 1e-9, f"{g2} vs {g3}")

# quiet kept speech: cells with target > 0.7 in frames 20-40 dB below the
# window's loudest (clean level = sum g^2 E), row-aligned with the gains
rows_q = torch.zeros((1, 12, L.row))
rows_q[..., L.g0:L.r0] = 0.9
rows_q[0, 4:8, :34] = -1.5   # frames 4..7: 30 dB down; 8..11: 70 dB down
rows_q[0, 8:, :34] = -3.5
rows_q[0, 2 + 5, L.g0 + 3] = 0.5  # frame 5, band 3: target below 0.7
m_q = trainer.quiet_kept_mask(rows_q)
want_q = torch.zeros((1, 12, 34))
want_q[0, 6:10, :] = 1.0
want_q[0, 7, 3] = 0.0
check("quiet kept cells: frames 20-40 dB down, target > 0.7, two rows on",
      torch.equal(m_q, want_q), f"{m_q[0, :, 3].tolist()}")
g_q = torch.full((1, 12, 34), 0.3)
r_q = torch.zeros((1, 12, 34))
v_q = torch.zeros((1, 12, 1))
k0 = float(trainer.loss_terms(g_q, r_q, v_q, rows_q, 0.5, over=1.0)["gain"])
k1 = float(trainer.loss_terms(g_q, r_q, v_q, rows_q, 0.5, over=1.0, keep=4.0)["gain"])
d_q = 0.3 ** 0.5 - 0.9 ** 0.5
want_k = 4.0 * d_q * d_q * float(want_q.sum()) / (12 * 34)
check("keep adds its weight on quiet kept cells only", abs((k1 - k0) - want_k) < 1e-6,
      f"{k1 - k0} vs {want_k}")

# band SDR: error energy over target energy, each band's power (feature row
# t - 2, 0.5 log10 units) times its width in bins
w = trainer.BAND_WIDTHS
check("band widths add up to the 481 bins", abs(float(w.sum()) - 481.0) < 1e-3,
      f"{float(w.sum())}")
rows5 = torch.zeros((1, 6, L.row))
rows5[..., L.g0:L.r0] = 1.0
g5 = torch.ones((1, 6, 34))
g5[0, 3:, :] = 0.9  # rows 3..5 are frames 1..3
got = float(trainer.band_sdr(g5, rows5)[0])
want = 10 * math.log10((0.01 * 3 / 4 + 1e-4) / (1 + 1e-4))
check("band SDR of a uniform 10 % gain error", abs(got - want) < 1e-3, f"{got} vs {want}")
rows6 = rows5.clone()
rows6[0, 1, 5] = 1.0   # frame 1, band 5: 20 dB louder than the rest
g6 = torch.ones((1, 6, 34))
g6[0, 3, 5] = 0.0      # that band's gain, predicted at row 3, is zeroed
e_all = float(w.sum()) * 4 + float(w[5]) * 99
want6 = 10 * math.log10((float(w[5]) * 100 + 1e-4 * e_all) / (e_all + 1e-4 * e_all))
got6 = float(trainer.band_sdr(g6, rows6)[0])
check("band SDR weighs an error by the band power two rows back", abs(got6 - want6) < 1e-3,
      f"{got6} vs {want6}")

# band ESTOI: level-blind, 1 for the target's own shape, lower when the
# envelope's shape is lost; checked against a direct computation
rng = np.random.default_rng(5)
T = trainer.ESTOI_SEGMENT + trainer.LOOKAHEAD
rows7 = torch.zeros((1, T, L.row))
rows7[0, :, :34] = torch.from_numpy(rng.uniform(-1, 1, (T, 34)).astype(np.float32))
gt7 = torch.from_numpy(rng.uniform(0.1, 1.0, (T, 34)).astype(np.float32))
rows7[0, :, L.g0:L.r0] = gt7
s_self, n7 = trainer.band_estoi(gt7[None], rows7)
s_half, _ = trainer.band_estoi(0.5 * gt7[None], rows7)
flat = torch.ones((1, T, 34))
s_flat, _ = trainer.band_estoi(flat, rows7)


def estoi_direct(gains, rows):
    """ESTOI of one segment, spelled out: band amplitudes, then rows then
    columns normalised, mean over frames of the column products."""
    gn = gains[0, trainer.LOOKAHEAD:].numpy().astype(np.float64)
    gtn = rows[0, trainer.LOOKAHEAD:, L.g0:L.r0].numpy().astype(np.float64)
    logp = rows[0, :-trainer.LOOKAHEAD, :34].numpy().astype(np.float64)
    amp = np.sqrt(10.0 ** (2 * (logp - logp.max())) * w.numpy())
    sel = slice(trainer.ESTOI_BANDS.start, trainer.ESTOI_BANDS.stop)
    x = (gtn * amp)[:, sel].T
    y = (gn * amp)[:, sel].T

    def norm(m, axis):
        m = m - m.mean(axis=axis, keepdims=True)
        return m / np.linalg.norm(m, axis=axis, keepdims=True)
    x = norm(norm(x, 1), 0)
    y = norm(norm(y, 1), 0)
    return float((x * y).sum(axis=0).mean())


check("band ESTOI: one speech segment, target scores 1 and half its level too",
      float(n7[0]) == 1 and abs(float(s_self[0]) - 1) < 1e-4 and abs(float(s_half[0]) - 1) < 1e-4,
      f"{float(n7[0])} {float(s_self[0])} {float(s_half[0])}")
want7 = estoi_direct(flat, rows7)
check("band ESTOI: flat gains lose the shape, value as computed directly",
      float(s_flat[0]) < 0.95 and abs(float(s_flat[0]) - want7) < 1e-3,
      f"{float(s_flat[0])} vs {want7}")
rows8 = rows7.clone()
rows8[0, :, L.g0:L.r0] = 0.0
s8, n8 = trainer.band_estoi(flat, rows8)
check("band ESTOI: no speech segment gives score 1, weight 0",
      float(n8[0]) == 0 and float(s8[0]) == 1.0, f"{float(n8[0])} {float(s8[0])}")
t7 = trainer.loss_terms(flat, flat, torch.zeros((1, T, 1)), rows7, 0.5)
check("estoi term is 1 - score and total_loss weighs it",
      abs(float(t7["estoi"]) - (1 - float(s_flat[0]))) < 1e-6
      and abs(float(trainer.total_loss(t7, 0.0, 0.0, 2.0) - trainer.total_loss(t7, 0.0))
              - 2 * float(t7["estoi"])) < 1e-5)

# VAD tail: targets 1 1 0 0 ... 0 (160 frames); frames 2..101 (0 within
# VAD_TAIL_FRAMES of frame 1) are the tail, and only they weigh more
vt = torch.zeros((1, 160, 1))
vt[0, :2, 0] = 1.0
vt[0, 150, 0] = -1.0
tail = trainer.vad_tail_mask(vt)[0, :, 0]
want_tail = [1.0 if 2 <= i <= 1 + trainer.VAD_TAIL_FRAMES and i != 150 else 0.0
             for i in range(160)]
check("VAD tail mask: the 0-target frames in the second after speech",
      tail.tolist() == want_tail, str(torch.nonzero(tail).flatten().tolist()))
rows4 = torch.zeros((1, 160, L.row))
rows4[..., L.v0] = vt[..., 0]
vp = torch.full((1, 160, 1), 0.3)
gg = torch.full((1, 160, 34), 0.5)
e0 = trainer.loss_terms(gg, gg, vp, rows4, 0.5)["vad"]
e2 = trainer.loss_terms(gg, gg, vp, rows4, 0.5, vad_tail=2.0)["vad"]
# speech frames cost -log 0.3, noise frames -log 0.7: tail weight 3 moves
# the mean towards the noise frames' cost
n_tail = sum(want_tail)
n_noise = 157
w_mean = (2 * -math.log(0.3) + (n_noise + 2 * n_tail) * -math.log(0.7)) / (159 + 2 * n_tail)
check("VAD tail weight: weighted mean of the cross-entropy", abs(float(e2) - w_mean) < 1e-5
      and abs(float(e0) - (2 * -math.log(0.3) + n_noise * -math.log(0.7)) / 159) < 1e-5,
      f"{float(e0)} {float(e2)} {w_mean}")

with tempfile.TemporaryDirectory() as tmp:
    dumps = os.path.join(tmp, "dumps")
    os.makedirs(dumps)
    make_dump(os.path.join(dumps, "train_p000.f32"), 12, 200, 1)
    make_dump(os.path.join(dumps, "val.f32"), 3, 200, 2)
    out = os.path.join(tmp, "run")
    cmd = [sys.executable, "-m", "scripts.train.train", "--dumps", dumps,
           "--out", out, "--conv1", "16", "--hidden", "16", "--seq", "100", "--batch", "8",
           "--lr", "1e-2", "--val-every-minutes", "100", "--log-every-s", "1000",
           "--sdr-weight", "0.01", "--estoi-weight", "0.1", "--comb-over-weight", "0.5"]
    p = subprocess.run(cmd + ["--max-steps", "120"], capture_output=True, text=True)
    check("train.py stops at --max-steps with status 0", p.returncode == 0, p.stderr[-300:])
    log = open(os.path.join(out, "train.log")).read() if os.path.exists(os.path.join(out, "train.log")) else ""
    vals = [float(l.split("int8 ")[1].split()[0]) for l in log.splitlines() if " val step " in l]
    check("validation loss falls during training", len(vals) >= 2 and vals[-1] < 0.8 * vals[0],
          f"{vals}")
    check("best.pt and last.pt written", all(os.path.exists(os.path.join(out, n))
                                             for n in ("best.pt", "last.pt")))
    try:
        net = export_model.model_from_state_dict(export_model.load_state_dict(
            os.path.join(out, "best.pt")))
        ok = net.hidden == 16
    except SystemExit as e:
        ok = False
    check("exporter reads the checkpoint", ok)
    ck = torch.load(os.path.join(out, "last.pt"))
    wmax = max(float(ck["model"][n].abs().max()) for n in quant.QUANTIZED_PARAMS)
    check("int8 layers' weights within the clip bound", wmax <= quant.CLIP + 1e-6, f"{wmax}")
    p = subprocess.run(cmd + ["--max-steps", "130", "--resume"], capture_output=True, text=True)
    ck2 = torch.load(os.path.join(out, "last.pt"))
    check("--resume continues from the last step", p.returncode == 0 and ck["step"] == 120
          and ck2["step"] == 130, f"{ck['step']} -> {ck2['step']}")

    # the same seed gives the same weights (the run's RNG use is fixed)
    short = cmd[:cmd.index("--out")] + cmd[cmd.index("--out") + 2:] + ["--max-steps", "20"]
    weights = []
    for k in range(2):
        o = os.path.join(tmp, f"repeat{k}")
        p = subprocess.run(short + ["--out", o], capture_output=True, text=True)
        weights.append(torch.load(os.path.join(o, "last.pt"))["model"] if p.returncode == 0 else {})
    check("two runs with the same seed end with the same weights",
          weights[0] and weights[0].keys() == weights[1].keys()
          and all(torch.equal(weights[0][n], weights[1][n]) for n in weights[0]))

    # --procs 2: rank 0 starts rank 1 (python3 -m scripts.train.train with
    # the hidden --rank/--dist-port) and both stop at --max-steps
    o = os.path.join(tmp, "procs2")
    p = subprocess.run(short + ["--out", o, "--procs", "2"], capture_output=True, text=True,
                       timeout=600)
    log = open(os.path.join(o, "train.log")).read() if os.path.exists(os.path.join(o, "train.log")) else ""
    ok = p.returncode == 0 and "x 2 processes" in log and \
        torch.load(os.path.join(o, "last.pt"))["step"] == 20
    check("--procs 2 trains with two processes and stops at --max-steps", ok,
          (p.stderr or log)[-300:])

sys.exit(1 if failures else 0)
