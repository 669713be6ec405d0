#!/usr/bin/env bash
# make bench-nnet: speed of the int8 engine, one table per model with, per
# kernel path, callgrind instructions per network step (inside pn_net_run)
# and wall time per step; then the AVX-512 VNNI matrix-vector rate against
# the core's peak. Models: the built-in one and a seeded random one of about
# 1M weights (conv1 128, hidden 264), exported by scripts/export.
# Wall times are the fastest 10-step chunk of 10 passes (the machine may be
# shared); cost at 100 steps/s = wall time per step x 100 / 1 s.
# usage: run_bench.sh BENCH_NNET_BINARY
set -u
bin=$1
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
dir=$BUILD/bench/nnet
mkdir -p "$dir"
m1=$dir/model_1m.pnm
if [ ! -f "$m1" ] || [ scripts/export/export_model.py -nt "$m1" ] || [ scripts/export/quant.py -nt "$m1" ]; then
  nice "$PYTHON" -m scripts.export.export_model --random-seed 1 --conv1 128 --hidden 264 -o "$m1" >/dev/null || exit 1
fi
CG_FRAMES=200
echo "percepnet engine benchmark ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores)"
for model in default "$m1"; do
  echo
  echo "model $model: $("$bin" info "$model")"
  printf '%-12s %16s %14s %18s\n' path "instr/step" "wall us/step" "% core @100/s"
  for cpu in c sse4.1 avx2 avx512bw avx512; do
    if ! "$bin" count "$model" "$cpu" 1 2>/dev/null; then
      printf '%-12s %16s\n' "$cpu" "not available on this machine"
      continue
    fi
    frames=2000
    [ "$cpu" = c ] && frames=300
    wall=$("$bin" time "$model" "$cpu" "$frames")
    cgout=$dir/callgrind.$cpu.out
    if valgrind --tool=callgrind --toggle-collect=pn_net_run --callgrind-out-file="$cgout" \
         "$bin" count "$model" "$cpu" "$CG_FRAMES" >/dev/null 2>&1; then
      ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$cgout")
      irs=$(( ir / CG_FRAMES ))
    else
      irs="n/a (valgrind)"
    fi
    pct=$(awk -v w="$wall" 'BEGIN {printf "%.3f", w / 100.0}')
    printf '%-12s %16s %14s %18s\n' "$cpu" "$irs" "$wall" "$pct"
  done
done
echo
echo "(valgrind 3.19 does not emulate AVX-512, so under callgrind the avx512"
echo " paths are refused; their instruction counts are n/a)"
echo
"$bin" kernel default
echo
"$bin" kernel "$m1"
