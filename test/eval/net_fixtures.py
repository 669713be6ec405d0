"""Fixtures of the network tests in test/eval (imported by name from this
folder): the outputs of a network and a small dump file like percepnet-dump's."""
import json
import os

import numpy as np
import torch

from scripts.train import trainer


def outputs(net, x):
    """(B, T, 69): gains, strengths and VAD of net (eval mode, no grad) on x."""
    net.eval()
    with torch.no_grad():
        g, r, v, _ = net(x)
    return torch.cat([g, r, v], dim=-1)


def make_dump(path, nf, n_seq, frames, seed):
    """A dump of nf features per row like percepnet-dump's, .json included,
    with targets learnable from the features (seeded)."""
    lay = trainer.Layout(nf)
    r = np.random.default_rng(seed)
    x = r.standard_normal((n_seq * frames, lay.row)).astype("<f4")
    x[:, lay.g0:lay.r0] = 1 / (1 + np.exp(-2 * x[:, :34]))
    x[:, lay.r0:lay.v0] = 1 / (1 + np.exp(-2 * x[:, 34:68]))
    x[:, lay.v0] = x[:, 68] > 0
    x.tofile(path)
    with open(os.path.splitext(path)[0] + ".json", "w") as f:
        json.dump({"row_floats": lay.row, "nb_features": nf,
                   "layout": {"features": [0, nf], "gains": [lay.g0, lay.r0],
                              "strengths": [lay.r0, lay.v0], "vad": [lay.v0, lay.row]},
                   "frames_per_sequence": frames, "sequences": n_seq}, f)
