"""Weight quantisation rule shared by the exporter and quantisation-aware training.

The C engine (lib/nnet) multiplies int8 weights by 8-bit activations and sums
in int32. A weight matrix W (rows = outputs, cols = inputs, in the engine's
input order, see matvec_order) is stored as int8 q with one float scale per
row: W[r, c] ~= q[r, c] * scale[r].

Rule (per row r):
    scale[r] = max( max_c |W[r, c]| / 127,
                    max_i |W[r, 2i] + W[r, 2i+1]| / 129 )
    q = round(W / scale), |q| <= 127, and for every pair of columns
    (2i, 2i+1) whose weights have the same sign |q_2i + q_2i+1| <= 129
    (a rounding that would break it is moved one step towards zero).
Why 129: the SSE4.1/AVX2/AVX-512BW kernels feed activations as unsigned
bytes u = q_x + 127 in 0..254 and add two adjacent u8*s8 products into a
saturating int16: 254 * 129 = 32766 <= 32767, so that sum never saturates and
every instruction set gets the same exact int32 dot product.

Activations (the inputs of quantised layers, all in [-1, 1]) are quantised on
the fly to q_x = round_half_away(127 * clamp(x, -1, 1)), see quantize_act.

API for training:
    CLIP           weights are clipped to [-CLIP, CLIP] before quantisation
    clip_(module)  in-place clip of the quantised layers' weights
    fake_quant(w, noise=False)
                   forward-pass weight: quantise + dequantise with a
                   straight-through gradient; noise=True adds instead uniform
                   noise of +-1/2 quantisation step (per row), the soft form
    quantize_rows(w) -> (q int8 tensor, scales float32 tensor)
    QUANTIZED_PARAMS  names of the PercepNet parameters stored as int8
"""
import torch

CLIP = 0.99  # |w| bound during training; keeps scales (and so steps) small
QMAX = 127   # largest |q| of a weight or an activation
PAIR_MAX = 129  # largest |q_2i + q_2i+1| (same sign), see the module text

# Parameters of scripts/train/model.py's PercepNet that the engine runs in
# int8 (their inputs are tanh outputs or GRU states, bounded to [-1, 1]).
# conv1 (raw features in) stays float. The heads are int8 too: their input
# (conv2 output and GRU states) is bounded, and in float they would cost
# more time than all int8 layers together (benchmark: scripts/bench_nnet).
QUANTIZED_PARAMS = (
    "conv2.weight",
    "gru1.weight_ih_l0", "gru1.weight_hh_l0",
    "gru2.weight_ih_l0", "gru2.weight_hh_l0",
    "dense_g.weight", "dense_r.weight", "dense_vad.weight",
)


def matvec_order(w):
    """2-D view of a weight in the engine's input order: a Linear/GRU weight
    (rows, cols) as is; a Conv1d weight (out, in, k) as (out, k*in), column
    k*in + c multiplying input channel c of the frame k steps after the
    oldest one (the engine's input vector is [x(t-2), x(t-1), x(t)])."""
    if w.dim() == 3:
        return w.permute(0, 2, 1).reshape(w.shape[0], -1)
    if w.dim() != 2:
        raise ValueError("weight must be 2-D or a 3-D conv weight")
    return w


def from_matvec_order(w2, shape):
    """Inverse of matvec_order for a tensor of the original shape."""
    if len(shape) == 3:
        return w2.reshape(shape[0], shape[2], shape[1]).permute(0, 2, 1)
    return w2.reshape(shape)


def row_scales(w2):
    """Per-row scale of a 2-D weight in engine order (float32, > 0)."""
    w2 = w2.detach().to(torch.float64)
    amax = w2.abs().amax(dim=1) / QMAX
    cols = w2.shape[1]
    if cols % 2:
        w2 = torch.nn.functional.pad(w2, (0, 1))
    pair = (w2[:, 0::2] + w2[:, 1::2]).abs().amax(dim=1) / PAIR_MAX
    s = torch.maximum(amax, pair)
    s = torch.where(s > 0, s, torch.full_like(s, 1.0 / QMAX))
    return s.to(torch.float32)


def _round_half_away(x):
    return torch.sign(x) * torch.floor(x.abs() + 0.5)


def quantize_2d(w2):
    """(q int8, scale float32) of a 2-D weight in engine order."""
    s = row_scales(w2)
    q = _round_half_away(w2.detach().to(torch.float64) / s.to(torch.float64)[:, None])
    q = q.clamp(-QMAX, QMAX)
    cols = q.shape[1]
    if cols % 2:
        q = torch.nn.functional.pad(q, (0, 1))
    a, b = q[:, 0::2].clone(), q[:, 1::2].clone()
    same = (a * b) > 0
    excess = same & ((a + b).abs() > PAIR_MAX)
    # move the larger magnitude one step towards zero (at most one step is
    # ever needed: each rounding adds at most 1/2)
    bigger_a = a.abs() >= b.abs()
    a = torch.where(excess & bigger_a, a - torch.sign(a), a)
    b = torch.where(excess & ~bigger_a, b - torch.sign(b), b)
    q = torch.stack([a, b], dim=2).reshape(q.shape[0], -1)[:, :cols]
    assert int(q.abs().max()) <= QMAX
    return q.to(torch.int8), s


def quantize_rows(w):
    """int8 weights (same shape as w) and per-output-row float32 scales."""
    q2, s = quantize_2d(matvec_order(w))
    return from_matvec_order(q2, w.shape).contiguous(), s


def dequantize(q, s):
    shape = q.shape
    q2 = matvec_order(q).to(torch.float32)
    return from_matvec_order(q2 * s[:, None], shape)


def fake_quant(w, noise=False):
    """Weight for the forward pass of quantisation-aware training.
    noise=False: the exactly dequantised int8 weight, straight-through
    gradient. noise=True: w plus uniform noise of +-1/2 step of its row."""
    w2 = matvec_order(w)
    if noise:
        s = row_scales(w2).to(w.dtype)
        n = (torch.rand_like(w2) - 0.5) * s[:, None]
        return from_matvec_order(w2 + n, w.shape)
    q2, s = quantize_2d(w2)
    wq = from_matvec_order(q2.to(w.dtype) * s.to(w.dtype)[:, None], w.shape)
    return w + (wq - w).detach()


def clip_(model):
    """Clips the quantised parameters of a PercepNet in place to +-CLIP."""
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name in QUANTIZED_PARAMS:
            params[name].clamp_(-CLIP, CLIP)


def quantize_act(x):
    """int activation code of x (engine rule): round half away from zero of
    127 * clamp(x, -1, 1), computed in float32 like the C code."""
    v = torch.clamp(x.to(torch.float32), -1.0, 1.0) * torch.tensor(127.0, dtype=torch.float32)
    return _round_half_away(v)
