"""The training run of scripts/train/train.py, whose docstring describes the
data, the loss, the optimiser, the data-parallel mode and the outputs: dump
sets, loss, validation, checkpoints, the ranks of --procs and the loop, as
functions of train.py's parsed options. Imports torch, so train.py imports
this module only after sizing the thread pools."""
import contextlib
import datetime as dt
import glob
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import torch

from scripts.export import bands, export_model, pnm, quant
from scripts.train.model import PercepNet, NB_BANDS, NB_FEATURES_BASE, FEATURE_COUNTS
from scripts.train.model import widen_state_dict, state_features, grow_hidden, state_hidden

# Columns of a dump row after its features: gains, strengths, VAD
# (PERCEPNET_TRAIN_TARGETS, lib/percepnet_train.h).
TARGETS = 2 * NB_BANDS + 1


class Layout:
    """Columns of a dump row with nb_features features (percepnet-dump
    --features): features [0, nb_features), then gains from g0, strengths
    from r0, the VAD at v0; row floats in all."""

    def __init__(self, nb_features):
        self.features = nb_features
        self.g0 = nb_features
        self.r0 = nb_features + NB_BANDS
        self.v0 = nb_features + 2 * NB_BANDS
        self.row = nb_features + TARGETS


def targets(rows):
    """(gains, strengths, vad) columns of rows (..., features + TARGETS): the
    targets are a row's last TARGETS columns whatever its feature count."""
    lay = Layout(rows.shape[-1] - TARGETS)
    return rows[..., lay.g0:lay.r0], rows[..., lay.r0:lay.v0], rows[..., lay.v0:lay.row]


# ---------------------------------------------------------------- data
class DumpMismatch(ValueError):
    """Dump files whose rows cannot train one network."""


def dump_features(path, meta):
    """Features per row of the dump at path, from its .json (meta):
    nb_features, else the layout's feature columns, else row_floats; 70
    when the .json says none of them (dumps before the SNR features wrote
    the layout). DumpMismatch when the .json contradicts itself or names a
    count the network cannot read."""
    nf = meta.get("nb_features")
    if nf is None and "layout" in meta:
        lo, hi = meta["layout"]["features"]
        nf = hi - lo
    if nf is None and "row_floats" in meta:
        nf = int(meta["row_floats"]) - TARGETS
    nf = NB_FEATURES_BASE if nf is None else int(nf)
    if "row_floats" in meta and int(meta["row_floats"]) != nf + TARGETS:
        raise DumpMismatch(f"{path}: row_floats {meta['row_floats']} is not {nf} features "
                           f"+ {TARGETS} targets")
    if nf not in FEATURE_COUNTS:
        raise DumpMismatch(f"{path}: {nf} features per row; the network reads "
                           f"{' or '.join(map(str, FEATURE_COUNTS))}")
    return nf


class DumpSet:
    """Memory-mapped dump files of one split; sequences never cross files.
    Every file's rows hold the same number of features (self.layout; taken
    from the first file unless nb_features is given)."""

    def __init__(self, paths, nb_features=None):
        self.files = []  # (memmap rows x layout.row, frames per sequence, sequences)
        self.paths = []
        self.layout = Layout(nb_features) if nb_features is not None else None
        self.seq_counts = np.zeros(0, dtype=np.int64)
        self.frames = 0
        self.add(paths)

    def add(self, paths):
        """Adds files not yet in the set; returns how many were added.
        DumpMismatch (the files before it added) for a file whose rows hold
        another number of features than the set's."""
        added = 0
        try:
            for p in paths:
                if p in self.paths:
                    continue
                added += self._add_one(p)
        finally:
            self.seq_counts = np.array([n for _, _, n in self.files], dtype=np.int64)
            self.frames = int(sum(f * n for _, f, n in self.files))
        return added

    def _add_one(self, p):
        meta = {}
        js = os.path.splitext(p)[0] + ".json"
        if os.path.exists(js):
            with open(js) as f:
                meta = json.load(f)
        nf = dump_features(p, meta)
        if self.layout is None:
            self.layout = Layout(nf)
        elif nf != self.layout.features:
            raise DumpMismatch(f"{p}: {nf} features per row, the other dumps "
                               f"{self.layout.features}: one network trains on one count "
                               f"(percepnet-dump --features)")
        row = self.layout.row
        n_rows = os.path.getsize(p) // (4 * row)
        if n_rows == 0:
            return 0
        frames = int(meta.get("frames_per_sequence", n_rows))
        n_seq = n_rows // frames
        if n_seq == 0:
            return 0
        mm = np.memmap(p, dtype="<f4", mode="r", shape=(n_seq * frames, row))
        self.files.append((mm, frames, n_seq))
        self.paths.append(p)
        return 1

    def __len__(self):
        return int(self.seq_counts.sum()) if self.files else 0

    def random_batch(self, rng, batch, seq):
        """(batch, seq, layout.row) float32 of random windows, each inside one
        sequence."""
        w = self.seq_counts / self.seq_counts.sum()
        g0 = self.layout.g0
        out = np.empty((batch, seq, self.layout.row), dtype=np.float32)
        fidx = rng.choice(len(self.files), size=batch, p=w)
        for b, fi in enumerate(fidx):
            mm, frames, n_seq = self.files[fi]
            length = min(seq, frames)
            s = int(rng.integers(n_seq))
            o = int(rng.integers(frames - length + 1))
            start = s * frames + o
            out[b, :length] = mm[start:start + length]
            if length < seq:  # shorter sequences: pad with don't-care rows
                out[b, length:, :g0] = 0.0
                out[b, length:, g0:] = -1.0
        return out

    def sequences(self, max_frames):
        """Whole sequences in file order, up to max_frames frames in all:
        yields (frames, layout.row) arrays."""
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
# Frames after the last speech frame whose VAD errors --vad-tail-weight
# raises: 1 s, the stretch in which a held-open VAD runs labels into noise.
VAD_TAIL_FRAMES = 100


