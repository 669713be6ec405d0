# scripts/bench_cli/bench_cli.mk - CLI benchmarks for `make bench`:
# instruction split decode/resample/core/encode, cost of the pre-roll on a
# 1 s and a 10 s file, resampler quality vs cost,
# peak RSS on a long file streamed through stdin (BENCH_RSS_HOURS, 3 h), and
# SI-SDR of oracle / oracle without comb / model on the bundled demo pair.
BENCH_RSS_HOURS ?= 3
BENCH_STEPS += bench-cli-split bench-cli-preroll bench-cli-resample bench-cli-rss bench-cli-oracle
.PHONY: bench-cli-split bench-cli-preroll bench-cli-resample bench-cli-rss bench-cli-oracle
bench-cli-split: percepnet
	$(PYTHON) scripts/bench_cli/bench_cli.py split
bench-cli-preroll: percepnet
	$(PYTHON) scripts/bench_cli/bench_cli.py preroll
bench-cli-resample: percepnet
	$(PYTHON) scripts/bench_cli/bench_cli.py resample
bench-cli-rss: percepnet
	$(PYTHON) scripts/bench_cli/bench_cli.py rss $(BENCH_RSS_HOURS)
bench-cli-oracle: percepnet
	$(PYTHON) scripts/demo/demo_sisdr.py
