"""Trains scripts/train/model.py's PercepNet on dumps of percepnet-dump.

From the repository root (scripts/train/launch.sh does this):

  nohup nice /usr/bin/python3 -m scripts.train.train \
      --dumps data/dumps --out data/models/run1 \
      --deadline 06:35 [--budget-minutes 60] [--resume] > /dev/null 2>&1 &

Data: every DIR/*.f32 next to a FILE.json written by percepnet-dump (rows of
139 float32: 70 features, 34 gains, 34 strengths, 1 VAD; -1 = don't care;
sequence k = rows [k*F, (k+1)*F), F = "frames_per_sequence"). Files whose
name matches --val-pattern (default: contains "val") are the validation
split, the others the training split; with --rescan-minutes, training files
that complete later join the run. Files are memory-mapped; each batch
holds --batch random windows of --seq frames cut inside one sequence each,
run from a zero network state (no state is carried across batches: batches
are shuffled, so a carried state would belong to another sequence).

Row t's targets belong to the frame the network predicts at step t (the
look-ahead is inside the features), so output t is compared with row t.

Loss, per valid (not -1) target, gamma = 0.5 (compressive, as PercepNet):
  gains      d = g_hat^gamma - g^gamma,   d^2 + 10 d^4 + W min(d, 0)^2
  strengths  e = (1-r_hat)^gamma - (1-r)^gamma,   e^2 + W min(e, 0)^2
  VAD        binary cross-entropy, weight --vad-weight
each term averaged over its valid entries. W = --over-weight costs
over-attenuation (a gain below its target) and over-combing (a strength
above its target) more than the opposite errors: removing speech is worse for
a listener than leaving a little noise (PercepNet+'s over-attenuation term
argues the same).

Both cores: --procs 2 runs two single-threaded processes (torch.distributed,
gloo backend over loopback), each drawing its own --batch windows; their
gradients are averaged before every step, so the effective batch is
procs x batch. Rank 0 validates, logs and writes the checkpoints; every
decision to stop, validate or change the learning rate is taken by rank 0
and broadcast, so the ranks never diverge.

Optimiser: AdamW (lr 2e-3, betas (0.8, 0.98)), gradient norm clipped to
--clip-grad, learning rate cosine-decayed from --lr to --lr/10 over the run
(run length = --max-steps, or the wall-time budget). GRU recurrent matrices
start orthogonal (one orthogonal block per gate).

Quantisation-aware (scripts/export/quant.py, the rule the exporter uses): the
int8 layers' weights are clipped to +-quant.CLIP after every step, and in the
last --qat-fraction of the run the forward/backward pass sees them with
uniform noise of +-1/2 quantisation step of their row (straight-through: the
gradient taken at the noisy weights updates the clean ones). The validation
loss is computed both with the float weights and with the exactly quantised
int8 weights; the best checkpoint is chosen on the int8 one, the model the
C engine runs.

Outputs in --out: train.log (progress: frames/s, losses, lr), last.pt,
best.pt, ckpt-NNNNNN.pt at every validation (dicts with the state_dict under
"model", as scripts/export/export_model.py reads them). All checkpoints are
written to a temporary name and renamed (atomic). --resume continues from
last.pt (optimiser, step, elapsed time, RNG states); --init CKPT starts a
new run from a checkpoint's weights only. The run stops cleanly
(saves, exit status 0) at --deadline (HH:MM UTC, today or tomorrow),
after --budget-minutes of training, after --max-steps, or on SIGTERM/SIGINT.
"""
import argparse
import datetime as dt
import glob
import json
import math
import os
import re
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dumps", default=os.path.join(os.environ.get("PERCEPNET_DATA") or os.path.join(HERE, "..", "..", "data"), "dumps"),
                    help="folder(s) of *.f32 dumps, comma-separated")
    ap.add_argument("--rescan-minutes", type=float, default=0.0,
                    help="look for new complete training files this often (0: never), so "
                         "dumps still being written join the run as they complete")
    ap.add_argument("--val-pattern", default="val",
                    help="regex on file names selecting the validation split")
    ap.add_argument("--out", default=os.path.join(os.environ.get("PERCEPNET_DATA") or os.path.join(HERE, "..", "..", "data"), "models", "run"),
                    help="output folder")
    ap.add_argument("--conv1", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=192)
    ap.add_argument("--seq", type=int, default=500, help="frames per training window")
    ap.add_argument("--batch", type=int, default=16, help="windows per batch")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--clip-grad", type=float, default=1.0, help="max gradient norm")
    ap.add_argument("--gamma", type=float, default=0.5, help="compressive exponent")
    ap.add_argument("--vad-weight", type=float, default=0.2)
    ap.add_argument("--over-weight", type=float, default=1.0,
                    help="extra cost of over-attenuation and over-combing (see the loss)")
    ap.add_argument("--procs", type=int, default=1,
                    help="data-parallel processes (one per core)")
    ap.add_argument("--rank", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--dist-port", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--qat-fraction", type=float, default=0.25,
                    help="last fraction of the run with weight noise")
    ap.add_argument("--deadline", help="HH:MM UTC: stop, save and exit 0 by then")
    ap.add_argument("--budget-minutes", type=float, help="training wall time (this run and resumed ones)")
    ap.add_argument("--max-steps", type=int, help="stop after this many steps")
    ap.add_argument("--save-margin-s", type=float, default=60.0,
                    help="stop this long before the deadline (last validation + save)")
    ap.add_argument("--val-every-minutes", type=float, default=5.0,
                    help="validate at least this often (and at every epoch end)")
    ap.add_argument("--val-max-frames", type=int, default=300000)
    ap.add_argument("--log-every-s", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (1 measured fastest here: the GRU's small "
                         "per-step products do not pay for a second thread)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    ap.add_argument("--init", metavar="CKPT",
                    help="start from the weights of this checkpoint (same sizes), or of a "
                    "model file (.pnm, int8 layers dequantised); optimiser, step and schedule "
                    "start afresh (warm start, e.g. after a feature change)")
    return ap.parse_args(argv)


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None:
    # before torch is imported, so its BLAS pool is sized too
    os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from scripts.export import export_model, pnm, quant  # noqa: E402
from scripts.train.model import PercepNet, NB_FEATURES, NB_BANDS  # noqa: E402

ROW = NB_FEATURES + 2 * NB_BANDS + 1
G0, R0, V0 = NB_FEATURES, NB_FEATURES + NB_BANDS, NB_FEATURES + 2 * NB_BANDS


# ---------------------------------------------------------------- data
class DumpSet:
    """Memory-mapped dump files of one split; sequences never cross files."""

    def __init__(self, paths):
        self.files = []  # (memmap rows x ROW, frames per sequence, sequences)
        self.paths = []
        self.seq_counts = np.zeros(0, dtype=np.int64)
        self.frames = 0
        self.add(paths)

    def add(self, paths):
        """Adds files not yet in the set; returns how many were added."""
        added = 0
        for p in paths:
            if p in self.paths:
                continue
            meta = {}
            js = os.path.splitext(p)[0] + ".json"
            if os.path.exists(js):
                with open(js) as f:
                    meta = json.load(f)
            n_rows = os.path.getsize(p) // (4 * ROW)
            if n_rows == 0:
                continue
            frames = int(meta.get("frames_per_sequence", n_rows))
            n_seq = n_rows // frames
            if n_seq == 0:
                continue
            mm = np.memmap(p, dtype="<f4", mode="r", shape=(n_seq * frames, ROW))
            self.files.append((mm, frames, n_seq))
            self.paths.append(p)
            added += 1
        self.seq_counts = np.array([n for _, _, n in self.files], dtype=np.int64)
        self.frames = int(sum(f * n for _, f, n in self.files))
        return added

    def __len__(self):
        return int(self.seq_counts.sum()) if self.files else 0

    def random_batch(self, rng, batch, seq):
        """(batch, seq, ROW) float32 of random windows, each inside one sequence."""
        w = self.seq_counts / self.seq_counts.sum()
        out = np.empty((batch, seq, ROW), dtype=np.float32)
        fidx = rng.choice(len(self.files), size=batch, p=w)
        for b, fi in enumerate(fidx):
            mm, frames, n_seq = self.files[fi]
            length = min(seq, frames)
            s = int(rng.integers(n_seq))
            o = int(rng.integers(frames - length + 1))
            start = s * frames + o
            out[b, :length] = mm[start:start + length]
            if length < seq:  # shorter sequences: pad with don't-care rows
                out[b, length:, :G0] = 0.0
                out[b, length:, G0:] = -1.0
        return out

    def sequences(self, max_frames):
        """Whole sequences in file order, up to max_frames frames in all:
        yields (frames, ROW) arrays."""
        used = 0
        for mm, frames, n_seq in self.files:
            for s in range(n_seq):
                if used + frames > max_frames and used > 0:
                    return
                used += frames
                yield np.asarray(mm[s * frames:(s + 1) * frames], dtype=np.float32)


def split_dumps(folders, val_pattern):
    """(train, val) lists of complete dump files (the .json sidecar is written
    last, so a file without one is still being written) in the comma-separated
    folders."""
    paths = []
    for folder in folders.split(","):
        paths += [p for p in sorted(glob.glob(os.path.join(folder, "*.f32")))
                  if os.path.exists(os.path.splitext(p)[0] + ".json")]
    rx = re.compile(val_pattern)
    val = [p for p in paths if rx.search(os.path.basename(p))]
    train = [p for p in paths if not rx.search(os.path.basename(p))]
    return train, val


# ---------------------------------------------------------------- loss
def loss_terms(gains, strengths, vad, rows, gamma, over=0.0):
    """Loss terms of a batch: rows (B, T, ROW) targets; returns dict of
    0-d tensors: gain, strength, vad (each averaged over valid entries).
    over: extra weight of over-attenuation / over-combing errors."""
    g = rows[..., G0:R0]
    r = rows[..., R0:V0]
    v = rows[..., V0:V0 + 1]
    mg = (g >= 0).to(gains.dtype)
    mr = (r >= 0).to(gains.dtype)
    mv = (v >= 0).to(gains.dtype)
    eps = 1e-7
    d = gains.clamp(eps, 1.0) ** gamma - g.clamp(0.0, 1.0) ** gamma
    d_over = d.clamp(max=0.0)
    lg = (mg * (d * d + 10.0 * d ** 4 + over * d_over * d_over)).sum() / mg.sum().clamp_min(1.0)
    e = (1.0 - strengths).clamp(eps, 1.0) ** gamma - (1.0 - r.clamp(0.0, 1.0)) ** gamma
    e_over = e.clamp(max=0.0)
    lr = (mr * (e * e + over * e_over * e_over)).sum() / mr.sum().clamp_min(1.0)
    vp = vad.clamp(eps, 1.0 - eps)
    vt = v.clamp(0.0, 1.0)
    bce = -(vt * torch.log(vp) + (1.0 - vt) * torch.log(1.0 - vp))
    lv = (mv * bce).sum() / mv.sum().clamp_min(1.0)
    return {"gain": lg, "strength": lr, "vad": lv}


def total_loss(t, vad_weight):
    return t["gain"] + t["strength"] + vad_weight * t["vad"]


# ---------------------------------------------------------------- model helpers
def init_model(net):
    """Orthogonal recurrent matrices, one block per gate (r, z, n)."""
    with torch.no_grad():
        for gru in (net.gru1, net.gru2):
            h = gru.hidden_size
            for k in range(3):
                torch.nn.init.orthogonal_(gru.weight_hh_l0[k * h:(k + 1) * h])
    quant.clip_(net)


def quantized_params(net):
    params = dict(net.named_parameters())
    return [params[n] for n in quant.QUANTIZED_PARAMS]


class SwapWeights:
    """Context: the quantised layers' weights replaced by fn(w) (no grad),
    the originals restored on exit."""

    def __init__(self, net, fn):
        self.params = quantized_params(net)
        self.fn = fn
        self.saved = None

    def __enter__(self):
        with torch.no_grad():
            self.saved = [p.detach().clone() for p in self.params]
            for p in self.params:
                p.copy_(self.fn(p.detach()))
        return self

    def __exit__(self, *exc):
        with torch.no_grad():
            for p, s in zip(self.params, self.saved):
                p.copy_(s)
        return False


def evaluate(net, data, max_frames, gamma, vad_weight, over=0.0, batch=16):
    """Validation loss over whole sequences (from a zero state). Returns
    dict of floats: total, gain, strength, vad, frames."""
    net.eval()
    sums = {"gain": 0.0, "strength": 0.0, "vad": 0.0}
    n = 0
    frames = 0
    pending = []

    def run(chunk):
        rows = torch.from_numpy(np.stack(chunk))
        g, r, v, _ = net(rows[..., :NB_FEATURES])
        t = loss_terms(g, r, v, rows, gamma, over)
        for k in sums:
            sums[k] += float(t[k]) * rows.shape[0]
        return rows.shape[0], rows.shape[0] * rows.shape[1]

    with torch.no_grad():
        for s in data.sequences(max_frames):
            pending.append(s)
            if len(pending) == batch:
                c, f = run(pending)
                n += c
                frames += f
                pending = []
        if pending:
            c, f = run(pending)
            n += c
            frames += f
    net.train()
    out = {k: v / max(n, 1) for k, v in sums.items()}
    out["total"] = out["gain"] + out["strength"] + vad_weight * out["vad"]
    out["frames"] = frames
    return out


def atomic_save(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def deadline_seconds(hhmm, now=None):
    """Seconds from now until the next HH:MM UTC."""
    now = now or dt.datetime.now(dt.timezone.utc)
    h, m = (int(v) for v in hhmm.split(":"))
    t = now.replace(hour=h, minute=m, second=0, microsecond=0)
    if t <= now - dt.timedelta(hours=12):
        t += dt.timedelta(days=1)
    return (t - now).total_seconds()


def lr_at(progress, lr0):
    """Cosine from lr0 to lr0/10 as progress goes 0 -> 1, after a short
    linear warm-up (the first 2 % of the run)."""
    p = min(max(progress, 0.0), 1.0)
    warm = min(1.0, p / 0.02) if p < 0.02 else 1.0
    return lr0 * warm * (0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * p)))