def vad_tail_mask(vt):
    """(B, T, 1) 1.0 where the VAD target is 0 and a target-1 frame of the
    same window lies at most VAD_TAIL_FRAMES frames before, else 0.0."""
    t = torch.arange(vt.shape[1], device=vt.device).view(1, -1, 1).expand_as(vt)
    speech = vt > 0.5
    last = torch.cummax(torch.where(speech, t, torch.full_like(t, -10 ** 6)), dim=1).values
    return ((vt == 0) & (t - last <= VAD_TAIL_FRAMES)).to(vt.dtype)


# Widths of the ERB bands in FFT bins (scripts/export/bands.py).
BAND_WIDTHS = torch.tensor(bands.widths(bands.edges()), dtype=torch.float32)
# Rows between a step and the frame its targets are for (PN_LOOKAHEAD,
# lib/dsp/dsp_const.h).
LOOKAHEAD = 2
# Band SDR: the error's floor relative to the window's input energy (-40 dB),
# so that noise-only windows and exact gains give a finite value.
SDR_FLOOR = 1e-4


def band_energy(rows):
    """(g, m, e) of the frames the gains of steps LOOKAHEAD.. apply to, each
    (B, T - LOOKAHEAD, 34): the target gains, 1.0 where they are valid, and
    the noisy band energy (row t's targets are for frame t - PN_LOOKAHEAD,
    whose log power is feature row t - 2, relative to the tracked level)
    times the band's width, relative to the window's loudest band (so sums
    stay finite), 0 where the target is not valid."""
    g = targets(rows[:, LOOKAHEAD:])[0]
    m = (g >= 0).to(rows.dtype)
    logp = rows[:, :-LOOKAHEAD, :NB_BANDS].clamp(-8.0, 8.0)
    logp = logp - logp.amax(dim=(1, 2), keepdim=True)
    e = m * torch.pow(10.0, 2.0 * logp) * BAND_WIDTHS
    return g.clamp(0.0, 1.0), m, e


def band_sdr(gains, rows, energy=None):
    """Per-window band-domain distortion of the gains, in dB (B,): 10 log10
    of sum (g_hat - g)^2 E over sum g^2 E, E = band_energy's noisy band
    energy, valid bands only; both sums floored at SDR_FLOOR of the window's
    input energy. Like the SI-SDR the evaluation reports (without its scale
    invariance), it weighs errors by the energy they change, so a 10 % error
    on loud speech at 30 dB SNR costs as much as it does in the output,
    where the compressive gain loss hardly sees it. energy: band_energy(rows)
    when the caller has it already."""
    gt, _, e = energy if energy is not None else band_energy(rows)
    err = ((gains[:, LOOKAHEAD:] - gt) ** 2 * e).sum(dim=(1, 2))
    sig = (gt * gt * e).sum(dim=(1, 2))
    floor = SDR_FLOOR * e.sum(dim=(1, 2)) + 1e-30
    return 10.0 * torch.log10((err + floor) / (sig + floor))


# Band ESTOI: the bands of ESTOI's range (its 1/3-octave bands span about
# 150 Hz - 4.5 kHz; these ERB bands 200 - 4550 Hz), its 384 ms segments in
# 10 ms frames, the hop between segments (frames), the share of a segment's
# frames that must hold speech (within 40 dB of the window's loudest target
# frame, ESTOI's silent-frame rule) for the segment to count.
ESTOI_BANDS = slice(2, 21)
ESTOI_SEGMENT = 38
ESTOI_HOP = 8
ESTOI_SPEECH_SHARE = 0.75


