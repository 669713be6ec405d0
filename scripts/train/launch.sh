#!/bin/sh
# launch.sh - waits until the training dumps are complete, then runs
# scripts/train/train.py in the background (nohup, nice) and returns.
#
#   scripts/train/launch.sh DUMPS_DIR OUT_DIR [train.py options...]
#   e.g. scripts/train/launch.sh data/dumps data/models/run1 --deadline 06:35
#
# Completion is DUMPS_DIR/train.done (scripts/data/dump_all.sh touches it).
# Polls every 30 s and prints the time while waiting. The training log is
# OUT_DIR/train.log; its stdout/stderr go to OUT_DIR/train.out.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 DUMPS_DIR OUT_DIR [train.py options...]" >&2; exit 1; }
DUMPS=$1 OUT=$2
shift 2
cd "$(dirname "$0")/../.."
make -s train-deps  # installs the packages training needs, if missing
while [ ! -f "$DUMPS/train.done" ]; do
  echo "launch: $(date -u +%H:%M:%S) waiting for $DUMPS/train.done" >&2
  sleep 30
done
mkdir -p "$OUT"
nohup nice -n 5 /usr/bin/python3 -m scripts.train.train --dumps "$DUMPS" --out "$OUT" "$@" \
  > "$OUT/train.out" 2>&1 < /dev/null &
echo "launch: $(date -u +%H:%M:%S) training started, pid $!, log $OUT/train.log" >&2