# ---------------------------------------------------------------- main
class Logger:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1) if path else None

    def __call__(self, msg):
        if self.f is None:  # ranks other than 0 stay quiet
            return
        line = f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} {msg}"
        self.f.write(line + "\n")
        print(line, flush=True)


# ---------------------------------------------------------------- data parallel
def free_port():
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def start_workers(a):
    """Rank 0 of --procs N: starts ranks 1..N-1 as copies of this command
    line; returns their Popen objects."""
    import subprocess
    a.dist_port = free_port()
    procs = []
    for rank in range(1, a.procs):
        cmd = [sys.executable, "-m", "scripts.train.train"] + sys.argv[1:] + [
            "--rank", str(rank), "--dist-port", str(a.dist_port)]
        procs.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL))
    return procs


def init_dist(a):
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{a.dist_port}",
                            rank=a.rank, world_size=a.procs,
                            timeout=dt.timedelta(minutes=30))
    return dist


def broadcast_params(dist, net):
    with torch.no_grad():
        for p in net.parameters():
            dist.broadcast(p.data, 0)


def average_grads(dist, net, world):
    """All ranks end with the mean of their gradients (one flat all-reduce)."""
    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in net.parameters()]
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= world
    o = 0
    for p, g in zip(net.parameters(), grads):
        n = g.numel()
        if p.grad is None:
            p.grad = flat[o:o + n].view_as(p).clone()
        else:
            p.grad.copy_(flat[o:o + n].view_as(p))
        o += n