def _unit(x, dim):
    """x with its mean over dim removed and scaled to unit norm over dim."""
    x = x - x.mean(dim=dim, keepdim=True)
    return x / (x.norm(dim=dim, keepdim=True) + 1e-6)


def band_estoi(gains, rows, energy=None):
    """(score (B,), weight (B,)): ESTOI (Jensen and Taal, 2016) computed on
    band envelopes instead of its 1/3-octave spectra, between the target's
    output (amplitude g sqrt E per band and frame, E = band_energy's) and
    the network's (g_hat sqrt E): in each ESTOI_SEGMENT-frame segment, each
    band's envelope is made zero-mean and unit-norm over time, then each
    frame's band vector zero-mean and unit-norm over bands; the score is
    the mean over frames of the two outputs' frame-vector products, averaged
    over the window's speech segments (weight: how many; score 1, weight 0
    when none, as in a window shorter than a segment). Like ESTOI it ignores level and rewards keeping the
    spectro-temporal shape of speech, which the per-band gain losses do not
    see: a pause left at -20 dB inside a word costs it, a gain 3 dB low on
    a whole segment does not. energy: band_energy(rows) when the caller has
    it already."""
    if rows.shape[1] - LOOKAHEAD < ESTOI_SEGMENT:
        ones = rows.new_ones(rows.shape[0])
        return ones, 0.0 * ones
    gt, m, e = energy if energy is not None else band_energy(rows)
    amp = e[..., ESTOI_BANDS].clamp_min(0.0).sqrt()
    x = gt[..., ESTOI_BANDS] * amp
    y = gains[:, LOOKAHEAD:, ESTOI_BANDS] * amp
    power = (x * x).sum(dim=2)
    speech = (power > 1e-4 * power.amax(dim=1, keepdim=True)) & (m[..., ESTOI_BANDS].amin(dim=2) > 0)
    # (B, segments, bands, frames)
    xs = x.unfold(1, ESTOI_SEGMENT, ESTOI_HOP)
    ys = y.unfold(1, ESTOI_SEGMENT, ESTOI_HOP)
    keep = speech.to(gains.dtype).unfold(1, ESTOI_SEGMENT, ESTOI_HOP).mean(dim=2) >= ESTOI_SPEECH_SHARE
    xn = _unit(_unit(xs, 3), 2)
    yn = _unit(_unit(ys, 3), 2)
    d = (xn * yn).sum(dim=2).mean(dim=2)
    w = keep.to(gains.dtype)
    n = w.sum(dim=1)
    score = torch.where(n > 0, (d * w).sum(dim=1) / n.clamp_min(1.0), torch.ones_like(n))
    return score, n


# Quiet kept speech: band cells whose target gain is above KEEP_GAIN in frames
# whose clean level (sum over bands of g^2 E) lies QUIET_DB..SILENT_DB below
# the window's loudest frame: onsets, tails and weak consonants, which the
# evaluation's diagnosis (scripts.eval.diagnose, last table) finds attenuated
# at every SNR. ESTOI counts frames down to 40 dB below the loudest.
KEEP_GAIN = 0.7
QUIET_DB = 20.0
SILENT_DB = 40.0


def quiet_kept_mask(rows, energy=None):
    """(B, T, 34) 1.0 on the quiet kept speech cells of rows (B, T, features
    + TARGETS), row-aligned with the gains (0 in the first LOOKAHEAD rows,
    whose frames the window does not hold), else 0.0. energy:
    band_energy(rows) when the caller has it already."""
    g, m, e = energy if energy is not None else band_energy(rows)
    clean = (g * g * e).sum(dim=2, keepdim=True)
    level = 10.0 * torch.log10(clean + 1e-30)
    level = level - level.amax(dim=1, keepdim=True)
    quiet = (level < -QUIET_DB) & (level >= -SILENT_DB)
    cells = (quiet & (g > KEEP_GAIN) & (m > 0)).to(rows.dtype)
    return torch.nn.functional.pad(cells, (0, 0, LOOKAHEAD, 0))


