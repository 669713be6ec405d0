#!/usr/bin/python3
"""Growing a network's width (scripts/train/model.py grow_hidden, the
trainer's --init with a larger --hidden):

- a random network of width 12 grown to 20 gives the same outputs on random
  features (the GRUs driven far from linear), keeps its tensors in the first
  units, and the added units' weights into old units and heads are zero;
- the shipped model file, dequantised as --init reads it, grown by 64 units:
  the same outputs;
- narrowing and a different conv1 are refused;
- train.py end to end: --init from a width-8 checkpoint with --hidden 12
  builds a width-12 network whose validation loss at learning rate 0 is the
  old network's on the same rows, and after a few steps at a real learning
  rate the added units' weights into the heads are no longer zero (training
  brings them in).
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch

from scripts.train import trainer
from scripts.train.model import PercepNet, grow_hidden, state_hidden
from net_fixtures import make_dump, outputs

ROOT = os.getcwd()
failures = 0


def check(name, cond, why=""):
    global failures
    print(f"ok - {name}" if cond else f"not ok - {name}: {why}")
    failures += 0 if cond else 1


def grown(sd, conv1, hidden, nf):
    """A fresh network of width hidden (seeded init) loaded with sd grown."""
    net = PercepNet(conv1=conv1, hidden=hidden, nb_features=nf)
    trainer.init_model(net)
    net.load_state_dict(grow_hidden(sd, net.state_dict()))
    return net


torch.manual_seed(5)
rng = np.random.default_rng(5)
small = PercepNet(conv1=10, hidden=12, nb_features=104)
with torch.no_grad():
    for p in small.parameters():
        p.mul_(2.0)  # larger than the default init: the GRUs far from linear
x = torch.from_numpy((rng.standard_normal((3, 90, 104)) * 2.0).astype(np.float32))
big = grown(small.state_dict(), 10, 20, 104)
d = float((outputs(big, x) - outputs(small, x)).abs().max())
check("width 12 grown to 20: same outputs on random features", d <= 1e-5, f"max |diff| {d:.3g}")
sb, ss = big.state_dict(), small.state_dict()
H, h0 = 20, 12
kept = torch.equal(sb["conv2.weight"][:h0], ss["conv2.weight"]) and all(
    torch.equal(sb[f"gru1.weight_hh_l0"][g * H:g * H + h0, :h0], ss["gru1.weight_hh_l0"][g * h0:(g + 1) * h0])
    for g in range(3))
zero = all(float(sb[f"{gru}.weight_{k}_l0"][g * H:g * H + h0, h0:].abs().max()) == 0
           for gru in ("gru1", "gru2") for k in ("ih", "hh") for g in range(3)) and all(
    float(sb[f"{h}.weight"][:, part * H + h0:(part + 1) * H].abs().max()) == 0
    for h in ("dense_g", "dense_r", "dense_vad") for part in range(3))
added = float(sb["gru2.weight_hh_l0"][h0:H].abs().max()) > 0
check("grown: old tensors in the first units, added units' outgoing weights 0, incoming not",
      kept and zero and added, f"kept {kept}, zero {zero}, added {added}")

sd = trainer.init_state_dict(os.path.join(ROOT, "weights", "default_model.pnm"))
c1, h, nf = sd["conv1.weight"].shape[0], state_hidden(sd), sd["conv1.weight"].shape[1]
ship = PercepNet(conv1=c1, hidden=h, nb_features=nf)
ship.load_state_dict(sd)
xs = torch.from_numpy((rng.standard_normal((1, 150, nf))).astype(np.float32))
d = float((outputs(grown(sd, c1, h + 64, nf), xs) - outputs(ship, xs)).abs().max())
check(f"shipped model (width {h}) as --init, grown by 64 units: same outputs", d <= 1e-5,
      f"max |diff| {d:.3g}")

for name, conv1, hidden in (("narrowing 12 -> 8", 10, 8), ("another conv1 (10 -> 14)", 14, 20)):
    other = PercepNet(conv1=conv1, hidden=hidden, nb_features=104)
    try:
        grow_hidden(ss, other.state_dict())
        check(f"{name} refused", False, "no error")
    except ValueError:
        check(f"{name} refused", True)


with tempfile.TemporaryDirectory() as tmp:
    dumps = os.path.join(tmp, "d")
    os.makedirs(dumps)
    make_dump(os.path.join(dumps, "train_p000.f32"), 104, 6, 120, 1)
    make_dump(os.path.join(dumps, "val.f32"), 104, 2, 120, 2)
    torch.manual_seed(6)
    old = PercepNet(conv1=8, hidden=8, nb_features=104)
    trainer.init_model(old)
    ckpt = os.path.join(tmp, "old.pt")
    torch.save({"model": old.state_dict()}, ckpt)
    cmd = [sys.executable, "-m", "scripts.train.train", "--dumps", dumps, "--init", ckpt,
           "--conv1", "8", "--hidden", "12", "--seq", "60", "--batch", "2",
           "--weight-decay", "0", "--val-every-minutes", "100", "--log-every-s", "1000"]
    out = os.path.join(tmp, "lr0")
    p = subprocess.run(cmd + ["--out", out, "--max-steps", "1", "--lr", "0"],
                       capture_output=True, text=True, timeout=600)
    log = open(os.path.join(out, "train.log")).read() \
        if os.path.exists(os.path.join(out, "train.log")) else p.stderr
    ok = p.returncode == 0 and "width 8 grown to 12" in log
    check("train.py --init width 8 with --hidden 12: grown, runs", ok, log[-400:])
    vals = re.findall(r"val step \d+ .*?float ([0-9.]+)", log)
    old.eval()
    want = trainer.evaluate(old, trainer.DumpSet([os.path.join(dumps, "val.f32")]), 300000,
                            0.5, 0.2, 1.0)["total"]
    check("... and at learning rate 0 its validation loss is the width-8 model's",
          len(vals) >= 1 and abs(float(vals[-1]) - want) < 2e-5,
          f"logged {vals}, old model {want:.5f}")
    out = os.path.join(tmp, "lr")
    p = subprocess.run(cmd + ["--out", out, "--max-steps", "4", "--lr", "1e-2"],
                       capture_output=True, text=True, timeout=600)
    last = torch.load(os.path.join(out, "last.pt"))["model"] if p.returncode == 0 else None
    moved = last is not None and float(last["dense_g.weight"][:, 8:12].abs().max()) > 0
    check("after 4 steps at lr 1e-2 the added units feed the heads", moved,
          p.stderr[-300:] if last is None else "their weights are still 0")

sys.exit(1 if failures else 0)
