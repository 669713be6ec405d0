#!/usr/bin/env bash
# dump_all.sh - training and validation dumps from the prepared data.
#
#   scripts/data/dump_all.sh [DATA_DIR]
#   (default: $PERCEPNET_DATA, else data/ under the repository)
#
# Environment (defaults): TRAIN_SEQUENCES=3000 VAL_SEQUENCES=100 FRAMES=1000
#   PART=250 (sequences per part file) JOBS=2 SEED=1 VAL_SEED=1001 NICE=10
#   SRC_REV=HEAD (the commit whose lib/ computes features and targets; the
#   tool is built from a clean snapshot of it in DATA_DIR/build/src-REV)
#   DUMP_ARGS= (more percepnet-dump options for the training parts, e.g.
#   "--p-noise-tail 0.5 --p-coloured 0.35"; the validation dump keeps the
#   defaults) FEATURES=70 (features per row, 70 or 104: percepnet-dump
#   --features, for the training and the validation dumps alike, since a
#   training run needs one count in all its dumps)
#
# Reads DATA_DIR/prepared/{speech,noise}_{train,val}.{f32,tsv} (prepare.py),
# writes DATA_DIR/dumps/:
#   train_pNNN.f32 (+ .json, .seq.tsv)  sequences [NNN * PART, (NNN + 1) * PART)
#       of one dump with seed SEED; JOBS processes take alternate parts, and
#       since each sequence depends only on (seed, index) the result does not
#       depend on JOBS or on restarts
#   val.f32 (+ .json, .seq.tsv)         from the *_val split, seed VAL_SEED
#   train.list                          the train part files, one a line
#   README.txt                          this layout
#   source_rev                          the commit the tool was built from (a
#       later run at another commit extends the dump only when Makefile, lib/
#       and scripts/dump/ are the same at both)
#   train.done                          touched when everything is complete
# Restartable: a part whose .json exists is complete and skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-${PERCEPNET_DATA:-$PWD/data}}
PREP=$DATA/prepared
OUT=$DATA/dumps
TRAIN_SEQUENCES=${TRAIN_SEQUENCES:-3000}
VAL_SEQUENCES=${VAL_SEQUENCES:-100}
FRAMES=${FRAMES:-1000}
PART=${PART:-250}
JOBS=${JOBS:-2}
SEED=${SEED:-1}
VAL_SEED=${VAL_SEED:-1001}
NICE=${NICE:-10}
SRC_REV=${SRC_REV:-HEAD}
FEATURES=${FEATURES:-70}
ROW=$((FEATURES + 34 + 34 + 1))
# the option only when it is not the default, so that a snapshot older than
# it (SRC_REV) still dumps its 70
FEATURE_ARGS=""
[ "$FEATURES" = 70 ] || FEATURE_ARGS="--features $FEATURES"

for f in speech_train noise_train speech_val noise_val; do
  [ -f "$PREP/$f.f32" ] && [ -f "$PREP/$f.tsv" ] || { echo "dump_all: $PREP/$f.{f32,tsv} missing: run prepare.py" >&2; exit 1; }
done
# The tool is built from a clean snapshot of one commit (SRC_REV), not from
# the working tree: the features must come from a known state of lib/.
rev=$(git rev-parse --short "$SRC_REV")
SNAP=$DATA/build/src-$rev
# the tool's place in the snapshot: build/native/ (build/ before the build
# variants)
dump_in() { for d in "$1/build/native/percepnet-dump" "$1/build/percepnet-dump"; do
  [ -x "$d" ] && { echo "$d"; return 0; }; done; return 1; }
if ! dump_in "$SNAP" >/dev/null; then
  rm -rf "$SNAP" && mkdir -p "$SNAP"
  git archive "$rev" | tar -x -C "$SNAP"
  echo "dump_all: building percepnet-dump from $rev in $SNAP" >&2
  nice -n "$NICE" make -s -C "$SNAP" dump-tool >&2
fi
DUMP=$(dump_in "$SNAP") || { echo "dump_all: no percepnet-dump built in $SNAP" >&2; exit 1; }
mkdir -p "$OUT"
# A dump made at another commit is extended only when the dump tool's sources
# (these paths) are the same at both: then both dump the same rows. git diff
# fails too when that commit is unknown here.
src_rev=$rev
[ -f "$OUT/source_rev" ] && src_rev=$(cat "$OUT/source_rev")
if [ "$src_rev" != "$rev" ]; then
  git diff --quiet "$src_rev" "$rev" -- Makefile lib scripts/dump 2>/dev/null || {
    echo "dump_all: $OUT holds dumps of $src_rev, whose dump tool differs from $rev's: move it away first" >&2
    exit 1; }
  echo "dump_all: $OUT holds dumps of $src_rev, whose dump tool sources are $rev's: extending it" >&2
fi
echo "$src_rev" >"$OUT/source_rev"
rm -f "$OUT/train.done"