def loss_terms(gains, strengths, vad, rows, gamma, over=0.0, vad_tail=0.0, over_comb=None,
               keep=0.0):
    """Loss terms of a batch: rows (B, T, features + TARGETS), whose last
    TARGETS columns are the targets; returns dict of
    0-d tensors: gain, strength, vad (each averaged over valid entries) and
    sdr (band_sdr, dB, mean over windows), estoi (1 - band_estoi's score,
    mean over the batch's speech segments).
    over: extra weight of over-attenuation errors, and of over-combing ones
    unless over_comb (not None) gives theirs; vad_tail:
    extra weight of VAD errors in the second after speech ends (the weights
    of those frames are 1 + vad_tail; the mean is over the weights); keep:
    further weight of over-attenuation on quiet_kept_mask's cells."""
    g, r, v = targets(rows)
    mg = (g >= 0).to(gains.dtype)
    mr = (r >= 0).to(gains.dtype)
    mv = (v >= 0).to(gains.dtype)
    eps = 1e-7
    d = gains.clamp(eps, 1.0) ** gamma - g.clamp(0.0, 1.0) ** gamma
    d_over = d.clamp(max=0.0)
    energy = band_energy(rows)
    w_over = over + keep * quiet_kept_mask(rows, energy) if keep else over
    lg = (mg * (d * d + 10.0 * d ** 4 + w_over * d_over * d_over)).sum() / mg.sum().clamp_min(1.0)
    e = (1.0 - strengths).clamp(eps, 1.0) ** gamma - (1.0 - r.clamp(0.0, 1.0)) ** gamma
    e_over = e.clamp(max=0.0)
    w_comb = over if over_comb is None else over_comb
    lr = (mr * (e * e + w_comb * e_over * e_over)).sum() / mr.sum().clamp_min(1.0)
    vp = vad.clamp(eps, 1.0 - eps)
    vt = v.clamp(0.0, 1.0)
    bce = -(vt * torch.log(vp) + (1.0 - vt) * torch.log(1.0 - vp))
    if vad_tail:
        mv = mv * (1.0 + vad_tail * vad_tail_mask(v))
    lv = (mv * bce).sum() / mv.sum().clamp_min(1.0)
    score, n = band_estoi(gains, rows, energy)
    estoi = 1.0 - (score * n).sum() / n.sum().clamp_min(1.0)
    return {"gain": lg, "strength": lr, "vad": lv, "sdr": band_sdr(gains, rows, energy).mean(),
            "estoi": estoi}


# The terms of loss_terms, as logged and validated.
TERMS = ("gain", "strength", "vad", "sdr", "estoi")


def total_loss(t, vad_weight, sdr_weight=0.0, estoi_weight=0.0):
    """The loss minimised, from loss_terms' terms (tensors or floats):
    sdr_weight per dB of band SDR, estoi_weight per unit of 1 - band ESTOI."""
    return (t["gain"] + t["strength"] + vad_weight * t["vad"] + sdr_weight * t["sdr"]
            + estoi_weight * t["estoi"])


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



def int8_weights(w):
    """w as the engine runs it: quantised to int8 and back (SwapWeights fn)."""
    return quant.fake_quant(w, noise=False).detach()


def noisy_weights(w):
    """w with uniform noise of +-1/2 quantisation step (SwapWeights fn of the
    quantisation-aware steps; draws from torch's RNG)."""
    return quant.fake_quant(w, noise=True).detach()


def batches(items, size):
    """items in lists of size (the last one shorter)."""
    chunk = []
    for x in items:
        chunk.append(x)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def evaluate(net, data, max_frames, gamma, vad_weight, over=0.0, batch=16, vad_tail=0.0,
             sdr_weight=0.0, estoi_weight=0.0, over_comb=None, keep=0.0):
    """Validation loss over whole sequences (from a zero state). Returns
    dict of floats: total, the TERMS, frames."""
    net.eval()
    sums = dict.fromkeys(TERMS, 0.0)
    n = 0
    frames = 0
    with torch.no_grad():
        for chunk in batches(data.sequences(max_frames), batch):
            rows = torch.from_numpy(np.stack(chunk))
            g, r, v, _ = net(rows[..., :net.nb_features])
            t = loss_terms(g, r, v, rows, gamma, over, vad_tail, over_comb, keep)
            for k in sums:
                sums[k] += float(t[k]) * rows.shape[0]
            n += rows.shape[0]
            frames += rows.shape[0] * rows.shape[1]
    net.train()
    out = {k: v / max(n, 1) for k, v in sums.items()}
    out["total"] = total_loss(out, vad_weight, sdr_weight, estoi_weight)
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


# ---------------------------------------------------------------- logging
class Logger:
    """Time-stamped lines to stdout and to path (train.log); path None: silent."""

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
    """A free TCP port on loopback (for the process group's rendezvous)."""
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def start_workers(a, argv):
    """Rank 0 of --procs N: picks the rendezvous port (a.dist_port) and starts
    ranks 1..N-1 as this command (argv, the options of train.py) with the
    hidden --rank and --dist-port; returns their Popen objects. They run the
    package as a module and find it as this process did (same working folder,
    same environment)."""
    a.dist_port = free_port()
    procs = []
    for rank in range(1, a.procs):
        cmd = [sys.executable, "-m", "scripts.train.train"] + list(argv) + [
            "--rank", str(rank), "--dist-port", str(a.dist_port)]
        procs.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL))
    return procs


