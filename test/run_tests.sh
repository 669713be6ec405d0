#!/usr/bin/env bash
# Runs every test program or script given as an argument, echoes its output,
# counts "ok"/"not ok" lines and prints "N passed, N failed" last. A program
# that exits non-zero without reporting a failure counts as one failure.
set -u
PYTHON=${PYTHON:-/usr/bin/python3}
# The one place the tests' Python path is set: the repository root, so that
# tests (and the programs they start) import the project as the package
# `scripts` (`from scripts.export import pnm`, `python3 -m scripts.train.train`),
# and test/cli for the CLI tests' shared helper `clitest`. A Python test is
# run on its own through this script: test/run_tests.sh test/nnet/test_quant.py
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PYTHONPATH="$ROOT:$ROOT/test/cli${PYTHONPATH:+:$PYTHONPATH}"
passed=0 failed=0
for t in "$@"; do
  echo "# $t"
  case "$t" in
    *.py) out=$("$PYTHON" "$t" 2>&1); rc=$? ;;
    *.sh) out=$(bash "$t" 2>&1); rc=$? ;;
    *) out=$("$t" 2>&1); rc=$? ;;
  esac
  printf '%s\n' "$out"
  p=$(printf '%s\n' "$out" | grep -c '^ok ') || true
  f=$(printf '%s\n' "$out" | grep -c '^not ok ') || true
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "not ok - $t exited with status $rc"
    f=1
  fi
  passed=$((passed + p)); failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
