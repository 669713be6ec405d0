"""Trains scripts/train/model.py's PercepNet on dumps of percepnet-dump.

From the repository root (scripts/train/launch.sh does this):

  nohup nice /usr/bin/python3 -m scripts.train.train \
      --dumps data/dumps --out data/models/run1 \
      --deadline 06:35 [--budget-minutes 60] [--resume] > /dev/null 2>&1 &

Data: every DIR/*.f32 next to a FILE.json written by percepnet-dump (rows of
N + 69 float32: N features, 34 gains, 34 strengths, 1 VAD; -1 = don't care;
sequence k = rows [k*F, (k+1)*F), F = "frames_per_sequence"). N is the
.json's nb_features (percepnet-dump --features: 70, or 104 with the band SNR
features; dumps without the field hold 70); every dump of a run, training
and validation, must hold the same N (else the run stops with exit status 2
and says which file differs), and the network reads N features. Files whose
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
  VAD        binary cross-entropy, weight --vad-weight; its frames in the
             second after speech ends weigh 1 + --vad-tail-weight (a VAD
             held open there runs --vad-labels into the noise)
each term averaged over its valid entries. W = --over-weight costs
over-attenuation (a gain below its target) and over-combing (a strength
above its target) more than the opposite errors: removing speech is worse for
a listener than leaving a little noise (PercepNet+'s over-attenuation term
argues the same). --comb-over-weight sets the strengths' W apart: the same
W pushes the strengths below their targets (at W 6, 0.10 against the
oracle's 0.31 in speech at -5 dB SNR, scripts.eval.diagnose). Quiet kept
speech (cells whose target is above 0.7 in frames 20-40 dB below the
window's loudest: onsets, tails, weak consonants; trainer.quiet_kept_mask)
weighs W + --keep-weight: such cells are few, so the mean hardly sees them,
and the diagnosis finds them attenuated at every SNR.
  band SDR   per window, 10 log10(sum (g_hat - g)^2 E / sum g^2 E) in dB,
             E = the noisy band power the gains apply to (trainer.band_sdr),
             weight --sdr-weight per dB: the compressive terms hardly see
             a 10 % gain error on loud speech, which costs near-clean input
             its SI-SDR; this term weighs errors by the energy they change.
  band ESTOI 1 - ESTOI computed on the band envelopes of the target's and
             the network's outputs over 384 ms speech segments
             (trainer.band_estoi), weight --estoi-weight: level-blind, it
             costs what smears the spectro-temporal shape of speech (noise
             left between syllables, gains that lag), which decides
             intelligibility.

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
new run from a checkpoint's weights only. A --init model reading 70 features
starts a network of 104 with conv1's weights for the 34 added inputs at zero
(scripts/train/model.py widen_state_dict), and one narrower than --hidden
is grown to it with the added units' outputs weighted 0 (grow_hidden): either
way the new run begins with the old model's outputs exactly. The run stops cleanly
(saves, exit status 0) at --deadline (HH:MM UTC, today or tomorrow),
after --budget-minutes of training, after --max-steps, or on SIGTERM/SIGINT.

The run's code is scripts/train/trainer.py; this module parses the options
and sizes the thread pools before torch is imported.
"""
import argparse
import os
import sys

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
    ap.add_argument("--comb-over-weight", type=float, default=None,
                    help="extra cost of over-combing alone (default: --over-weight)")
    ap.add_argument("--keep-weight", type=float, default=0.0,
                    help="further cost of over-attenuating quiet kept speech (see the loss)")
    ap.add_argument("--sdr-weight", type=float, default=0.0,
                    help="weight of the band SDR term, per dB (see the loss)")
    ap.add_argument("--estoi-weight", type=float, default=0.0,
                    help="weight of the band ESTOI term (see the loss)")
    ap.add_argument("--vad-tail-weight", type=float, default=0.0,
                    help="extra weight of VAD errors in the second after speech")
    ap.add_argument("--extra-input-lr", type=float, default=1.0,
                    help="multiplier of the learning rate of conv1's weights on the "
                    "features after the first 70 (the band SNR inputs), so that a "
                    "warm-started network opens them faster")
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
                    "start afresh (warm start, e.g. after a feature change); a model of 70 "
                    "features starts a 104-feature network with zero weights on the added "
                    "inputs")
    return ap.parse_args(argv)



def size_thread_pools(threads):
    """Thread counts of OpenMP and OpenBLAS, unless the environment sets them;
    read when numpy and torch load, so set before trainer is imported."""
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))


def main(argv=None):
    """Trains with the options argv (default: the command line's); returns
    the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    a = parse_args(argv)
    size_thread_pools(a.threads)
    from scripts.train import trainer  # loads numpy and torch: after size_thread_pools
    return trainer.main(a, argv)


if __name__ == "__main__":
    sys.exit(main())