def init_dist(a):
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{a.dist_port}",
                            rank=a.rank, world_size=a.procs,
                            timeout=dt.timedelta(minutes=30))
    return dist


def setup_parallel(a, argv):
    """--procs N > 1: rank 0 starts the other ranks, then every rank joins the
    process group. Returns (the ranks started here, torch.distributed or None
    with one process)."""
    if a.procs <= 1:
        return [], None
    workers = start_workers(a, argv) if a.rank == 0 else []
    return workers, init_dist(a)


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


# ---------------------------------------------------------------- the run
class Run:
    """One training run: the options, the process group, the data, the model
    and its optimiser, and what the loop advances (counters, clocks, the
    numpy generator of the batches). Checkpoints hold the counters and both
    generators' states."""

    def __init__(self, a, dist, log, start_wall):
        self.a = a
        self.dist = dist                # torch.distributed with --procs > 1, else None
        self.world = max(1, a.procs)
        self.is_main = a.rank == 0      # rank 0 validates, logs and saves
        self.log = log
        self.start_wall = start_wall    # time.time() at the start of this process's run
        self.last_path = os.path.join(a.out, "last.pt")
        self.train = self.val = None    # DumpSets
        self.net = self.opt = self.rng = None
        self.step = 0
        self.elapsed_before = 0.0       # training seconds of the runs resumed from
        self.frames_seen = 0
        self.best_val = float("inf")    # lowest int8 validation loss so far
        self.budget = None              # training seconds in all; None: --max-steps only
        self.stop_requested = False     # set by SIGTERM/SIGINT; rank 0's flag decides
        # the loop's schedule (set by train_loop)
        self.epoch_steps = 1
        self.last_log = self.last_val = self.last_scan = 0.0
        self.last_val_step = -1
        self.qat_logged = False
        self.skipped = set()            # dump files --rescan-minutes left out (DumpMismatch)

    def elapsed(self, now):
        """Training seconds at time.time() now, resumed runs included."""
        return self.elapsed_before + (now - self.start_wall)


class Meter:
    """Sums of the training loss terms, frames and step time since the last
    progress line."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.sums = dict.fromkeys(TERMS, 0.0)
        self.n = 0
        self.frames = 0
        self.t = 0.0

    def add(self, terms, frames, t0):
        """One step's terms and frames; its time runs from time.time() t0."""
        for k in TERMS:
            self.sums[k] += float(terms[k])
        self.n += 1
        self.frames += frames
        self.t += time.time() - t0


class StopRequest:
    """SIGTERM/SIGINT handler: the run stops after the current step (on
    ranks > 0 the flag is ignored: rank 0 decides and broadcasts)."""

    def __init__(self, run):
        self.run = run

    def __call__(self, signum, _frame):
        self.run.stop_requested = True
        self.run.log(f"signal {signum}: stopping after this step")


def load_data(a, log):
    """The (train, val) DumpSets of --dumps, logged; None when there is no
    training sequence or when the dumps' rows do not all hold the same number
    of features (logged, naming a file)."""
    train_paths, val_paths = split_dumps(a.dumps, a.val_pattern)
    try:
        train = DumpSet(train_paths)
        val = DumpSet(val_paths, train.layout.features if train.layout else None)
    except DumpMismatch as e:
        log(f"dumps do not agree: {e}")
        return None
    if len(train) == 0:
        log(f"no training dumps in {a.dumps}")
        return None
    log(f"train: {len(train_paths)} files, {len(train)} sequences, {train.frames} frames; "
        f"val: {len(val_paths)} files, {len(val)} sequences, {val.frames} frames; "
        f"{train.layout.features} features per row")
    return train, val


def build_model(a, nb_features):
    """(net, opt, rng): seeds torch (per rank) and makes the batches' numpy
    generator, then the network reading nb_features features (orthogonal GRU
    init, clipped) and its AdamW optimiser. This order of RNG use is what a
    seed reproduces."""
    torch.manual_seed(a.seed + 7919 * a.rank)
    rng = np.random.default_rng(a.seed)
    net = PercepNet(conv1=a.conv1, hidden=a.hidden, nb_features=nb_features)
    init_model(net)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, betas=(0.8, 0.98), eps=1e-8,
                            weight_decay=a.weight_decay)
    return net, opt, rng


