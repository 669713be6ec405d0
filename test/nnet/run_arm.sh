#!/usr/bin/env bash
# make test-arm: runs the aarch64 builds of the engine tests under qemu-user
# and compares the network's outputs on aarch64 (NEON and C paths) with the
# x86 build's on the same input. Stated tolerance: |difference| <= 1e-5
# per output. Expected and checked separately: bit-identical, because the
# int8 sums are exact on every path and all float code is plain IEEE-754
# single precision (+, -, *, / only, -ffp-contract=off, no libm calls).
# usage: run_arm.sh ARM_RUNNER X86_RUNNER ARM_TEST_BINARY...
set -u
QEMU=${ARM_QEMU:-qemu-aarch64 -L /usr/aarch64-linux-gnu}
PYTHON=${PYTHON:-/usr/bin/python3}
arm_runner=$1 x86_runner=$2
shift 2
passed=0 failed=0
count() {
  printf '%s\n' "$1"
  p=$(printf '%s\n' "$1" | grep -c '^ok ') || true
  f=$(printf '%s\n' "$1" | grep -c '^not ok ') || true
  passed=$((passed + p)); failed=$((failed + f))
}
for t in "$@"; do
  echo "# $t (qemu-aarch64)"
  out=$($QEMU "$t" 2>&1); rc=$?
  count "$out"
  if [ "$rc" -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok '; then
    count "not ok - $t exited with status $rc"
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" - "$tmp/feat.f32" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(3)
f = (rng.standard_normal((300, 70)) * 3.0).astype("<f4")
f[:, 35:] = rng.uniform(0, 1, (300, 35))
f.tofile(sys.argv[1])
PY
"$x86_runner" weights/default_model.pnm "$tmp/feat.f32" "$tmp/x86.f32" c
for cpu in neon c; do
  if ! $QEMU "$arm_runner" weights/default_model.pnm "$tmp/feat.f32" "$tmp/arm_$cpu.f32" "$cpu"; then
    count "not ok - aarch64 $cpu run failed"
    continue
  fi
  res=$("$PYTHON" - "$tmp/x86.f32" "$tmp/arm_$cpu.f32" <<'PY'
import sys
import numpy as np
a = np.fromfile(sys.argv[1], dtype="<f4")
b = np.fromfile(sys.argv[2], dtype="<f4")
if a.size != b.size or a.size == 0:
    print("size", a.size, b.size)
else:
    print(float(np.abs(a - b).max()), int(np.count_nonzero(a.view("<u4") != b.view("<u4"))), a.size)
PY
)
  set -- $res
  if [ "$1" = size ]; then
    count "not ok - aarch64 $cpu outputs vs x86: output sizes differ ($res)"
    continue
  fi
  ok=$("$PYTHON" -c "print(1 if $1 <= 1e-5 else 0)")
  if [ "$ok" = 1 ]; then
    count "ok - aarch64 $cpu path vs x86 c path: max |diff| $1 <= 1e-5 over $3 outputs"
  else
    count "not ok - aarch64 $cpu path vs x86 c path: max |diff| $1 > 1e-5"
  fi
  if [ "$2" = 0 ]; then
    count "ok - aarch64 $cpu path bit-identical to x86 ($3 outputs)"
  else
    count "not ok - aarch64 $cpu path bit-identical to x86: $2 of $3 outputs differ"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
