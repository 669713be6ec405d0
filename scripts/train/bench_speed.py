"""Training throughput of PercepNet (scripts/train/model.py) on this machine.

Runs forward + backward + AdamW step on random data shaped like a dump batch
and prints frames/s (frames = batch x sequence length, per optimiser step) for
each network size. Used to size the network for a wall-time budget.

  /usr/bin/python3 -m scripts.train.bench_speed --sizes 128:128,128:192 \
      --seq 500 --batch 16 --steps 4
"""
import argparse
import time

import torch

from scripts.train.model import PercepNet, NB_BANDS


def count_params(net):
    return sum(p.numel() for p in net.parameters())


def bench(conv1, hidden, seq, batch, steps, threads):
    torch.manual_seed(0)
    net = PercepNet(conv1=conv1, hidden=hidden)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, betas=(0.8, 0.98))
    x = torch.randn(batch, seq, net.nb_features)
    tg = torch.rand(batch, seq, NB_BANDS)
    # one warm-up step: allocator and kernel selection
    times = []
    for i in range(steps + 1):
        t0 = time.perf_counter()
        g, r, v, _ = net(x)
        loss = ((g.sqrt() - tg.sqrt()) ** 2).mean() + ((r - tg) ** 2).mean() + v.mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        if i > 0:
            times.append(time.perf_counter() - t0)
    per_step = sorted(times)[len(times) // 2]
    return count_params(net), batch * seq / per_step, per_step


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="128:128,128:192,128:256",
                    help="comma list of conv1:hidden")
    ap.add_argument("--seq", type=int, default=500, help="frames per sequence")
    ap.add_argument("--batch", type=int, default=16, help="sequences per batch")
    ap.add_argument("--steps", type=int, default=4, help="timed steps (median taken)")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"seq {a.seq}, batch {a.batch}", flush=True)
    for s in a.sizes.split(","):
        c1, h = (int(v) for v in s.split(":"))
        n, fps, dt = bench(c1, h, a.seq, a.batch, a.steps, a.threads)
        print(f"conv1 {c1:4d} hidden {h:4d}  params {n:8d}  "
              f"{dt:6.2f} s/step  {fps:8.0f} frames/s", flush=True)


if __name__ == "__main__":
    main()