def restore(run):
    """--init: the weights of a checkpoint or model file, unless --resume finds
    OUT/last.pt; a model reading fewer features than the dumps hold is widened
    (model.widen_state_dict: conv1's columns for the added features start at
    zero, so the run starts from the very outputs of that model), and one
    narrower than --hidden is grown (model.grow_hidden: the added units'
    outputs start at weight zero, the same outputs again). --resume:
    the whole state of last.pt (weights, optimiser, counters, RNG states).
    Returns False, logged, when the weights cannot read the dumps' features."""
    a = run.a
    nf = run.net.nb_features
    resuming = a.resume and os.path.exists(run.last_path)
    if a.init and not resuming:
        sd = init_state_dict(a.init)
        have, h0 = state_features(sd), state_hidden(sd)
        try:
            sd = widen_state_dict(sd, nf)
            run.net.load_state_dict(grow_hidden(sd, run.net.state_dict()))
        except (ValueError, RuntimeError) as e:
            run.log(f"--init {a.init}: {e} (the dumps hold {nf} features, --conv1 "
                    f"{a.conv1}, --hidden {a.hidden})")
            return False
        widened = f" ({have} features widened to {nf}, the new inputs' weights 0)" \
            if have != nf else ""
        grown = f" (width {h0} grown to {a.hidden}, the added units' outputs weighted 0)" \
            if h0 != a.hidden else ""
        run.log(f"weights initialised from {a.init}{widened}{grown}")
    if resuming:
        ck = torch.load(run.last_path, map_location="cpu")
        if state_features(ck["model"]) != nf:
            run.log(f"{run.last_path} reads {state_features(ck['model'])} features, the dumps "
                    f"hold {nf}: resume with dumps of its count")
            return False
        run.net.load_state_dict(ck["model"])
        run.opt.load_state_dict(ck["opt"])
        run.step, run.elapsed_before = ck["step"], ck["elapsed"]
        run.frames_seen, run.best_val = ck["frames_seen"], ck["best_val"]
        torch.set_rng_state(ck["torch_rng"])
        run.rng.bit_generator.state = ck["np_rng"]
        run.log(f"resumed from {run.last_path}: step {run.step}, "
                f"{run.elapsed_before / 60:.1f} min trained")
    return True


def join_ranks(run):
    """--procs N: the same weights everywhere (rank 0's); each rank its own
    batches, drawn from (seed, rank, step) so a resumed run continues
    deterministically."""
    if run.dist is not None:
        broadcast_params(run.dist, run.net)
        run.rng = np.random.default_rng([run.a.seed, run.a.rank, run.step])


def time_budget(a, elapsed_before):
    """Training seconds in all (this run and the resumed ones) that
    --budget-minutes and --deadline allow; None without either."""
    limits = []
    if a.budget_minutes:
        limits.append(a.budget_minutes * 60.0)
    if a.deadline:
        limits.append(elapsed_before + deadline_seconds(a.deadline) - a.save_margin_s)
    return min(limits) if limits else None


def progress(run, now_elapsed):
    """Fraction of the run done (0..1 and beyond): the larger of steps over
    --max-steps and time over the budget."""
    ps = []
    if run.a.max_steps:
        ps.append(run.step / run.a.max_steps)
    if run.budget:
        ps.append(now_elapsed / run.budget)
    return max(ps)


def control(run):
    """(progress, stop now) of the coming step; rank 0's on every rank."""
    p = progress(run, run.elapsed(time.time()))
    stop_now = p >= 1.0 or run.stop_requested
    if run.dist is not None:
        p, stop_now = broadcast_control(run.dist, [p, float(stop_now)])
    return p, stop_now


def set_lr(opt, lr):
    """lr for every parameter group of opt."""
    for group in opt.param_groups:
        group["lr"] = lr


def forward_backward(run, rows):
    """Loss terms of a batch, with the gradient of their total left in the
    parameters' .grad."""
    a = run.a
    g, r, v, _ = run.net(rows[..., :run.net.nb_features])
    terms = loss_terms(g, r, v, rows, a.gamma, a.over_weight, a.vad_tail_weight,
                       a.comb_over_weight, a.keep_weight)
    loss = total_loss(terms, a.vad_weight, a.sdr_weight, a.estoi_weight)
    run.opt.zero_grad(set_to_none=True)
    loss.backward()
    return terms


def optimiser_step(run):
    """run.opt.step(), with the step on conv1's weights for the features
    after the first NB_FEATURES_BASE scaled by --extra-input-lr: AdamW's step
    does not grow with the gradient, so a warm-started network whose added
    inputs start at zero opens them no faster than any other weight moves;
    the scale lets them catch up."""
    k = run.a.extra_input_lr
    if k == 1.0 or run.net.nb_features <= NB_FEATURES_BASE:
        run.opt.step()
        return
    w = run.net.conv1.weight
    before = w.detach()[:, NB_FEATURES_BASE:].clone()
    run.opt.step()
    with torch.no_grad():
        added = w[:, NB_FEATURES_BASE:]
        added.copy_(before + k * (added - before))


