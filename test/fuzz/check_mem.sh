#!/usr/bin/env bash
# check_mem.sh - `make check-mem` (see test/fuzz/check_mem.mk).
#  1. runs `make san-test`: the suite built as the san variant (clang,
#     -fsanitize=address,undefined, in $BUILD/san beside the native build);
#     every sanitizer report goes to a log file, and any log file fails the
#     run;
#  2. runs the regular ./percepnet under valgrind memcheck on a few inputs
#     (formats, rates, channels, stdin, parallel jobs, every side output).
# Prints TAP lines and "check-mem: N passed, N failed"; exits non-zero on
# any failure.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
build=${BUILD:-build}
cm=$root/$build/check-mem
reports=$cm/reports
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1: $2"; fail=$((fail + 1)); }

# ---- 1. the suite under ASan + UBSan
mkdir -p "$reports"
rm -f "$reports"/*
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$root/test/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
log=$cm/suite.log
nice make BUILD="$build" san-test >"$log" 2>&1
rc=$?
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
nrep=$(find "$reports" -type f | wc -l)
# two verdicts: the sanitizers' (any report fails) and the suite's own
if [ "$nrep" -eq 0 ] && [ -n "$summary" ]; then
  ok "ASan+UBSan: no report from any test program or percepnet run"
else
  for f in $(find "$reports" -type f | head -n 5); do grep -a -m1 -E 'ERROR|runtime error' "$f"; done
  why="$nrep report(s) in $reports"
  [ -n "$summary" ] || why="$why; the suite did not finish, see $log"
  notok "ASan+UBSan" "$why"
fi
if [ "$rc" -eq 0 ]; then
  ok "test suite built with ASan+UBSan: $summary"
else
  grep '^not ok' "$log" | head -n 20 | sed 's/^/#   /'
  notok "test suite built with ASan+UBSan" "make exit $rc, ${summary:-no summary} (log: $log)"
fi
unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

# ---- 2. valgrind memcheck of ./percepnet
vg() { # name, expected exit status, percepnet args... (stdin from the caller)
  local name=$1 want=$2
  shift 2
  local vlog=$cm/valgrind-$name.log
  valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --log-file="$vlog" ./percepnet -q -f "$@" \
    >/dev/null 2>"$cm/stderr-$name.txt"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    notok "valgrind $name" "exit $rc, expected $want (99 = memcheck errors), see $vlog"
  elif [ -s "$vlog" ]; then
    notok "valgrind $name" "messages in $vlog"
  else
    ok "valgrind $name"
  fi
}
in=$cm/in out=$cm/out
rm -rf "$in" "$out"
mkdir -p "$in" "$out"
sp=test/data/speech_48k.s16
sox -q -t raw -r 48000 -e signed -b 16 -c 1 "$sp" -t wav "$in/speech_mono48.wav" trim 0 2
sox -q -t raw -r 48000 -e signed -b 16 -c 1 "$sp" -r 44100 -c 2 -b 24 "$in/speech_stereo44.flac" trim 0 1.5
sox -q -t raw -r 48000 -e signed -b 16 -c 1 "$sp" -r 8000 -e floating-point -b 32 "$in/speech_8k_float.wav" trim 0 1.5
sox -q -n -r 16000 -c 1 -b 16 "$in/noise16.wav" synth 1 whitenoise vol 0.3
vg mono48 0 "$in/speech_mono48.wav" -o "$out/a.wav" --report "$out/a.json" --md5 </dev/null
vg stereo44_linked 0 "$in/speech_stereo44.flac" -o "$out/b.flac" --channels linked \
  --dump-gains "$out/b.tsv" --dump-pitch "$out/b_pitch.npy" --residual "$out/b_res.flac" </dev/null
vg float8k_resample 0 "$in/speech_8k_float.wav" -o "$out/c.wav" -r 48000 --resample-quality best \
  --vad-labels "$out/c.txt" </dev/null
vg batch_jobs2 0 -j 2 -O "$out" "$in/noise16.wav" "$in/speech_mono48.wav" </dev/null
vg raw_stdin 0 --raw-rate 48000 --raw-channels 1 --raw-encoding signed -o "$out/d.wav" - <"$sp"
vg oracle 0 --oracle "$in/speech_mono48.wav" "$in/speech_mono48.wav" -o "$out/e.wav" </dev/null
# raw PCM without --raw-*: the error path, exit 2, must not leak either
vg bad_input 2 "$sp" -o "$out/f.wav" </dev/null
echo "check-mem: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
