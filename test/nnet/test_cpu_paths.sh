#!/usr/bin/env bash
# The whole CLI under every PERCEPNET_CPU value this machine has: the decoded
# output PCM (32-bit float, so no rounding to 16 bits can hide a difference)
# must have the same MD5 on every path. A level the machine lacks must be
# refused with a message and a non-zero status.
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${PERCEPNET_TEST_BIN:-./percepnet}
IN=test/data/demo_noisy.flac
if [ ! -x "$BIN" ] || [ ! -f "$IN" ]; then
  echo "ok - CLI output identical on every kernel path # SKIP $BIN or $IN not built yet"
  exit 0
fi
if ! command -v sox >/dev/null; then
  echo "ok - CLI output identical on every kernel path # SKIP sox missing"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a 3 s clip repeated with a 0.5 s gap, resampled input (44.1 kHz) to also
# run the resampler path
sox "$IN" -r 44100 "$tmp/in.wav" pad 0 0.5 repeat 1 2>/dev/null || cp "$IN" "$tmp/in.wav"
ref="" refcpu=""
for cpu in c sse4.1 avx2 avx512bw avx512 neon; do
  out="$tmp/out_$cpu.wav"
  if ! PERCEPNET_CPU=$cpu "$BIN" -q -f -e float -b 32 "$tmp/in.wav" -o "$out" 2>"$tmp/err"; then
    if grep -q "does not support\|not available\|unknown" "$tmp/err"; then
      echo "ok - PERCEPNET_CPU=$cpu # SKIP not available here: $(head -n1 "$tmp/err")"
      continue
    fi
    echo "not ok - PERCEPNET_CPU=$cpu run: $(head -n1 "$tmp/err")"
    continue
  fi
  sum=$(sox "$out" -t raw -e floating-point -b 32 - 2>/dev/null | md5sum | cut -d' ' -f1)
  echo "# PERCEPNET_CPU=$cpu md5 $sum"
  if [ -z "$ref" ]; then
    ref=$sum refcpu=$cpu
    echo "ok - PERCEPNET_CPU=$cpu output written"
  elif [ "$sum" = "$ref" ]; then
    echo "ok - PERCEPNET_CPU=$cpu output identical to $refcpu (md5 $sum)"
  else
    echo "not ok - PERCEPNET_CPU=$cpu output differs from $refcpu: $sum vs $ref"
  fi
done
# the paths must have had something to agree on: the output is not the input
insum=$(sox "$tmp/in.wav" -t raw -e floating-point -b 32 - 2>/dev/null | md5sum | cut -d' ' -f1)
if [ -n "$ref" ] && [ "$insum" != "$ref" ]; then
  echo "ok - the denoised output differs from the input"
else
  echo "not ok - the denoised output differs from the input: same md5 or no output"
fi
if PERCEPNET_CPU=bogus "$BIN" -q -f "$tmp/in.wav" -o "$tmp/bogus.wav" 2>"$tmp/err"; then
  echo "not ok - unknown PERCEPNET_CPU refused: accepted"
elif [ -s "$tmp/err" ]; then
  echo "ok - unknown PERCEPNET_CPU refused with a message"
else
  echo "not ok - unknown PERCEPNET_CPU refused: no message"
fi
