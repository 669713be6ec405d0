#!/usr/bin/env bash
# The fuzz harnesses in CI: each for FUZZ_SMOKE_SECONDS (default 30) s, two
# at a time (about 60 s of wall time for the three), from the seed corpora.
# FUZZ_SMOKE_SECONDS=0 skips (make check-mem, which runs the suite itself
# under the sanitizers).
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SMOKE_SECONDS:-30}
if [ "$secs" -eq 0 ]; then
  echo "ok - fuzz smoke # SKIP FUZZ_SMOKE_SECONDS=0"
  exit 0
fi
FUZZ_BIN_DIR=${FUZZ_BIN_DIR:-build/fuzz} FUZZ_SEED=${FUZZ_SEED:-1} \
  test/fuzz/run_fuzz.sh "$secs" 2 model_load frames cli_input
