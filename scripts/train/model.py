"""The denoiser network in PyTorch, layer for layer what lib/nnet runs in C.

features (B, T, F) -> conv1 (k=3, F->C1, tanh) -> conv2 (k=3, C1->H, tanh)
  -> gru1 (H) -> gru2 (H); concat [conv2, gru1, gru2] (3H) ->
  dense_g (34, sigmoid), dense_r (34, sigmoid), dense_vad (1, sigmoid).

F, the features per step, is one of FEATURE_COUNTS: the first 70 of the
chain's features (lib/dsp/net_features.h: band levels, pitch coherences,
pitch), what every model before the SNR features reads, or all 104 (with
the 34 band SNRs against the tracked noise, lib/dsp/noise_track.h). The C
library runs a model of either count; the dumps say which count their rows
hold (percepnet-dump --features, the .json's nb_features).

Convolutions are causal (2 frames of left padding): step t sees features
t-2..t. The look-ahead lives in the features (see lib/percepnet_train.h): the
outputs at step t are the targets of output frame t-2, as the dump tool
writes them on the same row. torch.nn.GRU is the "reset after" form the C
engine implements, gate order r, z, n in PyTorch's weight layout.
"""
import torch
from torch import nn

NB_FEATURES = 104       # every feature of the chain (PN_FEATURES)
NB_FEATURES_BASE = 70   # the first 70, the models made before the SNR features (PN_FEATURES_BASE)
FEATURE_COUNTS = (NB_FEATURES_BASE, NB_FEATURES)
NB_BANDS = 34


class PercepNet(nn.Module):
    def __init__(self, conv1=128, hidden=192, nb_features=NB_FEATURES_BASE):
        super().__init__()
        if nb_features not in FEATURE_COUNTS:
            raise ValueError(f"nb_features {nb_features}: the library runs models reading "
                             f"{' or '.join(map(str, FEATURE_COUNTS))} features")
        self.nb_features = nb_features
        self.conv1_size = conv1
        self.hidden = hidden
        self.conv1 = nn.Conv1d(nb_features, conv1, 3)
        self.conv2 = nn.Conv1d(conv1, hidden, 3)
        self.gru1 = nn.GRU(hidden, hidden, batch_first=True)
        self.gru2 = nn.GRU(hidden, hidden, batch_first=True)
        self.dense_g = nn.Linear(3 * hidden, NB_BANDS)
        self.dense_r = nn.Linear(3 * hidden, NB_BANDS)
        self.dense_vad = nn.Linear(3 * hidden, 1)

    def forward(self, x, state=None):
        """x: (B, T, nb_features). state: None or (conv1_mem, conv2_mem, h1,
        h2) as returned by a previous call, to stream a long sequence in
        pieces. Returns (gains, strengths, vad, state); gains and strengths
        (B, T, 34), vad (B, T, 1)."""
        xt = x.transpose(1, 2)
        if state is None:
            m1 = xt.new_zeros(xt.shape[0], xt.shape[1], 2)
            m2 = xt.new_zeros(xt.shape[0], self.conv1_size, 2)
            h1 = h2 = None
        else:
            m1, m2, h1, h2 = state
        c1_in = torch.cat([m1, xt], dim=2)
        c1 = torch.tanh(self.conv1(c1_in))
        c2_in = torch.cat([m2, c1], dim=2)
        c2 = torch.tanh(self.conv2(c2_in)).transpose(1, 2)
        g1, h1 = self.gru1(c2, h1)
        g2, h2 = self.gru2(g1, h2)
        cat = torch.cat([c2, g1, g2], dim=2)
        gains = torch.sigmoid(self.dense_g(cat))
        strengths = torch.sigmoid(self.dense_r(cat))
        vad = torch.sigmoid(self.dense_vad(cat))
        new_state = (c1_in[:, :, -2:].detach(), c2_in[:, :, -2:].detach(),
                     h1.detach(), h2.detach())
        return gains, strengths, vad, new_state


def state_features(sd):
    """The features per step a PercepNet state dict reads (conv1's inputs)."""
    return int(sd["conv1.weight"].shape[1])


def widen_state_dict(sd, nb_features):
    """sd (a PercepNet state dict) for a network reading nb_features
    features: conv1's weights for the added inputs (the features after the
    ones sd reads) are zero, every other tensor is sd's. Since the chain's
    features keep their places when more are added, the wider network gives
    exactly the outputs of sd's on any input, whatever the added features
    hold (up to the float summation order of conv1). ValueError when sd reads
    more features than nb_features."""
    have = state_features(sd)
    if have > nb_features:
        raise ValueError(f"a model reading {have} features cannot start one reading "
                         f"{nb_features}")
    if have == nb_features:
        return dict(sd)
    w = sd["conv1.weight"]
    extra = w.new_zeros(w.shape[0], nb_features - have, w.shape[2])
    out = dict(sd)
    out["conv1.weight"] = torch.cat([w, extra], dim=1)
    return out


def state_hidden(sd):
    """The recurrent width of a PercepNet state dict (conv2's outputs)."""
    return int(sd["conv2.weight"].shape[0])


def grow_hidden(sd, fresh):
    """sd (a PercepNet state dict of width h0) grown to the width of fresh,
    the state dict of a freshly initialised network of width H >= h0 reading
    the same features through the same conv1: the first h0 units of conv2
    and of both GRUs keep sd's weights, the added units keep fresh's incoming
    weights and biases, and every weight from an added unit into an old unit
    or a head is zero. The grown network then gives sd's outputs on any
    input (the added units run but nothing reads them yet), and training
    brings the added units in through those zero weights, whose gradients
    are not zero. ValueError when the shapes do not allow it."""
    h0, H = state_hidden(sd), state_hidden(fresh)
    if H < h0 or sd["conv1.weight"].shape != fresh["conv1.weight"].shape:
        raise ValueError(f"cannot grow width {h0} to {H} (conv1 "
                         f"{tuple(sd['conv1.weight'].shape)} vs {tuple(fresh['conv1.weight'].shape)})")
    if H == h0:
        return dict(sd)
    out = {k: v.clone() for k, v in fresh.items()}
    out["conv1.weight"], out["conv1.bias"] = sd["conv1.weight"], sd["conv1.bias"]
    out["conv2.weight"][:h0] = sd["conv2.weight"]
    out["conv2.bias"][:h0] = sd["conv2.bias"]
    for gru in ("gru1", "gru2"):
        for kind in ("ih", "hh"):
            # rows in r, z, n blocks of H units: viewed as (3, H, inputs)
            w, b = f"{gru}.weight_{kind}_l0", f"{gru}.bias_{kind}_l0"
            blocks = out[w].view(3, H, -1)
            blocks[:, :h0, :h0] = sd[w].view(3, h0, -1)
            blocks[:, :h0, h0:] = 0.0
            out[b].view(3, H)[:, :h0] = sd[b].view(3, h0)
    for head in ("dense_g", "dense_r", "dense_vad"):
        # inputs [conv2, gru1, gru2] of H each: viewed as (outputs, 3, H)
        w = out[f"{head}.weight"].view(-1, 3, H)
        w[:, :, :h0] = sd[f"{head}.weight"].view(-1, 3, h0)
        w[:, :, h0:] = 0.0
        out[f"{head}.bias"] = sd[f"{head}.bias"]
    return out
