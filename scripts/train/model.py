"""The denoiser network in PyTorch, layer for layer what lib/nnet runs in C.

features (B, T, 70) -> conv1 (k=3, 70->C1, tanh) -> conv2 (k=3, C1->H, tanh)
  -> gru1 (H) -> gru2 (H); concat [conv2, gru1, gru2] (3H) ->
  dense_g (34, sigmoid), dense_r (34, sigmoid), dense_vad (1, sigmoid).

Convolutions are causal (2 frames of left padding): step t sees features
t-2..t. The look-ahead lives in the features (see lib/percepnet_train.h): the
outputs at step t are the targets of output frame t-2, as the dump tool
writes them on the same row. torch.nn.GRU is the "reset after" form the C
engine implements, gate order r, z, n in PyTorch's weight layout.
"""
import torch
from torch import nn

NB_FEATURES = 70
NB_BANDS = 34


class PercepNet(nn.Module):
    def __init__(self, conv1=128, hidden=192):
        super().__init__()
        self.conv1_size = conv1
        self.hidden = hidden
        self.conv1 = nn.Conv1d(NB_FEATURES, conv1, 3)
        self.conv2 = nn.Conv1d(conv1, hidden, 3)
        self.gru1 = nn.GRU(hidden, hidden, batch_first=True)
        self.gru2 = nn.GRU(hidden, hidden, batch_first=True)
        self.dense_g = nn.Linear(3 * hidden, NB_BANDS)
        self.dense_r = nn.Linear(3 * hidden, NB_BANDS)
        self.dense_vad = nn.Linear(3 * hidden, 1)

    def forward(self, x, state=None):
        """x: (B, T, 70). state: None or (conv1_mem, conv2_mem, h1, h2) as
        returned by a previous call, to stream a long sequence in pieces.
        Returns (gains, strengths, vad, state); gains and strengths (B, T, 34),
        vad (B, T, 1)."""
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
