"""Trained model: PyTorch float vs the C engine (float and int8 exports) on
the same features, the validation dump's.

  /usr/bin/python3 -m scripts.eval.compare_engine --checkpoint best.pt
      [--dump DATA/dumps/val.f32] [--sequences 8] [--work DIR]

Exports the checkpoint twice with scripts/export/export_model.py (default
int8 layers, and --float), runs each through build/native/test/nnet/pn_run_model
(the engine's pn_net_run, one process per sequence, from a zero state like
PyTorch) and prints, for gains, strengths and VAD, the mean and largest
|difference| to the float PyTorch outputs, the mean gain difference in dB
(gains above -40 dB), and the validation loss of each (scripts/train/trainer.py
loss_terms against the dump's targets).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

from scripts.export import export_model
from scripts.train import trainer
from scripts.train.model import NB_BANDS

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

RUNNER = os.path.join(ROOT, "build", "native", "test", "nnet", "pn_run_model")


def run_c(model_path, feats, work):
    fpath, opath = os.path.join(work, "f.f32"), os.path.join(work, "o.f32")
    feats.astype("<f4").tofile(fpath)
    subprocess.run([RUNNER, model_path, fpath, opath], check=True)
    return np.fromfile(opath, dtype="<f4").reshape(len(feats), 2 * NB_BANDS + 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--dump", default=os.path.join(os.environ.get("PERCEPNET_DATA") or
                                                 os.path.join(ROOT, "data"), "dumps", "val.f32"))
    ap.add_argument("--sequences", type=int, default=8)
    ap.add_argument("--work", help="folder for the exports (default: a temporary one)")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    if not os.path.exists(RUNNER):
        subprocess.run(["make", "-s", "-C", ROOT, os.path.relpath(RUNNER, ROOT)], check=True)

    net = export_model.model_from_state_dict(export_model.load_state_dict(a.checkpoint))
    net.eval()
    with open(os.path.splitext(a.dump)[0] + ".json") as f:
        meta = json.load(f)
    frames = int(meta["frames_per_sequence"])
    layout = trainer.Layout(trainer.dump_features(a.dump, meta))
    if net.nb_features > layout.features:
        raise SystemExit(f"{a.dump} holds {layout.features} features per row, the model "
                         f"reads {net.nb_features}")
    data = np.memmap(a.dump, dtype="<f4", mode="r").reshape(-1, layout.row)
    n_seq = min(a.sequences, len(data) // frames)
    tmpd = tempfile.TemporaryDirectory()
    work = a.work or tmpd.name
    os.makedirs(work, exist_ok=True)
    paths = {}
    for kind, extra in (("int8", []), ("float", ["--float"])):
        paths[kind] = os.path.join(work, f"compare_{kind}.pnm")
        subprocess.run([sys.executable, "-m", "scripts.export.export_model",
                        "--checkpoint", a.checkpoint, "-o", paths[kind], *extra],
                       check=True, stdout=subprocess.DEVNULL)

    outs = {"torch": [], "float": [], "int8": []}
    rows_all = []
    for s in range(n_seq):
        rows = np.array(data[s * frames:(s + 1) * frames], dtype=np.float32)
        feats = rows[:, :net.nb_features]  # the chain's features keep their places
        with torch.no_grad():
            g, r, v, _ = net(torch.from_numpy(feats)[None])
        outs["torch"].append(torch.cat([g[0], r[0], v[0]], 1).numpy())
        for kind in ("float", "int8"):
            outs[kind].append(run_c(paths[kind], feats, work))
        rows_all.append(rows)
    rows_all = torch.from_numpy(np.stack(rows_all))
    ref = np.stack(outs["torch"])
    print(f"{n_seq} sequences x {frames} frames of {a.dump}; model {a.checkpoint}")
    for kind in ("torch", "float", "int8"):
        o = torch.from_numpy(np.stack(outs[kind]).astype(np.float32))
        t = trainer.loss_terms(o[..., :NB_BANDS], o[..., NB_BANDS:2 * NB_BANDS],
                               o[..., 2 * NB_BANDS:], rows_all, 0.5)
        line = (f"{kind:6s} loss g {float(t['gain']):.5f} r {float(t['strength']):.5f} "
                f"vad {float(t['vad']):.4f}")
        if kind != "torch":
            d = np.abs(np.stack(outs[kind]) - ref)
            gk, gr = np.stack(outs[kind])[..., :NB_BANDS], ref[..., :NB_BANDS]
            sel = gr > 0.01
            db = np.abs(20 * np.log10(np.maximum(gk[sel], 1e-4) / gr[sel]))
            line += (f" | vs PyTorch: gains mean {d[..., :NB_BANDS].mean():.2e} max "
                     f"{d[..., :NB_BANDS].max():.2e} ({db.mean():.3f} dB mean, "
                     f"{np.percentile(db, 99):.3f} dB p99); strengths mean "
                     f"{d[..., NB_BANDS:2 * NB_BANDS].mean():.2e} max "
                     f"{d[..., NB_BANDS:2 * NB_BANDS].max():.2e}; vad max {d[..., -1].max():.2e}")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
