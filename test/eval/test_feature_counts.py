#!/usr/bin/python3
"""Networks of 70 and 104 features on the Python side (scripts/train/model.py,
scripts/train/trainer.py):

- model.widen_state_dict: a 70-feature network's weights in a 104-feature
  one (conv1's added input columns zero) give the same outputs on random
  features whose 34 added columns are random too, for a random network and
  for a 70-feature model file dequantised as --init reads it; the shipped
  model file (70 or 104 features) starts a 104-feature network; narrowing
  and other feature counts are refused;
- the trainer's row layout follows the feature count: the loss of rows of
  173 floats equals that of the same targets in rows of 139; the count is
  read from a dump's .json (nb_features, else its layout, else 70) and
  dumps that disagree are refused naming the file;
- train.py end to end: on 104-feature dumps with --init from a 70-feature
  checkpoint it builds a 104-feature network, and with the learning rate at
  0 its validation loss is the old network's on the same rows; dumps of
  mixed counts stop it with exit status 2 and a message naming the count;
  --extra-input-lr scales the optimiser's step on the added inputs' weights
  only.
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch

from scripts.export import export_model, pnm, quant
from scripts.train import trainer
from scripts.train.model import PercepNet, state_features, widen_state_dict
from net_fixtures import make_dump, outputs

ROOT = os.getcwd()
failures = 0


def check(name, cond, why=""):
    global failures
    print(f"ok - {name}" if cond else f"not ok - {name}: {why}")
    failures += 0 if cond else 1


def same_outputs(sd70, conv1, hidden, x104):
    """max |difference| of the 70- and the widened 104-feature network's
    outputs on x104 (the 70 network sees its first 70 columns)."""
    n70 = PercepNet(conv1=conv1, hidden=hidden, nb_features=70)
    n70.load_state_dict(sd70)
    n104 = PercepNet(conv1=conv1, hidden=hidden, nb_features=104)
    n104.load_state_dict(widen_state_dict(sd70, 104))
    n70.eval()
    n104.eval()
    return float((outputs(n104, x104) - outputs(n70, x104[..., :70])).abs().max()), n104


torch.manual_seed(3)
rng = np.random.default_rng(3)
net = PercepNet(conv1=16, hidden=16)
with torch.no_grad():
    for p in net.parameters():
        p.mul_(2.0)  # larger than the default init: the GRUs far from linear
x = torch.from_numpy((rng.standard_normal((3, 80, 104)) * 2.0).astype(np.float32))
d, wide = same_outputs(net.state_dict(), 16, 16, x)
extra = wide.state_dict()["conv1.weight"][:, 70:, :]
kept = all(torch.equal(wide.state_dict()[k], v) for k, v in net.state_dict().items()
           if k != "conv1.weight")
check("widened random network: same outputs with random added features (float32 sums)",
      d <= 1e-6, f"max |diff| {d:.3g}")
check("widened: conv1's added columns zero, every other tensor as before",
      bool(torch.all(extra == 0)) and kept
      and torch.equal(wide.state_dict()["conv1.weight"][:, :70, :], net.state_dict()["conv1.weight"]))

# a 70-feature model file as --init reads it (int8 layers dequantised)
with tempfile.TemporaryDirectory() as tmp:
    qnet = PercepNet(conv1=16, hidden=16)
    quant.clip_(qnet)
    pnm_path = os.path.join(tmp, "m70.pnm")
    with open(pnm_path, "wb") as f:
        f.write(pnm.write_pnm(export_model.model_tensors(qnet)))
    sd = trainer.init_state_dict(pnm_path)
x = torch.from_numpy((rng.standard_normal((1, 120, 104)) * 1.5).astype(np.float32))
d, _ = same_outputs(sd, 16, 16, x)
check("70-feature model file as --init reads it, widened to 104: same outputs", d <= 1e-6,
      f"max |diff| {d:.3g}")

# the shipped model file, of either count, starts a 104-feature run
sd = trainer.init_state_dict(os.path.join(ROOT, "weights", "default_model.pnm"))
c1, h = sd["conv1.weight"].shape[0], sd["gru1.weight_hh_l0"].shape[1]
have = state_features(sd)
if have == 70:
    d, _ = same_outputs(sd, c1, h, x)
else:
    n104 = PercepNet(conv1=c1, hidden=h, nb_features=104)
    n104.load_state_dict(widen_state_dict(sd, 104))
    d = 0.0
check(f"shipped model ({have} features) as --init: a 104-feature network, same outputs",
      have in (70, 104) and d <= 1e-6, f"{have} features, max |diff| {d:.3g}")

try:
    widen_state_dict(wide.state_dict(), 70)
    check("narrowing 104 -> 70 refused", False, "no error")
except ValueError:
    check("narrowing 104 -> 70 refused", True)
try:
    PercepNet(conv1=4, hidden=4, nb_features=69)
    check("a network of 69 features refused", False, "no error")
except ValueError:
    check("a network of 69 features refused", True)

# the layout follows the count: the same targets in rows of 139 and 173
L70, L104 = trainer.Layout(70), trainer.Layout(104)
t = torch.from_numpy(rng.uniform(0, 1, (2, 30, trainer.TARGETS)).astype(np.float32))
t[0, 3, :5] = -1.0
rows70 = torch.cat([torch.randn(2, 30, 70), t], dim=-1)
rows104 = torch.cat([rows70[..., :70], torch.randn(2, 30, 34), t], dim=-1)
g, r = torch.rand(2, 30, 34), torch.rand(2, 30, 34)
v = torch.rand(2, 30, 1)
a = trainer.loss_terms(g, r, v, rows70, 0.5, 1.0)
b = trainer.loss_terms(g, r, v, rows104, 0.5, 1.0)
check("row layout: 173-float rows give the loss of the same targets in 139-float rows",
      L70.row == 139 and L104.row == 173 and L104.g0 == 104 and L104.v0 == 172
      and all(abs(float(a[k]) - float(b[k])) < 1e-6 for k in trainer.TERMS),
      f"{ {k: float(a[k]) for k in a} } vs { {k: float(b[k]) for k in b} }")

counts = [trainer.dump_features("x", m) for m in (
    {"nb_features": 104, "row_floats": 173}, {"layout": {"features": [0, 104]}},
    {"row_floats": 139}, {"frames_per_sequence": 10})]
check(".json feature count: nb_features, the layout, row_floats, else 70",
      counts == [104, 104, 70, 70], str(counts))
bad = []
for m in ({"nb_features": 104, "row_floats": 139}, {"nb_features": 69}):
    try:
        trainer.dump_features("x.f32", m)
    except trainer.DumpMismatch as e:
        bad.append(str(e))
check(".json that contradicts itself or names another count refused",
      len(bad) == 2 and all("x.f32" in e for e in bad), str(bad))


with tempfile.TemporaryDirectory() as tmp:
    d104, mixed = os.path.join(tmp, "d104"), os.path.join(tmp, "mixed")
    for d in (d104, mixed):
        os.makedirs(d)
    make_dump(os.path.join(d104, "train_p000.f32"), 104, 6, 120, 1)
    make_dump(os.path.join(d104, "val.f32"), 104, 2, 120, 2)
    make_dump(os.path.join(mixed, "train_p000.f32"), 70, 6, 120, 1)
    make_dump(os.path.join(mixed, "val.f32"), 104, 2, 120, 2)
    try:
        trainer.DumpSet([os.path.join(mixed, "train_p000.f32"), os.path.join(mixed, "val.f32")])
        check("DumpSet refuses files of two feature counts", False, "no error")
    except trainer.DumpMismatch as e:
        check("DumpSet refuses files of two feature counts, naming the file",
              "val.f32" in str(e) and "104" in str(e) and "70" in str(e), str(e))

    torch.manual_seed(4)
    old = PercepNet(conv1=8, hidden=8)
    quant.clip_(old)  # as a trained network is: the run clips after each step
    ckpt = os.path.join(tmp, "old.pt")
    torch.save({"model": old.state_dict()}, ckpt)
    cmd = [sys.executable, "-m", "scripts.train.train", "--conv1", "8", "--hidden", "8",
           "--seq", "60", "--batch", "2", "--max-steps", "1", "--lr", "0",
           "--weight-decay", "0", "--val-every-minutes", "100", "--log-every-s", "1000"]
    out = os.path.join(tmp, "run104")
    p = subprocess.run(cmd + ["--dumps", d104, "--out", out, "--init", ckpt],
                       capture_output=True, text=True, timeout=600)
    log = open(os.path.join(out, "train.log")).read() \
        if os.path.exists(os.path.join(out, "train.log")) else p.stderr
    ok = p.returncode == 0 and "70 features widened to 104" in log
    last = torch.load(os.path.join(out, "last.pt"))["model"] if ok else {}
    check("train.py on 104-feature dumps --init from a 70-feature model: widened, runs",
          ok and tuple(last["conv1.weight"].shape) == (8, 104, 3), log[-400:])
    vals = re.findall(r"val step \d+ .*?float ([0-9.]+)", log)
    old.eval()
    want = trainer.evaluate(old, trainer.DumpSet([os.path.join(d104, "val.f32")]), 300000,
                            0.5, 0.2, 1.0)["total"]
    check("... and at learning rate 0 its validation loss is the 70-feature model's",
          len(vals) >= 1 and abs(float(vals[-1]) - want) < 2e-5,
          f"logged {vals}, old model {want:.5f}")

    # --extra-input-lr K: the step on the added inputs' weights is K
    # times that of a plain run (same seed, same batch), every other weight's
    # step the same
    steps = {}
    for k in ("1", "10"):
        out = os.path.join(tmp, f"runlr{k}")
        # two steps: the first one's learning rate is 0 (the warm-up's start)
        run = list(cmd)
        run[run.index("--max-steps") + 1] = "2"
        run[run.index("--lr") + 1] = "1e-2"
        p = subprocess.run(run
                           + ["--dumps", d104, "--out", out, "--init", ckpt,
                              "--extra-input-lr", k], capture_output=True, text=True, timeout=600)
        steps[k] = torch.load(os.path.join(out, "last.pt"))["model"] if p.returncode == 0 else None
    if steps["1"] is not None and steps["10"] is not None:
        w1, w10 = steps["1"]["conv1.weight"], steps["10"]["conv1.weight"]
        d1, d10 = w1[:, 70:], w10[:, 70:]
        same = torch.equal(w1[:, :70], w10[:, :70]) and all(
            torch.equal(steps["1"][n], steps["10"][n]) for n in steps["1"] if n != "conv1.weight")
        moved = float(d1.abs().max()) > 0
        ratio_ok = moved and float((d10 - 10 * d1).abs().max()) <= 1e-6 * max(1.0, float(d10.abs().max()))
        check("--extra-input-lr 10: added inputs' step 10x, the rest unchanged",
              same and ratio_ok, f"others same {same}, moved {moved}, "
              f"max |d10 - 10 d1| {float((d10 - 10 * d1).abs().max()):.3g}")
    else:
        check("--extra-input-lr 10: added inputs' step 10x, the rest unchanged", False,
              "a run failed")

    out = os.path.join(tmp, "runmixed")
    p = subprocess.run(cmd + ["--dumps", mixed, "--out", out], capture_output=True, text=True,
                       timeout=600)
    log = open(os.path.join(out, "train.log")).read() \
        if os.path.exists(os.path.join(out, "train.log")) else p.stderr
    check("train.py on dumps of 70 and 104 features: exit status 2, the file named",
          p.returncode == 2 and "dumps do not agree" in log and "val.f32" in log, log[-300:])

sys.exit(1 if failures else 0)