def broadcast_control(dist, values):
    """Rank 0's values (floats) on every rank."""
    t = torch.tensor(values, dtype=torch.float64)
    dist.broadcast(t, 0)
    return [float(v) for v in t]


def init_state_dict(path):
    """State dict for --init: a checkpoint (export_model.load_state_dict), or a
    percepnet model file of any format version with this tensor layout, whose
    int8 tensors are dequantised (w = q * row scale, quant.dequantize): the
    exported model is then a warm start even when its float checkpoint is gone."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(pnm.MAGIC):
        return export_model.load_state_dict(path)
    t = pnm.read_pnm(data, any_version=True)
    sd = {}
    for name, arr in t.items():
        if name.endswith(".scale"):
            continue
        w = torch.from_numpy(arr.astype(np.float32))
        if arr.dtype == np.int8:
            w = quant.dequantize(w, torch.from_numpy(t[name + ".scale"]))
        sd[name] = w
    return sd


def main(a):
    torch.set_num_threads(a.threads)
    world = max(1, a.procs)
    is_main = a.rank == 0
    workers = start_workers(a) if is_main and world > 1 else []
    dist = init_dist(a) if world > 1 else None
    os.makedirs(a.out, exist_ok=True)
    log = Logger(os.path.join(a.out, "train.log") if is_main else None)
    start_wall = time.time()

    train_paths, val_paths = split_dumps(a.dumps, a.val_pattern)
    train = DumpSet(train_paths)
    val = DumpSet(val_paths)
    if len(train) == 0:
        log(f"no training dumps in {a.dumps}")
        return 2
    log(f"train: {len(train_paths)} files, {len(train)} sequences, {train.frames} frames; "
        f"val: {len(val_paths)} files, {len(val)} sequences, {val.frames} frames")

    torch.manual_seed(a.seed + 7919 * a.rank)
    rng = np.random.default_rng(a.seed)
    net = PercepNet(conv1=a.conv1, hidden=a.hidden)
    init_model(net)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, betas=(0.8, 0.98), eps=1e-8,
                            weight_decay=a.weight_decay)
    step, elapsed_before, frames_seen = 0, 0.0, 0
    best_val = float("inf")
    last_path = os.path.join(a.out, "last.pt")
    if a.init and not (a.resume and os.path.exists(last_path)):
        net.load_state_dict(init_state_dict(a.init))
        log(f"weights initialised from {a.init}")
    if a.resume and os.path.exists(last_path):
        ck = torch.load(last_path, map_location="cpu")
        net.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, elapsed_before = ck["step"], ck["elapsed"]
        frames_seen, best_val = ck["frames_seen"], ck["best_val"]
        torch.set_rng_state(ck["torch_rng"])
        rng.bit_generator.state = ck["np_rng"]
        log(f"resumed from {last_path}: step {step}, {elapsed_before / 60:.1f} min trained")
    if dist is not None:
        # the same weights everywhere; each rank its own batches, drawn from
        # (seed, rank, step) so a resumed run continues deterministically
        broadcast_params(dist, net)
        rng = np.random.default_rng([a.seed, a.rank, step])
    n_params = sum(p.numel() for p in net.parameters())
    log(f"model conv1 {a.conv1} hidden {a.hidden}: {n_params} parameters; "
        f"batch {a.batch} x {a.seq} frames x {world} processes, "
        f"threads {torch.get_num_threads()}; over-weight {a.over_weight}, "
        f"vad-weight {a.vad_weight}")

    # run length in seconds of training (this run + earlier ones)
    limits = []
    if a.budget_minutes:
        limits.append(a.budget_minutes * 60.0)
    if a.deadline:
        limits.append(elapsed_before + deadline_seconds(a.deadline) - a.save_margin_s)
    budget = min(limits) if limits else None
    if budget is None and not a.max_steps:
        log("give --deadline, --budget-minutes or --max-steps")
        return 2
    if budget is not None:
        log(f"time budget {budget / 60:.1f} min in all ({(budget - elapsed_before) / 60:.1f} left)")

    stop = {"flag": False}

    def on_signal(signum, _frame):
        stop["flag"] = True  # on ranks > 0 ignored: rank 0 decides
        log(f"signal {signum}: stopping after this step")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def progress(now_elapsed):
        ps = []
        if a.max_steps:
            ps.append(step / a.max_steps)
        if budget:
            ps.append(now_elapsed / budget)
        return max(ps)

    def checkpoint(now_elapsed, vres):
        nonlocal best_val
        ck = {"model": net.state_dict(), "opt": opt.state_dict(), "step": step,
              "elapsed": now_elapsed, "frames_seen": frames_seen, "best_val": best_val,
              "torch_rng": torch.get_rng_state(), "np_rng": rng.bit_generator.state,
              "config": {"conv1": a.conv1, "hidden": a.hidden, "gamma": a.gamma},
              "val": vres}
        atomic_save(ck, os.path.join(a.out, f"ckpt-{step:06d}.pt"))
        if vres is None:  # no validation split: the newest is the best known
            atomic_save(ck, os.path.join(a.out, "best.pt"))
        else:
            if vres["int8"]["total"] < best_val:
                best_val = vres["int8"]["total"]
                ck["best_val"] = best_val
                atomic_save(ck, os.path.join(a.out, "best.pt"))
                log(f"new best (int8 val loss {best_val:.5f}) -> best.pt")
        atomic_save(ck, last_path)

    def validate(now_elapsed):
        if len(val) == 0:
            return None
        t0 = time.time()
        vf = evaluate(net, val, a.val_max_frames, a.gamma, a.vad_weight, a.over_weight)
        with SwapWeights(net, lambda w: quant.fake_quant(w, noise=False).detach()):
            vq = evaluate(net, val, a.val_max_frames, a.gamma, a.vad_weight, a.over_weight)
        log(f"val step {step} epoch {frames_seen / train.frames:.2f}: float {vf['total']:.5f} "
            f"(g {vf['gain']:.5f} r {vf['strength']:.5f} vad {vf['vad']:.4f}) "
            f"int8 {vq['total']:.5f} (g {vq['gain']:.5f} r {vq['strength']:.5f}) "
            f"[{vf['frames']} frames, {time.time() - t0:.0f} s]")
        return {"float": vf, "int8": vq, "step": step, "elapsed": now_elapsed}

    epoch_steps = max(1, train.frames // (a.batch * a.seq))
    last_log = last_val = last_scan = time.time()
    acc = {"gain": 0.0, "strength": 0.0, "vad": 0.0, "n": 0, "frames": 0, "t": 0.0}
    qat_logged = False
    last_val_step = -1
    net.train()
    while True:
        now_elapsed = elapsed_before + (time.time() - start_wall)
        p = progress(now_elapsed)
        stop_now = p >= 1.0 or stop["flag"]
        if dist is not None:
            p, stop_now = broadcast_control(dist, [p, float(stop_now)])
        if stop_now:
            break
        lr = lr_at(p, a.lr)
        for group in opt.param_groups:
            group["lr"] = lr
        qat = p >= 1.0 - a.qat_fraction
        if qat and not qat_logged:
            log(f"step {step}: quantisation noise on {', '.join(quant.QUANTIZED_PARAMS)}")
            qat_logged = True

        t0 = time.time()
        rows = torch.from_numpy(train.random_batch(rng, a.batch, a.seq))
        if qat:
            with SwapWeights(net, lambda w: quant.fake_quant(w, noise=True).detach()):
                g, r, v, _ = net(rows[..., :NB_FEATURES])
                terms = loss_terms(g, r, v, rows, a.gamma, a.over_weight)
                loss = total_loss(terms, a.vad_weight)
                opt.zero_grad(set_to_none=True)
                loss.backward()
        else:
            g, r, v, _ = net(rows[..., :NB_FEATURES])
            terms = loss_terms(g, r, v, rows, a.gamma, a.over_weight)
            loss = total_loss(terms, a.vad_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
        if dist is not None:
            average_grads(dist, net, world)
        # the averaged gradient is the same on every rank, so is this decision
        grad_norm = torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip_grad)
        if not torch.isfinite(grad_norm):
            log(f"step {step}: non-finite gradient, batch skipped")
            opt.zero_grad(set_to_none=True)
            continue
        opt.step()
        quant.clip_(net)
        step += 1
        frames_seen += a.batch * a.seq * world
        for k in ("gain", "strength", "vad"):
            acc[k] += float(terms[k])
        acc["n"] += 1
        acc["frames"] += a.batch * a.seq * world
        acc["t"] += time.time() - t0

        now = time.time()
        if a.rescan_minutes > 0 and now - last_scan >= a.rescan_minutes * 60.0:
            n_new = train.add(split_dumps(a.dumps, a.val_pattern)[0])
            if n_new:
                epoch_steps = max(1, train.frames // (a.batch * a.seq))
                log(f"{n_new} new training files: {len(train.paths)} files, {len(train)} "
                    f"sequences, {train.frames} frames")
            last_scan = now
        if now - last_log >= a.log_every_s:
            n = acc["n"]
            log(f"step {step} epoch {frames_seen / train.frames:.2f} lr {lr:.2e}"
                f"{' qat' if qat else ''}: loss g {acc['gain'] / n:.5f} r {acc['strength'] / n:.5f} "
                f"vad {acc['vad'] / n:.4f}; {acc['frames'] / acc['t']:.0f} frames/s; "
                f"{(now - start_wall + elapsed_before) / 60:.1f} min")
            acc = {"gain": 0.0, "strength": 0.0, "vad": 0.0, "n": 0, "frames": 0, "t": 0.0}
            last_log = now
        if is_main and (now - last_val >= a.val_every_minutes * 60.0
                        or step % epoch_steps == 0):
            now_elapsed = elapsed_before + (now - start_wall)
            checkpoint(now_elapsed, validate(now_elapsed))
            last_val = time.time()
            last_val_step = step

    if not is_main:
        dist.destroy_process_group()
        return 0
    now_elapsed = elapsed_before + (time.time() - start_wall)
    if last_val_step != step:
        checkpoint(now_elapsed, validate(now_elapsed))
    else:
        atomic_save(torch.load(last_path, map_location="cpu") | {"elapsed": now_elapsed}, last_path)
    log(f"stopped at step {step} ({frames_seen} frames, epoch {frames_seen / train.frames:.2f}, "
        f"{now_elapsed / 60:.1f} min trained); best int8 val loss {best_val:.5f}")
    if dist is not None:
        dist.destroy_process_group()
    for w in workers:
        w.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(ARGS))
