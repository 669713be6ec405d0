#!/usr/bin/env bash
# bench_train.sh - frames/s of the real training step (scripts/train/train.py:
# data loading from memory-mapped dumps, forward, loss, backward, AdamW, the
# quantisation-noise pass) for the shipped network size, with one process and
# with one process per core (--procs 2, gradients averaged over gloo).
#
#   scripts/bench_train/bench_train.sh [STEPS]      (default 60 steps a run)
#
# The dump is made by $PERCEPNET_DUMP (default build/native/percepnet-dump)
# from the dump test's synthetic corpus (test/dump/make_corpus.py): the
# content does not change the cost.
# Each run trains STEPS steps from the shipped model's size with the last
# half under quantisation noise (--qat-fraction 0.5) and reports the median
# of the frames/s lines train.py logs (every 5 s). Run it with the cores idle.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-60}
PY=${PYTHON:-/usr/bin/python3}
DUMP=${PERCEPNET_DUMP:-build/native/percepnet-dump}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$PY" test/dump/make_corpus.py "$T/corpus" >/dev/null
mkdir -p "$T/dumps"
"$DUMP" --speech "$T/corpus/speech_train" --noise "$T/corpus/noise_train" \
  --sequences 40 --frames 1000 --out "$T/dumps/train_p000.f32" 2>/dev/null
"$DUMP" --speech "$T/corpus/speech_val" --noise "$T/corpus/noise_val" \
  --sequences 4 --frames 1000 --out "$T/dumps/val.f32" 2>/dev/null
printf '| processes | threads each | batch each | frames/s (median) |\n| --- | --- | --- | --- |\n'
for procs in 1 2; do
  out=$T/run$procs
  "$PY" -m scripts.train.train --dumps "$T/dumps" --out "$out" --procs "$procs" \
    --max-steps "$STEPS" --qat-fraction 0.5 --log-every-s 5 --val-every-minutes 1000 \
    --val-max-frames 4000 >/dev/null 2>&1
  fps=$(sed -n 's/.*; \([0-9]*\) frames\/s;.*/\1/p' "$out/train.log" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }')
  printf '| %d | 1 | 16 x 500 frames | %s |\n' "$procs" "$fps"
done
