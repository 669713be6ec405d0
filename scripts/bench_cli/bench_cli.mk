# scripts/bench_cli/bench_cli.mk - CLI benchmarks for `make bench`:
# instruction split decode/resample/core/encode, resampler quality vs cost,
# and peak RSS on a long file streamed through stdin (BENCH_RSS_HOURS, 3 h).
BENCH_RSS_HOURS ?= 3
BENCH_STEPS += bench-cli-split bench-cli-resample bench-cli-rss
.PHONY: bench-cli-split bench-cli-resample bench-cli-rss
bench-cli-split: percepnet
	$(PYTHON) scripts/bench_cli/bench_cli.py split
bench-cli-resample: percepnet
	$(PYTHON) scripts/bench_cli/bench_cli.py resample
bench-cli-rss: percepnet
	$(PYTHON) scripts/bench_cli/bench_cli.py rss $(BENCH_RSS_HOURS)
