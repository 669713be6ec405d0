"""scripts/export/quant.py, the quantisation rule shared by the exporter and
quantisation-aware training: ranges, the pair rule the SIMD kernels rely on,
the rounding error bound, fake_quant's forward value and gradient, clip_."""
import sys

import torch

from scripts.export import quant
from scripts.train.model import PercepNet

fails = 0


def report(ok, name, why=""):
    global fails
    print(f"ok - {name}" if ok else f"not ok - {name}: {why}")
    fails += 0 if ok else 1


def weights():
    g = torch.Generator().manual_seed(3)
    yield "random 2-D", torch.randn(37, 71, generator=g) * 0.1
    yield "random conv", torch.randn(24, 13, 3, generator=g) * 0.2
    # adversarial: every pair sums to nearly the row maximum, same sign,
    # sized so rounding would push pairs to 130 without the fix-up
    w = torch.full((16, 64), 64.5 / 129.0)
    w[1::2] *= -1
    yield "pairs at the limit", w
    w = torch.zeros(8, 9)
    w[:, 0] = 1.0
    yield "one large weight per row, odd width", w
    yield "all-zero rows", torch.zeros(5, 12)


for name, w in weights():
    q, s = quant.quantize_rows(w)
    q2 = quant.matvec_order(q).to(torch.int32)
    w2 = quant.matvec_order(w)
    report(q.dtype == torch.int8 and q.shape == w.shape and s.shape == (w.shape[0],),
           f"{name}: int8, shape kept, one scale per row", f"{q.dtype} {tuple(q.shape)} {tuple(s.shape)}")
    report(int(q2.abs().max()) <= 127, f"{name}: |q| <= 127", f"max {int(q2.abs().max())}")
    c = q2.shape[1] - q2.shape[1] % 2
    a, b = q2[:, 0:c:2], q2[:, 1:c:2]
    same = (a * b) > 0
    worst = int(((a + b).abs() * same).max()) if c else 0
    report(worst <= 129, f"{name}: same-sign pairs |q_2i + q_2i+1| <= 129", f"pair sum {worst}")
    err = (q2.to(torch.float64) * s.to(torch.float64)[:, None] - w2.to(torch.float64)).abs()
    bound = s.to(torch.float64)[:, None] * (1.0 + 1e-6)
    report(bool((err <= bound).all()), f"{name}: error <= one step (<= 1/2 unless fixed up)",
           f"max error / step {float((err / s.to(torch.float64)[:, None]).max()):.3f}")
    report(bool((s > 0).all()), f"{name}: scales > 0", "a scale <= 0")

w = (torch.randn(20, 30) * 0.3).requires_grad_()
fq = quant.fake_quant(w)
q, s = quant.quantize_rows(w.detach())
report(torch.equal(fq.detach(), quant.dequantize(q, s)), "fake_quant forward = dequantised int8",
       "values differ")
fq.sum().backward()
report(torch.equal(w.grad, torch.ones_like(w)), "fake_quant gradient passes straight through",
       "gradient is not 1")
wc = (torch.randn(12, 7, 3) * 0.3)
fn = quant.fake_quant(wc, noise=True)
sc = quant.row_scales(quant.matvec_order(wc))
dev = (quant.matvec_order(fn) - quant.matvec_order(wc)).abs() / sc[:, None]
report(float(dev.max()) <= 0.5 + 1e-5, "fake_quant noise within half a step",
       f"max {float(dev.max()):.3f} steps")

torch.manual_seed(0)
net = PercepNet(conv1=8, hidden=16)
with torch.no_grad():
    for p in net.parameters():
        p.mul_(50.0)
quant.clip_(net)
params = dict(net.named_parameters())
report(all(float(params[n].abs().max()) <= quant.CLIP + 1e-6 for n in quant.QUANTIZED_PARAMS),
       "clip_ bounds every quantised parameter", "a weight beyond CLIP")
report(float(params["conv1.weight"].abs().max()) > quant.CLIP, "clip_ leaves conv1 (float) alone",
       "conv1 was clipped")

x = torch.tensor([-2.0, -1.0, -0.5 / 127, 0.0, 0.49 / 127, 0.51 / 127, 1.0, 3.0])
codes = quant.quantize_act(x).tolist()
report(codes == [-127, -127, -1, 0, 0, 1, 127, 127], "activation codes: clamp, round half away",
       str(codes))
sys.exit(1 if fails else 0)