def train_step(run, qat):
    """One optimiser step on a random batch (qat: the gradient taken at the
    noisy weights updates the clean ones). Returns the loss terms, or None
    when the gradient was not finite and the batch was skipped."""
    a = run.a
    rows = torch.from_numpy(run.train.random_batch(run.rng, a.batch, a.seq))
    with SwapWeights(run.net, noisy_weights) if qat else contextlib.nullcontext():
        terms = forward_backward(run, rows)
    if run.dist is not None:
        average_grads(run.dist, run.net, run.world)
    # the averaged gradient is the same on every rank, so is this decision
    grad_norm = torch.nn.utils.clip_grad_norm_(run.net.parameters(), a.clip_grad)
    if not torch.isfinite(grad_norm):
        run.log(f"step {run.step}: non-finite gradient, batch skipped")
        run.opt.zero_grad(set_to_none=True)
        return None
    optimiser_step(run)
    quant.clip_(run.net)
    run.step += 1
    run.frames_seen += a.batch * a.seq * run.world
    return terms


def validate(run, now_elapsed):
    """Validation losses with the float and with the int8 weights (logged);
    None without a validation split."""
    a = run.a
    if len(run.val) == 0:
        return None
    t0 = time.time()

    def val_loss():
        return evaluate(run.net, run.val, a.val_max_frames, a.gamma, a.vad_weight,
                        a.over_weight, vad_tail=a.vad_tail_weight, sdr_weight=a.sdr_weight,
                        estoi_weight=a.estoi_weight, over_comb=a.comb_over_weight,
                        keep=a.keep_weight)
    vf = val_loss()
    with SwapWeights(run.net, int8_weights):
        vq = val_loss()
    run.log(f"val step {run.step} epoch {run.frames_seen / run.train.frames:.2f}: "
            f"float {vf['total']:.5f} "
            f"(g {vf['gain']:.5f} r {vf['strength']:.5f} vad {vf['vad']:.4f} sdr {vf['sdr']:.2f} "
            f"estoi {vf['estoi']:.4f}) "
            f"int8 {vq['total']:.5f} (g {vq['gain']:.5f} r {vq['strength']:.5f} "
            f"sdr {vq['sdr']:.2f} estoi {vq['estoi']:.4f}) "
            f"[{vf['frames']} frames, {time.time() - t0:.0f} s]")
    return {"float": vf, "int8": vq, "step": run.step, "elapsed": now_elapsed}


def checkpoint(run, now_elapsed, vres):
    """Writes ckpt-STEP.pt, best.pt when vres (validate's result) has the
    lowest int8 loss so far or there is no validation split (vres None), and
    last.pt; all atomically."""
    a = run.a
    ck = {"model": run.net.state_dict(), "opt": run.opt.state_dict(), "step": run.step,
          "elapsed": now_elapsed, "frames_seen": run.frames_seen, "best_val": run.best_val,
          "torch_rng": torch.get_rng_state(), "np_rng": run.rng.bit_generator.state,
          "config": {"conv1": a.conv1, "hidden": a.hidden, "gamma": a.gamma,
                     "nb_features": run.net.nb_features},
          "val": vres}
    atomic_save(ck, os.path.join(a.out, f"ckpt-{run.step:06d}.pt"))
    if vres is None:  # no validation split: the newest is the best known
        atomic_save(ck, os.path.join(a.out, "best.pt"))
    elif vres["int8"]["total"] < run.best_val:
        run.best_val = vres["int8"]["total"]
        ck["best_val"] = run.best_val
        atomic_save(ck, os.path.join(a.out, "best.pt"))
        run.log(f"new best (int8 val loss {run.best_val:.5f}) -> best.pt")
    atomic_save(ck, run.last_path)


