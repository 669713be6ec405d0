#!/usr/bin/env bash
# run_fuzz.sh SECONDS PARALLEL NAME... - runs each libFuzzer harness
# $FUZZ_BIN_DIR/fuzz_NAME for SECONDS seconds (at most PARALLEL at a time,
# under nice) on a working corpus seeded from test/fuzz/corpus/NAME, and
# prints "ok - fuzz NAME: ..." or "not ok - fuzz NAME: ..." per harness.
# Crash inputs are kept in $FUZZ_BIN_DIR/artifacts/NAME/; the logs of a run
# in a directory of their own, $FUZZ_BIN_DIR/logs/run.XXXXXX/NAME.log (runs
# may overlap: several `make test` at once), removed when every harness
# passed unless FUZZ_KEEP_LOGS=1. FUZZ_SEED (default 1) makes the mutation
# sequence repeatable.
set -u
cd "$(dirname "$0")/../.."
secs=$1 par=$2
shift 2
bin_dir=${FUZZ_BIN_DIR:-build/fuzz}
seed=${FUZZ_SEED:-1}
mkdir -p "$bin_dir/logs"
logs=$(mktemp -d "$bin_dir/logs/run.XXXXXX") || exit 1

run_one() {
  local name=$1 bin=$bin_dir/fuzz_$1 work=$bin_dir/corpus/$1 art=$bin_dir/artifacts/$1/
  local log=$logs/$1.log
  mkdir -p "$work" "$art"
  if [ ! -x "$bin" ]; then
    echo "not ok - fuzz $name: $bin not built (make fuzz-build)"
    return
  fi
  # -rss_limit_mb: a leak or a runaway allocation fails the run;
  # -timeout: one input taking > 20 s is a hang
  LSAN_OPTIONS="suppressions=$PWD/test/fuzz/lsan.supp:print_suppressions=0" \
    nice -n 10 "$bin" -max_total_time="$secs" -seed="$seed" -timeout=20 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$art" \
    "$work" "test/fuzz/corpus/$name" >"$log" 2>&1
  local rc=$?
  local runs cov
  # -a: the log quotes mutated bytes
  runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -a -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*')
  if [ "$rc" -eq 0 ] && ! grep -a -q -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    echo "ok - fuzz $name: ${secs} s, ${runs:-?} runs, ${cov:-?} edges covered, no crash"
  else
    local what
    what=$(grep -a -m1 -E 'ERROR: |runtime error:|SUMMARY:' "$log")
    echo "not ok - fuzz $name: exit $rc after ${secs} s: ${what:-see $log}; inputs in $art, log $log"
  fi
}

pids=() names=()
for name in "$@"; do
  run_one "$name" >"$logs/$name.result" &
  pids+=($!)
  names+=("$name")
  if [ "${#pids[@]}" -ge "$par" ]; then
    wait "${pids[0]}"
    cat "$logs/${names[0]}.result"
    pids=("${pids[@]:1}") names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}"
  cat "$logs/${names[$i]}.result"
done
if ! grep -q '^not ok' "$logs"/*.result && [ "${FUZZ_KEEP_LOGS:-0}" != 1 ]; then
  rm -rf "$logs"
fi
