#!/usr/bin/env bash
# bench_throughput.sh [N_FILES MIN_S MAX_S RUNS] - throughput of percepnet
# on a mix of formats and rates (make_corpus.sh; default 12 files of 5-30 s,
# 3 runs). Prints, for -j 1 and -j 2 on this machine, the median wall time of
# RUNS runs, files/hour and files/hour per core, and the machine's load
# average while it ran (other work on the machine slows every figure); then
# the callgrind instruction count of each file (-j 1, one run: independent of
# the load), as instructions per file and per second of audio.
# Needs sox and valgrind. BENCH_KEEP=1 keeps the work folder.
set -eu
n=${1:-12} min_s=${2:-5} max_s=${3:-30} runs=${4:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/percepnet
work=$(mktemp -d /tmp/percepnet-bench.XXXXXX)
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
"$root/scripts/scaleout/make_corpus.sh" "$work/corpus" "$n" "$min_s" "$max_s" > "$work/list.txt"
audio=$(soxi -D "$work"/corpus/* 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s }')
echo "corpus: $n files, $audio s of audio (make_corpus.sh $n $min_s $max_s)"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for j in 1 2; do
  : > "$work/times"
  for ((r = 0; r < runs; r++)); do
    rm -rf "$work/out"
    mkdir "$work/out"
    t0=$(date +%s.%N)
    "$bin" -q -j "$j" -O "$work/out" --files-from "$work/list.txt"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc >> "$work/times"
  done
  med=$(median < "$work/times")
  load=$(cut -d' ' -f1 /proc/loadavg)
  awk -v j="$j" -v t="$med" -v n="$n" -v a="$audio" -v l="$load" -v all="$(tr '\n' ' ' < "$work/times")" \
    'BEGIN { printf "-j %d: median %.2f s (runs: %s), %.0f files/h, %.0f files/h per core, %.0fx real time; load average %s\n",
             j, t, all, 3600 * n / t, 3600 * n / t / j, a / t, l }'
done
echo "callgrind instructions per file (-j 1):"
total=0
while read -r f; do
  rm -f "$work/cg.out"
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" -q -f \
    -o "$work/cg.$(basename "$f")" "$f" 2> "$work/cg.log"
  ir=$(awk '/^summary:/ { print $2 }' "$work/cg.out")
  secs=$(soxi -D "$f" 2>/dev/null)
  total=$((total + ir))
  printf '  %-14s %6.1f s  %s  %.3g instructions  %.3g per second of audio\n' "$(basename "$f")" \
    "$secs" "$(soxi -t "$f" 2>/dev/null) $(soxi -r "$f" 2>/dev/null) Hz $(soxi -c "$f" 2>/dev/null) ch" \
    "$ir" "$(echo "$ir / $secs" | bc -l)"
done < "$work/list.txt"
echo "$total" "$audio" "$n" | awk '{ printf "  all: %.4g instructions, %.3g per file, %.3g per second of audio\n", $1, $1 / $3, $1 / $2 }'