def epoch_steps(run):
    """Steps of one pass over the training frames (validation at each end)."""
    return max(1, run.train.frames // (run.a.batch * run.a.seq))


def rescan(run, now):
    """--rescan-minutes: training files completed since the last look join;
    a file whose rows hold another number of features is left out (logged
    once)."""
    a = run.a
    if a.rescan_minutes > 0 and now - run.last_scan >= a.rescan_minutes * 60.0:
        n_new = 0
        for p in split_dumps(a.dumps, a.val_pattern)[0]:
            if p in run.train.paths or p in run.skipped:
                continue
            try:
                n_new += run.train.add([p])
            except DumpMismatch as e:  # keep training on the files that agree
                run.skipped.add(p)
                run.log(f"new file left out: {e}")
        if n_new:
            run.epoch_steps = epoch_steps(run)
            run.log(f"{n_new} new training files: {len(run.train.paths)} files, "
                    f"{len(run.train)} sequences, {run.train.frames} frames")
        run.last_scan = now


def log_progress(run, meter, lr, qat, now):
    """Every --log-every-s: mean losses, frames/s and minutes trained."""
    if now - run.last_log < run.a.log_every_s:
        return
    n = meter.n
    run.log(f"step {run.step} epoch {run.frames_seen / run.train.frames:.2f} lr {lr:.2e}"
            f"{' qat' if qat else ''}: loss g {meter.sums['gain'] / n:.5f} "
            f"r {meter.sums['strength'] / n:.5f} "
            f"vad {meter.sums['vad'] / n:.4f} sdr {meter.sums['sdr'] / n:.2f} "
            f"estoi {meter.sums['estoi'] / n:.4f}; "
            f"{meter.frames / meter.t:.0f} frames/s; "
            f"{(now - run.start_wall + run.elapsed_before) / 60:.1f} min")
    meter.reset()
    run.last_log = now


def maybe_validate(run, now):
    """Rank 0, every --val-every-minutes and at each epoch end: validation and
    checkpoints."""
    if run.is_main and (now - run.last_val >= run.a.val_every_minutes * 60.0
                        or run.step % run.epoch_steps == 0):
        now_elapsed = run.elapsed(now)
        checkpoint(run, now_elapsed, validate(run, now_elapsed))
        run.last_val = time.time()
        run.last_val_step = run.step


def train_loop(run):
    """Steps until the run's length is reached or a stop is requested."""
    a = run.a
    run.epoch_steps = epoch_steps(run)
    run.last_log = run.last_val = run.last_scan = time.time()
    meter = Meter()
    run.net.train()
    while True:
        p, stop_now = control(run)
        if stop_now:
            break
        lr = lr_at(p, a.lr)
        set_lr(run.opt, lr)
        qat = p >= 1.0 - a.qat_fraction
        if qat and not run.qat_logged:
            run.log(f"step {run.step}: quantisation noise on {', '.join(quant.QUANTIZED_PARAMS)}")
            run.qat_logged = True
        t0 = time.time()
        terms = train_step(run, qat)
        if terms is None:
            continue
        meter.add(terms, a.batch * a.seq * run.world, t0)
        now = time.time()
        rescan(run, now)
        log_progress(run, meter, lr, qat, now)
        maybe_validate(run, now)


def finish(run):
    """Rank 0 after the loop: validation and checkpoints unless the last step
    was just validated (then only last.pt's training time is brought up to
    date), and the closing log line."""
    now_elapsed = run.elapsed(time.time())
    if run.last_val_step != run.step:
        checkpoint(run, now_elapsed, validate(run, now_elapsed))
    else:
        atomic_save(torch.load(run.last_path, map_location="cpu") | {"elapsed": now_elapsed},
                    run.last_path)
    run.log(f"stopped at step {run.step} ({run.frames_seen} frames, "
            f"epoch {run.frames_seen / run.train.frames:.2f}, "
            f"{now_elapsed / 60:.1f} min trained); best int8 val loss {run.best_val:.5f}")


def main(a, argv):
    """The run of train.py's options a (argv: the options as given, for the
    ranks rank 0 starts). Returns the exit status: 0 after a clean stop, 2
    without training data, with dumps of different feature counts, with
    --init or --resume weights that cannot read the dumps' features, or
    without a limit on the run's length."""
    torch.set_num_threads(a.threads)
    workers, dist = setup_parallel(a, argv)
    os.makedirs(a.out, exist_ok=True)
    run = Run(a, dist, Logger(os.path.join(a.out, "train.log") if a.rank == 0 else None),
              time.time())

    data = load_data(a, run.log)
    if data is None:
        return 2
    run.train, run.val = data
    run.net, run.opt, run.rng = build_model(a, run.train.layout.features)
    if not restore(run):
        return 2
    join_ranks(run)
    n_params = sum(p.numel() for p in run.net.parameters())
    run.log(f"model conv1 {a.conv1} hidden {a.hidden}, {run.net.nb_features} features: "
            f"{n_params} parameters; "
            f"batch {a.batch} x {a.seq} frames x {run.world} processes, "
            f"threads {torch.get_num_threads()}; over-weight {a.over_weight}, "
            f"comb-over-weight {a.comb_over_weight}, "
            f"vad-weight {a.vad_weight}, vad-tail-weight {a.vad_tail_weight}, "
            f"sdr-weight {a.sdr_weight}, estoi-weight {a.estoi_weight}")

    run.budget = time_budget(a, run.elapsed_before)
    if run.budget is None and not a.max_steps:
        run.log("give --deadline, --budget-minutes or --max-steps")
        return 2
    if run.budget is not None:
        run.log(f"time budget {run.budget / 60:.1f} min in all "
                f"({(run.budget - run.elapsed_before) / 60:.1f} left)")
    stop = StopRequest(run)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    train_loop(run)
    if not run.is_main:
        dist.destroy_process_group()
        return 0
    finish(run)
    if dist is not None:
        dist.destroy_process_group()
    for w in workers:
        w.wait()
    return 0
