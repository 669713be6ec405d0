#!/usr/bin/env bash
# make bench-dsp: the signal chain (lib/dsp, lib/percepnet.c) without the
# network: callgrind instructions per second of 48 kHz audio inside
# pn_process_fixed() (limit 3.0e7), wall time of the chain with and without
# the network, and the oracle's SI-SDR with and without the comb filter.
# usage: run_bench.sh BENCH_DSP_BINARY
set -u
bin=$1
BUILD=${BUILD:-build}
LIMIT=30000000
CG_SECONDS=10
dir=$BUILD/bench/dsp
mkdir -p "$dir"
status=0
echo "percepnet signal-chain benchmark ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
cgout=$dir/callgrind.out
if valgrind --tool=callgrind --toggle-collect=pn_process_fixed --callgrind-out-file="$cgout" \
     "$bin" chain "$CG_SECONDS" >/dev/null 2>&1; then
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$cgout")
  per_s=$(( ir / CG_SECONDS ))
  verdict=ok
  [ "$per_s" -le "$LIMIT" ] || { verdict="OVER THE LIMIT"; status=1; }
  printf 'chain without network: %d callgrind instructions per second of audio (limit %d): %s\n' \
    "$per_s" "$LIMIT" "$verdict"
  echo "top functions (instructions over $CG_SECONDS s of audio):"
  callgrind_annotate "$cgout" 2>/dev/null | grep -E '^ *[0-9,]+ ' | grep -v 'PROGRAM TOTALS' | head -12 |
    sed 's/^/  /'
else
  echo "chain without network: valgrind not available, instruction count skipped"
fi
# wall time: the best of 3 runs over 60 s of audio (the machine may be shared)
for mode in chain full; do
  best=""
  for i in 1 2 3; do
    line=$("$bin" "$mode" 60)
    t=$(printf '%s\n' "$line" | sed -n 's/.* in \([0-9.]*\) s wall.*/\1/p')
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$t
      bestline=$line
    fi
  done
  echo "$bestline"
done
echo
echo "oracle SI-SDR on test/data/speech_48k.s16 (looped to 6 s) plus seeded noise;"
echo "'oracle r=0' forces every comb strength to 0 and uses plain band gains:"
"$bin" oracle
exit $status
