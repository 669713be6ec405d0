#!/usr/bin/env bash
# Nothing erased, nothing damaged, with the built-in model: speech under
# loud, fast-modulated broadband noise at -5 dB SNR keeps its energy, and
# clean and 30 dB SNR inputs, and a vowel held at a steady pitch in clean
# speech, come out nearly untouched
# (scripts/eval/check_erased.py has the thresholds; its TAP lines are this
# test's). PERCEPNET_TEST_BIN overrides the binary (default ./percepnet).
set -u
cd "$(dirname "$0")/../.." || exit 1
"${PYTHON:-/usr/bin/python3}" -m scripts.eval.check_erased --percepnet "${PERCEPNET_TEST_BIN:-./percepnet}"
