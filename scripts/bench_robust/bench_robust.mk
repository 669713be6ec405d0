# scripts/bench_robust: a long stream (BENCH_LONG_HOURS, default 10 h of
# 44.1 kHz audio generated on the fly, piped through stdin) processed with
# constant memory and no drift in alignment (bench_long.py).
BENCH_LONG_HOURS ?= 10
BENCH_STEPS += bench-robust-long
.PHONY: bench-robust-long
bench-robust-long: percepnet
	nice $(PYTHON) -m scripts.bench_robust.bench_long $(BENCH_LONG_HOURS)