nparts=$(( (TRAIN_SEQUENCES + PART - 1) / PART ))
echo "dump_all: $TRAIN_SEQUENCES training sequences of $FRAMES frames in $nparts parts, $JOBS jobs" >&2

worker() { # worker W: parts W, W + JOBS, ...; worker 0 also does the validation dump first
  local w=$1
  if [ "$w" = 0 ] && [ ! -f "$OUT/val.json" ]; then
    # validation keeps the held-out voices as recorded (no tape-speed change)
    nice -n "$NICE" "$DUMP" --speech "$PREP/speech_val" --noise "$PREP/noise_val" --seed "$VAL_SEED" \
      --sequences "$VAL_SEQUENCES" --frames "$FRAMES" --p-speed 0 $FEATURE_ARGS --out "$OUT/val.f32" \
      2>"$OUT/val.log"
    echo "dump_all: val.f32 done" >&2
  fi
  for ((k = w; k < nparts; k += JOBS)); do
    local name; name=$(printf 'train_p%03d' "$k")
    [ -f "$OUT/$name.json" ] && continue
    local first=$((k * PART)) n=$PART
    [ $((first + n)) -gt "$TRAIN_SEQUENCES" ] && n=$((TRAIN_SEQUENCES - first))
    nice -n "$NICE" "$DUMP" --speech "$PREP/speech_train" --noise "$PREP/noise_train" --seed "$SEED" \
      --first "$first" --sequences "$n" --frames "$FRAMES" $FEATURE_ARGS ${DUMP_ARGS:-} --out "$OUT/$name.f32" \
      2>"$OUT/$name.log"
    echo "dump_all: $name done ($(tail -n 1 "$OUT/$name.log" | sed 's/.* in //'))" >&2
  done
}

pids=()
for ((w = 0; w < JOBS; w++)); do worker "$w" & pids+=($!); done
fail=0
for p in "${pids[@]}"; do wait "$p" || fail=1; done
[ "$fail" = 0 ] || { echo "dump_all: a dump process failed (see $OUT/*.log)" >&2; exit 1; }

: >"$OUT/train.list.tmp"
rows=0
for ((k = 0; k < nparts; k++)); do
  name=$(printf 'train_p%03d' "$k")
  echo "$OUT/$name.f32" >>"$OUT/train.list.tmp"
  rows=$((rows + $(sed -n 's/^  "rows": \([0-9]*\),/\1/p' "$OUT/$name.json")))
done
mv "$OUT/train.list.tmp" "$OUT/train.list"
vrows=$(sed -n 's/^  "rows": \([0-9]*\),/\1/p' "$OUT/val.json")

cat >"$OUT/README.txt" <<README
percepnet training dumps (written by scripts/data/dump_all.sh with percepnet-dump built
from commit $src_rev, see source_rev; the features and targets are those of lib/ at that
commit: dump again after changes to the signal chain's features or targets)

Files
  train_pNNN.f32   training rows; part NNN holds sequences [NNN*$PART, (NNN+1)*$PART)
                   of one dump with seed $SEED (train.list lists them in order)
  val.f32          validation rows from the held-out speakers and noises (*_val
                   split of prepare.py), seed $VAL_SEED
  *.json           per file: row_floats, nb_features, layout, frames_per_sequence, sequences,
                   rows, seed, corpora, augmentation options
  *.seq.tsv        per sequence: kind (0 speech+noise, 1 clean only, 2 noise only),
                   noise kind bits (1 real, 2 babble, 4 coloured, 8 hum, 16 fan),
                   SNR dB, peak level dBFS, band_limit_hz, low-pass cutoff, RT60 s,
                   clipped samples, 16-bit quantised, rows with vad = 1, direct-path
                   target (dereverb), noise-only tail s, talker's tape speed
  train.done       present when every file above is complete

Row layout: $ROW little-endian float32 per row ($FEATURES features + 69 targets)
  [0, $FEATURES)     the first $FEATURES features of step t (lib/dsp/net_features.h)
  [$FEATURES, $((FEATURES + 34)))   gains g_b of output frame t-2, in [0, 1]
  [$((FEATURES + 34)), $((FEATURES + 68)))  comb strengths r_b of output frame t-2, in [0, 1]
  [$((FEATURES + 68))]       vad of frame t-2: 1 speech, 0 none
  -1 in any target = don't care (band above the speech's bandwidth or silent;
  vad unsure). Leave those out of the loss.
Sequences: $FRAMES consecutive rows each (10 ms steps, $((FRAMES / 100)) s); a file of S
  sequences is an array [S, $FRAMES, $ROW]. The recurrent state should start
  from zero at each sequence start.

Totals: $rows training rows ($(awk "BEGIN{printf \"%.2f\", $rows / 360000}") h of mixtures), $vrows validation rows.
README
touch "$OUT/train.done"
echo "dump_all: done: $rows training rows, $vrows validation rows in $OUT" >&2
