#!/usr/bin/env bash
# bench_throughput.sh [N_FILES MIN_S MAX_S RUNS] - throughput of percepnet
# on a mix of formats and rates (make_corpus.sh; default 6 files, one per
# format, of 5-20 s; 3 runs). For -j 1 and -j 2 it prints the median of RUNS
# runs of the wall time and of the CPU time (user + system, all threads), the
# files/hour per core that the CPU time gives, and the load average while it
# ran. CPU time is what a core spends on the files whatever else runs;
# wall time on a busy machine also holds the waits for a core.
# BENCH_CALLGRIND=1 adds the callgrind instruction count of each file
# (independent of the load; needs valgrind). PERCEPNET: the binary to measure
# (default the one built here). BENCH_KEEP=1 keeps the work folder.
set -eu
n=${1:-6} min_s=${2:-5} max_s=${3:-20} runs=${4:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${PERCEPNET:-$root/percepnet}
work=$(mktemp -d /tmp/percepnet-bench.XXXXXX)
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
"$root/scripts/scaleout/make_corpus.sh" "$work/corpus" "$n" "$min_s" "$max_s" > "$work/list.txt"
audio=$(soxi -D "$work"/corpus/* 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s }')
echo "corpus: $n files, $audio s of audio (make_corpus.sh $n $min_s $max_s)"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
TIMEFORMAT='%R %U %S'
for j in 1 2; do
  : > "$work/times"
  for ((r = 0; r < runs; r++)); do
    rm -rf "$work/out"
    mkdir "$work/out"
    { time "$bin" -q -j "$j" -O "$work/out" --files-from "$work/list.txt"; } 2>> "$work/times"
  done
  wall=$(awk '{ print $1 }' "$work/times" | median)
  cpu=$(awk '{ print $2 + $3 }' "$work/times" | median)
  awk -v j="$j" -v w="$wall" -v c="$cpu" -v n="$n" -v a="$audio" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v all="$(awk '{ printf "%s/%.2f ", $1, $2 + $3 }' "$work/times")" \
    'BEGIN { printf "-j %d: wall %.2f s, CPU %.2f s (medians; runs wall/CPU: %s)\n", j, w, c, all
             printf "      %.0f files/h per core (CPU), %.0fx real time per core; %.0f files/h wall; load average %s\n",
                    3600 * n / c, a / c, 3600 * n / w, l }'
done
[ -n "${BENCH_CALLGRIND:-}" ] || exit 0
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
